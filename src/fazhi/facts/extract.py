"""The facts stage: cleaned text -> ``Fact`` list, in text order.

1. scan every quantity expression (``scan``);
2. drop what is not a fact (``exclusions``; bare numbers need a word before and a phrase end after);
3. give a bare number the unit of its sibling (``排查矛盾纠纷3353起，办结化解3323`` -> 起);
4. read changes (``同比下降4.44%`` -> -4.44) and kinds;
5. cut the subject out of the clause (``subjects``), match an indicator (``indicators``);
6. give each fact its area (``fazhi.areas``) and its sentence as evidence; a range gives a fact for
   each of its ends (``3至5次`` -> 3 次 over and 5 次 under: both are numbers of the report).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, count, repeat
from operator import add

from ..models import Fact, Section
from .changes import DIFFERENCE_UNITS, change_sign, cue_re
from .exclusions import Exclusions
from .indicators import match_indicator
from .scan import Candidate, scan
from .subjects import (
    CLOSE_BRACKETS,
    CONJUNCTIONS,
    LIST_SEPARATORS,
    OPEN_BRACKETS,
    PHRASE_END,
    clean,
    list_separators,
    rank_subject,
    verb_part,
)
from .subjects import rules as subject_rules
from .tables import cell_candidates, find_rows, row_at, sign_before

SENTENCE_END_CHARS = "。；;！!？?\n"
CLAUSE_END_CHARS = "，,；;。：:！!？?\n"
SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_END_CHARS)}]")
CLAUSE_END = re.compile(f"[{re.escape(CLAUSE_END_CHARS)}]")
# After a bare number (no unit) one of these must follow, else it is a code or part of a name.
BARE_END = set("，,、；;。！!？?\n)）")
# Separators of a list of numbers that share a unit or a subject: 22%、28%.
LIST_GLUE = re.compile(rf"[{LIST_SEPARATORS}{CONJUNCTIONS}\s]*")
# After a number these end its phrase: punctuation, or a conjunction before the next item (减少12件和增加9件).
PHRASE_END_OR_AND = PHRASE_END | set(CONJUNCTIONS)
# A bare number may follow one of these when a number stands right before it (12、15、20件).
LIST_MARKS = LIST_SEPARATORS + CONJUNCTIONS


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=4)
def _char_table(text: str) -> dict[str, list[int]]:
    """Positions of single characters in the last few texts, filled as they are asked for."""
    return {}


def char_positions(text: str, chars: str) -> list[int]:
    """Sorted positions of any of ``chars`` in ``text``. ``str.split`` finds them far faster than a
    regex character class does; the lists are kept per text and character (``Bounds``, item leads)."""
    table = _char_table(text)
    found = []
    for ch in chars:
        at = table.get(ch)
        if at is None:
            parts = text.split(ch)
            at = table[ch] = list(map(add, accumulate(map(len, parts[:-1])), count(0, len(ch))))
        found.append(at)
    return sorted(chain.from_iterable(found))


@dataclass
class Bounds:
    """Sorted end positions of sentences and clauses of one text."""

    text: str
    sentence_ends: list[int]
    clause_ends: list[int]

    @classmethod
    def of(cls, text: str) -> Bounds:
        return _bounds(text)

    @classmethod
    def _build(cls, text: str) -> Bounds:
        return cls(text, char_positions(text, SENTENCE_END_CHARS), char_positions(text, CLAUSE_END_CHARS))

    @staticmethod
    def _around(ends: list[int], pos: int, n: int) -> tuple[int, int]:
        i = bisect_left(ends, pos)
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else n
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        ends = self.sentence_ends
        i = bisect_left(ends, pos)
        start = ends[i - 1] + 1 if i else 0
        end = ends[i] if i < len(ends) else len(self.text)
        while start < end and self.text[start] in " \u3000\t":
            start += 1
        return start, end

    def clause(self, pos: int) -> tuple[int, int]:
        ends = self.clause_ends
        i = bisect_left(ends, pos)
        start = ends[i - 1] + 1 if i else 0
        end = ends[i] if i < len(ends) else len(self.text)
        # a number inside brackets: its clause starts after the open bracket (其中合同19件)
        text = self.text
        opened = max(map(text.rfind, OPEN_BRACKETS, repeat(start), repeat(pos)))
        if opened >= 0 and opened > max(map(text.rfind, CLOSE_BRACKETS, repeat(start), repeat(pos))):
            start = opened + 1
        return start, end


@lru_cache(maxsize=4)
def _bounds(text: str) -> Bounds:
    """Bounds of the last few texts (the facts stage and ``areas.assign`` ask for the same one)."""
    return Bounds._build(text)


def _bare_ok(text: str, c: Candidate, last: Candidate | None) -> bool:
    if c.chinese:
        return False
    before = text[c.pre_start - 1] if c.pre_start else ""
    listed = before in LIST_MARKS and last is not None and last.post_end == c.pre_start - 1
    if not (is_han(before) or listed):
        return False
    if c.post_end < len(text) and text[c.post_end] not in BARE_END:
        return False
    digits = text[c.start : c.end]
    return not (len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100)


def candidates(text: str, strict: bool = True) -> list[Candidate]:
    """Quantity expressions of ``text`` that are facts (steps 1-2)."""
    ex = Exclusions(text)
    out: list[Candidate] = []
    for c in scan(text):
        if ex.excluded(c, strict=strict):
            continue
        if c.bare and strict and not _bare_ok(text, c, out[-1] if out else None):
            continue
        out.append(c)
    return out


def _inherit_units(text: str, cands: list[Candidate], bounds: Bounds) -> None:
    """Step 3: a bare number takes the unit of the quantity that ends the clause before it, or of
    the quantity it is listed with (3、5件)."""
    for i in range(len(cands) - 2, -1, -1):  # right to left: 12、15、20件 -> all 件
        c, n = cands[i], cands[i + 1]
        if c.bare and not c.unit and n.unit and LIST_GLUE.fullmatch(text, c.post_end, n.pre_start):
            c.unit, c.kind = n.unit, n.kind
    for i, c in enumerate(cands):
        if not c.bare or c.unit:
            continue
        if i > 0:
            p = cands[i - 1]
            gap = text[p.post_end : c.pre_start]
            if (
                p.unit
                and p.kind == "count"
                and gap
                and gap[0] in "，,、"
                and not CLAUSE_END.search(gap, 1)
                and bounds.sentence(p.start) == bounds.sentence(c.start)
            ):
                c.unit, c.kind = p.unit, p.kind


def _strip_quantities(
    text: str, start: int, end: int, cands: list[Candidate], starts: list[int], lo: int, hi: int
) -> str:
    """text[start:end] without the quantities cands[lo:hi] that fall inside it (``starts``: their
    start offsets, in order)."""
    parts = []
    pos = start
    # only quantities starting inside [start, end) can fall inside it
    for k in range(bisect_left(starts, start, lo, hi), hi):
        c = cands[k]
        if c.start >= end:
            break
        if c.pre_start >= pos and c.post_end <= end:
            parts.append(text[pos : c.pre_start])
            pos = c.post_end
    parts.append(text[pos:end])
    return "".join(parts)


@lru_cache(maxsize=1024)
def _only_cue(left: str) -> bool:
    """The phrase is nothing but a change cue and a comparison marker (同比提高, 分别同比下降)."""
    r = subject_rules()
    rest = r.yoy.sub("", cue_re().sub("", left))
    return not clean(rest)


def _before_after(text: str, cands: list[Candidate], i: int, left: str, clause_end: int) -> str | None:
    """The subject of a before/after pair that the number ``i`` opens (许可事项从42项精简为18项 ->
    许可事项, for both), or None when it opens none."""
    r = subject_rules()
    m = r.from_marker.search(left)
    if m is None or i + 1 >= len(cands):
        return None
    c, nxt = cands[i], cands[i + 1]
    if nxt.pre_start >= clause_end or not r.to_marker.match(text[c.post_end : nxt.pre_start]):
        return None
    return clean(left[: m.start()])


@lru_cache(maxsize=1024)
def _without_cue(subject: str) -> str:
    """A subject without the change cue it ends with (办理数量比上年减少 -> 办理数量比上年)."""
    for m in cue_re().finditer(subject):
        if m.end() == len(subject) and m.start() > 0:
            return subject[: m.start()]
    return subject


def extract_facts(text: str, sections: list[Section] | None = None) -> list[Fact]:
    """Every quantitative fact of a cleaned text, in text order (see the module docstring)."""
    from ..areas import context  # areas imports Bounds from here; import late to avoid a cycle

    if not text:
        return []
    fact_area = context(text, sections).fact_area
    bounds = Bounds.of(text)
    cands = candidates(text)
    _inherit_units(text, cands, bounds)
    rows = find_rows(text)
    row_starts = [r.start for r in rows]
    if rows:
        found = {c.start for c in cands}
        extra = [c for c in cell_candidates(text, rows) if c.start not in found]
        if extra:
            cands = sorted(cands + extra, key=lambda c: c.start)
    n = len(cands)
    text_len = len(text)
    glue = LIST_GLUE.fullmatch
    facts: list[Fact] = []
    subjects: list[str] = [""] * n
    preset: dict[int, str] = {}
    starts = [c.start for c in cands]
    prev: Candidate | None = None
    evidence_at = (-1, "")
    for i, c in enumerate(cands):
        start = c.start
        cs, ce = bounds.clause(start)
        ss, se = bounds.sentence(start)
        prev_in_clause = prev is not None and prev.post_end > cs
        prev_in_sentence = prev is not None and prev.post_end > ss
        left_start = prev.post_end if prev_in_clause else cs

        # a cell of a table row other than its label: the row and its header tell kind and subject
        row = row_at(rows, row_starts, start) if rows else None
        cell = None
        if row is not None and (k := row.cell_at(start)) != row.label:
            cell = row.cells[k]
            left_start = max(left_start, cell.start)

        # kind and sign
        kind = c.kind
        value = c.value
        high = c.high
        sign = 0
        if cell is not None:
            written, at = sign_before(text, c, cell)
            if written:
                start = at  # the sign is part of what is written: -7.4%
            sign = written or (1 if row.is_change_column(k) else 0)
            sign = sign or change_sign(text, cell.start, c.pre_start, c.unit, left_start)
        elif kind != "rank":
            if (
                prev_in_clause
                and facts[-1].kind == "change"
                and prev.unit == c.unit
                and glue(text, prev.post_end, c.pre_start) is not None
            ):
                sign = 1 if facts[-1].value >= 0 else -1
            else:
                sign = change_sign(text, cs, c.pre_start, c.unit, left_start)
            if not sign and c.unit in DIFFERENCE_UNITS:
                kind = "change"  # 2.3个百分点 is a difference of two rates, never a rate
        if sign and kind != "rank":
            kind = "change"
            value = sign * value
            high = sign * high if high is not None else None

        # subject
        prev_subject = subjects[i - 1] if prev_in_sentence else None
        left = text[left_start : c.pre_start]
        if i in preset:
            subject = preset[i]
        elif (pair := _before_after(text, cands, i, left, ce)) is not None:
            subject = pair or prev_subject or ""
            preset[i + 1] = subject
        elif cell is not None:
            lead = _strip_quantities(text, cell.start, start, cands, starts, 0, i)
            subject = clean(row.subject(k, clean(lead)))
        elif kind == "rank":
            subject = rank_subject(
                _strip_quantities(text, cs, c.pre_start, cands, starts, 0, i), prev_subject
            )
        else:
            # the end of the chain of numbers written back to back (366批3897人次)
            j, pos = i, c.post_end
            while j + 1 < n and cands[j + 1].pre_start == pos:
                j += 1
                pos = cands[j].post_end
            if pos < text_len and text[pos] not in PHRASE_END_OR_AND and not left.rstrip().endswith("的"):
                # the number comes before its noun: verb on the left, noun on the right
                # (not after 的: 由原来的9段细化为15段 counts what stands on its left)
                right_end = _right_end(text, pos, ce, starts)
                right = _strip_quantities(text, pos, right_end, cands, starts, j + 1, n)
                subject = clean(verb_part(left) + clean(right)) or clean(left) or prev_subject or ""
            else:
                cleaned = clean(left)
                if "分别" in left:
                    preset.update(
                        _respectively(text, cands, i, left, subjects[bisect_left(starts, ss, 0, i) : i])
                    )
                if i in preset:
                    subject = preset.pop(i)
                elif not cleaned and prev_subject:
                    subject = prev_subject
                elif prev_subject and (_only_cue(cleaned) or subject_rules().comparison_lead.match(cleaned)):
                    # the previous subject's own cue gives way: 减少12件和增加9件 -> …比上年增加
                    subject = _without_cue(prev_subject) + cleaned
                else:
                    subject = cleaned
        subjects[i] = subject

        if evidence_at[0] != ss:  # facts of one sentence share its text
            evidence_at = (ss, text[ss:se])
        unit = c.unit
        indicator = match_indicator(subject, unit, kind)
        area = fact_area(ss, se)
        if c.split is None:
            facts.append(
                Fact(
                    text[start : c.end],
                    value,
                    unit,
                    c.approx,
                    kind,
                    subject,
                    indicator,
                    area,
                    start,
                    c.end,
                    evidence_at[1],
                )
            )
        else:  # a range: each end is a number of the report, at least the low one, at most the high one
            low_end, high_start = c.split
            low_approx, high_approx = ("over", "under") if c.approx == "none" else (c.approx, c.approx)
            facts.append(
                Fact(
                    text[start:low_end],
                    value,
                    unit,
                    low_approx,
                    kind,
                    subject,
                    indicator,
                    area,
                    start,
                    low_end,
                    evidence_at[1],
                )
            )
            facts.append(
                Fact(
                    text[high_start : c.end],
                    high if high is not None else value,
                    unit,
                    high_approx,
                    kind,
                    subject,
                    indicator,
                    area,
                    high_start,
                    c.end,
                    evidence_at[1],
                )
            )
        prev = c
    return facts


def _right_end(text: str, pos: int, clause_end: int, starts: list[int]) -> int:
    """End of the noun phrase after a number: the clause end, or the next list comma when the next
    list item has a number of its own (培育3个泉州市级金牌调解室、18个石狮市级金牌调解室); a 、 inside
    brackets is part of its item (7个县（市、区）)."""
    seps = list_separators(text, pos, clause_end)
    for n, k in enumerate(seps):
        if text[k] != "、":
            continue
        # the next item runs to the next 、 or conjunction: 6个区、县（市）和21个部门 is one item, 区、县（市）
        seg_end = seps[n + 1] if n + 1 < len(seps) else clause_end
        i = bisect_right(starts, k)
        if i < len(starts) and starts[i] < seg_end:
            return k
    return clause_end


def _respectively(
    text: str, cands: list[Candidate], i: int, left: str, before: list[str] | None = None
) -> dict[int, str]:
    """分别: 全市信访总量和重复信访量分别同比下降22%、28% -> one subject per number. With no list of
    its own before 分别, the list is the numbers just before in the sentence, one per member (罚没款
    31.6亿元、案件2.1万件，同比分别下降6.3%、11.4%; 企业和个体户分别为…，分别同比增长5.2%、7.8%)."""
    k = left.rfind("分别")
    if k < 0:
        return {}
    members = [i]
    while members[-1] + 1 < len(cands):
        a, b = cands[members[-1]], cands[members[-1] + 1]
        if not LIST_GLUE.fullmatch(text, a.post_end, b.pre_start):
            break
        members.append(members[-1] + 1)
    if len(members) < 2:
        return {}
    head = clean(left[:k])
    tail = clean(left[k + 2 :])
    parts = [p for p in re.split(r"和|与|及|、|以及", head) if p]
    if len(parts) == len(members):
        return {m: clean(p) + tail for m, p in zip(members, parts, strict=True)}
    if before and len(before) >= len(members) and (not head or _only_cue(head)):
        bases = before[-len(members) :]
        if all(bases) and len(set(bases)) == len(bases):
            return {m: clean(b + head + tail) for m, b in zip(members, bases, strict=True)}
    return {}
