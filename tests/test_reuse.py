"""Reused text: near-duplicate paragraphs between reports, across years and between places."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import fazhi
from fazhi.cli import cli
from fazhi.reuse import find_reuse, place_of, shingles

from .conftest import EXAMPLES
from .test_assessment import FIXTURES, make_doc


@pytest.fixture(scope="module")
def pair():
    prev = fazhi.read(FIXTURES / "sample-county-2023-complete.txt")
    nxt = fazhi.read(FIXTURES / "sample-county-2024-copied-shortcomings.txt")
    return prev, nxt


def test_shortcomings_copied_from_last_year_are_found_with_both_passages(pair) -> None:
    prev, nxt = pair
    found = find_reuse([prev, nxt])
    copied = [r for r in found if r.a_element == "shortcomings"]
    assert len(copied) == 1
    r = copied[0]
    assert (r.a_doc, r.b_doc, r.b_element, r.relation) == (
        "sample-county-2023-complete",
        "sample-county-2024-copied-shortcomings",
        "shortcomings",
        "same_place",
    )
    assert r.similarity == 1.0  # only a number changed (5 -> 4 townships), numbers are normalised
    assert "全县14个乡镇中有5个未配备" in r.a.quote and "全县14个乡镇中有4个未配备" in r.b.quote
    assert prev.text[r.a.start : r.a.end] == r.a.quote and nxt.text[r.b.start : r.b.end] == r.b.quote
    # the achievements were rewritten: no pair there reaches a high similarity
    assert all(x.similarity < 0.8 for x in found if x.a_element == "achievements")


def test_near_duplicates_between_places_and_not_inside_one_report() -> None:
    base = "二、存在的问题\n部分乡镇行政执法力量不足，法制审核人员配备不到位，行政复议纠错率偏低，规范性文件后评估开展较少。\n"
    edited = "二、存在的问题\n部分乡镇行政执法力量明显不足，法制审核人员配备不到位，行政复议纠错率偏低，规范性文件后评估工作开展较少。\n"
    a = make_doc("一、主要工作\n全年审结行政复议案件30件。\n" + base, doc="a-2023", jurisdiction="甲县")
    b = make_doc("一、主要工作\n全年办理行政处罚案件95件。\n" + edited, doc="b-2023", jurisdiction="乙县")
    found = find_reuse([a, b])
    assert len(found) == 1
    r = found[0]
    assert r.relation == "other_place" and 0.7 < r.similarity < 1.0
    assert r.a_element == r.b_element == "shortcomings"
    assert find_reuse([a, b], threshold=0.95) == []
    doubled = make_doc(base + base.replace("二、", "三、"), doc="c-2023")
    assert find_reuse([doubled]) == []


def test_shingles_keep_only_characters_and_normalise_numbers() -> None:
    assert shingles("2023年，办理3件。") == shingles("2024年,办理17件")
    assert shingles("办理") == {"办理"}


def test_place_of_prefers_the_department_then_the_place_then_the_file_name() -> None:
    dept = make_doc("一、工作\n内容。\n", doc="x", jurisdiction="厦门市")
    dept.level, dept.author = "department", "厦门市司法局"
    assert place_of(dept) == "厦门市司法局"
    assert place_of(make_doc("一、工作\n内容。\n", doc="x", jurisdiction="厦门市")) == "厦门市"
    assert place_of(make_doc("一、工作\n内容。\n", doc="sample-county-2023-complete")) == "sample-county"


def test_the_bundled_examples_share_no_paragraph() -> None:
    docs = [fazhi.read(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    assert find_reuse(docs) == []
    loose = find_reuse(docs, threshold=0.2)  # only the stock opening paragraphs are alike
    assert loose and all(r.relation == "other_place" and r.similarity < 0.3 for r in loose)


def test_reuse_command(pair) -> None:
    files = [
        str(FIXTURES / "sample-county-2023-complete.txt"),
        str(FIXTURES / "sample-county-2024-copied-shortcomings.txt"),
    ]
    result = CliRunner().invoke(cli, ["reuse", *files, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert any(r["a_element"] == "shortcomings" and r["relation"] == "same_place" for r in rows)
    assert {"a_doc", "a", "b_doc", "b", "similarity", "relation"} <= set(rows[0])
    table = CliRunner().invoke(cli, ["reuse", *files], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "同一地方跨年度" in table.stdout
