"""Aggregate reads the pages need at corpus size, as SQL over the store's tables.

``Store.facts`` builds a ``ReportSummary`` and a ``Fact`` per row: right for lists, too slow to count
half a million facts or to line up ten thousand reports per indicator within a page's time. These
queries read only the columns they need from the tables ``fazhi.store.schema`` describes (the child
tables are there for the dashboard to query directly), with the store's own place/level/year filter
(``fazhi.store.search.report_where``), so they select exactly what the store's methods would.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from ..store.search import report_where


def _where(conds: list[str]) -> str:
    return " WHERE " + " AND ".join(conds) if conds else ""


def area_coverage(store: Any, year: int | None = None) -> dict[str, tuple[int, int]]:
    """area -> (reports with at least one fact in the area, facts in the area)."""
    where, params = report_where(None, None, year)
    join = " JOIN reports r ON r.id = f.report_id" if where else ""
    sql = (
        "SELECT f.area, count(DISTINCT f.report_id), count(*) FROM facts f"
        + join
        + _where(["f.area IS NOT NULL", *where])
        + " GROUP BY f.area"
    )
    with store.engine.connect() as conn:
        return {
            area: (int(n_reports), int(n_facts))
            for area, n_reports, n_facts in conn.execute(text(sql), params)
        }


def indicator_counts(store: Any) -> dict[str, tuple[int, int]]:
    """indicator -> (reports stating it, facts of it)."""
    sql = (
        "SELECT f.indicator, count(DISTINCT f.report_id), count(*) FROM facts f "
        "WHERE f.indicator IS NOT NULL GROUP BY f.indicator"
    )
    with store.engine.connect() as conn:
        return {ind: (int(n_reports), int(n_facts)) for ind, n_reports, n_facts in conn.execute(text(sql))}


def indicator_facts(
    store: Any, indicator: str, place: str | None = None, level: str | None = None, year: int | None = None
) -> list[Any]:
    """Every fact of ``indicator`` in the reports that pass the filters, as rows of ``report_id, value,
    unit, start, surface`` (the report's own columns come from its summary: no join unless filtered)."""
    where, params = report_where(place, level, year)
    params["indicator"] = indicator
    join = " JOIN reports r ON r.id = f.report_id" if where else ""
    sql = (
        "SELECT f.report_id, f.value, f.unit, f.start, f.surface FROM facts f"
        + join
        + _where(["f.indicator = :indicator", *where])
    )
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).all()
