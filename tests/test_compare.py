"""Comparison: key indicators by place and by year with evidence, rankings, areas, promises, reuse."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import fazhi
from fazhi.assessment import assess
from fazhi.cli import cli
from fazhi.compare import _ranking, compare

from .conftest import EXAMPLES
from .test_assessment import FIXTURES


@pytest.fixture(scope="module")
def examples():
    docs = [fazhi.read(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    return docs, compare(docs, [assess(d) for d in docs]).to_dict()


def test_indicators_by_place_for_the_same_year(examples) -> None:
    docs, c = examples
    texts = {d.doc: d.text for d in docs}
    (table,) = c["by_place"]
    assert table["year"] == 2024
    assert table["docs"] == [
        "huli-district-2024",
        "shishi-city-2024",
        "xiamen-city-2024",
        "xiamen-justice-bureau-2024",
    ]
    assert table["columns"] == ["湖里区", "石狮市", "厦门市", "厦门市司法局"]
    rows = {r["indicator"]: r for r in table["rows"]}
    appearance = rows["leader_appearance_rate"]["cells"]
    assert appearance["huli-district-2024"]["surface"] == "100%"
    assert appearance["xiamen-city-2024"]["surface"] == "99.81%"
    assert appearance["shishi-city-2024"] is None
    for r in table["rows"]:
        assert any(r["cells"].values())
        for doc, cell in r["cells"].items():
            if cell:
                e = cell["evidence"]
                assert texts[doc][e["start"] : e["end"]] == e["quote"] and cell["surface"] in e["quote"]


def test_indicators_by_year_for_the_same_place(examples) -> None:
    _, c = examples
    (table,) = c["by_year"]
    assert table["place"] == "厦门市" and table["columns"] == ["2020", "2024"]
    assert table["docs"] == ["xiamen-city-2020-traditional", "xiamen-city-2024"]
    rows = {r["indicator"]: r for r in table["rows"]}
    online = rows["online_service_rate"]["cells"]
    assert online["xiamen-city-2020-traditional"]["surface"] == "98%"


def test_rankings_per_criterion(examples) -> None:
    _, c = examples
    total = c["rankings"][0]
    assert total["id"] == "total"
    scores = [r["score"] for r in total["ranking"]]
    assert scores == sorted(scores, reverse=True) and [r["rank"] for r in total["ranking"]] == [1, 2, 3, 4, 5]
    ids = [r["id"] for r in c["rankings"][1:]]
    assert ids[:4] == [
        "element_achievements",
        "element_shortcomings",
        "element_principal_duty",
        "element_plan",
    ]
    shortcomings = next(r for r in c["rankings"] if r["id"] == "element_shortcomings")
    last = shortcomings["ranking"][-1]
    assert last["doc"] == "xiamen-justice-bureau-2024" and last["rank"] == 5 and last["score"] == 4
    assert all(r["rank"] == 1 for r in shortcomings["ranking"][:4])  # a tie shares the first rank


def test_ties_share_a_rank() -> None:
    assert [r["rank"] for r in _ranking([("a", 5.0), ("b", 7.0), ("c", 5.0), ("d", 1.0)])] == [1, 2, 2, 4]


def test_areas_over_and_under_reported_relative_to_the_group(examples) -> None:
    _, c = examples
    areas = c["areas"]
    assert pytest.approx(sum(areas["mean"].values()), abs=1e-6) == 1.0
    bureau = areas["docs"]["xiamen-justice-bureau-2024"]
    assert "society" in bureau["over"] and "emergency" in bureau["under"]
    for doc in areas["docs"].values():
        for a in doc["over"]:
            assert doc["shares"][a] >= 1.5 * areas["mean"][a]
        for a in doc["under"]:
            assert doc["shares"][a] <= 0.5 * areas["mean"][a]


def test_promises_only_for_consecutive_years_and_reuse(examples) -> None:
    _, c = examples
    assert c["promises"] == []  # Xiamen 2020 and 2024 are four years apart
    assert c["reuse"] == []


def test_a_place_followed_over_two_consecutive_years() -> None:
    docs = [
        fazhi.read(FIXTURES / f)
        for f in ("sample-county-2023-complete.txt", "sample-county-2024-copied-shortcomings.txt")
    ]
    c = compare(docs, [assess(d) for d in docs]).to_dict()
    assert c["by_place"] == []
    (table,) = c["by_year"]
    assert table["place"] == "sample-county" and table["columns"] == ["2023", "2024"]
    (p,) = c["promises"]
    assert (p["prev"], p["next"]) == ("sample-county-2023-complete", "sample-county-2024-copied-shortcomings")
    assert {i["status"] for i in p["items"]} == {"followed_up", "mentioned", "not_found"}
    assert any(r["a_element"] == "shortcomings" and r["relation"] == "same_place" for r in c["reuse"])
    json.dumps(c, ensure_ascii=False)  # plain data


def test_compare_command() -> None:
    result = CliRunner().invoke(cli, ["compare", str(EXAMPLES), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"docs", "by_place", "by_year", "rankings", "areas", "promises", "reuse"} <= set(out)
    table = CliRunner().invoke(cli, ["compare", str(EXAMPLES)], env={"COLUMNS": "250"})
    assert table.exit_code == 0
    for words in (
        "2024年度重点指标（按地方）",
        "厦门市重点指标（按年度）",
        "各指标排名",
        "纲要各方面篇幅占比",
        "重复使用的段落：0处",
    ):
        assert words in table.stdout, words
