"""Aggregates over every stored report, kept a while (``WebSettings.stats_ttl``): the overview's
ranking, score distribution, counts by level and year and area coverage, the indicator catalogue's
counts and the indicator comparisons.

An upload clears them at once, and so does any change in the number of stored reports (``fazhi
ingest`` in another process); a report reprocessed in place shows within the time-to-live.

What a change costs the next request: the ids of the stored reports, the figures of those new or
reprocessed since (``FiguresKept``) and their fact counts (``FactCountsKept``, from the store's
``fact_counts`` table: one short row per report); the overview and the catalogue add these up in one
pass over the reports. No aggregate reads every stored fact again. Each request reads the number of
stored reports once (``one_reading``) to tell whether what is kept is still current.
"""

from __future__ import annotations

import heapq
import statistics
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from .. import labels
from ..store.aggregates import FactCounts

BINS = 10  # score distribution: 0-10, 10-20, ..., 90-100

# The number of stored reports as one request read it (``one_reading``): a page asks for several
# aggregates, each checked against the store's count; they are checked against one count, read once.
_READING: ContextVar[dict[str, Any] | None] = ContextVar("fazhi_stats_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within this block (one request: the app wraps each in it), ``StatsCache`` reads the number of
    stored reports once, however many aggregates are asked for: one query, and one state of the store
    for all of them."""
    token = _READING.set({})
    try:
        yield
    finally:
        _READING.reset(token)


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


_YEAR, _SCORE, _LEVEL, _TIMELY, _N_FACTS = (
    attrgetter(c) for c in ("year", "score", "level", "timely", "n_facts")
)


def _place(r: Any) -> Any:
    """What counts as one place: its division code, else its name, else who wrote the report."""
    return r.admin_code or r.jurisdiction or r.author


def bin_label(i: int) -> str:
    step = 100 // BINS
    return f"{i * step}-{(i + 1) * step}"


def compute(
    figures: Iterable[Any],
    coverage: dict[str, tuple[int, int]],
    year: int | None,
    ranking_size: int,
    summaries: Callable[[list[int]], list[Any]],
) -> Overview:
    """Aggregates of ``figures`` (every report's ``ReportFigures``); ``coverage`` maps area -> (reports,
    facts); ``summaries`` gives the ranked reports' summaries from their ids. Column by column, each a
    pass in C where it can be (a change makes the next request compute this over every report)."""
    figures = figures if isinstance(figures, list) else list(figures)
    ys = list(map(_YEAR, figures))
    years = Counter(ys)
    years.pop(None, None)
    per_year: dict[int, list[float]] = defaultdict(list)
    for y, score in zip(ys, map(_SCORE, figures), strict=True):
        if y is not None and score is not None:
            per_year[y].append(score)
    rows = figures if year is None else [r for r, y in zip(figures, ys, strict=True) if y == year]
    n = len(rows)
    levels = [level or "unknown" for level in map(_LEVEL, rows)]
    on_time = [t for t in map(_TIMELY, rows) if t is not None]
    scored = [
        (score, r.id, level)
        for r, score, level in zip(rows, map(_SCORE, rows), levels, strict=True)
        if score is not None
    ]
    scores = [score for score, _rid, _level in scored]
    width, last = 100 / BINS, BINS - 1
    bins: list[dict[str, int]] = [{} for _ in range(BINS)]  # level -> reports, per score bin
    for (i, level), k in Counter((min(int(s // width), last), level) for s, _rid, level in scored).items():
        bins[i][level] = k
    ranked = heapq.nsmallest(ranking_size, [(-score, rid) for score, rid, _level in scored])  # SCORE_ORDER
    dist: list[dict[str, Any]] = [{"bin": bin_label(i), **bins[i]} for i in range(BINS)]
    return Overview(
        year=year,
        n_reports=n,
        n_places=len(set(map(_place, rows))),
        n_facts=sum(filter(None, map(_N_FACTS, rows))),
        years=sorted(years.items(), reverse=True),
        mean_score=round(statistics.fmean(scores), 1) if scores else None,
        median_score=round(statistics.median(scores), 1) if scores else None,
        timely=sum(map(bool, on_time)),
        timely_known=len(on_time),
        ranking=summaries([rid for _score, rid in ranked]),
        distribution=dist,
        by_level=dict(Counter(levels).most_common()),
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


class FiguresKept:
    """Every report's ``ReportFigures``, kept across store changes: after a change only the ids are
    read, then the figures of reports not known yet or processed after the newest one known (a
    report reprocessed in place shows at once, or at the latest at the next whole reading, every
    ``full_every`` seconds); reports no longer stored are dropped."""

    def __init__(self, store: Any, full_every: float) -> None:
        self.store = store
        self.full_every = full_every
        self._lock = threading.Lock()
        self._by_id: dict[int, Any] = {}
        self._newest: Any = None  # the latest processed_at read
        self._read_at = float("-inf")  # when everything was last read

    def current(self) -> list[Any]:
        with self._lock:
            if time.monotonic() - self._read_at > self.full_every:
                self._read_at = time.monotonic()
                fresh = self.store.report_figures()
                self._by_id = {r.id: r for r in fresh}
            else:
                ids = self.store.report_ids()
                missing = [rid for rid in ids if rid not in self._by_id]
                fresh = self.store.report_figures(missing, self._newest)
                if len(self._by_id) + len(missing) != len(ids):  # reports deleted since
                    kept = set(ids)
                    self._by_id = {rid: r for rid, r in self._by_id.items() if rid in kept}
                for r in fresh:
                    self._by_id[r.id] = r
            for r in fresh:
                if r.processed_at is not None and (self._newest is None or r.processed_at > self._newest):
                    self._newest = r.processed_at
            return list(self._by_id.values())


@dataclass
class Sums:
    """Sums of the reports' ``FactCounts``: by year, reports and facts in each area; over every year,
    reports and facts of each indicator. ``coverage`` and ``indicator_counts`` count as the store's
    ``area_coverage`` and ``indicator_counts`` do."""

    areas: dict[int | None, Counter[str]] = field(default_factory=dict)  # facts per area
    area_reports: dict[int | None, Counter[str]] = field(default_factory=dict)
    indicators: Counter[str] = field(default_factory=Counter)  # every year
    indicator_reports: Counter[str] = field(default_factory=Counter)

    def apply(self, year: int | None, c: FactCounts, sign: int) -> None:
        facts = self.areas.setdefault(year, Counter())
        reports = self.area_reports.setdefault(year, Counter())
        for key, n in c.areas.items():
            facts[key] += sign * n
            reports[key] += sign
        for key, n in c.indicators.items():
            self.indicators[key] += sign * n
            self.indicator_reports[key] += sign

    def coverage(self, year: int | None) -> dict[str, tuple[int, int]]:
        years = list(self.areas) if year is None else [year]
        facts: Counter[str] = Counter()
        reports: Counter[str] = Counter()
        for y in years:
            facts.update(self.areas.get(y, {}))
            reports.update(self.area_reports.get(y, {}))
        return {key: (reports[key], facts[key]) for key in reports if reports[key] > 0}

    def indicator_counts(self) -> dict[str, tuple[int, int]]:
        return {
            key: (self.indicator_reports[key], self.indicators[key])
            for key in self.indicator_reports
            if self.indicator_reports[key] > 0
        }


class FactCountsKept:
    """Each report's ``FactCounts`` and their sums by year, kept across store changes with the
    ``processed_at`` and year they were read at: after a change only reports new or reprocessed since
    are read again (their rows of the store's ``fact_counts``) and their counts moved in or out of the
    sums; reports no longer stored are taken out. What a change costs is then the changed reports'
    counts, not every report's, nor a pass over every report's counts."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._counts: dict[int, tuple[Any, int | None, FactCounts]] = {}  # id -> (version, year, counts)
        self._sums = Sums()

    def current(self, figures: list[Any]) -> Sums:
        """The sums over every report of ``figures`` (a copy, for the caller to keep)."""
        with self._lock:
            known = self._counts
            stale = [
                r
                for r in figures
                if (k := known.get(r.id)) is None or k[0] != r.processed_at or k[1] != r.year
            ]
            if stale:
                if len(stale) > len(figures) // 2:  # most of them: one reading of every report's counts
                    fresh = self.store.fact_counts()
                    known.clear()
                    self._sums = Sums()
                    stale = figures
                else:
                    fresh = self.store.fact_counts([r.id for r in stale])
                for r in stale:
                    old = known.get(r.id)
                    if old is not None:
                        self._sums.apply(old[1], old[2], -1)
                    c = fresh.get(r.id) or FactCounts()
                    known[r.id] = (r.processed_at, r.year, c)
                    self._sums.apply(r.year, c, 1)
            if len(known) > len(figures):  # reports deleted since
                ids = {r.id for r in figures}
                for rid in [rid for rid in known if rid not in ids]:
                    _version, year, c = known.pop(rid)
                    self._sums.apply(year, c, -1)
            return Sums(
                {y: Counter(c) for y, c in self._sums.areas.items()},
                {y: Counter(c) for y, c in self._sums.area_reports.items()},
                Counter(self._sums.indicators),
                Counter(self._sums.indicator_reports),
            )


_UNSEEN = object()  # the version of a report not stored when the facts were read


def _by_report(rows: Iterable[Any]) -> dict[int, tuple[Any, ...]]:
    """Facts (``IndicatorFact``) grouped by report, as tuples (out of the garbage collector's sight)."""
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[row.report_id].append(row)
    return {rid: tuple(facts) for rid, facts in out.items()}


class IndicatorFactsKept:
    """The facts of the indicators asked for most recently (``Store.indicator_facts``, no filter), kept
    across store changes with the version (``processed_at``) of every stored report they were read at:
    after a change only the facts of reports new or reprocessed since are read, and those of reports no
    longer stored dropped. An indicator's comparison right after a change then costs its computation,
    not a reading of all its facts again (tens of thousands for a common indicator)."""

    MAX_FACTS = 200_000  # facts kept in all (about 30 MB); the indicators asked for longest ago go first

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        # indicator -> (report id -> version when read, report id -> its facts of the indicator, facts)
        self._kept: OrderedDict[str, tuple[dict[int, Any], dict[int, tuple[Any, ...]], int]] = OrderedDict()
        self._n_facts = 0

    def forget(self, indicator: str) -> None:
        with self._lock:
            self._drop(indicator)

    def _drop(self, indicator: str) -> tuple[dict[int, Any], dict[int, tuple[Any, ...]], int] | None:
        kept = self._kept.pop(indicator, None)
        if kept is not None:
            self._n_facts -= kept[2]
        return kept

    def current(self, indicator: str, versions: dict[int, Any]) -> list[Any]:
        """Every stored fact of ``indicator``, for the stored reports and their versions ``versions``
        (report id -> ``processed_at``, as the figures give them)."""
        with self._lock:
            kept = self._drop(indicator)
            if kept is None:
                changed: list[int] | None = None
            else:
                read_at, by_report, _n = kept
                changed = [rid for rid, v in versions.items() if read_at.get(rid, _UNSEEN) != v]
                if len(changed) > len(versions) // 2:  # most of them: one reading of every fact
                    changed = None
            if changed is None:
                by_report = _by_report(self.store.indicator_facts(indicator))
            else:
                by_report = {rid: facts for rid, facts in by_report.items() if rid in versions}
                for rid in changed:
                    by_report.pop(rid, None)
                if changed:
                    by_report.update(_by_report(self.store.indicator_facts(indicator, report_ids=changed)))
            rows = [row for facts in by_report.values() for row in facts]
            self._kept[indicator] = (versions, by_report, len(rows))
            self._n_facts += len(rows)
            while self._n_facts > self.MAX_FACTS and len(self._kept) > 1:
                self._drop(next(iter(self._kept)))
            return rows


class StatsCache:
    """Aggregates over every stored report (the reports' figures, the overview of each year, the
    catalogue's counts, the comparison of each indicator and filter), kept together for ``ttl``
    seconds, until ``clear()`` or until the number of stored reports changes, so that they always come
    from one reading of the store. The figures, the per-report fact counts and the indicators' facts
    they are computed from outlive a clear (``FiguresKept``, ``FactCountsKept``,
    ``IndicatorFactsKept``): what changed is all that is read again."""

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
        # these outlive clear(): read again only where reports changed
        self._figures = FiguresKept(store, ttl)
        self._kept = FactCountsKept(store)
        self._facts = IndicatorFactsKept(store)

    def _stored(self) -> int | None:
        """The number of stored reports: read once per ``one_reading`` block, else at each call."""
        if self.store is None:
            return None
        reading = _READING.get()
        if reading is None:
            return self.store.count_reports()
        if "count" not in reading:
            reading["count"] = self.store.count_reports()
        return reading["count"]

    def clear(self) -> None:
        reading = _READING.get()
        if reading is not None:  # the store changed within this request (an upload): read it again
            reading.pop("count", None)
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._entries.clear()
        self._generation += 1
        self._born = time.monotonic()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The aggregate under ``key``, computed (outside the lock, once however many ask at the same
        time) when it is not kept."""
        count = self._stored()
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

    def figures(self) -> list[Any]:
        """Every stored report's ``ReportFigures`` (``Store.report_figures``; see ``FiguresKept``)."""
        return self.get("figures", self._figures.current)

    def figures_by_id(self, needed: Iterable[int] = ()) -> dict[int, Any]:
        """Report id -> figures; when a needed id is missing (stored since), everything is read again,
        once."""

        def build() -> dict[int, Any]:
            return {r.id: r for r in self.figures()}

        index = self.get("figures by id", build)
        if any(rid not in index for rid in needed):
            self.clear()
            index = self.get("figures by id", build)
        return index

    def versions(self) -> dict[int, Any]:
        """Report id -> ``processed_at`` of every stored report (from the figures)."""
        return self.get("versions", lambda: {r.id: r.processed_at for r in self.figures()})

    def indicator_facts(self, indicator: str) -> list[Any]:
        """Every stored fact of ``indicator``, as ``Store.indicator_facts`` gives them (see
        ``IndicatorFactsKept``)."""
        return self._facts.current(indicator, self.versions())

    def sums(self) -> Sums:
        """The reports' facts by area and year and by indicator (see ``FactCountsKept``)."""
        return self.get("sums", lambda: self._kept.current(self.figures()))

    def coverage(self, year: int | None) -> dict[str, tuple[int, int]]:
        """area -> (reports, facts) of ``year`` (None: every year), as ``Store.area_coverage``."""
        return self.sums().coverage(year)

    def indicator_counts(self) -> dict[str, tuple[int, int]]:
        """indicator -> (reports, facts), as ``Store.indicator_counts``."""
        return self.sums().indicator_counts()

    def overview(self, year: int | None, ranking_size: int) -> Overview:
        return self.get(
            ("overview", year, ranking_size),
            lambda: compute(
                self.figures(), self.coverage(year), year, ranking_size, self.store.report_summaries
            ),
        )

    def warm(self, ranking_size: int) -> None:
        """Compute the overview of every year and of each year ahead of the first visits."""
        overview = self.overview(None, ranking_size)
        for year, _n in overview.years:
            self.overview(year, ranking_size)
