"""Framework areas: classify any text, assign areas to a document's sections and facts."""

import json
from pathlib import Path

import pytest

from fazhi.areas import area_table, assign, classify
from fazhi.facts import extract_facts
from fazhi.models import AREAS, Document, Section

GOLD = Path(__file__).parent / "eval" / "gold"


@pytest.mark.parametrize(
    "text, first",
    [
        ("深入学习贯彻习近平法治思想，认真履行推进法治建设第一责任人职责", "leadership"),
        ("深化“放管服”改革，持续优化法治化营商环境", "functions"),
        ("加强行政规范性文件备案审查，推进立法工作", "rules"),
        ("严格落实重大行政决策程序，发挥法律顾问作用", "decisions"),
        ("全面推行行政执法三项制度，深化综合行政执法改革", "enforcement"),
        ("健全突发事件应对体系，修订应急预案并开展演练", "emergency"),
        ("发挥行政复议化解行政争议主渠道作用，推进人民调解", "disputes"),
        ("自觉接受人大监督和政协民主监督，全面推进政务公开", "oversight"),
        ("加快数字政府建设，推进数据共享和电子证照应用", "digital"),
        ("深入开展“八五”普法，完善公共法律服务体系和法律援助", "society"),
        # shortcomings are written in their own words: too little attention is the leadership's
        ("部分单位对法治政府建设重视不够，工作推进不平衡", "leadership"),
        ("基层司法所力量薄弱", "society"),
        # the 2015-2020 outline's area titles map onto the same ids
        ("依法全面履行政府职能", "functions"),
        ("完善依法行政制度体系", "rules"),
        ("推进行政决策科学化、民主化、法治化", "decisions"),
        ("坚持严格规范公正文明执法", "enforcement"),
        ("强化对行政权力的制约和监督", "oversight"),
        ("依法有效化解社会矛盾纠纷", "disputes"),
        # enforcement statistics are not data governance
        ("执法数据", "enforcement"),
    ],
)
def test_classify_first_area(text, first):
    assert classify(text)[0] == first


def test_enforcement_statistics_name_no_digital_area():
    assert classify("执法数据") == ["enforcement"]
    assert classify("推进数据共享")[0] == "digital"


def test_classify_other_and_order():
    assert classify("天气晴朗") == ["other"]
    assert classify("") == ["other"]
    areas = classify("行政复议案件审结率提高；行政复议纠错；同时加强普法宣传")
    assert areas[0] == "disputes" and "society" in areas


def test_chapter_titles_classify_to_their_area():
    for area in area_table():
        for title in area.chapters + area.chapters_2015:
            if area.id in ("leadership", "society"):
                continue  # C1 and the society line share cues with others; checked above
            assert classify(title)[0] == area.id, (title, classify(title))


def test_assign_fills_sections_and_facts():
    text = (
        "一、深化行政复议应诉工作\n审查行政复议申请590件，行政机关负责人出庭应诉率100%。\n"
        "二、加强普法宣传\n开展普法活动80余场次。（一）法律援助\n办理法律援助案件120件。\n"
    )
    i2 = text.index("二、")
    i3 = text.index("（一）")
    sections = [
        Section("一", "深化行政复议应诉工作", 1, 0, i2, heading_end=12),
        Section("二", "加强普法宣传", 1, i2, len(text), heading_end=i2 + 8),
        Section("一", "法律援助", 2, i3, len(text), heading_end=i3 + 7),
    ]
    doc = Document(doc="t", source="t", text=text, sections=sections)
    doc.facts = extract_facts(text, sections)
    for f in doc.facts:
        f.area = None
    assign(doc)
    assert [s.areas[0] for s in sections] == ["disputes", "society", "society"]
    assert all(s.areas and set(s.areas) <= set(AREAS) for s in sections)
    assert [f.area for f in doc.facts] == ["disputes", "disputes", "society", "society"]


def _areas_of(heading: str, body: str) -> list[str]:
    text = f"一、{heading}\n{body}\n"
    section = Section("一", heading, 1, 0, len(text), heading_end=len(heading) + 3)
    doc = Document(doc="t", source="t", text=text, sections=[section])
    assign(doc)
    return section.areas


def test_areas_of_a_heading_that_names_none_come_in_the_order_the_body_takes_them_up():
    # the body scores enforcement highest (two cues), but begins with disputes, then enforcement,
    # then society: under a heading that names no area that reading order is the order given
    body = (
        "行政复议案件审结率有待提高。"
        "行政执法人员素质参差不齐，综合行政执法改革仍需深化，行政执法三项制度落实不够。"
        "普法宣传形式较为单一。"
    )
    by_score = classify(body)
    assert by_score[0] == "enforcement" and {"disputes", "society"} <= set(by_score)
    areas = _areas_of("存在的问题", body)
    assert areas[:3] == ["disputes", "enforcement", "society"]
    assert sorted(areas) == sorted(by_score)  # the same areas, only ordered differently


def test_areas_of_a_heading_that_names_one_are_ranked_by_score():
    body = "普法宣传形式较为单一。行政执法人员素质参差不齐，行政执法三项制度落实不够。"
    assert _areas_of("坚持严格规范公正文明执法", body)[0] == "enforcement"
    assert _areas_of("深入开展普法宣传", body)[0] == "society"


def test_a_part_that_reviews_the_whole_outline_lists_every_area_in_the_order_taken_up():
    lines = [
        ("深入学习贯彻习近平法治思想，认真履行推进法治建设第一责任人职责。", "leadership"),
        ("深化“放管服”改革，持续优化法治化营商环境。", "functions"),
        ("加强行政规范性文件备案审查，推进立法工作。", "rules"),
        ("严格落实重大行政决策程序，发挥法律顾问作用。", "decisions"),
        ("全面推行行政执法三项制度，深化综合行政执法改革。", "enforcement"),
        ("健全突发事件应对体系，修订应急预案并开展演练。", "emergency"),
        ("发挥行政复议化解行政争议主渠道作用，推进人民调解。", "disputes"),
        ("自觉接受人大监督和政协民主监督，全面推进政务公开。", "oversight"),
        ("加快数字政府建设，推进数据共享和电子证照应用。", "digital"),
        ("深入开展“八五”普法，完善公共法律服务体系和法律援助。", "society"),
    ]
    lines = lines[5:] + lines[:5]  # not the outline's order: the report's own order must show
    areas = _areas_of("2024年主要工作", "".join(text for text, _ in lines))
    assert areas == [area for _, area in lines]


def test_section_areas_on_gold():
    """Top-level section areas against the gold: first area and set overlap must stay sensible."""
    from fazhi import outline

    gold = [json.loads(line) for line in (GOLD / "sections.jsonl").read_text(encoding="utf-8").splitlines()]
    first_ok = inter = n_pred = n_gold = 0
    n = 0
    for doc_id in sorted({g["doc"] for g in gold}):
        text = (GOLD / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
        doc = Document(doc=doc_id, source=doc_id, text=text, sections=outline.build(text))
        assign(doc)
        tops = doc.top_sections()
        for g in (g for g in gold if g["doc"] == doc_id):
            match = next((s for s in tops if s.heading[:10] == g["heading"][:10]), None)
            if match is None:
                continue
            n += 1
            first_ok += match.areas[0] == g["areas"][0]
            inter += len(set(match.areas) & set(g["areas"]))
            n_pred += len(match.areas)
            n_gold += len(g["areas"])
    assert n >= 20
    assert first_ok / n >= 0.6
    p, r = inter / n_pred, inter / n_gold
    assert 2 * p * r / (p + r) >= 0.8
