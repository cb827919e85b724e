"""Aggregate reads the dashboard needs at corpus size: ``Store`` inherits them from ``Aggregates``.

``Store.reports`` and ``Store.facts`` build a ``ReportSummary`` and a ``Fact`` per row: right for lists,
too slow to count half a million facts or to line up ten thousand reports per indicator within a page's
time. These methods read only the columns they need, from indexes that hold them (migration 0003):

- ``report_figures``   every report's place, level, year, score, timeliness and fact count, plus when
                       it was last processed (``ix_reports_summary`` on SQLite, where the columns after
                       the report's text would otherwise cost a walk through its overflow pages); or
                       only those of some ids and those processed since a time, with ``report_ids``
                       for a reader that keeps them (``StatsCache``) to catch up after a change
- ``fact_counts``      per report, its facts by area and by indicator, as ingest counted them (table
                       ``fact_counts``, migration 0006): the overview's area coverage and the indicator
                       catalogue add these up, and a reader that keeps them (the dashboard's
                       ``StatsCache``) reads them again only for reports new or reprocessed
- ``indicator_facts``  the facts of one indicator (``ix_facts_values``: one index range, no table rows),
                       or of some reports only, for a reader that keeps them (``StatsCache``)
- ``area_coverage`` and ``indicator_counts``  the same sums as ``fact_counts`` gives, in one query

Filters are the store's own (``fazhi.store.search.report_where``), so they select exactly what the
store's list methods select.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Boolean, text
from sqlalchemy.engine import Connection, Engine

from .records import SUMMARY_COLUMNS, FactCounts, ReportSummary, load_fact_counts
from .search import report_where

CHUNK = 500  # report ids per IN (...) list


class ReportFigures(NamedTuple):
    """What the overview and the indicator comparison need of one report."""

    id: int
    doc: str
    author: str | None
    jurisdiction: str | None
    admin_code: str | None
    level: str | None
    year: int | None
    score: float | None
    timely: bool | None
    n_facts: int
    processed_at: Any  # when the report's facts were last written: its version


FIGURE_COLUMNS = ReportFigures._fields


class IndicatorFact(NamedTuple):
    """One fact of an indicator, as the comparison shows it."""

    report_id: int
    value: float
    unit: str
    start: int
    surface: str


def _where(conds: list[str]) -> str:
    return " WHERE " + " AND ".join(conds) if conds else ""


def _driver_rows(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    """The rows of a query as the database driver gives them (plain tuples): at ten thousand rows and
    more, a SQLAlchemy row object for each costs more than the query."""
    result = conn.execute(text(sql), params or {})
    rows = result.cursor.fetchall()
    result.close()
    return rows


def _chunks(ids: Sequence[int]) -> Iterable[str]:
    for i in range(0, len(ids), CHUNK):
        yield ", ".join(str(int(rid)) for rid in ids[i : i + CHUNK])


class Aggregates:
    """Aggregate reads over the store's tables (mixed into ``Store``, which provides ``engine``)."""

    engine: Engine

    def report_ids(self) -> list[int]:
        """The ids of every stored report, in no particular order."""
        with self.engine.connect() as conn:
            return [rid for (rid,) in _driver_rows(conn, "SELECT id FROM reports")]

    def report_figures(
        self, ids: Collection[int] | None = None, processed_after: Any = None
    ) -> list[ReportFigures]:
        """The figures of every stored report (no arguments), or of those among ``ids`` and those
        processed after ``processed_after`` (a ``processed_at`` as this method gave it); in no
        particular order."""
        sql = f"SELECT {', '.join(FIGURE_COLUMNS)} FROM reports"
        params: dict[str, Any] = {}
        if ids is not None or processed_after is not None:
            conds = [f"id IN ({chunk})" for chunk in _chunks(sorted(set(ids or ())))]
            if processed_after is not None:
                conds.append("processed_at > :after")
                params["after"] = processed_after
            sql += _where([f"({' OR '.join(conds)})" if conds else "1 = 0"])
        with self.engine.connect() as conn:
            rows = _driver_rows(conn, sql, params)
        if conn.dialect.name == "sqlite":  # booleans are stored as 0/1
            i = FIGURE_COLUMNS.index("timely")
            return [ReportFigures(*r[:i], None if r[i] is None else bool(r[i]), *r[i + 1 :]) for r in rows]
        return list(map(ReportFigures._make, rows))

    def report_summaries(self, ids: Sequence[int]) -> list[ReportSummary]:
        """The summaries of these reports, in the order given (ids not stored are left out)."""
        found: dict[int, ReportSummary] = {}
        cols = ", ".join(SUMMARY_COLUMNS)
        with self.engine.connect() as conn:
            for chunk in _chunks(list(ids)):
                sql = f"SELECT {cols} FROM reports WHERE id IN ({chunk})"
                for row in conn.execute(text(sql).columns(timely=Boolean)):
                    found[row[0]] = ReportSummary(*row)
        return [found[i] for i in ids if i in found]

    def fact_counts(self, report_ids: Collection[int] | None = None) -> dict[int, FactCounts]:
        """Report id -> its facts by area and by indicator, for these reports (None: every report), as
        ingest counted them (table ``fact_counts``: one short row per report, not a count over every
        stored fact). A report asked for by id is in the answer even when none of its facts has an area
        or indicator."""
        out: dict[int, FactCounts] = {}
        if report_ids is None:
            ranges: Iterable[str | None] = [None]
        else:
            ids = sorted(set(report_ids))
            out = {rid: FactCounts() for rid in ids}
            ranges = _chunks(ids)
        with self.engine.connect() as conn:
            for chunk in ranges:
                sql = "SELECT report_id, counts FROM fact_counts"
                if chunk is not None:
                    sql += f" WHERE report_id IN ({chunk})"
                out.update((rid, load_fact_counts(counts)) for rid, counts in _driver_rows(conn, sql))
        return out

    def area_coverage(self, year: int | None = None) -> dict[str, tuple[int, int]]:
        """area -> (reports with at least one fact in the area, facts in the area)."""
        where, params = report_where(None, None, year)
        join = " JOIN reports r ON r.id = f.report_id" if where else ""
        sql = (
            "SELECT f.area, count(DISTINCT f.report_id), count(*) FROM facts f"
            + join
            + _where(["f.area IS NOT NULL", *where])
            + " GROUP BY f.area"
        )
        with self.engine.connect() as conn:
            return {
                area: (int(n_reports), int(n_facts))
                for area, n_reports, n_facts in conn.execute(text(sql), params)
            }

    def indicator_counts(self) -> dict[str, tuple[int, int]]:
        """indicator -> (reports stating it, facts of it)."""
        sql = (
            "SELECT f.indicator, count(DISTINCT f.report_id), count(*) FROM facts f "
            "WHERE f.indicator IS NOT NULL GROUP BY f.indicator"
        )
        with self.engine.connect() as conn:
            return {
                ind: (int(n_reports), int(n_facts)) for ind, n_reports, n_facts in conn.execute(text(sql))
            }

    def indicator_facts(
        self,
        indicator: str,
        place: str | None = None,
        level: str | None = None,
        year: int | None = None,
        report_ids: Collection[int] | None = None,
    ) -> list[IndicatorFact]:
        """Every fact of ``indicator`` in the reports that pass the filters (and are among
        ``report_ids``, when given), as rows of ``report_id, value, unit, start, surface`` (the report's
        own columns come from its figures: no join unless filtered)."""
        where, params = report_where(place, level, year)
        params["indicator"] = indicator
        join = " JOIN reports r ON r.id = f.report_id" if where else ""
        sql = (
            "SELECT f.report_id, f.value, f.unit, f.start, f.surface FROM facts f"
            + join
            + _where(["f.indicator = :indicator", *where])
        )
        if report_ids is None:
            queries = [sql]
        else:
            queries = [f"{sql} AND f.report_id IN ({chunk})" for chunk in _chunks(sorted(set(report_ids)))]
        rows: list[Any] = []
        with self.engine.connect() as conn:  # tens of thousands for a common indicator
            for query in queries:
                rows += _driver_rows(conn, query, params)
        return list(map(IndicatorFact._make, rows))
