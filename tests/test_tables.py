"""Facts of the statistics tables reports append, as the readers write them: a row's cells joined by tabs."""

from __future__ import annotations

from fazhi.facts import extract_facts
from fazhi.facts.tables import find_rows


def rows_of(text: str) -> list[tuple[str, float, str, str, str]]:
    found = extract_facts(text)
    for f in found:
        assert text[f.start : f.end] == f.surface
    return [(f.surface, f.value, f.unit, f.kind, f.subject) for f in found]


def test_unit_column_period_columns_and_a_signed_change_column() -> None:
    text = (
        "附表：主要数据\n"
        "指标名称\t单位\t2023年\t2024年\t增减\n"
        "行政处罚案件数\t件\t6412\t5937\t-7.4%\n"
        "行政复议案件受理数\t件\t356\t428\t+20.2%\n"
        "罚没款金额\t亿元\t1.83\t1.58\t-13.7%\n"
    )
    assert rows_of(text) == [
        ("6412", 6412, "件", "count", "行政处罚案件数（2023年）"),
        ("5937", 5937, "件", "count", "行政处罚案件数（2024年）"),
        ("-7.4%", -7.4, "%", "change", "行政处罚案件数"),
        ("356", 356, "件", "count", "行政复议案件受理数（2023年）"),
        ("428", 428, "件", "count", "行政复议案件受理数（2024年）"),
        ("+20.2%", 20.2, "%", "change", "行政复议案件受理数"),
        ("1.83", 183000000, "元", "money", "罚没款金额（2023年）"),
        ("1.58", 158000000, "元", "money", "罚没款金额（2024年）"),
        ("-13.7%", -13.7, "%", "change", "罚没款金额"),
    ]


def test_row_numbers_units_in_cells_and_remarks() -> None:
    text = (
        "序号\t项目\t数量\t备注\n"
        "1\t区政府常务会议研究法治议题\t8个\n"
        "2\t行政处罚案件\t2364件\t同比下降6.1%\n"
        "3\t法律援助案件\t1045件\t挽回损失2860万元\n"
    )
    assert rows_of(text) == [
        ("8个", 8, "个", "count", "区政府常务会议研究法治议题"),
        ("2364件", 2364, "件", "count", "行政处罚案件"),
        ("6.1%", -6.1, "%", "change", "行政处罚案件同比下降"),
        ("1045件", 1045, "件", "count", "法律援助案件"),
        ("2860万元", 28600000, "元", "money", "法律援助案件挽回损失"),
    ]


def test_a_unit_in_the_column_header_and_an_unsigned_change_column() -> None:
    text = "项目\t金额（万元）\t同比增长\n普法经费\t120\t15%\n法律顾问经费\t86.5\t3.2%\n"
    assert rows_of(text) == [
        ("120", 1200000, "元", "money", "普法经费"),
        ("15%", 15, "%", "change", "普法经费"),
        ("86.5", 865000, "元", "money", "法律顾问经费"),
        ("3.2%", 3.2, "%", "change", "法律顾问经费"),
    ]


def test_bare_numbers_of_a_table_without_units_are_not_facts() -> None:
    assert rows_of("项目\t2023年\t2024年\n行政复议\t356\t428\n行政诉讼\t92\t87\n") == []


def test_prose_with_tabs_is_not_a_table() -> None:
    text = "全年办理行政复议案件356件，同比增长5%。\t\n开展普法活动1260场次，受众达15万人次。\t\n"
    assert find_rows(text) == []
    assert rows_of(text) == rows_of(text.replace("\t", ""))


def test_a_number_after_plus_outside_a_table_stays_a_formula() -> None:
    assert rows_of("推行“1+20%”工作法，全年办理案件30件。") == [("30件", 30, "件", "count", "办理案件")]


def test_a_sign_spaced_from_its_number_is_part_of_the_surface() -> None:
    text = "指标\t2024年\t增减\n行政复议案件\t428件\t+ 20.2%\n行政诉讼案件\t92件\t- 3.1%\n"
    assert [(s, v, k) for s, v, _, k, _ in rows_of(text)] == [
        ("428件", 428, "count"),
        ("+ 20.2%", 20.2, "change"),
        ("92件", 92, "count"),
        ("- 3.1%", -3.1, "change"),
    ]
