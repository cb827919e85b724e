"""Framework areas: which of the ten chapters of the national outline (plus ``other``) a text covers.

The cues and their weights are in ``data/areas.yaml``. ``classify`` scores any text; ``assign`` fills
``Section.areas`` for every section of a document and ``Fact.area`` for every fact: a fact takes the
area its own sentence points to, weighed against the area of the section it sits in.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

import ahocorasick_rs

from .models import AREAS, Document, Section
from .resources import load_yaml

# A heading's cues count this many times a body's.
HEADING_WEIGHT = 3.0
# An area is listed for a text when its score reaches this share of the best area's score ...
RELATIVE_CUTOFF = 0.25
# ... and at least this score.
MIN_SCORE = 2.0
# How much the section around a fact weighs against the fact's own sentence (in cue-weight units:
# the section's best area gets this much added to the sentence's score for it).
SECTION_PRIOR = 4.0
# A parent section's heading counts this much of the innermost one's.
PARENT_SHARE = 0.5
# Below this score a sentence says nothing about its area and the section decides alone.
LOCAL_MIN = 1.5
OTHER = "other"
# Position of each area in ``AREAS``: it breaks ties.
AREA_ORDER = {a: i for i, a in enumerate(AREAS)}
# The end of a paragraph's lead sentence (``AreaContext._paragraph_prior``).
LEAD_SENTENCE_END = re.compile(r"[。；;:：]")


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    chapters: tuple[str, ...]
    chapters_2015: tuple[str, ...]
    cues: tuple[tuple[str, float], ...]


@lru_cache(maxsize=1)
def area_table() -> tuple[Area, ...]:
    out = []
    for d in load_yaml("areas.yaml")["areas"]:
        out.append(
            Area(
                id=d["id"],
                name=d["name"],
                chapters=tuple(d.get("chapters") or ()),
                chapters_2015=tuple(d.get("chapters_2015") or ()),
                cues=tuple((str(k), float(v)) for k, v in (d.get("cues") or {}).items()),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def item_lead_re() -> re.Pattern[str]:
    return re.compile(load_yaml("areas.yaml")["item_lead_pattern"])


# An item lead pattern that starts like this can only match at the start of the text or right after
# one of the characters of the class: only those places are tried (``item_leads``).
_LEAD_ANCHOR = re.compile(r"\(\?:\^\|\(\?<=(\[[^\]]*\])\)\)")


@dataclass(frozen=True)
class LeadSearch:
    """How ``item_leads`` finds the matches of the item lead pattern without trying it everywhere."""

    anchor: str  # the characters a lead follows (it may also start the text)
    body: re.Pattern[str]  # the pattern without its anchor
    starts: frozenset[str] | None  # the characters a lead begins with, if the data names them


@lru_cache(maxsize=1)
def _lead_search() -> LeadSearch | None:
    """None when the pattern does not start with a plain anchor (then every place is tried)."""
    m = _LEAD_ANCHOR.match(item_lead_re().pattern)
    if m is None:
        return None
    anchor = m.group(1)[1:-1]
    if any(c in anchor for c in "\\-^[]"):
        return None
    starts = load_yaml("areas.yaml").get("item_lead_starts")
    body = re.compile(item_lead_re().pattern[m.end() :])
    return LeadSearch(anchor, body, frozenset(starts) if starts else None)


def item_leads(text: str) -> list[re.Match[str]]:
    """The matches of ``item_lead_re`` in ``text``, as ``finditer`` gives them."""
    from .facts.extract import char_positions  # the facts stage imports this module late

    search = _lead_search()
    if search is None:
        return list(item_lead_re().finditer(text))
    n = len(text)
    places = [0, *(p + 1 for p in char_positions(text, search.anchor))]
    if places[-1] == n:
        places.pop()
    if search.starts is not None:
        places = list(compress(places, map(search.starts.__contains__, map(text.__getitem__, places))))
    out = []
    end = 0
    match = search.body.match
    for pos in places:
        if pos < end:
            continue
        m = match(text, pos)
        if m is None:
            continue
        if m.end() == pos:  # an empty match: finditer's rules for those are subtle, let it decide
            return list(item_lead_re().finditer(text))
        out.append(m)
        end = m.end()
    return out


@lru_cache(maxsize=1)
def _cue_index() -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[tuple[str, float], ...]]]:
    """An Aho-Corasick automaton of every cue (leftmost longest, as a reader takes 法治政府建设 over
    法治政府) and, by the cue's number, the areas and weights it gives."""
    by_cue: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for area in area_table():
        for cue, w in area.cues:
            by_cue[cue].append((area.id, w))
    cues = list(by_cue)
    automaton = ahocorasick_rs.AhoCorasick(cues, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return automaton, [tuple(by_cue[c]) for c in cues]


def scores(text: str, start: int = 0, end: int | None = None) -> dict[str, float]:
    """Cue score of every area found in text[start:end]."""
    automaton, weights = _cue_index()
    out: dict[str, float] = defaultdict(float)
    for i, _, _ in automaton.find_matches_as_indexes(text[start:end]):
        for area, w in weights[i]:
            out[area] += w
    return dict(out)


def ranked(score: dict[str, float], cutoff: float = RELATIVE_CUTOFF, minimum: float = MIN_SCORE) -> list[str]:
    if not score:
        return []
    floor = max(minimum, cutoff * max(score.values()))
    order = sorted(score, key=lambda a: (-score[a], AREA_ORDER[a]))
    return [a for a in order if score[a] >= floor]


def classify(text: str) -> list[str]:
    """Area ids ``text`` covers, most important first; ``["other"]`` when no cue is found."""
    return ranked(scores(text)) or [OTHER]


def _add(into: dict[str, float], score: dict[str, float], factor: float) -> None:
    for a, v in score.items():
        into[a] = into.get(a, 0.0) + factor * v


def _best(score: dict[str, float]) -> str:
    """The area with the highest score, the first in ``AREAS`` among equals; ``other`` for none."""
    if not score:
        return OTHER
    top = max(score.values())
    return min((a for a, v in score.items() if v == top), key=AREA_ORDER.__getitem__)


def _normalised(score: dict[str, float]) -> dict[str, float]:
    top = max(score.values(), default=0.0)
    return {a: v / top for a, v in score.items()} if top > 0 else {}


class CueIndex:
    """Every cue of a text found once, in text order (they do not overlap); the score of a span is
    the sum of the cues inside it. Cue weights are multiples of 0.5, so every sum is exact and the
    order of adding does not matter."""

    def __init__(self, text: str):
        automaton, weights = _cue_index()
        found = automaton.find_matches_as_indexes(text)  # (cue, start, end), character offsets
        self.starts: list[int] = [s for _, s, _ in found]
        self.ends: list[int] = [e for _, _, e in found]
        self.weights = [weights[i] for i, _, _ in found]

    def scores(self, start: int, end: int) -> dict[str, float]:
        i = bisect_left(self.starts, start)
        j = bisect_right(self.ends, end)
        out: dict[str, float] = {}
        if j > i:
            get = out.get
            for cue in self.weights[i:j]:
                for a, w in cue:
                    out[a] = get(a, 0.0) + w
        return out

    def in_order_of_appearance(self, areas: list[str], start: int, end: int) -> list[str]:
        """``areas`` ordered by the first cue of each in text[start:end] (areas without one last,
        in the order given)."""
        wanted = set(areas)
        first: dict[str, int] = {}
        i = bisect_left(self.starts, start)
        while i < len(self.starts) and self.ends[i] <= end and len(first) < len(wanted):
            for a, _ in self.weights[i]:
                if a in wanted:
                    first.setdefault(a, i)
            i += 1
        return sorted(areas, key=lambda a: first.get(a, len(self.starts)))


class AreaContext:
    """Area scores of one text's sections, computed once and shared by all its facts."""

    def __init__(self, text: str, sections: list[Section] | None):
        self.text = text
        self.cues = CueIndex(text)
        self.sections = sorted(sections or [], key=lambda s: (s.start, s.depth))
        self._prior: dict[int, dict[str, float]] = {}
        self._para: dict[int, dict[str, float]] = {}
        self._lead: dict[int, dict[str, float]] = {}
        self._mixed: dict[tuple[int, int], dict[str, float]] = {}
        self._fact: dict[tuple[int, int], str] = {}
        self._prior_best: dict[int, str] = {}
        self._leads: list[re.Match[str]] | None = None  # found when a fact first asks
        self._lead_starts: list[int] = []
        # the section starts and ends cut the text into pieces that lie in the same sections
        self._cuts = sorted({s.start for s in self.sections} | {s.end for s in self.sections})
        self._chains: dict[int, list[Section]] = {}
        self._piece_prior: dict[int, dict[str, float]] = {}  # piece -> prior, when sections hold it

    def _heading_scores(self, s: Section) -> tuple[dict[str, float], int]:
        """Cue scores of a section's heading, and where its body starts."""
        body = min(s.heading_end or (s.start + len(s.heading)), s.end)
        return self.cues.scores(s.start, body), body

    def section_scores(self, s: Section) -> dict[str, float]:
        """Heading cues (weighted) plus body cues of a section."""
        head, body = self._heading_scores(s)
        out = {a: v * HEADING_WEIGHT for a, v in head.items()}
        _add(out, self.cues.scores(body, s.end), 1.0)
        return out

    def section_areas(self, s: Section) -> list[str]:
        """The areas a section covers, most important first. A heading that names areas (依法行政
        决策…) ranks them by score; a heading that names none (存在的问题, 2024年工作安排) says
        nothing of importance, and its areas come in the order its body takes them up, which is the
        order the report gives them. No cap on how many: a part that reviews the whole outline (主要
        举措和成效, 下一步工作安排) covers every area that scores."""
        head, body = self._heading_scores(s)
        listed = ranked(self.section_scores(s))
        if len(listed) > 1 and not head:
            listed = self.cues.in_order_of_appearance(listed, body, s.end)
        return listed or [OTHER]

    def _enclosing(self, pos: int) -> list[Section]:
        """Sections containing ``pos``, innermost first."""
        piece = bisect_right(self._cuts, pos)
        found = self._chains.get(piece)
        if found is None:
            found = [s for s in self.sections if s.start <= pos < s.end]
            found = self._chains[piece] = sorted(found, key=lambda s: -s.depth)
        return found

    def prior(self, pos: int) -> dict[str, float]:
        """Normalised area weights of the context of ``pos``: the lead phrase of its enumerated item
        (三是坚持数据赋能提升效率), then the headings of the sections around it, innermost first."""
        base = self._section_prior(pos)
        lead = self._item_lead(pos)
        if not lead:
            return base
        key = (id(base), id(lead))  # both live in this context's caches
        out = self._mixed.get(key)
        if out is None:
            out = dict(lead)
            _add(out, base, PARENT_SHARE)
            out = self._mixed[key] = _normalised(out)
        return out

    def _item_lead(self, pos: int) -> dict[str, float]:
        """Scores of the lead phrase of the enumerated item ``pos`` is in (same paragraph), if any."""
        if self._leads is None:
            self._leads = item_leads(self.text)
            self._lead_starts = [m.start() for m in self._leads]
        i = bisect_right(self._lead_starts, pos) - 1
        if i < 0:
            return {}
        last = self._leads[i]
        key = last.start()
        if self.text.find("\n", key, pos) != -1:
            return {}
        if key not in self._lead:
            self._lead[key] = _normalised(self.cues.scores(key, last.end()))
        return self._lead[key]

    def _section_prior(self, pos: int) -> dict[str, float]:
        piece = bisect_right(self._cuts, pos)
        out = self._piece_prior.get(piece)
        if out is not None:
            return out
        chain = self._enclosing(pos)
        if chain:
            out = self._piece_prior[piece] = self._chain_prior(chain)
            return out
        return self._paragraph_prior(pos)

    def _chain_prior(self, chain: list[Section]) -> dict[str, float]:
        key = id(chain[0])
        if key in self._prior:
            return self._prior[key]
        out: dict[str, float] = {}
        share = 1.0
        for s in chain:
            head_end = s.heading_end or (s.start + len(s.heading))
            head = self.cues.scores(s.start, min(head_end, s.end))
            _add(out, _normalised(head), share)
            share *= PARENT_SHARE
        if not out:  # headings without cues (主要工作成效): fall back on the innermost body
            out = _normalised(self.cues.scores(chain[0].start, chain[0].end))
        out = _normalised(out)
        self._prior[key] = out
        return out

    def _paragraph_prior(self, pos: int) -> dict[str, float]:
        """Without sections: the paragraph's lead sentence (often a bold heading) and the paragraph."""
        start = self.text.rfind("\n", 0, pos) + 1
        if start in self._para:
            return self._para[start]
        end = self.text.find("\n", pos)
        end = len(self.text) if end == -1 else end
        m = LEAD_SENTENCE_END.search(self.text, start, end)
        lead_end = m.end() if m else end
        out = {a: v * HEADING_WEIGHT for a, v in self.cues.scores(start, lead_end).items()}
        _add(out, self.cues.scores(start, end), 1.0)
        out = _normalised(out)
        self._para[start] = out
        return out

    def fact_area(self, sent_start: int, sent_end: int) -> str:
        key = (sent_start, sent_end)
        area = self._fact.get(key)
        if area is None:
            area = self._fact[key] = self._fact_area(sent_start, sent_end)
        return area

    def _fact_area(self, sent_start: int, sent_end: int) -> str:
        cues = self.cues
        i = bisect_left(cues.starts, sent_start)
        j = bisect_right(cues.ends, sent_end)
        prior = self.prior(sent_start)
        if j > i:  # the sentence's own cues (cues.scores, inline: this runs for every sentence)
            total: dict[str, float] = {}
            get = total.get
            for cue in cues.weights[i:j]:
                for a, w in cue:
                    total[a] = get(a, 0.0) + w
            if sum(total.values()) >= LOCAL_MIN:
                _add(total, prior, SECTION_PRIOR)
                return _best(total)
        # below LOCAL_MIN the context decides alone: worked out once per context (they live in its caches)
        best = self._prior_best.get(id(prior))
        if best is None:
            total = {}
            _add(total, prior, SECTION_PRIOR)
            best = self._prior_best[id(prior)] = _best(total)
        return best


def _section_key(sections: list[Section] | None) -> tuple:
    return tuple((s.start, s.end, s.depth, s.heading_end, s.heading) for s in sections or ())


@lru_cache(maxsize=4)
def _cached_context(text: str, key: tuple) -> AreaContext:
    return AreaContext(text, [Section(None, h, d, st, en, heading_end=he) for st, en, d, he, h in key])


def context(text: str, sections: list[Section] | None) -> AreaContext:
    """The AreaContext of a text and its outline, shared by the facts stage and ``assign`` (a lazy
    cache of the last few texts: the pipeline asks for the same one twice)."""
    return _cached_context(text, _section_key(sections))


def fact_area(text: str, sent_start: int, sent_end: int, sections: list[Section] | None) -> str:
    """Area of the fact in the sentence text[sent_start:sent_end]."""
    return context(text, sections).fact_area(sent_start, sent_end)


def assign(doc: Document) -> None:
    """Fill ``Section.areas`` of every section (all depths) and ``Fact.area`` of every fact."""
    from .facts.extract import Bounds  # the facts stage owns sentence bounds

    ctx = context(doc.text, doc.sections)
    for s in doc.sections:
        s.areas = ctx.section_areas(s)
    if not doc.facts:
        return
    bounds = Bounds.of(doc.text)
    for f in doc.facts:
        ss, se = bounds.sentence(f.start)
        f.area = ctx.fact_area(ss, se)
