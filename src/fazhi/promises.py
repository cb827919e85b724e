"""Promises: the next-year plan of one report checked against the same place's report of that year.

Each plan item (a commitment clause of the plan part, as counted by the assessment's ``commitments``
signal) is matched against every sentence of the later report by weighted character bigrams. Stock
verbs (推进, 加强, 深入…) are dropped first; a bigram's weight is its rarity across the sentences of
both reports (inverse document frequency), so words every report uses (法治, 建设) count for little
and names such as 行政执法监督办法 for much. The
item's ``similarity`` to a sentence is the weight of its bigrams found there over the weight of all
its bigrams. The best sentence decides:

* ``followed_up`` — similarity at least ``FOLLOWED_UP_MIN`` and the sentence reports work done: it is
  in an achievements or first-responsibility part and carries a fact or a verb of completion
  (``done`` in data/assessment_cues.yaml);
* ``mentioned`` — similarity at least ``MENTIONED_MIN`` (the topic comes back, e.g. only in the plan
  again, or not as work done);
* ``not_found`` — below that.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .assessment.elements import find_parts, signal_counts
from .assessment.view import View, cues
from .models import Document, Evidence, Span

FOLLOWED_UP_MIN = 0.5  # share of an item's bigram weight found in the passage
MENTIONED_MIN = 0.3
MIN_ITEM_BIGRAMS = 3  # an item with fewer bigrams left after stock words is too generic to check
WORK_DONE = ("achievements", "principal_duty")

STATUS_LABELS = {"followed_up": "已落实", "mentioned": "仅提及", "not_found": "未见"}

_HAN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass
class Promise:
    item: Evidence  # the plan item, quoted from the earlier report
    status: str  # followed_up / mentioned / not_found
    similarity: float
    match: Evidence | None = None  # the best passage of the later report
    match_element: str | None = None  # the element of the part the passage is in

    def to_dict(self) -> dict:
        return {
            "item": self.item.to_dict(),
            "status": self.status,
            "similarity": self.similarity,
            "match": self.match.to_dict() if self.match else None,
            "match_element": self.match_element,
        }


@lru_cache(maxsize=1)
def _stock() -> re.Pattern[str]:
    words = sorted(set(cues()["stock_words"]), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def bigrams(text: str) -> set[str]:
    """Character bigrams of the Chinese runs of a text; punctuation, numbers and stock words
    (``stock_words`` in data/assessment_cues.yaml: 推进, 加强, 深入…) break runs."""
    out: set[str] = set()
    for run in _HAN.findall(_stock().sub(" ", text)):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def plan_items(doc: Document) -> list[Evidence]:
    """The commitment clauses of a report's plan part that are specific enough to check (at least
    ``MIN_ITEM_BIGRAMS`` bigrams beyond stock words); empty when it has no plan."""
    view = View(doc)
    part = find_parts(view).get("plan")
    if part is None:
        return []
    items = signal_counts(view, part)["commitments"].evidence
    return [e for e in items if len(bigrams(e.quote)) >= MIN_ITEM_BIGRAMS]


@lru_cache(maxsize=1)
def _done():
    return re.compile(cues()["done"])


def _element_at(view: View, parts: dict, offset: int) -> str | None:
    """The element of the part an offset is in (a heading belongs to its section's element)."""
    for el in ("shortcomings", "plan", "principal_duty", "other", "achievements"):
        part = parts.get(el)
        if part and any(s.start <= offset < s.end for s in part.spans):
            return el
    top = view.top_at(offset)
    return top.element if top else None


def follow_up(prev: Document, next: Document) -> list[Promise]:  # noqa: A002 - the brief's name
    """Each plan item of ``prev`` with its status in ``next`` (the same place's following report)."""
    items = plan_items(prev)
    if not items:
        return []
    nview = View(next)
    nparts = find_parts(nview)
    passages: list[Span] = [s for s in nview.sentences if len(bigrams(next.text[s.start : s.end])) >= 2]
    pgrams = [bigrams(next.text[s.start : s.end]) for s in passages]
    # inverse document frequency over the sentences of both reports
    pview = View(prev)
    background = pgrams + [bigrams(prev.text[s.start : s.end]) for s in pview.sentences]
    df: Counter[str] = Counter()
    for g in background:
        df.update(g)
    n = len(background)

    def weight(b: str) -> float:
        return math.log((n + 1) / (df[b] + 1)) + 0.1

    done = _done()

    def work_done(k: int) -> tuple[bool, str | None]:
        span = passages[k]
        element = _element_at(nview, nparts, span.start)
        text = next.text[span.start : span.end]
        return element in WORK_DONE and (bool(nview.facts_in([span])) or bool(done.search(text))), element

    out: list[Promise] = []
    for item in items:
        grams = bigrams(item.quote)
        total = sum(weight(b) for b in grams)
        sims = []
        for k, g in enumerate(pgrams):
            shared = grams & g
            if shared:
                sims.append((round(sum(weight(b) for b in shared) / total, 3), k))
        best = max((s for s, _ in sims), default=0.0)
        if best < MENTIONED_MIN:
            out.append(Promise(item, "not_found", best))
            continue
        # among the most similar passages, one that reports work done first, then the earliest
        checked = [(k, *work_done(k)) for s, k in sims if s == best]
        k, is_done, element = ([c for c in checked if c[1]] or checked)[0]
        span = passages[k]
        status = "followed_up" if best >= FOLLOWED_UP_MIN and is_done else "mentioned"
        out.append(Promise(item, status, best, nview.quote(span.start, span.end), element))
    return out
