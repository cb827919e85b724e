"""Units and measure words (``data/units.tsv``) and approximation words (``data/qualifiers.tsv``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_tsv


@dataclass(frozen=True)
class Unit:
    written: str  # as in the text: 个百分点
    canonical: str  # what Fact.unit gets: 百分点
    kind: str  # count, money, rate, duration, other
    factor: float  # multiplies the value: 成 -> 10
    arabic_only: bool  # a Chinese numeral before it is usually a word (十分)
    max_value: float | None  # 成 takes at most 10


@lru_cache(maxsize=1)
def unit_table() -> dict[str, Unit]:
    out = {}
    for row in load_tsv("units.tsv"):
        out[row["unit"]] = Unit(
            written=row["unit"],
            canonical=row["canonical"],
            kind=row["kind"],
            factor=float(row["factor"] or 1),
            arabic_only=row["numerals"] == "arabic",
            max_value=float(row["max"]) if row.get("max") else None,
        )
    return out


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation that tries longer words first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def trie_alternation(words: list[str] | tuple[str, ...]) -> str:
    """The same language as ``alternation`` (longest word first), written as a character trie, which the
    regex engine walks about twice as fast on long word lists (no branch is tried twice per prefix)."""
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@lru_cache(maxsize=1)
def units_regex() -> str:
    return alternation(list(unit_table()))


@lru_cache(maxsize=1)
def qualifier_table() -> dict[str, dict[str, str]]:
    """position -> {word: approx}."""
    out: dict[str, dict[str, str]] = {"before": {}, "inside": {}, "after": {}, "magnitude": {}}
    for row in load_tsv("qualifiers.tsv"):
        out[row["position"]][row["word"]] = row["approx"]
    return out


@lru_cache(maxsize=1)
def before_qualifier_re() -> re.Pattern[str]:
    """Matches an approximation word ending right where a number starts (search with endpos)."""
    return re.compile("(?:" + alternation(list(qualifier_table()["before"])) + r")\s?$")


@lru_cache(maxsize=1)
def magnitude_qualifier_re() -> re.Pattern[str]:
    """Matches a word ending where a lone 百/千/万 starts that makes it a number (上千): the approximation
    words before a number and the words for a lone magnitude only."""
    words = list(qualifier_table()["before"]) + list(qualifier_table()["magnitude"])
    return re.compile("(?:" + alternation(words) + r")\s?$")


@lru_cache(maxsize=1)
def after_qualifier_re() -> re.Pattern[str]:
    return re.compile(r"\s?(?:" + alternation(list(qualifier_table()["after"])) + ")")


@lru_cache(maxsize=1)
def inside_qualifiers() -> str:
    return "".join(qualifier_table()["inside"])
