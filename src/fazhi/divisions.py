"""Administrative divisions (GB/T 2260, province to county) from data/divisions.tsv.

The dataset is complete (about 3,400 divisions), generated from jionlp's location dictionary by
scripts/build_data.py. ``find_places`` finds every division named in a text; ``resolve`` picks the
right one among namesakes (there are four 鼓楼区) by which of its ancestors the text also names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from .resources import load_tsv, load_yaml


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


class Gazetteer:
    """Finds dictionary names in running text: leftmost, longest, non-overlapping.

    An Aho-Corasick automaton (``ahocorasick_rs``) finds every occurrence of every name in one pass;
    the guarded ones that stand inside a word are dropped before the leftmost longest are kept.
    """

    def __init__(self, names: set[str], guarded: frozenset[str] = frozenset(), after: str = "") -> None:
        self.names = frozenset(names)
        # names that are ordinary words too (沛县 in 创新县域 is not 沛县): found only after a
        # non-Han character or one of ``after`` (市, 省, 年…)
        self.guarded = guarded
        self.after = after
        self.lengths = sorted({len(n) for n in names}, reverse=True)
        self._list = sorted(names)
        self._automaton = ahocorasick_rs.AhoCorasick(self._list) if self._list else None

    def find(self, text: str) -> list[tuple[str, int]]:
        if self._automaton is None:
            return []
        found: list[tuple[int, int]] = []
        names, guarded = self._list, self.guarded
        for i, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if guarded and names[i] in guarded and not self._boundary(text, start):
                continue
            found.append((start, end))
        found.sort(key=lambda se: (se[0], -se[1]))
        out: list[tuple[str, int]] = []
        reach = 0
        for start, end in found:
            if start >= reach:
                out.append((text[start:end], start))
                reach = end
        return out

    def _boundary(self, text: str, start: int) -> bool:
        """A guarded name may start here: text start, after a non-Han character, after one of
        ``after``, or right after another division's name (徐州市沛县)."""
        if start == 0:
            return True
        prev = text[start - 1]
        if not "\u4e00" <= prev <= "\u9fff" or prev in self.after:
            return True
        return any(text[max(0, start - n) : start] in self.names for n in self.lengths if n <= start)

    def match(self, text: str) -> str | None:
        """The longest name that starts ``text``."""
        for n in self.lengths:
            if text[:n] in self.names:
                return text[:n]
        return None


@lru_cache(maxsize=1)
def _full_names() -> Gazetteer:
    rules = load_yaml("metadata.yaml")["place_names"]
    names = {n for n in by_name() if n not in rules["never_in_text"]}
    short = frozenset(n for n in names if len(n) <= rules["guard_max_len"])
    return Gazetteer(names, guarded=short, after=rules["guard_after"])


@lru_cache(maxsize=1)
def _short_names() -> Gazetteer:
    return Gazetteer(set(by_short()))


def find_places(text: str) -> list[tuple[str, int]]:
    """Full division names in ``text`` with their offsets (leftmost longest, no overlaps)."""
    return _full_names().find(text)


def find_short_places(text: str) -> list[tuple[str, int]]:
    return _short_names().find(text)


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
    name = _full_names().match(text) or _short_names().match(text)
    if name is None:
        return None
    d = resolve(name, context)
    return (d, text[len(name) :]) if d else None
