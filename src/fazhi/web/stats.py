"""The overview's aggregates over every stored report, computed from the store's summaries and kept a
while (``WebSettings.stats_ttl``): ranking, score distribution, counts by level and year, area coverage.

An upload clears them at once; reports added by another process (``fazhi ingest``) show up within the
time-to-live.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import labels

BINS = 10  # score distribution: 0-10, 10-20, ..., 90-100


@dataclass
class Overview:
    year: int | None  # None: every year
    n_reports: int
    n_places: int
    years: list[tuple[int, int]]  # (year, reports) of every year, newest first (not only the chosen one)
    mean_score: float | None
    median_score: float | None
    timely: int  # published in time
    timely_known: int  # with a known publication date
    ranking: list[Any]  # ReportSummary, best first
    distribution: list[dict[str, Any]]  # {"bin": "60-70", "level": count, ...}
    by_level: dict[str, int]
    by_year: list[dict[str, Any]]  # {"year", "reports", "mean_score"}
    coverage: list[dict[str, Any]]  # {"area", "name", "reports", "share", "facts"}
    n_facts: int = 0
    computed_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "n_reports": self.n_reports,
            "n_places": self.n_places,
            "n_facts": self.n_facts,
            "years": [{"year": y, "reports": n} for y, n in self.years],
            "mean_score": self.mean_score,
            "median_score": self.median_score,
            "timely": self.timely,
            "timely_known": self.timely_known,
            "ranking": [_summary(r) for r in self.ranking],
            "distribution": self.distribution,
            "by_level": self.by_level,
            "by_year": self.by_year,
            "coverage": self.coverage,
        }


def _summary(r: Any) -> dict[str, Any]:
    keys = ("id", "doc", "title", "jurisdiction", "admin_code", "level", "year", "score", "timely", "n_facts")
    return {k: getattr(r, k, None) for k in keys}


def _bin(score: float) -> int:
    return min(int(score // (100 / BINS)), BINS - 1)


def bin_label(i: int) -> str:
    step = 100 // BINS
    return f"{i * step}-{(i + 1) * step}"


def compute(
    summaries: list[Any], coverage: dict[str, tuple[int, int]], year: int | None, ranking_size: int
) -> Overview:
    """Aggregates of ``summaries`` (every report); ``coverage`` maps area -> (reports, facts)."""
    years = Counter(r.year for r in summaries if r.year is not None)
    chosen = [r for r in summaries if year is None or r.year == year]
    scored = [r for r in chosen if r.score is not None]
    scores = [r.score for r in scored]
    dist: list[dict[str, Any]] = [{"bin": bin_label(i)} for i in range(BINS)]
    for r in scored:
        row = dist[_bin(r.score)]
        key = r.level or "unknown"
        row[key] = row.get(key, 0) + 1
    per_year: dict[int, list[float]] = defaultdict(list)
    for r in summaries:
        if r.year is not None and r.score is not None:
            per_year[r.year].append(r.score)
    n = len(chosen)
    return Overview(
        year=year,
        n_reports=n,
        n_places=len({r.admin_code or r.jurisdiction or r.author for r in chosen}),
        n_facts=sum(r.n_facts or 0 for r in chosen),
        years=sorted(years.items(), reverse=True),
        mean_score=round(statistics.fmean(scores), 1) if scores else None,
        median_score=round(statistics.median(scores), 1) if scores else None,
        timely=sum(1 for r in chosen if r.timely),
        timely_known=sum(1 for r in chosen if r.timely is not None),
        ranking=sorted(scored, key=lambda r: (-r.score, r.jurisdiction or "", r.id))[:ranking_size],
        distribution=dist,
        by_level=dict(Counter(r.level or "unknown" for r in chosen).most_common()),
        by_year=[
            {
                "year": y,
                "reports": years[y],
                "mean_score": round(statistics.fmean(per_year[y]), 1) if per_year[y] else None,
            }
            for y in sorted(years)
        ],
        coverage=[
            {
                "area": a,
                "name": labels.area_name(a),
                "reports": coverage.get(a, (0, 0))[0],
                "share": round(coverage.get(a, (0, 0))[0] / n, 3) if n else 0.0,
                "facts": coverage.get(a, (0, 0))[1],
            }
            for a in labels.area_ids()
            if a != "other"
        ],
    )


def area_coverage(store: Any, year: int | None) -> dict[str, tuple[int, int]]:
    """area -> (reports with at least one fact in it, facts in it)."""
    out: dict[str, tuple[int, int]] = {}
    for area in labels.area_ids():
        rows = store.facts(area=area, year=year)
        out[area] = (len({summary.id for summary, _fact in rows}), len(rows))
    return out


class StatsCache:
    """Overview per year (and for all years), recomputed after ``ttl`` seconds or ``clear()``."""

    def __init__(self, store: Any, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._lock = threading.Lock()
        self._summaries: tuple[float, list[Any]] | None = None
        self._overviews: dict[tuple[int | None, int], Overview] = {}

    def clear(self) -> None:
        with self._lock:
            self._summaries = None
            self._overviews.clear()

    def summaries(self) -> list[Any]:
        """Every stored report's summary (cached)."""
        with self._lock:
            now = time.time()
            if self._summaries is None or now - self._summaries[0] > self.ttl:
                self._summaries = (now, self.store.reports())
                self._overviews.clear()
            return self._summaries[1]

    def overview(self, year: int | None, ranking_size: int) -> Overview:
        summaries = self.summaries()
        key = (year, ranking_size)
        with self._lock:
            cached = self._overviews.get(key)
        if cached is not None:
            return cached
        result = compute(summaries, area_coverage(self.store, year), year, ranking_size)
        with self._lock:
            self._overviews[key] = result
        return result

    def by_score(self, place: str | None, level: str | None, year: int | None) -> list[Any]:
        """Summaries that pass the filters, best score first (reports without a score last)."""
        rows = [
            r
            for r in self.summaries()
            if (not level or r.level == level)
            and (year is None or r.year == year)
            and (not place or place in (r.jurisdiction, r.author, r.admin_code))
        ]
        return sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.id))
