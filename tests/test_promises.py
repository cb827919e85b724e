"""Promises: next year's plan items of a report, followed up in the same place's next report or not."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import fazhi
from fazhi.cli import cli
from fazhi.promises import FOLLOWED_UP_MIN, bigrams, follow_up, plan_items

from .conftest import EXAMPLES
from .test_assessment import FIXTURES, make_doc


@pytest.fixture(scope="module")
def pair():
    prev = fazhi.read(FIXTURES / "sample-county-2023-complete.txt")
    nxt = fazhi.read(FIXTURES / "sample-county-2024-copied-shortcomings.txt")
    return prev, nxt


def test_plan_items_are_the_specific_commitments_of_the_plan(pair) -> None:
    prev, _ = pair
    items = [e.quote for e in plan_items(prev)]
    assert items == [
        "6月底前完成全县权责清单动态调整",
        "年底前实现乡镇法制审核人员配备全覆盖",
        "推进行政复议规范化建设",
        "复议纠错率提高到5%以上",
        "建设智慧法务平台",
        "第三季度上线运行",
        "开展规范性文件后评估不少于10件",
    ]
    for e in plan_items(prev):
        assert prev.text[e.start : e.end] == e.quote


def test_each_item_is_followed_up_mentioned_or_not_found(pair) -> None:
    prev, nxt = pair
    got = {p.item.quote: p for p in follow_up(prev, nxt)}
    done = got["6月底前完成全县权责清单动态调整"]
    assert done.status == "followed_up" and done.match_element == "achievements"
    assert done.match.quote.startswith("6月完成全县权责清单动态调整") and done.similarity >= FOLLOWED_UP_MIN
    assert nxt.text[done.match.start : done.match.end] == done.match.quote
    rate = got["复议纠错率提高到5%以上"]
    assert rate.status == "followed_up" and "复议纠错率提高到5.4%" in rate.match.quote
    # only named again among next year's problems: mentioned, not done
    again = got["开展规范性文件后评估不少于10件"]
    assert again.status == "mentioned" and again.match_element == "shortcomings"
    assert got["年底前实现乡镇法制审核人员配备全覆盖"].status == "mentioned"
    gone = got["建设智慧法务平台"]
    assert (gone.status, gone.match, gone.similarity) == ("not_found", None, 0.0)


def test_an_item_found_only_in_the_next_plan_is_mentioned_only() -> None:
    prev = make_doc(
        "一、主要工作\n全年审结行政复议案件30件。\n二、存在问题\n执法力量不足。\n"
        "三、2024年工作安排\n2024年，我县将制定《示例县行政执法监督办法》，建设智慧法务平台。\n",
        year=2023,
    )
    nxt = make_doc(
        "一、主要工作\n全年审结行政复议案件41件。\n二、存在问题\n执法力量不足。\n"
        "三、2025年工作安排\n2025年，我县将出台《示例县行政执法监督办法》。\n",
        year=2024,
    )
    got = {p.item.quote: p for p in follow_up(prev, nxt)}
    assert got["我县将制定《示例县行政执法监督办法》"].status == "mentioned"
    assert got["我县将制定《示例县行政执法监督办法》"].match_element == "plan"
    assert got["建设智慧法务平台"].status == "not_found"


def test_stock_words_do_not_make_a_match() -> None:
    assert bigrams("深入推进“放管服”改革") == {"放管", "管服", "改革"}
    assert bigrams("持续加强，不断完善") == set()


def test_a_report_without_a_plan_has_no_promises(pair) -> None:
    _, nxt = pair
    no_plan = make_doc("一、主要工作\n全年审结行政复议案件30件。\n")
    assert plan_items(no_plan) == [] and follow_up(no_plan, nxt) == []


def test_runs_on_the_bundled_xiamen_reports() -> None:
    # 2020 and 2024 are not consecutive years: this only shows the check runs on real reports
    prev = fazhi.read(EXAMPLES / "xiamen-city-2020-traditional.txt")
    nxt = fazhi.read(EXAMPLES / "xiamen-city-2024.txt")
    result = follow_up(prev, nxt)
    assert len(result) >= 20
    assert {p.status for p in result} == {"followed_up", "mentioned", "not_found"}
    for p in result:
        assert prev.text[p.item.start : p.item.end] == p.item.quote
        if p.match:
            assert nxt.text[p.match.start : p.match.end] == p.match.quote
        if p.status == "followed_up":
            assert p.match_element in ("achievements", "principal_duty")


def test_promises_command(pair) -> None:
    args = ["promises", str(FIXTURES / "sample-county-2023-complete.txt")]
    result = CliRunner().invoke(
        cli, [*args, str(FIXTURES / "sample-county-2024-copied-shortcomings.txt"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["prev"] == "sample-county-2023-complete" and len(out["items"]) == 7
    assert {"item", "status", "similarity", "match", "match_element"} <= set(out["items"][0])
    xiamen = [str(EXAMPLES / "xiamen-city-2020-traditional.txt"), str(EXAMPLES / "xiamen-city-2024.txt")]
    table = CliRunner().invoke(cli, ["promises", *xiamen], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "已落实" in table.stdout and "未见" in table.stdout
    assert "not the year after" in table.stderr
