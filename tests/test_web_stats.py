"""The overview's aggregates (``fazhi.web.stats.compute``) on figures made by hand: every count, mean,
bin and ranking checked against values worked out here, with the gaps real stores have (no score, no
year, no level, no publication date, no division code)."""

from __future__ import annotations

from fazhi.store.aggregates import ReportFigures
from fazhi.web.stats import compute

FIGURES = [
    #            id  doc  author   jurisdiction admin_code level        year  score  timely n_facts
    ReportFigures(1, "a", "A政府", "A市", "110000", "prefecture", 2024, 95.0, True, 10, None),
    ReportFigures(2, "b", "B政府", "B县", None, "county", 2024, 61.0, False, 3, None),
    ReportFigures(3, "c", "C局", None, None, None, 2024, None, None, 0, None),
    ReportFigures(4, "d", "A政府", "A市", "110000", "prefecture", 2023, 100.0, True, 5, None),
    ReportFigures(5, "e", "E政府", "E区", None, "county", None, 40.0, None, 2, None),
]


def ranked_ids(ids: list[int]) -> list[int]:
    return ids


def test_overview_of_every_year():
    ov = compute(iter(FIGURES), {"disputes": (2, 7)}, None, 2, ranked_ids)
    assert (ov.n_reports, ov.n_places, ov.n_facts) == (5, 4, 20)  # 110000, B县, C局 (its author), E区
    assert ov.years == [(2024, 3), (2023, 1)]
    assert (ov.mean_score, ov.median_score) == (74.0, 78.0)
    assert (ov.timely, ov.timely_known) == (2, 3)
    assert ov.ranking == [4, 1]
    bins = {row["bin"]: {k: v for k, v in row.items() if k != "bin"} for row in ov.distribution}
    assert len(bins) == 10 and bins["90-100"] == {"prefecture": 2}  # 100 falls in the last bin
    assert bins["60-70"] == {"county": 1} and bins["40-50"] == {"county": 1} and not bins["0-10"]
    assert list(ov.by_level.items()) == [("prefecture", 2), ("county", 2), ("unknown", 1)]
    assert ov.by_year == [
        {"year": 2023, "reports": 1, "mean_score": 100.0},
        {"year": 2024, "reports": 3, "mean_score": 78.0},
    ]
    disputes = next(c for c in ov.coverage if c["area"] == "disputes")
    assert (disputes["reports"], disputes["share"], disputes["facts"]) == (2, 0.4, 7)


def test_overview_of_one_year():
    ov = compute(FIGURES, {}, 2024, 10, ranked_ids)
    assert (ov.year, ov.n_reports, ov.n_places, ov.n_facts) == (2024, 3, 3, 13)
    assert ov.years == [(2024, 3), (2023, 1)]  # every year, to choose from
    assert (ov.mean_score, ov.median_score, ov.timely, ov.timely_known) == (78.0, 78.0, 1, 2)
    assert ov.ranking == [1, 2]  # the report without a score is not ranked
    assert ov.by_level == {"prefecture": 1, "county": 1, "unknown": 1}
    assert all(c["reports"] == 0 and c["share"] == 0.0 for c in ov.coverage)


def test_overview_of_a_year_without_reports():
    ov = compute(FIGURES, {}, 1999, 10, ranked_ids)
    assert (ov.n_reports, ov.mean_score, ov.median_score, ov.ranking) == (0, None, None, [])
