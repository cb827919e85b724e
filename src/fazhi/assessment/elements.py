"""The required elements of a report (2019 督察工作规定): where each one is and how substantive it is.

Where, in three steps (cues in data/assessment_cues.yaml):

1. **Own parts.** Top-level sections whose ``element`` (from the outline stage) is the element; for
   the first-responsibility duties also deeper sections with such a heading ("（二）认真履行推进法治
   建设第一责任人职责"), unless they sit in a plan or shortcomings part.
2. **Mixed parts.** A closing part that carries both the problems and the plan is split sentence by
   sentence: a shortcomings cue ("但也存在着问题和不足") starts the problems, a plan cue ("2025年,我局
   将…", "下一步,") starts the plan; sentences before any cue belong to the element of the heading.
3. **Sentences inside other parts.** An element still missing is looked for sentence by sentence: the
   first-responsibility duties anywhere outside the plan and shortcomings parts ("党政主要负责同志认真履
   行推进法治建设第一责任人职责…", each such sentence is evidence); problems and plan only in the
   closing share of the text (``embedded_closing_after``), each from its cue sentence to the end of
   the paragraph or the next sentence of the other element.

How substantive: measurable signals counted in the element's text (``signal_counts``); the element is
``specific`` when every signal of its rule's ``all`` and one of its ``any`` reach their minimum (the
rule per element is data: ``substance`` in data/assessment_cues.yaml), ``generic`` when present but
not, ``absent`` when not found. The signals:

* ``problems`` — clauses naming a problem (有待/不足/薄弱/不到位…), lead-ins and remedies excluded;
* ``specific_problems`` — problems that name a field of work (行政执法, 法制审核, 复议…) or a number;
* ``reasons`` — clauses stating a cause (原因/由于/导致/受…影响);
* ``numbers`` — facts in the text (or numbers with a unit when the report has no facts at all);
* ``commitments`` — clauses committing to an action (推进/完善/制定…), stock openings excluded;
* ``targets`` — measurable targets: a number, a percentage or 全覆盖 in a clause;
* ``deadlines`` — a stated time (年底前, 6月底, 上半年…);
* ``acts`` — concrete acts of the leaders (召开, 专题研究, 述法, 批示…);
* ``chars`` — Chinese characters of the text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..framework import SIGNALS as SIGNAL_NAMES
from ..models import ElementCheck, Evidence, Span
from ..outline import classify_element
from .view import View, cues, han_count

MIN_COMMITMENT_CHARS = 4  # Chinese characters of a clause that counts as a commitment
ELEMENT_KEYS = ("achievements", "shortcomings", "principal_duty", "plan", "other")
_CLOSING = ("shortcomings", "plan")


@dataclass
class Part:
    """Where one element sits: text spans, whether it has a part of its own, and the quotes."""

    element: str
    spans: list[Span] = field(default_factory=list)
    own: bool = True  # a section of its own (False: sentences inside another part)
    section: str | None = None  # heading of the part that carries it
    evidence: list[Evidence] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class Signal:
    count: int
    evidence: list[Evidence] = field(default_factory=list)


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for sp in sorted(spans, key=lambda s: s.start):
        if out and sp.start <= out[-1].end + 1:
            out[-1] = Span(out[-1].start, max(out[-1].end, sp.end))
        else:
            out.append(Span(sp.start, sp.end))
    return out


def _clip(view: View, spans: list[Span]) -> list[Span]:
    """Spans cut at the end of the report's body (no signature, date or 特此报告)."""
    end = view.body_end
    return [Span(s.start, min(s.end, end)) for s in spans if s.start < end]


def _own_evidence(view: View, element: str, sections: list) -> list[Evidence]:
    """Headings of an element's own parts; for a closing part also its first sentence."""
    out = []
    for t in sections:
        out.append(view.quote(t.start, max(t.heading_end, t.start + 1)))
        if element != "achievements":
            pos = t.heading_end
            while pos < t.end and view.text[pos] in " \t\u3000\n:：,，。":
                pos += 1
            if pos < t.end:
                ev = view.quote(pos, min(view.sentence_at(pos).end, t.end))
                if ev.quote and ev.start >= out[-1].end:
                    out.append(ev)
    return out


def _cue(view: View, element: str, sentence: Span) -> bool:
    """Does a sentence carry the cue of an element (and none of its exclusions)? (Asked once per
    sentence and element: the answer is kept on the view.)"""
    key = (element, sentence.start, sentence.end)
    found = view.cue_memo.get(key)
    if found is None:
        found = view.cue_memo[key] = _cue_in(view, element, view.text[sentence.start : sentence.end])
    return found


def _cue_in(view: View, element: str, text: str) -> bool:
    c = cues()
    nots = None  # the exclusions are looked at only when a cue matches (most sentences carry none)
    for p in c["embedded"][element]:
        m = p.search(text)
        if not m:
            continue
        if nots is None:
            nots = c["embedded_not"].get(element, [])
            if any(p.search(text) for p in nots):
                return False
        year = m.groupdict().get("year")
        if year and view.doc.year and int(year) <= view.doc.year:
            continue  # "2024年,…将" in a 2024 report is work done, not next year's plan
        return True
    return False


def _inside(spans: Iterable[Span]) -> Callable[[int], bool]:
    """Whether an offset lies in one of the spans (start inclusive, end exclusive): the spans merged,
    then a bisection, instead of a test of every span."""
    merged: list[list[int]] = []
    for a, b in sorted((s.start, s.end) for s in spans if s.end > s.start):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [m[0] for m in merged]

    def inside(offset: int) -> bool:
        k = bisect_right(starts, offset) - 1
        return k >= 0 and offset < merged[k][1]

    return inside


def find_parts(view: View) -> dict[str, Part]:
    """Each element found in the report -> where it is (elements not found are left out)."""
    parts: dict[str, Part] = {}
    tops = view.tops
    # 1. own parts at the top level
    for el in ELEMENT_KEYS:
        secs = [t for t in tops if t.element == el]
        if secs:
            parts[el] = Part(
                el,
                spans=_clip(view, [Span(t.heading_end, t.end) for t in secs]),
                section=secs[0].heading,
                evidence=_own_evidence(view, el, secs),
                start=secs[0].start,
                end=min(secs[-1].end, view.body_end),
            )
    if "principal_duty" not in parts:
        deep = []
        for s in view.doc.sections:
            top = view.top_at(s.start)
            inside_closing = top is not None and top.element in (*_CLOSING, "mixed")
            nested = any(d.start <= s.start and s.end <= d.end for d in deep)
            if s.depth > 1 and s.element == "principal_duty" and not inside_closing and not nested:
                deep.append(s)
        if deep:
            parts["principal_duty"] = Part(
                "principal_duty",
                spans=[Span(s.heading_end, s.end) for s in deep],
                section=deep[0].heading,
                evidence=_own_evidence(view, "principal_duty", deep),
                start=deep[0].start,
                end=deep[-1].end,
            )
    # 2. mixed closing parts, split sentence by sentence
    for t in tops:
        if t.element != "mixed":
            continue
        base = classify_element(t.heading, "")
        current = base if base in _CLOSING else None
        found: dict[str, list[Span]] = {}
        for s in view.sentences_in(t.heading_end, min(t.end, view.body_end)):
            if _cue(view, "shortcomings", s):
                current = "shortcomings"
            elif _cue(view, "plan", s):
                current = "plan"
            if current:
                found.setdefault(current, []).append(s)
        for el, spans in found.items():
            if el in parts and parts[el].own:
                parts[el].spans.extend(spans)
                continue
            merged = _merge(spans)
            own = el == base
            parts[el] = Part(
                el,
                spans=merged,
                own=own,
                section=t.heading,
                evidence=[view.quote(t.start, t.heading_end)]
                if own
                else [view.quote(merged[0].start, merged[0].end)],
                start=t.start if own else merged[0].start,
                end=t.end if own else merged[-1].end,
            )
    # 3. sentences inside other parts
    in_closing = _inside(Span(t.start, t.end) for t in tops if t.element in (*_CLOSING, "mixed"))
    if "principal_duty" not in parts:
        hits = [s for s in view.sentences if not in_closing(s.start) and _cue(view, "principal_duty", s)]
        if hits:
            top = view.top_at(hits[0].start)
            parts["principal_duty"] = Part(
                "principal_duty",
                spans=hits,
                own=False,
                section=top.heading if top else None,
                evidence=[view.quote(s.start, s.end) for s in hits],
                start=hits[0].start,
                end=hits[0].end,
            )
    after = len(view.text) * float(cues()["embedded_closing_after"])
    for el in _CLOSING:
        if el in parts:
            continue
        other = "plan" if el == "shortcomings" else "shortcomings"
        taken = _inside(sp for p in parts.values() if p.element != "achievements" for sp in p.spans)
        spans: list[Span] = []
        for s in view.sentences:
            if s.start >= view.body_end or taken(s.start):
                continue
            top = view.top_at(s.start)
            if top is not None and top.element in ("achievements", "principal_duty") and s.start < after:
                continue
            if not _cue(view, el, s):
                continue
            para = view.paragraph_at(s.start)
            end = min(para.end, view.body_end)
            for nxt in view.sentences_in(s.end, para.end):
                if _cue(view, other, nxt):
                    end = nxt.start
                    break
            spans.append(Span(s.start, end))
        if spans:
            merged = _merge(spans)
            top = view.top_at(merged[0].start)
            parts[el] = Part(
                el,
                spans=merged,
                own=False,
                section=top.heading if top else None,
                evidence=[view.quote(sp.start, sp.end) for sp in merged],
                start=merged[0].start,
                end=merged[0].end,
            )
    # 4. a report without headings: what is not another element is the work done
    if "achievements" not in parts:
        taken = _inside(sp for p in parts.values() for sp in p.spans if p.element != "principal_duty")
        rest = [s for s in view.sentences if s.start < view.body_end and not taken(s.start)]
        if sum(han_count(view.text[s.start : s.end]) for s in rest) >= int(
            cues()["embedded_achievements_min_chars"]
        ):
            merged = _merge(rest)
            parts["achievements"] = Part(
                "achievements",
                spans=merged,
                own=False,
                section=None,
                evidence=[view.quote(rest[0].start, rest[0].end)],
                start=merged[0].start,
                end=merged[-1].end,
            )
    return parts


# -- substance -------------------------------------------------------------------------------------


def _numbers(view: View, spans: list[Span]) -> Signal:
    facts = view.facts_in(spans)
    if facts:
        sentences: dict[int, Span] = {}
        for f in facts:
            s = view.sentence_at(f.start)
            sentences.setdefault(s.start, s)
        return Signal(len(facts), [view.quote(s.start, s.end) for s in sentences.values()])
    if view.facts:  # the report has facts, just none here
        return Signal(0)
    found = []
    rx = cues()["number_fallback"]
    for sp in spans:
        for m in rx.finditer(view.text, sp.start, sp.end):
            found.append(view.quote(m.start(), m.end()))
    return Signal(len(found), found)


class Signals(Mapping[str, Signal]):
    """The substance signals of one element, each counted on first use (a report's achievements
    part is long; only the signals a rule or a criterion asks for are counted)."""

    def __init__(self, view: View, part: Part) -> None:
        self.view = view
        self.part = part
        self._done: dict[str, Signal] = {}

    def __getitem__(self, name: str) -> Signal:
        if name not in self._done:
            if name not in SIGNAL_NAMES:
                raise KeyError(name)
            self._done[name] = getattr(self, f"_{name}")()
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(SIGNAL_NAMES)

    def __len__(self) -> int:
        return len(SIGNAL_NAMES)

    # -- helpers -----------------------------------------------------------------------------------
    @cached_property
    def clauses(self) -> list[Span]:
        return self.view.clauses(self.part.spans)

    def _matching(self, pattern: str, clauses: list[Span], exclude: str | None = None) -> list[Span]:
        rx = cues()["signals"]
        text = self.view.text
        out = []
        for c in clauses:
            piece = text[c.start : c.end]
            if rx[pattern].search(piece) and not (exclude and rx[exclude].search(piece)):
                out.append(c)
        return out

    def _signal(self, spans: list[Span]) -> Signal:
        return Signal(len(spans), [self.view.quote(s.start, s.end) for s in spans])

    def _has_number(self, c: Span) -> bool:
        if self.view.facts:
            return bool(self.view.facts_in([c]))
        return bool(cues()["number_fallback"].search(self.view.text, c.start, c.end))

    @cached_property
    def _problem_clauses(self) -> list[Span]:
        out: list[Span] = []
        for c in self._matching("problem", self.clauses, "problem_not"):
            # "如调解组织作用发挥还需加强、公众对法律援助认知度不高、…" is several problems in one clause
            pieces = self._matching("problem", self.view.clauses([c], fine=True), "problem_not")
            out.extend(pieces if len(pieces) > 1 else [c])
        return out

    # -- the signals -------------------------------------------------------------------------------
    def _problems(self) -> Signal:
        return self._signal(self._problem_clauses)

    def _specific_problems(self) -> Signal:
        field = cues()["signals"]["field"]
        text = self.view.text
        return self._signal(
            [c for c in self._problem_clauses if field.search(text, c.start, c.end) or self._has_number(c)]
        )

    def _reasons(self) -> Signal:
        return self._signal(self._matching("reason", self.clauses))

    def _numbers(self) -> Signal:
        return _numbers(self.view, self.part.spans)

    def _commitments(self) -> Signal:
        text = self.view.text
        found = self._matching("commitment", self.clauses, "boilerplate")
        return self._signal([c for c in found if han_count(text[c.start : c.end]) >= MIN_COMMITMENT_CHARS])

    def _targets(self) -> Signal:
        target = cues()["signals"]["target"]
        text = self.view.text
        return self._signal(
            [c for c in self.clauses if target.search(text, c.start, c.end) or self._has_number(c)]
        )

    def _deadlines(self) -> Signal:
        return self._signal(self._matching("deadline", self.clauses))

    def _acts(self) -> Signal:
        return self._signal(self._matching("act", self.clauses))

    def _chars(self) -> Signal:
        return Signal(sum(han_count(self.view.text[s.start : s.end]) for s in self.part.spans))


def signal_counts(view: View, part: Part) -> Signals:
    """The substance signals of an element's text (counted lazily)."""
    return Signals(view, part)


def substance(element: str, signals: Mapping[str, Signal]) -> str:
    """``specific`` or ``generic`` by the element's rule (data/assessment_cues.yaml ``substance``)."""
    rule = cues()["substance"][element]
    reached = {name for name, n in rule["minimum"].items() if signals[name].count >= n}
    if all(name in reached for name in rule["all"]) and (not rule["any"] or reached & set(rule["any"])):
        return "specific"
    return "generic"


def check(
    view: View, parts: dict[str, Part], signals: Mapping[str, Mapping[str, Signal]]
) -> dict[str, ElementCheck]:
    out: dict[str, ElementCheck] = {}
    for el in ELEMENT_KEYS:
        part = parts.get(el)
        if part is None:
            out[el] = ElementCheck(present=False)
            continue
        out[el] = ElementCheck(
            present=True,
            start=part.start,
            end=part.end,
            substance=substance(el, signals[el]),
            section=part.section,
            evidence=list(part.evidence),
        )
    return out
