"""Comparison of several reports: key indicators side by side, rankings, areas, promises, reused text.

* **Indicators by place** (reports of the same year, one column per place) and **by year** (reports
  of the same place, one column per year): the first fact of each key indicator, with its sentence.
* **Rankings** per criterion of the framework, and of the total (ties share a rank).
* **Areas** over- or under-reported: each report's share of text per outline area against the
  group's mean share; ``over`` when at least ``OVER_RATIO`` times the mean, ``under`` when at most
  ``UNDER_RATIO`` times it, in both cases only when the gap is at least ``MIN_GAP``.
* **Promises** of each report checked against the same place's report of the following year.
* **Reused text** between all the reports (fazhi.reuse).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .assessment.catalogue import indicator_name, indicator_names
from .assessment.view import View, label
from .framework import OUTLINE_AREAS
from .models import Assessment, Document
from .promises import Promise, follow_up
from .reuse import DEFAULT_THRESHOLD, Reuse, find_reuse, place_of

OVER_RATIO = 1.5
UNDER_RATIO = 0.5
MIN_GAP = 0.03  # share of text


@dataclass
class Comparison:
    docs: list[dict[str, Any]] = field(default_factory=list)  # doc, place, year, score, framework
    by_place: list[dict[str, Any]] = field(default_factory=list)  # one table per year
    by_year: list[dict[str, Any]] = field(default_factory=list)  # one table per place
    rankings: list[dict[str, Any]] = field(default_factory=list)  # one per criterion (total first)
    areas: dict[str, Any] = field(default_factory=dict)  # mean shares and each report's over/under
    promises: list[dict[str, Any]] = field(default_factory=list)  # prev, next, items
    reuse: list[Reuse] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "by_place": self.by_place,
            "by_year": self.by_year,
            "rankings": self.rankings,
            "areas": self.areas,
            "promises": [
                {**p, "items": [i.to_dict() if isinstance(i, Promise) else i for i in p["items"]]}
                for p in self.promises
            ],
            "reuse": [r.to_dict() for r in self.reuse],
        }


def _cell(view: View, indicator: str) -> dict[str, Any] | None:
    facts = view.facts_of(indicator)
    if not facts:
        return None
    f = facts[0]
    return {
        "value": f.value,
        "unit": f.unit,
        "surface": f.surface,
        "subject": f.subject,
        "evidence": view.fact_evidence(f).to_dict(),
        "others": len(facts) - 1,
    }


def _table(views: list[View], columns: list[str]) -> dict[str, Any]:
    """Rows of key indicators reported by any of the reports, one column per report."""
    ids = list(indicator_names()) or sorted({f.indicator for v in views for f in v.facts if f.indicator})
    rows = []
    for ind in ids:
        cells = {v.doc.doc: _cell(v, ind) for v in views}
        if any(cells.values()):
            rows.append({"indicator": ind, "name": indicator_name(ind), "cells": cells})
    return {"columns": columns, "docs": [v.doc.doc for v in views], "rows": rows}


def _ranking(items: list[tuple[str, float]]) -> list[dict[str, Any]]:
    """Competition ranking (1, 2, 2, 4), best first; ties keep input order."""
    ordered = sorted(items, key=lambda x: -x[1])
    out = []
    for k, (doc, score) in enumerate(ordered):
        rank = out[-1]["rank"] if out and out[-1]["score"] == score else k + 1
        out.append({"doc": doc, "score": score, "rank": rank})
    return out


def area_shares(view: View) -> dict[str, float]:
    chars = {a: view.area_chars.get(a, 0.0) for a in OUTLINE_AREAS}
    total = sum(chars.values())
    return {a: (n / total if total else 0.0) for a, n in chars.items()}


def compare(
    docs: Sequence[Document],
    assessments: Sequence[Assessment],
    reuse_threshold: float = DEFAULT_THRESHOLD,
) -> Comparison:
    """Compare reports (and their assessments, in the same order)."""
    views = [View(d) for d in docs]
    out = Comparison()
    for d, a in zip(docs, assessments, strict=True):
        out.docs.append(
            {"doc": d.doc, "place": place_of(d), "year": d.year, "score": a.score, "framework": a.framework}
        )
    # 1. indicators by place (same year) and by year (same place)
    by_year_groups: dict[int | None, list[View]] = {}
    by_place_groups: dict[str, list[View]] = {}
    for v in views:
        by_year_groups.setdefault(v.doc.year, []).append(v)
        by_place_groups.setdefault(place_of(v.doc), []).append(v)
    for year, group in sorted(by_year_groups.items(), key=lambda kv: kv[0] or 0):
        if year is not None and len({place_of(v.doc) for v in group}) > 1:
            out.by_place.append({"year": year, **_table(group, [place_of(v.doc) for v in group])})
    for place, group in sorted(by_place_groups.items()):
        group = sorted(group, key=lambda v: v.doc.year or 0)
        if len({v.doc.year for v in group}) > 1:
            out.by_year.append({"place": place, **_table(group, [str(v.doc.year) for v in group])})
    # 2. rankings: total, then each criterion
    out.rankings.append(
        {
            "id": "total",
            "name": "总分",
            "max": 100.0,
            "ranking": _ranking([(a.doc, a.score) for a in assessments]),
        }
    )
    if assessments:
        for k, c in enumerate(assessments[0].criteria):
            scores = [(a.doc, a.criteria[k].score) for a in assessments if len(a.criteria) > k]
            out.rankings.append({"id": c.id, "name": c.name, "max": c.max, "ranking": _ranking(scores)})
    # 3. areas over- and under-reported relative to the group
    shares = {v.doc.doc: area_shares(v) for v in views}
    counted = [s for s in shares.values() if sum(s.values())]
    mean = {a: (sum(s[a] for s in counted) / len(counted) if counted else 0.0) for a in OUTLINE_AREAS}
    per_doc = {}
    for doc, s in shares.items():
        if not sum(s.values()):
            per_doc[doc] = {"shares": s, "over": [], "under": []}
            continue
        over = [a for a in OUTLINE_AREAS if s[a] - mean[a] >= MIN_GAP and s[a] >= OVER_RATIO * mean[a]]
        under = [a for a in OUTLINE_AREAS if mean[a] - s[a] >= MIN_GAP and s[a] <= UNDER_RATIO * mean[a]]
        per_doc[doc] = {"shares": s, "over": over, "under": under}
    out.areas = {"labels": {a: label("areas", a) for a in OUTLINE_AREAS}, "mean": mean, "docs": per_doc}
    # 4. promises: each report against the same place's report of the following year
    for group in by_place_groups.values():
        by_year = {v.doc.year: v.doc for v in group if v.doc.year}
        for year, prev in sorted(by_year.items()):
            nxt = by_year.get(year + 1)
            if nxt is not None:
                out.promises.append({"prev": prev.doc, "next": nxt.doc, "items": follow_up(prev, nxt)})
    # 5. reused text
    out.reuse = find_reuse(docs, reuse_threshold) if len(docs) > 1 else []
    return out
