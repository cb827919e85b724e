"""Numbers that are not facts: dates, years, times, document and hotline numbers, numbers inside names,
slogans and titles, enumerators. The patterns are in ``data/exclusions.tsv``; this module applies them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_tsv
from .scan import Candidate

# How far back a "before" rule looks, in characters.
BEFORE_WINDOW = 6


@dataclass(frozen=True)
class Rule:
    scope: str  # span, before, after, bare
    chinese_only: bool
    unit: str  # "*" or a canonical unit
    regex: re.Pattern[str]
    note: str
    starts: str = ""  # span rules: character-class body of the characters a match begins with


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    out = []
    for row in load_tsv("exclusions.tsv"):
        pattern = row["pattern"]
        if row["scope"] == "after":
            # Pattern.match(text, pos) is anchored at pos already; a "^" would only match at 0
            pattern = pattern.removeprefix("^")
        out.append(
            Rule(
                row["scope"],
                row["numerals"] == "cn",
                row["unit"],
                re.compile(pattern),
                row.get("note") or "",
                row.get("starts") or "",
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def _span_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One combined regex for the span rules of any numeral, one for Chinese-numeral-only ones; group 1
    is the span (``Spans`` reads the matches)."""

    def combined(chosen: list[Rule]) -> re.Pattern[str]:
        alternation = "|".join(f"(?:{r.regex.pattern})" for r in chosen)
        if not all(r.starts for r in chosen):
            return re.compile(f"({alternation})")
        # Each match is one character a span can begin with, the span itself is group 1 (a lookahead
        # inside a one-character lookbehind). The engine then skips to those characters on its own,
        # much faster than trying a lookahead at every character; ``Spans`` drops the matches that
        # begin inside the last span, as finditer would never have tried them.
        first = f"[{''.join(r.starts for r in chosen)}]"
        return re.compile(f"{first}(?<=(?=({alternation})){first})")

    spans = [r for r in rules() if r.scope == "span"]
    return combined([r for r in spans if not r.chinese_only]), combined([r for r in spans if r.chinese_only])


class Spans:
    """Sorted, merged character intervals of a text that no fact may overlap. The regex is run only
    as far into the text as the numbers asked about (they come in text order): a text without
    Chinese numerals never runs the Chinese-numeral rules."""

    def __init__(self, regex: re.Pattern[str], text: str):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._matches: Iterator[re.Match[str]] | None = regex.finditer(text)
        self._pending: tuple[int, int] | None = None  # read, starts beyond what was asked
        self._read_to = -1  # every match starting at or before this is in starts/ends
        self._resume = 0  # end of the last match: finditer would go on from here

    def _read(self, upto: int) -> None:
        starts, ends = self.starts, self.ends
        pending = self._pending
        while True:
            if pending is None:
                m = next(self._matches, None) if self._matches is not None else None
                if m is None:
                    self._matches = None
                    break
                pending = m.span(1)
                if pending[0] < self._resume:
                    pending = None
                    continue
                self._resume = pending[1]
            s, e = pending
            if s > upto:
                break
            pending = None
            if e <= s:
                continue
            if starts and s <= ends[-1]:
                ends[-1] = max(ends[-1], e)
            else:
                starts.append(s)
                ends.append(e)
        self._pending = pending
        self._read_to = upto

    def overlaps(self, start: int, end: int) -> bool:
        # a match read later starts after end - 1, so it cannot change the answer
        if end - 1 > self._read_to:
            self._read(end - 1)
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start


@lru_cache(maxsize=1)
def _combined() -> dict[tuple[str, bool, str], re.Pattern[str]]:
    """One regex per (scope, Chinese-only, unit) for the before/after/bare rules: one call per check."""
    groups: dict[tuple[str, bool, str], list[str]] = {}
    for r in rules():
        if r.scope != "span":
            groups.setdefault((r.scope, r.chinese_only, r.unit), []).append(r.regex.pattern)
    return {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in groups.items()}


@lru_cache(maxsize=256)
def _context_rules(
    unit: str, chinese: bool
) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """The combined before and after regexes that apply to a number in ``unit``, in rule order."""
    combined = _combined()
    scopes = (False, True) if chinese else (False,)
    before = tuple(combined[k] for cn in scopes if (k := ("before", cn, "*")) in combined)
    after = tuple(combined[k] for cn in scopes for u in ("*", unit) if (k := ("after", cn, u)) in combined)
    return before, after


class Exclusions:
    """The exclusion rules bound to one text (span matches are computed once)."""

    def __init__(self, text: str):
        self.text = text
        any_re, cn_re = _span_res()
        self.spans = Spans(any_re, text)
        self.cn_spans = Spans(cn_re, text)
        self.combined = _combined()

    def excluded(self, cand: Candidate, strict: bool = True) -> bool:
        """Whether ``reason`` gives a reason, without working out which."""
        start = cand.start
        if self.spans.overlaps(start, cand.end):
            return True
        if cand.chinese and self.cn_spans.overlaps(start, cand.end):
            return True
        text = self.text
        before, after = _context_rules(cand.unit, cand.chinese)
        if cand.kind != "rank":
            lo = start - BEFORE_WINDOW if start > BEFORE_WINDOW else 0
            for regex in before:
                if regex.search(text, lo, start):
                    return True
        for regex in after:
            if regex.match(text, cand.end):
                return True
        if strict and cand.bare:
            regex = self.combined.get(("bare", False, "*"))
            if regex is not None and regex.fullmatch(text, start, cand.end):
                return True
        return False

    def _note(self, scope: str, cand: Candidate, pos: int) -> str:
        for r in rules():
            if r.scope != scope or (r.chinese_only and not cand.chinese) or r.unit not in ("*", cand.unit):
                continue
            if scope == "before" and r.regex.search(self.text, max(0, pos - BEFORE_WINDOW), pos):
                return r.note
            if scope == "after" and r.regex.match(self.text, pos):
                return r.note
        return ""

    def reason(self, cand: Candidate, strict: bool = True) -> str | None:
        """Why ``cand`` is not a fact, or None. ``strict`` off skips the hotline rule (parse_quantity)."""
        text = self.text
        if self.spans.overlaps(cand.start, cand.end):
            return "span"
        if cand.chinese and self.cn_spans.overlaps(cand.start, cand.end):
            return "span"
        get = self.combined.get
        if cand.kind != "rank":
            lo = max(0, cand.start - BEFORE_WINDOW)
            for key in (("before", False, "*"), ("before", True, "*")):
                if key[1] and not cand.chinese:
                    continue
                regex = get(key)
                if regex is not None and regex.search(text, lo, cand.start):
                    return "before: " + self._note("before", cand, cand.start)
        for key in (
            ("after", False, "*"),
            ("after", False, cand.unit),
            ("after", True, "*"),
            ("after", True, cand.unit),
        ):
            if key[1] and not cand.chinese:
                continue
            regex = get(key)
            if regex is not None and regex.match(text, cand.end):
                return "after: " + self._note("after", cand, cand.end)
        if strict and cand.bare:
            regex = get(("bare", False, "*"))
            if regex is not None and regex.fullmatch(text, cand.start, cand.end):
                return "bare: hotline or service number"
        return None
