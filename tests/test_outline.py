from __future__ import annotations

import json

import pytest

from fazhi.outline import build, numeral_value, paragraph_spans, sentence_spans

from .conftest import DOCS, GOLD

GOLD_SECTIONS = [json.loads(x) for x in (GOLD / "sections.jsonl").read_text().splitlines() if x]


@pytest.mark.parametrize("doc", DOCS)
def test_examples_top_sections_match_gold(doc: str) -> None:
    text = (GOLD / "clean" / f"{doc}.txt").read_text(encoding="utf-8")
    top = [(s.number, s.heading, s.element) for s in build(text) if s.depth == 1]
    gold = [(g["number"], g["heading"], g["element"]) for g in GOLD_SECTIONS if g["doc"] == doc]
    assert top == gold


def test_offsets_point_at_headings() -> None:
    text = (GOLD / "clean" / "shishi-city-2024.txt").read_text(encoding="utf-8")
    for s in build(text):
        line = text[s.start : s.heading_end + 1]
        assert s.number in line[:4] if s.number else s.style == "unnumbered"
        assert s.heading in line
        assert s.start < s.end <= len(text)


def structure(text: str) -> list[tuple[int, str | None, str]]:
    return [(s.depth, s.number, s.heading) for s in build(text)]


def test_arabic_numbering_forms_and_depths() -> None:
    text = (
        "一、主要工作\n"
        "（一）加强领导。全年召开会议3次。\n"
        "1、健全制度。印发文件。\n"
        "（1）细化清单。完成清理。\n"
        "（2）压实责任。\n"
        "2.强化考核。考核覆盖全部单位。\n"
        "（二）规范执法\n"
        "二、存在的问题\n执法力量不足。\n"
    )
    assert structure(text) == [
        (1, "一", "主要工作"),
        (2, "一", "加强领导"),
        (3, "1", "健全制度"),
        (4, "1", "细化清单"),
        (4, "2", "压实责任"),
        (3, "2", "强化考核"),
        (2, "二", "规范执法"),
        (1, "二", "存在的问题"),
    ]
    assert [s.element for s in build(text) if s.depth == 1] == ["achievements", "shortcomings"]


def test_part_numbering_and_principal_duty() -> None:
    text = (
        "第一部分 2023年法治政府建设主要成效\n一、党政主要负责人履行推进法治建设第一责任人职责情况\n全年专题研究5次。\n"
        "二、依法行政\n规范文件。\n"
        "第二部分 存在的不足和原因\n基层力量薄弱。\n"
        "第三部分 2024年工作安排\n继续推进。\n"
    )
    secs = build(text)
    assert [(s.depth, s.number, s.heading, s.element) for s in secs] == [
        (1, "一", "2023年法治政府建设主要成效", "achievements"),
        (2, "一", "党政主要负责人履行推进法治建设第一责任人职责情况", "principal_duty"),
        (2, "二", "依法行政", "achievements"),
        (1, "二", "存在的不足和原因", "shortcomings"),
        (1, "三", "2024年工作安排", "plan"),
    ]


def test_the_parts_of_a_plan_or_shortcomings_part_are_that_element() -> None:
    text = (
        "一、2024年主要成效\n（一）依法行政取得新成效\n办结案件10件。\n（二）存在的问题\n个别单位重视不够。\n"
        "二、存在的不足\n（一）执法队伍专业化水平不高\n人员不足。\n"
        "三、2025年工作安排\n（一）深入学习贯彻习近平法治思想，严格落实第一责任人职责\n持续推进。\n"
        "（二）全面提升行政执法质量\n1.开展专项行动\n组织培训。\n"
    )
    assert [(s.depth, s.heading[:6], s.element) for s in build(text) if s.style != "cn_shi"] == [
        (1, "2024年主", "achievements"),
        (2, "依法行政取得", "achievements"),
        (2, "存在的问题", "shortcomings"),  # a part of achievements keeps its own words
        (1, "存在的不足", "shortcomings"),
        (2, "执法队伍专业", "shortcomings"),
        (1, "2025年工", "plan"),
        (2, "深入学习贯彻", "plan"),  # not principal_duty: it is planned
        (2, "全面提升行政", "plan"),
        (3, "开展专项行动", "plan"),
    ]


def test_a_part_whose_heading_names_the_plan_keeps_its_plan_paragraph() -> None:
    text = (
        "一、主要成效\n"
        + "持续深化改革，推进依法行政，各项工作取得新进展。\n" * 4
        + "二、存在的问题和下一步工作打算\n"
        "一是执法人员素质有待提升；二是基层法治力量薄弱。\n"
        "2025年，我区将重点做好以下工作：一是深化改革；二是加强执法监督。\n"
    )
    top = [(s.number, s.heading, s.element) for s in build(text) if s.depth == 1]
    assert top == [("一", "主要成效", "achievements"), ("二", "存在的问题和下一步工作打算", "mixed")]
    items = [(s.heading, s.element) for s in build(text) if s.style == "cn_shi"]
    assert items == [  # its items: those of the plan paragraph are plan
        ("执法人员素质有待提升", "mixed"),
        ("基层法治力量薄弱", "mixed"),
        ("深化改革", "plan"),
        ("加强执法监督", "plan"),
    ]
    # a heading that names only the problems still lets the plan open a part of its own
    text = text.replace("存在的问题和下一步工作打算", "存在的问题")
    top = [(s.number, s.element) for s in build(text) if s.depth == 1]
    assert top == [("一", "achievements"), ("二", "shortcomings"), (None, "plan")]


def test_decimal_number_is_not_a_heading_and_sequence_is_checked() -> None:
    text = "一、工作成效\n1.5万件案件办结。\n五、不连续的编号不是标题\n二、存在问题\n"
    assert structure(text) == [(1, "一", "工作成效"), (1, "二", "存在问题")]


def test_full_width_point_before_a_year_is_a_marker() -> None:
    text = "一、主要成效\n1．2024年行政复议工作\n办理案件30件。\n2．2024年普法工作\n1.5万人参加。\n"
    assert structure(text) == [
        (1, "一", "主要成效"),
        (2, "1", "2024年行政复议工作"),
        (2, "2", "2024年普法工作"),
    ]


def test_inline_enumeration_items() -> None:
    text = "一、主要做法\n强化保障。一是健全机制，出台办法；二是加强队伍，培训200人次；三是严格考核。\n"
    items = [(s.depth, s.number, s.heading) for s in build(text) if s.style == "cn_shi"]
    assert items == [(2, "一", "健全机制"), (2, "二", "加强队伍"), (2, "三", "严格考核")]


def test_run_in_numbered_list_is_items_not_a_heading() -> None:
    """（一）…。（二）…。（三）… in one paragraph: three items one level down with short headings, not
    one sub-part headed by the first sentence; a numbered line with body text stays a heading."""
    text = (
        "一、主要成效\n全年办理案件30件。\n二、存在的不足\n"
        "（一）执法力量不足，执法人员仅156名。（二）专业化水平有待提升。（三）普法针对性不强。\n"
        "三、下一步工作\n（一）加强执法。全年培训2次。\n（二）深化普法。\n"
    )
    parts = [(s.depth, s.number, s.heading, s.element) for s in build(text)]
    assert parts == [
        (1, "一", "主要成效", "achievements"),
        (1, "二", "存在的不足", "shortcomings"),
        (2, "一", "执法力量不足", "shortcomings"),
        (2, "二", "专业化水平有待提升", "shortcomings"),
        (2, "三", "普法针对性不强", "shortcomings"),
        (1, "三", "下一步工作", "plan"),
        (2, "一", "加强执法", "plan"),
        (2, "二", "深化普法", "plan"),
    ]
    # only consecutive numbers make a list: （一）…。（三）… is a heading with its text
    assert [s.heading for s in build("（一）执法力量不足。（三）另有说明。\n")] == ["执法力量不足"]


def test_unnumbered_closing_parts() -> None:
    text = (
        "一、主要成效\n全年办结案件10件。\n"
        + "持续深化改革，推进依法行政，各项工作取得新进展。\n" * 3
        + "针对还存在的问题督促整改。\n"
        "同时也要看到，我县法治政府建设还存在一些问题：执法人员素质有待提升。\n"
        "下一步，我县将持续深化改革，推进依法行政。\n"
    )
    top = [(s.number, s.element) for s in build(text) if s.depth == 1]
    assert top == [("一", "achievements"), (None, "shortcomings"), (None, "plan")]


def test_bare_line_headings() -> None:
    text = (
        "某县人民政府2024年法治政府建设情况报告\n"
        "主要工作成效\n"
        "强化法治建设组织领导\n全年开展会前学法12次，完善工作机制，压实工作责任。\n"
        "提升行政执法水平\n开展执法检查30次，办理行政处罚案件120件，执法质量稳步提高。\n"
        "存在的问题\n一是执法力量不足。\n"
        "下一步工作打算\n2025年，县政府将重点抓好以下工作：一是加强学法；二是严格执法。\n"
        "某县人民政府\n2025年3月20日\n"
    )
    top = [(s.depth, s.heading, s.element) for s in build(text) if s.style == "bare"]
    assert top == [
        (1, "主要工作成效", "achievements"),
        (2, "强化法治建设组织领导", "achievements"),
        (2, "提升行政执法水平", "achievements"),
        (1, "存在的问题", "shortcomings"),
        (1, "下一步工作打算", "plan"),
    ]
    # the plan's first paragraph is its content, not a part of its own
    assert [s.heading for s in build(text) if s.depth == 1] == [
        "主要工作成效",
        "存在的问题",
        "下一步工作打算",
    ]


def test_bare_part_headings_over_numbered_ones() -> None:
    text = (
        "某局2024年法治政府建设工作报告\n"
        "主要工作成效\n（一）加强组织领导\n召开会议3次。\n（二）规范行政执法\n检查40次。\n"
        + "持续深化改革，推进依法行政，各项工作取得新进展。\n" * 3
        + "存在的问题\n执法力量不足。\n下一步工作打算\n继续加强队伍建设。\n"
    )
    assert structure(text) == [
        (1, None, "主要工作成效"),
        (2, "一", "加强组织领导"),
        (2, "二", "规范行政执法"),
        (1, None, "存在的问题"),
        (1, None, "下一步工作打算"),
    ]


@pytest.mark.parametrize(
    "tail",
    [
        "特此报告。\n某县人民政府\n2025年3月20日\n（此件主动公开）\n",
        "某县人民政府\n2025年3月20日\n",
        "附件：1．2024年度行政执法数据统计表\n序号 指标 数量\n1 行政处罚 120\n",
    ],
)
def test_the_last_part_ends_before_the_closing_block(tail: str) -> None:
    body = "二、下一步工作打算\n2025年，我县将加强执法队伍建设。\n"
    text = "一、主要成效\n全年办结案件10件。\n" + body + tail
    last = build(text)[-1]
    assert text[last.start : last.end + 1] == body


def test_bare_lines_in_a_numbered_report() -> None:
    text = (
        "一、主要成效\n工作成效\n全年办结案件10件。\n"
        + "持续深化改革，推进依法行政，各项工作取得新进展。\n" * 3
        + "二、其他工作\n办理建议20件。\n存在的问题\n执法人员素质有待提升。\n"
        "特此报告\n某县司法局\n"
    )
    # a bare achievements line inside a numbered part is its content; a bare closing heading is a part
    assert structure(text) == [(1, "一", "主要成效"), (1, "二", "其他工作"), (1, None, "存在的问题")]


@pytest.mark.parametrize(
    ("s", "n"), [("一", 1), ("十", 10), ("十二", 12), ("二十三", 23), ("7", 7), ("③", 3)]
)
def test_numeral_values(s: str, n: int) -> None:
    assert numeral_value(s) == n


def test_paragraphs_and_sentences() -> None:
    text = "第一句。第二句！“引号。”\n\n第二段；分号\n"
    assert [text[p.start : p.end] for p in paragraph_spans(text)] == [
        "第一句。第二句！“引号。”",
        "第二段；分号",
    ]
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "第一句。",
        "第二句！",
        "“引号。”",
        "第二段；",
        "分号",
    ]
