"""A read-only view of one ``Document`` for the assessment: sentences, clauses, facts by offset, quotes.

Built once per report and shared by every measurement; everything here is pure and cheap (bisect over
sorted offsets), so assessing a 20,000-character report stays in the milliseconds.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Any

from ..labels import label as _label
from ..models import Document, Evidence, Fact, Section, Span
from ..outline import paragraph_spans, sentence_spans
from ..resources import load_yaml

_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TWO_HAN = re.compile(r"[\u4e00-\u9fff][^\u4e00-\u9fff]*[\u4e00-\u9fff]")
_TRIM = " \t\u3000,，;；:：。、"
_TRIM_LINES = frozenset(_TRIM + "\n")  # what quotes and clauses are trimmed of
_ENUMERATOR = re.compile(
    r"\s*(?:[一二三四五六七八九十]{1,3}是|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．])"
)


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """data/assessment_cues.yaml with its regexes compiled."""
    spec = load_yaml("assessment_cues.yaml")
    out = dict(spec)
    out["embedded"] = {el: [re.compile(p) for p in pats] for el, pats in spec["embedded"].items()}
    out["embedded_not"] = {el: [re.compile(p) for p in pats] for el, pats in spec["embedded_not"].items()}
    out["signals"] = {name: re.compile(p) for name, p in spec["signals"].items()}
    out["clause_split"] = re.compile(spec["clause_split"])
    out["fine_split"] = re.compile(f"{spec['clause_split']}|{spec['fine_split']}")
    out["closing_lines"] = [re.compile(p) for p in spec["closing_lines"]]
    out["number_fallback"] = re.compile(spec["number_fallback"])
    return out


def label(group: str, key: str) -> str:
    """Chinese label of an element, area, signal or substance value (the key itself when unknown)."""
    if group == "signals":
        return cues()["signals_labels"].get(key, key)
    return _label(group, key)


def han_count(text: str) -> int:
    return sum(map(len, _HAN_RUN.findall(text)))


class View:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.sentences: list[Span] = doc.sentences or sentence_spans(doc.text)
        self._sentence_starts = [s.start for s in self.sentences]
        self.facts: list[Fact] = sorted(doc.facts, key=lambda f: (f.start, f.end))
        self._fact_starts = [f.start for f in self.facts]
        self.cue_memo: dict[tuple[str, int, int], bool] = {}  # (element, start, end) -> elements._cue

    # -- quotes ------------------------------------------------------------------------------------
    def quote(self, start: int, end: int) -> Evidence:
        """Evidence for text[start:end], trimmed of surrounding blanks and separators."""
        while start < end and self.text[start] in _TRIM_LINES:
            start += 1
        while end > start and self.text[end - 1] in _TRIM_LINES:
            end -= 1
        return Evidence(self.text[start:end], start, end)

    def sentence_at(self, offset: int) -> Span:
        k = bisect_right(self._sentence_starts, offset) - 1
        if k >= 0 and self.sentences[k].start <= offset < self.sentences[k].end:
            return self.sentences[k]
        line_start = self.text.rfind("\n", 0, offset) + 1
        line_end = self.text.find("\n", offset)
        return Span(line_start, len(self.text) if line_end < 0 else line_end)

    def fact_evidence(self, fact: Fact) -> Evidence:
        s = self.sentence_at(fact.start)
        return self.quote(s.start, s.end)

    def sentences_in(self, start: int, end: int) -> list[Span]:
        lo = bisect_left(self._sentence_starts, start)
        hi = bisect_left(self._sentence_starts, end)
        return [s for s in self.sentences[lo:hi] if s.end <= end or s.start < end]

    def facts_in(self, spans: Iterable[Span]) -> list[Fact]:
        out: list[Fact] = []
        for sp in spans:
            lo = bisect_left(self._fact_starts, sp.start)
            hi = bisect_left(self._fact_starts, sp.end)
            out.extend(self.facts[lo:hi])
        return out

    def clauses(self, spans: Iterable[Span], fine: bool = False) -> list[Span]:
        """Clauses of the spans: cut at ，；。： and before 一是/二是 (``fine``: also at 、), enumerators
        and blanks trimmed."""
        split = cues()["fine_split" if fine else "clause_split"]
        out: list[Span] = []
        for sp in spans:
            pos = sp.start
            for m in split.finditer(self.text, sp.start, sp.end):
                out.append(Span(pos, m.start()))
                pos = m.end()
            out.append(Span(pos, sp.end))
        trimmed = []
        for c in out:
            s, e = c.start, c.end
            m = _ENUMERATOR.match(self.text, s, e)
            if m:
                s = m.end()
            while s < e and self.text[s] in _TRIM_LINES:
                s += 1
            while e > s and self.text[e - 1] in _TRIM_LINES:
                e -= 1
            if _TWO_HAN.search(self.text, s, e):
                trimmed.append(Span(s, e))
        return trimmed

    # -- structure ---------------------------------------------------------------------------------
    @cached_property
    def body_end(self) -> int:
        """End of the report's body: trailing closing lines (特此报告, issuer, date) cut off."""
        patterns = cues()["closing_lines"]
        end = len(self.text.rstrip())
        for p in reversed(self.paragraphs):
            if p.end > end:
                continue
            line = self.text[p.start : p.end]
            if any(rx.search(line) for rx in patterns):
                end = p.start
                continue
            break
        return len(self.text[:end].rstrip())

    @cached_property
    def tops(self) -> list[Section]:
        return [s for s in self.doc.sections if s.depth == 1]

    @cached_property
    def paragraphs(self) -> list[Span]:
        return self.doc.paragraphs or paragraph_spans(self.text)

    def paragraph_at(self, offset: int) -> Span:
        for p in self.paragraphs:
            if p.start <= offset < p.end:
                return p
        return self.sentence_at(offset)

    @cached_property
    def _top_starts(self) -> list[int]:
        return [t.start for t in self.tops]

    def top_at(self, offset: int) -> Section | None:
        k = bisect_right(self._top_starts, offset) - 1
        if k >= 0 and offset < max(self.tops[k].end, self.tops[k].start + 1):
            return self.tops[k]
        return None

    # -- areas -------------------------------------------------------------------------------------
    @cached_property
    def area_chars(self) -> dict[str, float]:
        """Characters of text per framework area: each character belongs to the deepest section that
        has areas, and is shared equally among that section's areas."""
        n = len(self.text)
        secs = [s for s in self.doc.sections if s.areas and min(s.end, n) > max(s.start, 0)]
        starts: dict[int, list[Section]] = {}
        for s in secs:
            starts.setdefault(max(s.start, 0), []).append(s)
        points = sorted({max(s.start, 0) for s in secs} | {min(s.end, n) for s in secs})
        chars: Counter[str] = Counter()
        active: list[Section] = []
        for a, b in zip(points, points[1:], strict=False):
            active = [s for s in active if min(s.end, n) > a] + starts.get(a, [])
            if not active:
                continue
            owner = max(active, key=lambda s: s.depth)
            for area in owner.areas:
                chars[area] += (b - a) / len(owner.areas)
        return dict(chars)

    @cached_property
    def area_facts(self) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = {}
        for f in self.facts:
            if f.area:
                out.setdefault(f.area, []).append(f)
        return out

    @cached_property
    def _largest(self) -> dict[str, Section]:
        first: dict[str, Section] = {}
        listed: dict[str, Section] = {}

        def bigger(s: Section, than: Section | None) -> bool:
            return than is None or (s.end - s.start, -s.depth) > (than.end - than.start, -than.depth)

        for s in self.doc.sections:
            for k, area in enumerate(s.areas):
                if k == 0 and bigger(s, first.get(area)):
                    first[area] = s
                if bigger(s, listed.get(area)):
                    listed[area] = s
        return {**listed, **first}

    def largest_section(self, area: str) -> Section | None:
        """The section with the most text whose first area is ``area`` (else any that lists it)."""
        return self._largest.get(area)

    @cached_property
    def _by_indicator(self) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = {}
        for f in self.facts:
            if f.indicator:
                out.setdefault(f.indicator, []).append(f)
        return out

    def facts_of(self, indicator: str) -> list[Fact]:
        return list(self._by_indicator.get(indicator, []))
