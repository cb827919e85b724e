"""Chinese display names for the ids the pages show.

Areas and indicators take their names from the facts stage's data files (``data/areas.yaml``,
``data/indicators.yaml``); a missing file or entry shows the id itself. The short fixed vocabularies
of ``models.py`` (elements, levels, kinds, approximations) are labelled as the exports label them
(``fazhi.render``, ``fazhi.exports.tables``), so workbook and dashboard say the same.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..exports.tables import APPROX_LABELS
from ..models import AREAS


@lru_cache(maxsize=4)
def _load(name: str, key: str) -> dict[str, dict[str, Any]]:
    """id -> entry of the list under ``key`` in a data file (``{key: [{id: ..., name: ...}, ...]}``)."""
    from ..resources import load_yaml

    try:
        items = load_yaml(name).get(key) or []
    except OSError:
        return {}
    return {str(item["id"]): item for item in items}


def _areas() -> dict[str, dict[str, Any]]:
    return _load("areas.yaml", "areas")


def _indicators() -> dict[str, dict[str, Any]]:
    return _load("indicators.yaml", "indicators")


def area_name(area: str | None) -> str:
    if not area:
        return "未分类"
    return _areas().get(area, {}).get("name") or area


def area_ids() -> list[str]:
    """Framework areas in the data file's order (``models.AREAS`` when the file is missing)."""
    known = list(_areas())
    return known or list(AREAS)


def with_approx(value: str, approx: str | None) -> str:
    """A formatted value with its approximation: ``1,700`` over -> ``1,700以上``, about -> ``约1,700``."""
    word = APPROX_LABELS.get(approx or "", "")
    return value + word if approx == "over" else word + value


def indicator_name(indicator: str | None) -> str:
    if not indicator:
        return ""
    return _indicators().get(indicator, {}).get("name") or indicator


def indicators() -> list[dict[str, Any]]:
    """Every indicator of the catalogue, in the file's order: id, Chinese name, area, units."""
    return [
        {"id": i, "name": e.get("name") or i, "area": e.get("area"), "units": list(e.get("units") or [])}
        for i, e in _indicators().items()
    ]
