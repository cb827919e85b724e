"""Administrative divisions (GB/T 2260, province to county) from data/divisions.tsv.

The dataset is complete (about 3,400 divisions), generated from jionlp's location dictionary by
scripts/build_data.py. ``find_places`` finds every division named in a text; ``resolve`` picks the
right one among namesakes (there are four 鼓楼区) by which of its ancestors the text also names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import load_tsv


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short: str
    level: str  # province / prefecture / county
    parent_code: str

    @property
    def parent(self) -> Division | None:
        return by_code().get(self.parent_code)

    def ancestors(self) -> list[Division]:
        out = []
        d = self.parent
        while d is not None:
            out.append(d)
            d = d.parent
        return out


@lru_cache(maxsize=1)
def by_code() -> dict[str, Division]:
    return {
        r["code"]: Division(r["code"], r["name"], r["short"], r["level"], r["parent"] or "")
        for r in load_tsv("divisions.tsv")
    }


@lru_cache(maxsize=1)
def by_name() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for d in by_code().values():
        out.setdefault(d.name, []).append(d)
    return out


@lru_cache(maxsize=1)
def by_short() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for d in by_code().values():
        # county short names (长安, 永安…) are too often ordinary words to look for in running text
        if len(d.short) >= 2 and d.short != d.name and d.level != "county":
            out.setdefault(d.short, []).append(d)
    return out


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    # two-character names (城区, 矿区, 郊区) are ordinary words too: they are resolved only by code
    names = sorted((n for n in by_name() if len(n) >= 3), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=1)
def _short_pattern() -> re.Pattern[str]:
    names = sorted(by_short(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def find_places(text: str) -> list[tuple[str, int]]:
    """Full division names in ``text`` with their offsets (longest match first, no overlaps)."""
    return [(m.group(0), m.start()) for m in _name_pattern().finditer(text)]


def find_short_places(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in _short_pattern().finditer(text)]


def candidates(name: str) -> list[Division]:
    return by_name().get(name) or by_short().get(name) or []


def resolve(name: str, context: str = "") -> Division | None:
    """The division called ``name``; among namesakes, the one whose ancestors ``context`` names most."""
    found = candidates(name)
    if not found:
        return None
    if len(found) == 1:
        return found[0]

    def score(d: Division) -> tuple[int, int]:
        hits = sum(context.count(a.name) * 2 + context.count(a.short) for a in d.ancestors() if a.short)
        # prefer the higher level for a bare short name (北京 the city, not a district)
        return hits, -["province", "prefecture", "county"].index(d.level)

    return max(found, key=score)


def prefix_division(text: str, context: str = "") -> tuple[Division, str] | None:
    """The division whose name starts ``text`` (``厦门市司法局`` -> 厦门市, ``司法局``), longest first."""
    m = _name_pattern().match(text)
    if m is None:
        m = _short_pattern().match(text)
    if m is None:
        return None
    d = resolve(m.group(0), context)
    return (d, text[m.end() :]) if d else None
