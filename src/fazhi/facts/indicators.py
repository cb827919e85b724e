"""The indicator catalogue (``data/indicators.yaml``) and matching a fact's subject to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_yaml

# What "…" in a variant stands for: up to this many characters of anything.
GAP = 12
# Units that count as "%" when matching an indicator (a change of a rate in points is about that rate).
RATE_UNITS = {"百分点": "%", "‰": "%"}


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    area: str
    units: tuple[str, ...]
    higher_is_better: bool | None
    variants: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


def _compile(variant: str) -> re.Pattern[str]:
    return re.compile(f".{{0,{GAP}}}?".join(re.escape(p) for p in variant.split("…")))


@lru_cache(maxsize=1)
def catalogue() -> tuple[Indicator, ...]:
    out = []
    for d in load_yaml("indicators.yaml")["indicators"]:
        variants = tuple(str(v) for v in d["variants"])
        out.append(
            Indicator(
                id=d["id"],
                name=d["name"],
                area=d["area"],
                units=tuple(str(u) for u in d["units"]),
                higher_is_better=d.get("higher_is_better"),
                variants=variants,
                patterns=tuple(_compile(v) for v in variants),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def _prefilter() -> re.Pattern[str]:
    """Any first fragment of any variant: subjects that match none of them skip the full loop."""
    firsts = {v.split("…")[0] for ind in catalogue() for v in ind.variants}
    return re.compile("|".join(re.escape(f) for f in sorted(firsts, key=len, reverse=True)))


@lru_cache(maxsize=64)
def _variants_for(unit_key: str) -> tuple[tuple[str, int, str, re.Pattern[str]], ...]:
    """(first fragment, catalogue order, id, pattern) of every variant of the indicators counted in
    ``unit_key``, in catalogue order."""
    out = []
    for order, ind in enumerate(catalogue()):
        if unit_key in ind.units:
            out.extend(
                (v.split("…")[0], order, ind.id, p) for v, p in zip(ind.variants, ind.patterns, strict=True)
            )
    return tuple(out)


@lru_cache(maxsize=4096)
def match_indicator(subject: str, unit: str, kind: str = "count") -> str | None:
    """Id of the indicator whose variant occurs in ``subject`` and counts in ``unit``; the longest
    matching variant wins, the catalogue order breaks ties. None when nothing fits."""
    if not subject or not _prefilter().search(subject):
        return None
    unit_key = "rank" if kind == "rank" else RATE_UNITS.get(unit, unit)
    best: tuple[int, int] | None = None
    best_id = None
    for first, order, ind_id, p in _variants_for(unit_key):
        if first not in subject:  # a variant matches only where its first fragment stands
            continue
        m = p.search(subject)
        if m is None:
            continue
        score = (m.end() - m.start(), -order)
        if best is None or score > best:
            best, best_id = score, ind_id
    return best_id
