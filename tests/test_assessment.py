"""The assessment: each criterion on a report built to pass it and one built to fail it, the required
elements with their evidence, the bundled examples, and the `fazhi assess` command."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import fazhi
from fazhi.assessment import assess, context
from fazhi.assessment.measures import deadline_of
from fazhi.cli import cli
from fazhi.framework import Criterion, Framework, load_framework
from fazhi.models import Document, Fact
from fazhi.outline import build, paragraph_spans, sentence_spans

from .conftest import EXAMPLES

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
REQUIRED = ("achievements", "shortcomings", "principal_duty", "plan")


def make_doc(
    text: str,
    *,
    doc: str = "t",
    year: int | None = 2023,
    published: str | None = None,
    facts: list[Fact] | None = None,
    areas: list[list[str]] | None = None,
    jurisdiction: str | None = None,
) -> Document:
    """A Document by hand: outline sections of the text, the facts given, ``areas`` per top section."""
    d = Document(doc=doc, source=doc, text=text, year=year, published=published, jurisdiction=jurisdiction)
    d.sections = build(text)
    d.paragraphs = paragraph_spans(text)
    d.sentences = sentence_spans(text)
    d.facts = facts or []
    for top, a in zip([s for s in d.sections if s.depth == 1], areas or [], strict=False):
        top.areas = a
    return d


def fact(
    text: str, surface: str, *, indicator: str | None = None, area: str | None = None, after: str = ""
) -> Fact:
    """A fact for the first ``surface`` in ``text`` (after ``after``)."""
    start = text.index(surface, text.index(after) if after else 0)
    number = "".join(c for c in surface if c.isdigit() or c == ".")
    unit = surface[len(number) :] if surface.startswith(number) else ""
    kind = "rate" if unit == "%" else "count"
    return Fact(
        surface, float(number), unit, "none", kind, "", indicator, area, start, start + len(surface), ""
    )


def one(measure: str, max: float = 10, **params) -> Framework:
    """A framework of a single criterion."""
    return Framework("t", 1, "测试", (Criterion("c", "测试指标", max, measure, params),))


def score_of(doc: Document, measure: str, **params):
    a = assess(doc, one(measure, **params))
    return a.criteria[0]


def check_evidence(doc: Document, evidence) -> None:
    for e in evidence:
        assert doc.text[e.start : e.end] == e.quote and e.quote


# -- reports written for the tests ------------------------------------------------------------------

PLAIN = (
    "2023年，某县坚持依法行政。\n"
    "一、主要工作和成效\n"
    "党政主要负责同志认真履行推进法治建设第一责任人职责，召开常务会议专题研究法治建设。全年办理行政复议案件30件。\n"
    "二、存在的问题\n"
    "法治意识有待提高。\n"
    "三、下一步工作打算\n"
    "下一步，我县将继续深入学习贯彻习近平法治思想，推动法治政府建设再上新台阶。\n"
)

MIXED_CLOSING = (
    "一、2023年主要工作成效\n"
    "（一）认真履行推进法治建设第一责任人职责\n"
    "局主要领导切实履行推进法治建设第一责任人职责，召开局党组会研究法治工作5次。\n"
    "（二）积极落实依法行政工作任务\n"
    "全年办理各类业务2329件，主动公开信息2648条。\n"
    "二、2024年主要工作安排\n"
    "2023年，我局法治政府建设工作取得了积极成效，但也存在着问题和不足，如人民调解组织作用发挥还需加强、公众对法律援助认知度不高等。"
    "2024年，我局将完善三级人民调解网络，年底前实现行业性专业性调解组织全覆盖。\n"
)


@pytest.fixture(scope="module")
def fixtures() -> dict[str, Document]:
    return {p.stem: fazhi.read(p) for p in sorted(FIXTURES.glob("*.txt"))}


@pytest.fixture(scope="module")
def examples() -> dict[str, Document]:
    return {p.stem: fazhi.read(p) for p in sorted(EXAMPLES.glob("*.txt"))}


# -- required elements ------------------------------------------------------------------------------


def test_complete_report_has_every_element_in_its_own_part(fixtures) -> None:
    doc = fixtures["sample-county-2023-complete"]
    a = assess(doc)
    for el in (*REQUIRED, "other"):
        e = a.elements[el]
        assert e.present and e.substance != "absent", el
        assert doc.text[e.start : e.end].strip(), el
        check_evidence(doc, e.evidence)
    assert a.elements["shortcomings"].section == "存在的不足和原因"
    assert a.elements["principal_duty"].section == "党政主要负责人履行推进法治建设第一责任人职责情况"
    by_id = {c.id: c for c in a.criteria}
    for el in REQUIRED:
        c = by_id[f"element_{el}"]
        assert c.score == c.max and "得满分" in c.note and c.evidence


def test_missing_shortcomings_part_loses_its_points_and_says_so(fixtures) -> None:
    doc = fixtures["sample-county-2023-no-shortcomings"]
    a = assess(doc)
    assert a.elements["shortcomings"].present is False
    assert a.elements["shortcomings"].substance == "absent"
    assert a.elements["shortcomings"].start is None and a.elements["shortcomings"].evidence == []
    by_id = {c.id: c for c in a.criteria}
    c = by_id["element_shortcomings"]
    assert (c.score, c.evidence) == (0.0, [])
    assert c.note.startswith("缺少「存在的不足和原因」")
    assert by_id["substance_shortcomings"].score == 0.0
    assert "无从评价" in by_id["substance_shortcomings"].note
    # the other elements are still found
    assert all(a.elements[el].present for el in ("achievements", "principal_duty", "plan"))


def test_principal_duty_sentence_inside_achievements_counts_with_that_sentence_as_evidence() -> None:
    doc = make_doc(PLAIN)
    a = assess(doc)
    e = a.elements["principal_duty"]
    assert e.present and e.section == "主要工作和成效"
    assert [x.quote for x in e.evidence] == [
        "党政主要负责同志认真履行推进法治建设第一责任人职责，召开常务会议专题研究法治建设"
    ]
    check_evidence(doc, e.evidence)
    c = {c.id: c for c in a.criteria}["element_principal_duty"]
    assert c.score == c.max / 2  # default.v1: embedded_share 0.5
    assert "没有独立部分" in c.note
    full = score_of(doc, "element_present", element="principal_duty")  # embedded_share defaults to 1
    assert full.score == 10


def test_mixed_closing_part_is_split_into_shortcomings_and_plan() -> None:
    doc = make_doc(MIXED_CLOSING, year=2023)
    a = assess(doc)
    short, plan = a.elements["shortcomings"], a.elements["plan"]
    assert short.present and plan.present
    assert doc.text[short.start : short.end].startswith(
        "2023年，我局法治政府建设工作取得了积极成效，但也存在着问题和不足"
    )
    assert plan.section == "2024年主要工作安排" and doc.text[plan.start :].startswith(
        "二、2024年主要工作安排"
    )
    by_id = {c.id: c for c in a.criteria}
    assert by_id["element_plan"].score == 8  # the part's own heading says plan
    assert by_id["element_shortcomings"].score == 4  # no part of its own
    assert a.elements["principal_duty"].section == "认真履行推进法治建设第一责任人职责"
    assert by_id["element_principal_duty"].score == 8


def test_a_report_without_headings_still_has_its_elements_found() -> None:
    body = "全年办理行政复议案件30件，开展执法检查200次，组织培训15场。" * 12
    text = (
        "2024年，本县认真推进法治政府建设。\n"
        + body
        + "但也存在一些问题，执法力量不足。下一步，我们将加强执法队伍建设。"
    )
    doc = make_doc(text, year=2024)
    a = assess(doc)
    achievements, short, plan = (a.elements[k] for k in ("achievements", "shortcomings", "plan"))
    assert achievements.present and (achievements.start, achievements.section) == (0, None)
    assert [e.quote for e in short.evidence] == ["但也存在一些问题，执法力量不足"]
    assert [e.quote for e in plan.evidence] == ["下一步，我们将加强执法队伍建设"]
    notes = {c.id: c.note for c in a.criteria}
    assert "只见于没有标题的正文中" in notes["element_achievements"]
    short_only = make_doc("法治政府建设工作情况。但也存在一些问题，执法力量不足。", year=2024)
    assert assess(short_only).elements["achievements"].present is False  # too little text to be the work done


def test_plan_year_must_be_after_the_report_year() -> None:
    text = "一、主要工作\n2023年，我县将法治建设纳入考核，全年考核单位40个。\n二、存在问题\n执法力量不足，原因是编制紧张。\n"
    doc = make_doc(text, year=2023)
    assert assess(doc).elements["plan"].present is False


# -- substance signals ------------------------------------------------------------------------------


def test_shortcomings_with_reasons_and_numbers_are_specific(fixtures) -> None:
    doc = fixtures["sample-county-2023-complete"]
    ctx = context(doc)
    signals = ctx.signals["shortcomings"]
    assert signals["reasons"].count == 3
    assert any("主要原因是编制紧张" in e.quote for e in signals["reasons"].evidence)
    assert signals["numbers"].count >= 3
    assert ctx.elements["shortcomings"].substance == "specific"
    c = {c.id: c for c in assess(doc).criteria}["substance_shortcomings"]
    assert c.score == c.max and "原因分析3处" in c.note
    check_evidence(doc, c.evidence)


def test_one_stock_sentence_of_shortcomings_is_generic_and_loses_points() -> None:
    doc = make_doc(PLAIN)
    a = assess(doc)
    assert a.elements["shortcomings"].substance == "generic"
    c = {c.id: c for c in a.criteria}["substance_shortcomings"]
    # one problem of three (0.2 * 8 / 3), not in a named field, no reason
    assert c.score == pytest.approx(0.53, abs=0.01)
    assert "问题1处（需3处" in c.note and "原因分析0处" in c.note
    assert [e.quote for e in c.evidence] == ["法治意识有待提高"]


def test_several_problems_in_one_clause_are_counted_apart() -> None:
    doc = make_doc(MIXED_CLOSING)
    problems = context(doc).signals["shortcomings"]["problems"]
    assert [e.quote for e in problems.evidence] == [
        "如人民调解组织作用发挥还需加强",
        "公众对法律援助认知度不高等",
    ]


def test_plan_with_targets_and_deadlines_is_specific_and_a_vague_one_is_not(fixtures) -> None:
    good = fixtures["sample-county-2023-complete"]
    signals = context(good).signals["plan"]
    assert {e.quote for e in signals["deadlines"].evidence} >= {
        "6月底前完成全县权责清单动态调整",
        "第三季度上线运行",
    }
    assert any("5%" in e.quote for e in signals["targets"].evidence)
    assert assess(good).elements["plan"].substance == "specific"
    vague = make_doc(PLAIN)
    c = {c.id: c for c in assess(vague).criteria}["substance_plan"]
    assert assess(vague).elements["plan"].substance == "generic"
    assert "可衡量目标0处" in c.note and "时限0处" in c.note
    assert c.score < c.max * 0.4


def test_principal_duty_with_acts_and_numbers_passes_and_without_numbers_does_not() -> None:
    with_numbers = make_doc(MIXED_CLOSING, facts=[fact(MIXED_CLOSING, "5次")])
    c = score_of(with_numbers, "element_signals", element="principal_duty", signals=_duty_signals())
    assert c.score == 10 and "数据1处" in c.note
    without = make_doc(PLAIN)
    c = score_of(without, "element_signals", element="principal_duty", signals=_duty_signals())
    assert c.score == 5 and "数据0处" in c.note  # acts yes (召开, 专题研究), numbers no


def _duty_signals() -> list[dict]:
    return [{"signal": "acts", "min": 1, "share": 0.5}, {"signal": "numbers", "min": 1, "share": 0.5}]


def test_closing_lines_belong_to_no_element(examples) -> None:
    doc = examples["shishi-city-2024"]
    plan = assess(doc).elements["plan"]
    assert "特此报告" not in doc.text[plan.start : plan.end]
    assert context(doc).signals["plan"]["deadlines"].count == 0  # the signature date is not a deadline


# -- coverage and density ---------------------------------------------------------------------------

COVERAGE_TEXT = (
    "一、深化行政执法改革\n全年办理行政处罚案件1842件，开展执法检查300次。\n"
    "二、化解矛盾纠纷\n排查化解矛盾纠纷3520件。\n"
    "三、存在问题\n执法力量不足。\n"
)


def test_area_coverage_by_text_and_by_facts() -> None:
    facts = [
        fact(COVERAGE_TEXT, "1842件", area="enforcement"),
        fact(COVERAGE_TEXT, "300次", area="enforcement"),
        fact(COVERAGE_TEXT, "3520件", area="disputes"),
    ]
    doc = make_doc(COVERAGE_TEXT, facts=facts, areas=[["enforcement"], ["disputes"], ["enforcement"]])
    text = score_of(doc, "area_coverage", basis="text", min_share=0.02)
    assert text.score == 2.0  # 2 of 10 areas
    assert (
        text.note.startswith("覆盖2/10个方面") and "未覆盖：" in text.note and "突发事件应对0%" in text.note
    )
    assert [e.quote for e in text.evidence] == ["一、深化行政执法改革", "二、化解矛盾纠纷"]
    by_facts = score_of(doc, "area_coverage", basis="facts", min_facts=2)
    assert by_facts.score == 1.0 and "行政执法2条" in by_facts.note  # disputes has 1 fact only
    narrowed = score_of(doc, "area_coverage", basis="facts", areas=["enforcement", "disputes"])
    assert narrowed.score == 10


def test_area_coverage_of_a_full_report_and_of_a_report_without_areas(fixtures) -> None:
    full = {c.id: c for c in assess(fixtures["sample-county-2023-complete"]).criteria}
    assert full["coverage_text"].note.startswith("覆盖10/10") and full["coverage_facts"].note.startswith(
        "覆盖10/10"
    )
    bare = make_doc(COVERAGE_TEXT)  # no areas assigned
    c = score_of(bare, "area_coverage", basis="text")
    assert c.score == 0 and "未标注所属方面" in c.note


def test_fact_density() -> None:
    facts = [fact(COVERAGE_TEXT, s) for s in ("1842件", "300次", "3520件")]
    dense = make_doc(COVERAGE_TEXT, facts=facts)
    c = score_of(dense, "fact_density", full_at=8)
    assert c.score == 10 and c.note.startswith("共3条数据")
    assert [e.quote for e in c.evidence] == [
        "全年办理行政处罚案件1842件，开展执法检查300次",
        "排查化解矛盾纠纷3520件",
    ]
    check_evidence(dense, c.evidence)
    c = score_of(make_doc(PLAIN), "fact_density", full_at=8)
    assert c.score == 0 and c.note.startswith("共0条数据")


def test_indicator_share() -> None:
    text = "一、主要工作\n行政机关负责人出庭应诉率96.5%，行政诉讼败诉率6.2%。\n"
    doc = make_doc(text, facts=[fact(text, "96.5%", indicator="leader_appearance_rate")])
    ids = ["leader_appearance_rate", "litigation_loss_rate", "recon_received", "petitions"]
    c = score_of(doc, "indicator_share", indicators=ids, full_at=0.5)
    assert c.score == 5.0  # 1 of 4 = 25%, half of the 50% needed
    assert "报告了1/4项" in c.note and "未报告3项" in c.note
    assert c.evidence[0].quote == "行政机关负责人出庭应诉率96.5%，行政诉讼败诉率6.2%"
    c = score_of(make_doc(PLAIN), "indicator_share", indicators=ids, full_at=0.5)
    assert c.score == 0


# -- indicator values against reference levels -----------------------------------------------------

APPEARANCE = dict(
    indicator="leader_appearance_rate", direction="higher", reference=95, zero_at=60, kind="rate", unit="%"
)
LOSS = dict(
    indicator="litigation_loss_rate", direction="lower", reference=10, zero_at=25, kind="rate", unit="%"
)


@pytest.mark.parametrize(
    ("params", "surface", "expected", "words"),
    [
        (APPEARANCE, "96.5%", 10, "达到参考水平"),
        (APPEARANCE, "77.5%", 5, "按差距得50%"),
        (APPEARANCE, "50%", 0, "不得分"),
        (LOSS, "6.2%", 10, "达到参考水平"),
        (LOSS, "17.5%", 5, "按差距得50%"),
        (LOSS, "30%", 0, "不得分"),
    ],
)
def test_indicator_reference(params, surface, expected, words) -> None:
    text = f"一、主要工作\n全年应诉案件80件，比率为{surface}。\n"
    doc = make_doc(text, facts=[fact(text, surface, indicator=params["indicator"])])
    c = score_of(doc, "indicator_reference", **params)
    assert c.score == expected and words in c.note and surface in c.note
    assert [e.quote for e in c.evidence] == [f"全年应诉案件80件，比率为{surface}"]


def test_indicator_reference_missing_and_wrong_kind() -> None:
    text = "一、主要工作\n行政机关负责人出庭应诉率同比提高1.5%。\n"
    change = fact(text, "1.5%", indicator="leader_appearance_rate")
    change.kind = "change"
    doc = make_doc(text, facts=[change])
    c = score_of(doc, "indicator_reference", **APPEARANCE)
    assert c.score == 0 and c.note.startswith("未报告「行政机关负责人出庭应诉率」") and c.evidence == []
    c = score_of(doc, "indicator_reference", **APPEARANCE, missing_share=0.3)
    assert c.score == 3.0


# -- timeliness -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "timely", "score", "words"),
    [
        ("2024-03-15", True, 10, "在2024年4月1日之前公开"),
        ("2024-03-31", True, 10, "在2024年4月1日之前公开"),
        ("2024-04-01", False, 0, "超过公开期限（2024年4月1日之前）1天"),
        ("2024-05-20", False, 0, "超过公开期限（2024年4月1日之前）50天"),
        (None, None, 0, "未找到发布日期"),
    ],
)
def test_timeliness(published, timely, score, words) -> None:
    doc = make_doc(PLAIN, year=2023, published=published)
    a = assess(doc, one("timeliness"))
    assert a.timely is timely and a.deadline == "2024-04-01"
    assert a.criteria[0].score == score and words in a.criteria[0].note


def test_timeliness_quotes_the_date_when_the_text_has_it_and_knows_no_deadline_without_a_year() -> None:
    text = PLAIN + "示例县人民政府\n2024年3月15日\n"
    doc = make_doc(text, published="2024-03-15")
    c = score_of(doc, "timeliness")
    assert [e.quote for e in c.evidence] == ["2024年3月15日"]
    undated = assess(make_doc(PLAIN, year=None, published="2024-03-15"), one("timeliness"))
    assert (
        undated.timely is None and undated.deadline is None and "未能确定报告年度" in undated.criteria[0].note
    )
    late = score_of(make_doc(PLAIN, published="2024-05-20"), "timeliness", late_share=0.2)
    assert late.score == 2.0


def test_deadline_before_2019_rules_is_the_first_quarter() -> None:
    assert deadline_of(2017).isoformat() == "2018-04-01"
    doc = make_doc(PLAIN, year=2017, published="2018-03-30")
    c = score_of(doc, "timeliness")
    assert c.score == 10 and "第一季度内" in c.note


def test_late_fixture_is_flagged_late(fixtures) -> None:
    a = assess(fixtures["sample-county-2023-published-late"])
    assert a.timely is False and a.deadline == "2024-04-01"
    c = {c.id: c for c in a.criteria}["timeliness"]
    assert c.score == 0 and "2024-05-20" in c.note and "50天" in c.note


# -- the bundled examples ---------------------------------------------------------------------------


def test_cues_file_is_well_formed() -> None:
    from fazhi.assessment.view import cues
    from fazhi.framework import OUTLINE_AREAS, SIGNALS

    c = cues()  # compiles every regex
    assert set(c["substance"]) == {*REQUIRED, "other"}
    for el, rule in c["substance"].items():
        assert set(rule["minimum"]) <= set(SIGNALS), el
        assert set(rule["all"]) | set(rule["any"]) <= set(rule["minimum"]), el
    assert set(c["signals_labels"]) == set(SIGNALS)
    from fazhi.labels import labels

    assert {*REQUIRED, "other"} <= set(labels("elements")) and set(OUTLINE_AREAS) <= set(labels("areas"))


def test_examples_name_every_required_element_with_evidence(examples) -> None:
    for name, doc in examples.items():
        a = assess(doc)
        assert set(a.elements) == {*REQUIRED, "other"}
        for el in REQUIRED:
            e = a.elements[el]
            assert e.present and e.evidence, (name, el)
            check_evidence(doc, e.evidence)
        for c in a.criteria:
            check_evidence(doc, c.evidence)
            assert c.note and 0 <= c.score <= c.max
        # every point lost is explained: a criterion below its maximum says why in its note
        for c in a.criteria:
            if c.score < c.max:
                assert any(
                    w in c.note for w in ("需", "未", "缺少", "没有独立部分", "不得分", "分值", "未覆盖")
                ), c


def test_examples_scores_differ_for_checkable_reasons(examples) -> None:
    scores = {name: assess(doc) for name, doc in examples.items()}
    assert len({a.score for a in scores.values()}) == len(scores)

    def crit(name: str, cid: str):
        return {c.id: c for c in scores[name].criteria}[cid]

    # the justice bureau puts its shortcomings inside the plan part
    assert crit("xiamen-justice-bureau-2024", "element_shortcomings").score == 4
    assert "只见于「2025年主要工作安排」" in crit("xiamen-justice-bureau-2024", "element_shortcomings").note
    # Shishi has a first-responsibility part of its own; Xiamen 2024 only a sentence
    assert crit("shishi-city-2024", "element_principal_duty").score == 8
    assert crit("xiamen-city-2024", "element_principal_duty").score == 4
    assert "第一责任人职责" in crit("xiamen-city-2024", "element_principal_duty").evidence[0].quote
    # no example states reasons for its shortcomings
    for name in scores:
        assert "原因分析0处" in crit(name, "substance_shortcomings").note
    # Xiamen 2020 is thin on numbers, Huli states no publication date
    assert (
        crit("xiamen-city-2020-traditional", "fact_density").score
        < crit("xiamen-city-2024", "fact_density").score
    )
    assert scores["huli-district-2024"].timely is None and scores["xiamen-city-2024"].timely is True


def test_assessment_is_deterministic_and_fast(examples) -> None:
    doc = examples["shishi-city-2024"]
    assert assess(doc).to_dict() == assess(doc).to_dict()
    big = fazhi.read("\n".join([doc.text] * 4), doc="big")  # about 24,000 characters
    assert len(big.text) > 20000
    assess(big)
    best = min(_timed(lambda: assess(big)) for _ in range(3))
    assert best < 0.05, f"assess took {best * 1000:.0f} ms"


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# -- the command ------------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "240"})


def test_assess_json_has_the_contract_fields() -> None:
    result = run("assess", str(EXAMPLES), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["doc"] for r in rows] == sorted(p.stem for p in EXAMPLES.glob("*.txt"))
    for r in rows:
        assert {"doc", "score", "criteria", "elements", "timely", "framework"} <= set(r)
        assert 0 <= r["score"] <= 100 and r["framework"] == "default.v1"
        for c in r["criteria"]:
            assert {"id", "name", "score", "max", "evidence", "note"} <= set(c)
            for e in c["evidence"]:
                assert set(e) == {"quote", "start", "end"}
        for el in REQUIRED:
            assert {"present", "start", "end", "substance"} <= set(r["elements"][el])
        assert r["timely"] in (True, False, None)


def test_assess_table_and_csv() -> None:
    path = str(FIXTURES / "sample-county-2023-no-shortcomings.txt")
    table = run("assess", path)
    assert table.exit_code == 0
    for word in ("得分", "指标", "证据", "要素", "缺少「存在的不足和原因」"):
        assert word in table.stdout, word
    out = run("assess", path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == len(load_framework().criteria)
    row = next(r for r in rows if r["criterion"] == "element_shortcomings")
    assert (
        row["score"] == "0.0"
        and row["doc"] == "sample-county-2023-no-shortcomings"
        and row["timely"] == "true"
    )


def test_assess_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_bytes((FIXTURES / "sample-county-2023-complete.txt").read_bytes())
    result = run("assess", str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    assert [json.loads(x)["doc"] for x in result.stdout.splitlines()] == ["good"]
    assert "empty.txt: empty file" in result.stderr and "Traceback" not in result.stderr
