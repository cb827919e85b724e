"""The store's aggregate reads (``fazhi.store.aggregates``) and the dashboard's sums over them
(``fazhi.web.stats``): they select and count what the store's own list methods select, on SQLite and on
PostgreSQL, and the per-report fact counts the dashboard keeps follow reports added, reprocessed and
deleted."""

from __future__ import annotations

import pytest

from fazhi.store.aggregates import FIGURE_COLUMNS, FactCounts
from fazhi.web.stats import FactCountsKept, FiguresKept, IndicatorFactsKept

from .test_store import check_schema
from .test_web_api import SCRIPT_REPORT, fill_store, pg_store  # noqa: F401 - pg_store is a fixture

FILTERS = [{}, {"year": 2024}, {"year": 2020}, {"level": "county"}, {"place": "厦门市"}, {"place": "350200"}]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = fill_store(tmp_path_factory.mktemp("aggregates") / "fazhi.db")
    yield s
    s.close()


def check_aggregates(store, filters: dict) -> None:
    """The aggregate queries select what the store's own methods select."""
    level = filters.get("level")
    seen = 0
    for indicator in ("leader_appearance_rate", "recon_received", "legal_aid"):
        want = {
            (r.id, f.start, f.value, f.unit, f.surface)
            for r, f in store.facts(indicator=indicator, place=filters.get("place"), year=filters.get("year"))
            if not level or r.level == level
        }
        got = {
            (row.report_id, row.start, row.value, row.unit, row.surface)
            for row in store.indicator_facts(indicator, **filters)
        }
        assert got == want
        seen += len(want)
    assert seen or filters
    if set(filters) <= {"year"}:
        facts = store.facts(year=filters.get("year"))
        coverage = store.area_coverage(filters.get("year"))
        assert set(coverage) == {f.area for _, f in facts if f.area}
        for area, (n_reports, n_facts) in coverage.items():
            assert n_facts == sum(1 for _, f in facts if f.area == area)
            assert n_reports == len({r.id for r, f in facts if f.area == area})
    if not filters:
        facts = store.facts()
        counts = store.indicator_counts()
        assert set(counts) == {f.indicator for _, f in facts if f.indicator}
        for indicator, (n_reports, n_facts) in counts.items():
            assert n_facts == sum(1 for _, f in facts if f.indicator == indicator)
            assert n_reports == len({r.id for r, f in facts if f.indicator == indicator})


def check_sums(store) -> None:
    """Per-report fact counts add up to the aggregate queries; figures and summaries are the reports'."""
    figures = store.report_figures()
    summaries = store.reports()
    assert sorted(r.id for r in figures) == sorted(r.id for r in summaries)
    by_id = {r.id: r for r in summaries}
    for fig in figures:
        for name in FIGURE_COLUMNS:
            if name != "processed_at":
                assert getattr(fig, name) == getattr(by_id[fig.id], name), name
        assert fig.timely is None or isinstance(fig.timely, bool)
    newest = max(r.processed_at for r in figures)
    assert store.report_figures([], newest) == [] and store.report_figures([]) == []
    assert store.report_figures([figures[0].id], newest) == [figures[0]]
    older = [r for r in figures if r.processed_at < newest]
    if older:  # the examples are written in several transactions
        assert sorted(store.report_figures([], min(r.processed_at for r in older))) == sorted(
            r for r in figures if r.processed_at > min(x.processed_at for x in older)
        )
    ids = [r.id for r in summaries][::-1]
    assert store.report_summaries(ids) == summaries[::-1]
    assert store.report_summaries([ids[0], 99999]) == [summaries[-1]]
    counts = store.fact_counts()
    sums = FactCountsKept(store).current(figures)
    for year in (None, 2024, 2020, 1999):
        assert sums.coverage(year) == store.area_coverage(year)
    assert sums.indicator_counts() == store.indicator_counts()
    assert store.fact_counts(ids) == {rid: counts.get(rid, FactCounts()) for rid in ids}
    for rid, c in counts.items():
        facts = [f for r, f in store.facts() if r.id == rid]
        assert sum(c.areas.values()) == sum(1 for f in facts if f.area)
        assert sum(c.indicators.values()) == sum(1 for f in facts if f.indicator)


@pytest.mark.parametrize("filters", FILTERS)
def test_aggregate_queries_select_what_the_store_selects(store, filters):
    check_aggregates(store, filters)


def test_fact_counts_add_up_to_the_aggregates(store):
    check_sums(store)


def test_kept_fact_counts_follow_the_store(tmp_path, monkeypatch):
    store = fill_store(tmp_path / "kept.db")
    try:
        asked = []
        read = store.fact_counts

        def counting(report_ids=None):
            asked.append(None if report_ids is None else sorted(report_ids))
            return read(report_ids)

        monkeypatch.setattr(store, "fact_counts", counting)
        kept = FactCountsKept(store)

        def check() -> None:
            sums = kept.current(store.report_figures())
            for year in (None, 2024, 2020):
                assert sums.coverage(year) == store.area_coverage(year)
            assert sums.indicator_counts() == store.indicator_counts()

        check()
        assert asked == [None]  # all new: one reading

        rid = store.ingest_bytes(SCRIPT_REPORT.encode("utf-8"), "测试市-2024.txt")
        assert isinstance(rid, int) and read([rid])[rid].areas
        check()
        assert asked[-1] == [rid]  # only the new report is read
        check()
        assert len(asked) == 2  # nothing changed: no reading

        assert store.delete(rid)
        check()
        assert len(asked) == 2  # a deletion takes the report out without reading

        assert store.reprocess(force=True, workers=0) == 5  # every report's facts written again
        check()
        assert asked[-1] is None
    finally:
        store.close()


@pytest.mark.postgres
def test_aggregates_on_postgresql(pg_store):  # noqa: F811 - the fixture imported above
    for filters in FILTERS:
        check_aggregates(pg_store, filters)
    check_sums(pg_store)


@pytest.mark.postgres
def test_migrated_schema_matches_the_models_on_postgresql(pg_store):  # noqa: F811
    from fazhi.store.postgres import GIN_INDEXES, KEY_COLUMNS

    # the full-text indexes and their keys are written for PostgreSQL in the migrations only
    check_schema(pg_store, (*GIN_INDEXES, *KEY_COLUMNS))


def test_kept_figures_follow_the_store(tmp_path, monkeypatch):
    store = fill_store(tmp_path / "figures.db")
    try:
        reads = []
        read = store.report_figures

        def counting(ids=None, processed_after=None):
            rows = read(ids, processed_after)
            reads.append((ids, processed_after, len(rows)))
            return rows

        monkeypatch.setattr(store, "report_figures", counting)
        kept = FiguresKept(store, full_every=3600)

        def check() -> None:
            assert sorted(kept.current()) == sorted(read())

        check()
        assert reads[-1] == (None, None, 5)  # the first time: everything
        check()
        assert reads[-1][0] == [] and reads[-1][2] == 0  # nothing new: nothing read but the ids

        rid = store.ingest_bytes(SCRIPT_REPORT.encode("utf-8"), "测试市-2024.txt")
        check()
        assert reads[-1][0] == [rid] and reads[-1][2] == 1  # only the new report
        assert store.delete(rid)
        check()
        assert reads[-1][2] == 0

        assert store.reprocess(force=True, workers=0) == 5
        check()
        assert reads[-1][0] == [] and reads[-1][2] == 5  # processed since: read again at once

        kept.full_every = 0
        check()
        assert reads[-1] == (None, None, 5)
    finally:
        store.close()


def test_kept_indicator_facts_follow_the_store(tmp_path, monkeypatch):
    """An indicator's facts kept across changes are, after each change, exactly what a reading of all
    of them gives; only the facts of reports new or reprocessed since are read."""
    store = fill_store(tmp_path / "facts.db")
    try:
        asked = []
        read = store.indicator_facts

        def counting(indicator, report_ids=None, **filters):
            asked.append(None if report_ids is None else sorted(report_ids))
            return read(indicator, report_ids=report_ids, **filters)

        monkeypatch.setattr(store, "indicator_facts", counting)
        kept = IndicatorFactsKept(store)
        indicator = "leader_appearance_rate"  # in the examples and in SCRIPT_REPORT

        def check() -> list:
            versions = {r.id: r.processed_at for r in store.report_figures()}
            rows = kept.current(indicator, versions)
            assert sorted(rows) == sorted(read(indicator)) and rows
            return rows

        check()
        assert asked == [None]  # the first time: every fact
        check()
        assert asked == [None]  # nothing changed: nothing read
        n = len(asked)

        rid = store.ingest_bytes(SCRIPT_REPORT.encode("utf-8"), "测试市-2024.txt")
        assert any(r.report_id == rid for r in check())
        assert asked[n:] == [[rid]]  # only the new report's facts

        assert store.delete(rid)
        assert all(r.report_id != rid for r in check())
        assert len(asked) == n + 1  # a deletion drops the report's facts without reading

        assert store.reprocess(force=True, workers=0) == 5  # every report written again
        check()
        assert asked[-1] is None  # most reports changed: one reading of every fact

        kept.forget(indicator)
        check()
        assert asked[-1] is None

        # over the budget of kept facts, the indicators asked for longest ago are dropped
        kept.MAX_FACTS = 1
        versions = {r.id: r.processed_at for r in store.report_figures()}
        other = next(i for i, (_reports, n) in store.indicator_counts().items() if i != indicator and n)
        assert kept.current(other, versions)
        assert list(kept._kept) == [other]
    finally:
        store.close()
