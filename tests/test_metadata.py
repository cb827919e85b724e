from __future__ import annotations

import json

import pytest

from fazhi import divisions
from fazhi.cleaning import clean
from fazhi.metadata import extract, normalise_date
from fazhi.models import RawDoc

from .conftest import DOCS, EXAMPLES, GOLD

GOLD_DOCS = {json.loads(x)["doc"]: json.loads(x) for x in (GOLD / "docs.jsonl").read_text().splitlines() if x}
FIELDS = ("title", "author", "jurisdiction", "admin_code", "level", "parent", "year", "published")


def meta_of(text: str):
    c = clean(RawDoc(source="t", doc="t", text=text, format="txt"))
    return extract(c.text, c.meta, c.page_date)


@pytest.mark.parametrize("doc", DOCS)
def test_examples_metadata_matches_gold(doc: str) -> None:
    md = meta_of((EXAMPLES / f"{doc}.txt").read_text(encoding="utf-8"))
    assert {f: getattr(md, f) for f in FIELDS} == {f: GOLD_DOCS[doc][f] for f in FIELDS}


def test_department_report_of_a_province_with_signature_date() -> None:
    text = (
        "浙江省司法厅2023年度法治政府建设情况报告\n"
        "2023年，省司法厅坚持以习近平法治思想为指导，全面推进依法行政。\n"
        "一、主要工作\n全年办理行政复议案件1200件。\n"
        "浙江省司法厅\n2024年3月20日\n"
    )
    md = meta_of(text)
    assert (md.author, md.jurisdiction, md.admin_code, md.level, md.parent) == (
        "浙江省司法厅",
        "浙江省",
        "330000",
        "department",
        None,
    )
    assert (md.year, md.published, md.title) == (
        2023,
        "2024-03-20",
        "浙江省司法厅2023年度法治政府建设情况报告",
    )


def test_namesake_district_is_resolved_by_its_city() -> None:
    text = (
        "2023年，鼓楼区在福州市委、市政府的坚强领导下，深入推进法治政府建设。福州市鼓楼区持续优化营商环境。"
    )
    md = meta_of(text)
    assert (md.jurisdiction, md.admin_code, md.parent, md.level) == ("鼓楼区", "350102", "福州市", "county")
    assert md.author == "鼓楼区人民政府"
    text2 = (
        "2023年，鼓楼区在南京市委、市政府的坚强领导下，深入推进法治政府建设。南京市鼓楼区持续优化营商环境。"
    )
    assert meta_of(text2).admin_code == "320106"


def test_municipality_district_and_chinese_numeral_signature_date() -> None:
    text = (
        "北京市海淀区人民政府关于2022年法治政府建设情况的报告\n"
        "2022年，海淀区坚持依法行政。\n北京市海淀区人民政府\n二〇二三年三月二十八日\n"
    )
    md = meta_of(text)
    assert (md.jurisdiction, md.admin_code, md.parent, md.level, md.year) == (
        "海淀区",
        "110108",
        "北京市",
        "county",
        2022,
    )
    assert md.published == "2023-03-28"


def test_no_place_at_all_leaves_fields_empty() -> None:
    md = meta_of("本单位坚持依法行政，全面推进各项工作，取得了积极成效。下一步将继续努力。")
    assert md.jurisdiction is None and md.admin_code is None and md.author is None


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("2025-01-26", "2025-01-26"),
        ("2025-3-4 17:51", "2025-03-04"),
        ("2025年1月22日", "2025-01-22"),
        ("2025/03/18", "2025-03-18"),
        ("二〇二五年一月二十二日", "2025-01-22"),
        ("2025年13月1日", None),
        ("", None),
    ],
)
def test_dates_are_normalised(s: str, expected: str | None) -> None:
    assert normalise_date(s) == expected


def test_divisions_dataset_is_complete() -> None:
    by_level: dict[str, int] = {}
    for d in divisions.by_code().values():
        by_level[d.level] = by_level.get(d.level, 0) + 1
        assert len(d.code) == 6 and d.code.isdigit()
        if d.level != "province":
            assert d.parent_code in divisions.by_code()
    assert by_level["province"] == 34
    assert by_level["prefecture"] > 330 and by_level["county"] > 2800
    assert divisions.resolve("湖里区").parent.name == "厦门市"


def test_two_character_county_names_need_a_boundary() -> None:
    assert [n for n, _ in divisions.find_places("2023年，沛县坚持依法行政。徐州市沛县。2023年沛县")] == [
        "沛县",
        "徐州市",
        "沛县",
        "沛县",
    ]
    assert divisions.find_places("创新县域治理，完善市和县两级机制") == []
    md = meta_of("2023年，沛县坚持依法行政，推进创新县域治理。沛县全年办结行政复议案件120件。")
    assert (md.jurisdiction, md.admin_code, md.parent) == ("沛县", "320322", "徐州市")


def test_the_government_office_publishing_a_page_is_not_the_author() -> None:
    text = "发布机构：沂南县人民政府办公室\n沂南县人民政府关于2023年度法治政府建设情况的报告\n2023年，沂南县坚持依法行政。"
    md = meta_of(text)
    assert (md.author, md.level) == ("沂南县人民政府", "county")


@pytest.mark.parametrize(
    "author, level",
    [
        # a development zone's committee is its government; a bureau of the zone is a department
        ("盐城经济技术开发区管理委员会", "county"),
        ("盐城经济技术开发区管委会", "county"),
        ("盐城经济技术开发区社会事业局", "department"),
    ],
)
def test_a_development_zone_committee_reports_as_its_government(author: str, level: str) -> None:
    text = (
        f"{author}2024年度法治政府建设情况报告\n"
        "2024年，开发区坚持以习近平法治思想为指导，全面推进依法行政。\n"
        "一、主要工作\n全年办理行政复议案件12件。\n"
        f"{author}\n2025年2月28日\n"
    )
    md = meta_of(text)
    assert (md.author, md.jurisdiction, md.admin_code, md.level, md.parent) == (
        author,
        "盐城经济技术开发区",
        "320971",
        level,
        "盐城市",
    )


def test_signature_date_above_a_long_attachment_is_the_publication_date() -> None:
    rows = "".join(f"{k}\t项目{k}\t{k * 10}件\n" for k in range(1, 16))
    text = (
        "某区2024年法治政府建设情况报告\n一、主要成效\n开展会前学法10次。\n"
        f"某区人民政府\n2025年3月28日\n附件\n2024年主要数据统计表\n{rows}"
    )
    assert meta_of(text).published == "2025-03-28"


def test_a_date_before_the_year_covered_is_not_the_publication_date() -> None:
    text = "发布日期：2023-03-30\n某区2024年法治政府建设情况报告\n2024年，某区坚持依法行政。\n某区人民政府\n2025年3月26日\n"
    assert meta_of(text).published == "2025-03-26"
    text = "发布日期：2023-03-30\n某区2024年法治政府建设情况报告\n2024年，某区坚持依法行政。\n"
    assert meta_of(text).published is None


@pytest.mark.parametrize(
    "title, signature, author, jurisdiction, parent",
    [
        (
            "姑苏区双塔街道办事处2024年度法治政府建设工作报告",
            "双塔街道办事处",
            "姑苏区双塔街道办事处",
            "双塔街道",
            "姑苏区",
        ),
        (
            "德清县武康镇人民政府2024年法治政府建设工作报告",
            "武康镇人民政府",
            "德清县武康镇人民政府",
            "武康镇",
            "德清县",
        ),
        # the name without its body gets the body of its kind
        ("德清县武康镇2024年法治政府建设情况报告", "", "德清县武康镇人民政府", "武康镇", "德清县"),
    ],
)
def test_a_township_or_street_reports_for_itself(
    title: str, signature: str, author: str, jurisdiction: str, parent: str
) -> None:
    # published on its county's site: the page names the county's government as publisher
    text = (
        f"发布机构：{parent}人民政府\n{title}\n2024年，{jurisdiction}坚持依法行政，全年调解矛盾纠纷268件。\n"
        f"{signature}\n2025年1月15日\n"
    )
    md = meta_of(text)
    assert (md.author, md.jurisdiction, md.admin_code, md.level, md.parent) == (
        author,
        jurisdiction,
        None,
        "township",
        parent,
    )


@pytest.mark.parametrize("author", ["德清县乡村振兴局", "德清县司法局"])
def test_a_county_department_is_not_a_township(author: str) -> None:
    md = meta_of(f"{author}2024年法治政府建设情况报告\n2024年，我局坚持依法行政。\n")
    assert (md.level, md.jurisdiction, md.author) == ("department", "德清县", author)
