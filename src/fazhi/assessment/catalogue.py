"""The key-indicator catalogue (data/indicators.yaml, kept by the facts stage): ids and Chinese names."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..settings import DATA_DIR


@lru_cache(maxsize=1)
def indicator_names() -> dict[str, str]:
    """Indicator id -> Chinese name, in catalogue order; empty when the catalogue is not installed.

    Accepts a list of ``{id, name}`` entries, a mapping ``id: {name: …}`` or ``id: name``, at the top
    level or under an ``indicators`` key.
    """
    path = DATA_DIR / "indicators.yaml"
    if not path.exists():
        return {}
    from ..resources import load_yaml

    data: Any = load_yaml("indicators.yaml")
    if isinstance(data, dict) and "indicators" in data:
        data = data["indicators"]
    out: dict[str, str] = {}
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and "id" in item:
                out[str(item["id"])] = str(item.get("name") or item.get("label") or item["id"])
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict):
                out[str(key)] = str(value.get("name") or value.get("label") or key)
            else:
                out[str(key)] = str(value or key)
    return out


def indicator_name(indicator: str) -> str:
    return indicator_names().get(indicator, indicator)
