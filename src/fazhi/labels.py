"""Chinese display names: the fixed vocabularies from data/labels.yaml, indicators from
data/indicators.yaml. Every output people read (terminal, workbook, Word, dashboard) takes its
words from here, so they all say the same."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .models import AREAS
from .resources import load_yaml


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return load_yaml("labels.yaml")


def labels(group: str) -> dict[str, str]:
    """The whole vocabulary of a group (levels, elements, substance, kinds, approx, units, areas)."""
    return _labels()[group]


def label(group: str, key: str | None, default: str | None = None) -> str:
    """The Chinese word for ``key`` in ``group``; ``default`` (else the key itself) when unknown."""
    if key is None:
        return default or ""
    return _labels().get(group, {}).get(key, key if default is None else default)


def area_name(area: str | None) -> str:
    return label("areas", area) if area else "未分类"


def area_ids() -> list[str]:
    """Framework areas in their display order."""
    return list(_labels().get("areas") or AREAS)


def with_approx(value: str, approx: str | None) -> str:
    """A formatted value with its approximation: ``1,700`` over -> ``1,700以上``, about -> ``约1,700``."""
    word = label("approx", approx, "")
    return value + word if approx == "over" else word + value


@lru_cache(maxsize=1)
def _indicators() -> dict[str, dict[str, Any]]:
    return {str(item["id"]): item for item in load_yaml("indicators.yaml").get("indicators") or []}


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
