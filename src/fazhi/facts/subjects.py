"""The subject of a fact: the phrase its number measures, cut out of the clause around it.

Chinese reports put a number either after what it counts (``化解各类矛盾纠纷17.5万件``: the subject
is on the left) or before a noun (``推动汇聚210个业务系统数据``: verb on the left, noun on the right).
The words trimmed from either end are in ``data/subjects.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_tsv, load_yaml
from .units import alternation

# Characters that separate the items of a list inside a clause, and the conjunctions that may.
LIST_SEPARATORS = "、"
CONJUNCTIONS = "和及与"
OPEN_BRACKETS = "(（"
CLOSE_BRACKETS = ")）"
_LIST_MARK = re.compile(f"[{LIST_SEPARATORS}{CONJUNCTIONS}{re.escape(OPEN_BRACKETS + CLOSE_BRACKETS)}]")
# Characters after a number that end its phrase (the number follows what it counts).
PHRASE_END = set("，,、；;。：:！!？?\n)）")


@dataclass(frozen=True)
class SubjectRules:
    lead: re.Pattern[str]
    trail: re.Pattern[str]  # one trailing word, the longest first
    trail_keep: tuple[str, ...]  # words whose last character is a trailing word: 行为, 审计, 公共
    level_trail: re.Pattern[str]  # a change verb and its level marker at the end: 提高到, 压缩至
    lead_pattern: re.Pattern[str]
    rank_verbs: re.Pattern[str]
    rank_scope_lead: re.Pattern[str]
    rank_scope_trail: re.Pattern[str]
    rank_noun: str
    rank_peer: re.Pattern[str]
    examples: re.Pattern[str]
    yoy: re.Pattern[str]
    from_marker: re.Pattern[str]
    comparison_lead: re.Pattern[str]
    to_marker: re.Pattern[str]
    level_markers: str
    max_len: int
    max_verb_len: int
    max_cue_distance: int


@lru_cache(maxsize=1)
def rules() -> SubjectRules:
    d = load_yaml("subjects.yaml")
    return SubjectRules(
        lead=re.compile(f"^(?:{alternation(d['lead'])})+"),
        trail=re.compile(f"(?:{alternation(d['trail'])})$"),
        trail_keep=tuple(d["trail_keep"]),
        level_trail=re.compile(
            f"(?:{alternation([r['cue'] for r in load_tsv('changes.tsv') if r['when'] != 'after_yoy'])})[{re.escape(''.join(d['level_markers']))}]$"
        ),
        lead_pattern=re.compile(d["lead_pattern"]),
        rank_verbs=re.compile(alternation(d["rank_verbs"])),
        rank_scope_lead=re.compile(f"^(?:{alternation(d['rank_scope_lead'])})"),
        rank_scope_trail=re.compile(f"(?:{alternation(d['rank_scope_trail'])})$"),
        rank_noun=d["rank_noun"],
        rank_peer=re.compile(d["rank_peer_pattern"]),
        examples=re.compile(d["examples_pattern"]),
        yoy=re.compile(alternation(d["yoy"])),
        from_marker=re.compile(d["from_marker"]),
        comparison_lead=re.compile(d["comparison_lead"]),
        to_marker=re.compile(d["to_marker"]),
        level_markers="".join(d["level_markers"]),
        max_len=int(d["max_len"]),
        max_verb_len=int(d["max_verb_len"]),
        max_cue_distance=int(d["max_cue_distance"]),
    )


_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = "、，,；;：: \u3000"


@lru_cache(maxsize=8192)
def clean(phrase: str) -> str:
    """Trim time frames, connectives and copulas from both ends of a phrase, and a change verb that
    leads to a level (分值权重提高到 5%: the subject is 分值权重, the number its new level)."""
    r = rules()
    s = _SPACES.sub("", phrase).strip(_EDGE_PUNCT)
    s = r.examples.sub("", s)
    for _ in range(3):
        before = s
        s = r.lead_pattern.sub("", s)
        s = r.lead.sub("", s).strip(_EDGE_PUNCT)
        s = r.level_trail.sub("", s)
        s = _strip_trail(s, r)
        if s == before:
            break
    s = _balance(s)
    if len(s) > r.max_len:
        s = s[-r.max_len :]
    return s


def _strip_trail(s: str, r: SubjectRules) -> str:
    """Copulas and adverbs off the end, one word at a time, never the end of a word that ends like one
    (执法行为 keeps its 为, 内部审计 its 计)."""
    while not s.endswith(r.trail_keep) and (m := r.trail.search(s)):
        s = s[: m.start()].strip(_EDGE_PUNCT)
    return s


_BRACKETS = re.compile("[()（）“”《》]")


def _balance(s: str) -> str:
    """Drop an unmatched bracket or quote left at either end by the cut."""
    if not _BRACKETS.search(s):
        return s
    pairs = ("()", "（）", "“”", "《》")
    for o, c in pairs:
        if s.count(o) > s.count(c) and s.endswith(o):
            s = s[:-1]
        if s.count(c) > s.count(o) and s.startswith(c):
            s = s[1:]
        if s.count(o) > s.count(c):
            i = s.rfind(o)
            if i == 0:
                s = s[1:]
        if s.count(c) > s.count(o):
            i = s.find(c)
            if i == len(s) - 1:
                s = s[:-1]
    return s


@lru_cache(maxsize=4096)
def rank_subject(left: str, previous: str | None) -> str:
    """Subject of a rank from the clause before it: 城市综合信用指数保持全国第一 -> 城市综合信用指数."""
    r = rules()
    matches = list(r.rank_verbs.finditer(left))
    head = left[: matches[-1].start()] if matches else left
    head = clean(head)
    if r.rank_scope_lead.match(head):
        # 在…中 names the ranking (在公共服务质量监测结果中); 在 + a peer group (在各县市(区)) does not
        inner = r.rank_scope_lead.sub("", head)
        head = r.rank_scope_trail.sub("", inner) if r.rank_scope_trail.search(inner) else ""
    head = clean(r.rank_peer.sub("", clean(head)))
    if head:
        return head
    if previous:
        return previous + r.rank_noun
    return clean(left)


def list_separators(text: str, start: int, end: int) -> list[int]:
    """Offsets of 、 and of the conjunctions 和/及/与 in text[start:end] that stand outside brackets
    (县（市、区） is one item)."""
    out: list[int] = []
    depth = 0
    for m in _LIST_MARK.finditer(text, start, end):
        ch = m.group()
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(m.start())
    return out


@lru_cache(maxsize=4096)
def verb_part(left: str) -> str:
    """The verb phrase before a number that precedes its noun: the last list item, kept short; none
    when the number is a list item of its own after a conjunction (对7个县（市、区）和12个部门)."""
    r = rules()
    if left.rstrip().endswith(tuple(CONJUNCTIONS)):
        return ""
    seps = [k for k in list_separators(left, 0, len(left)) if left[k] in LIST_SEPARATORS]
    seg = clean(left[seps[-1] + 1 :] if seps else left)
    if seg.endswith("等"):
        return ""  # X、Y等19个重点项目: the enumeration is not the subject
    if len(seg) > r.max_verb_len:
        return ""
    return seg
