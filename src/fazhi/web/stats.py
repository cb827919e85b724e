"""Aggregates over every stored report, kept a while (``WebSettings.stats_ttl``): the overview's
ranking, score distribution, counts by level and year and area coverage, and the indicator comparisons.

An upload clears them at once, and so does any change in the number of stored reports (``fazhi
ingest`` in another process); a report reprocessed in place shows within the time-to-live.
"""

from __future__ import annotations

import heapq
import statistics
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import labels
from .queries import area_coverage

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


def SCORE_ORDER(r: Any) -> tuple[bool, float, int]:  # noqa: N802 - a sort key, used like a constant
    return (r.score is None, -(r.score or 0.0), r.id)


def by_score(rows: list[Any]) -> list[Any]:
    """Reports best score first (ties: first stored first), those without a score last."""
    return sorted(rows, key=SCORE_ORDER)


def _bin(score: float) -> int:
    return min(int(score // (100 / BINS)), BINS - 1)


def bin_label(i: int) -> str:
    step = 100 // BINS
    return f"{i * step}-{(i + 1) * step}"


def compute(
    summaries: list[Any], coverage: dict[str, tuple[int, int]], year: int | None, ranking_size: int
) -> Overview:
    """Aggregates of ``summaries`` (every report; one pass); ``coverage`` maps area -> (reports, facts)."""
    years: Counter[int] = Counter()
    per_year: dict[int, list[float]] = defaultdict(list)
    dist: list[dict[str, Any]] = [{"bin": bin_label(i)} for i in range(BINS)]
    by_level: Counter[str] = Counter()
    scored, places = [], set()
    n = n_facts = timely = timely_known = 0
    for r in summaries:
        if r.year is not None:
            years[r.year] += 1
            if r.score is not None:
                per_year[r.year].append(r.score)
        if year is not None and r.year != year:
            continue
        n += 1
        n_facts += r.n_facts or 0
        places.add(r.admin_code or r.jurisdiction or r.author)
        by_level[r.level or "unknown"] += 1
        if r.timely is not None:
            timely_known += 1
            timely += bool(r.timely)
        if r.score is not None:
            scored.append(r)
            row = dist[_bin(r.score)]
            row[r.level or "unknown"] = row.get(r.level or "unknown", 0) + 1
    scores = [r.score for r in scored]
    return Overview(
        year=year,
        n_reports=n,
        n_places=len(places),
        n_facts=n_facts,
        years=sorted(years.items(), reverse=True),
        mean_score=round(statistics.fmean(scores), 1) if scores else None,
        median_score=round(statistics.median(scores), 1) if scores else None,
        timely=timely,
        timely_known=timely_known,
        ranking=heapq.nsmallest(ranking_size, scored, key=SCORE_ORDER),
        distribution=dist,
        by_level=dict(by_level.most_common()),
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


class StatsCache:
    """Aggregates over every stored report (the summaries, the overview of each year, the comparison
    of each indicator and filter), kept together for ``ttl`` seconds, until ``clear()`` or until the
    number of stored reports changes, so that they always come from one reading of the store."""

    MAX_ENTRIES = 256  # least recently used aggregates beyond this are dropped

    def __init__(self, store: Any, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._lock = threading.Lock()
        self._generation = 0
        self._born = time.monotonic()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, threading.Event] = {}
        self._count: int | None = None  # stored reports when the kept aggregates were computed

    def clear(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._entries.clear()
        self._generation += 1
        self._born = time.monotonic()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The aggregate under ``key``, computed (outside the lock, once however many ask at the same
        time) when it is not kept."""
        count = self.store.count_reports() if self.store is not None else None
        while True:
            with self._lock:
                if time.monotonic() - self._born > self.ttl or count != self._count:
                    self._clear()
                    self._count = count
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key]
                pending = self._pending.get(key)
                if pending is None:
                    done = self._pending[key] = threading.Event()
                    generation = self._generation
                    break
            pending.wait()  # another request is computing it: take its result
        try:
            value = compute()
            with self._lock:
                if generation == self._generation:  # not cleared meanwhile: the value is current
                    self._entries[key] = value
                    while len(self._entries) > self.MAX_ENTRIES:
                        self._entries.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._pending[key]
            done.set()

    def summaries(self) -> list[Any]:
        """Every stored report's summary, in the store's order."""
        return self.get("summaries", self.store.reports)

    def index(self, needed: Iterable[int] = ()) -> dict[int, Any]:
        """Report id -> summary; when a needed id is missing (stored since), everything is read again,
        once."""

        def build() -> dict[int, Any]:
            return {r.id: r for r in self.summaries()}

        index = self.get("index", build)
        if any(rid not in index for rid in needed):
            self.clear()
            index = self.get("index", build)
        return index

    def overview(self, year: int | None, ranking_size: int) -> Overview:
        return self.get(
            ("overview", year, ranking_size),
            lambda: compute(self.summaries(), area_coverage(self.store, year), year, ranking_size),
        )

    def warm(self, ranking_size: int) -> None:
        """Compute the overview of every year and of each year ahead of the first visits."""
        overview = self.overview(None, ranking_size)
        for year, _n in overview.years:
            self.overview(year, ranking_size)
