"""Exports: the bundled examples to every format, read back with openpyxl, python-docx, pyarrow and csv."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from fazhi.cli import cli
from fazhi.exports import FORMATS, ExportWarning, charts, export
from fazhi.exports.tables import build_tables, indicator_name, indicator_pivot
from fazhi.models import Assessment, CriterionScore, Document, ElementCheck, Evidence, Fact

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHEETS = ["排名", "评分明细", "关键指标", "指标明细", "全部数据", "合规检查", "章节", "说明"]
# A gold fact of xiamen-city-2024 (tests/eval/gold/facts.jsonl); its evidence sentence holds the context.
KNOWN = {
    "doc": "xiamen-city-2024",
    "surface": "99.81%",
    "value": 99.81,
    "sentence_part": "负责人出庭应诉率99.81%",
}


@pytest.fixture(scope="module")
def items(processed):
    from fazhi.assessment import assess

    return [(d, assess(d)) for d in processed.values()]


@pytest.fixture(scope="module")
def out(items, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    for fmt in FORMATS:
        export(items, fmt, folder)
    return folder


@pytest.fixture(scope="module")
def known_indicator(items) -> str:
    """Chinese name of the indicator the known fact measures (from data/indicators.yaml)."""
    doc = next(d for d, _ in items if d.doc == KNOWN["doc"])
    fact = next(f for f in doc.facts if f.surface == KNOWN["surface"])
    name = indicator_name(fact.indicator)
    assert name and is_chinese(name)
    return name


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def records(ws) -> list[dict]:
    rows = ws.iter_rows(values_only=True)
    head = next(rows)
    return [dict(zip(head, r, strict=True)) for r in rows]


def is_chinese(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


# -- xlsx ----------------------------------------------------------------------------------------


def test_workbook_sheets_headers_frozen_filtered(out):
    wb = openpyxl.load_workbook(out / "fazhi.xlsx")
    assert wb.sheetnames == SHEETS
    for name in SHEETS[:-1]:
        ws = wb[name]
        assert all(is_chinese(h) for h in header(ws)), name
        assert ws.freeze_panes and ws.freeze_panes.endswith("2"), name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name


def test_ranking_sheet(out, items):
    ws = openpyxl.load_workbook(out / "fazhi.xlsx")["排名"]
    rows = records(ws)
    assert len(rows) == len(items) == 5
    assert header(ws)[:6] == ["排名", "地区", "报告主体", "层级", "年度", "总分"]
    scores = [r["总分"] for r in rows]
    assert all(isinstance(s, float | int) for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert rows[0]["排名"] == 1
    assert {r["文件"] for r in rows} == {d.doc for d, _ in items}
    assert {r["年度"] for r in rows} == {2020, 2024}
    assert ws.cell(row=2, column=5).data_type == "n"  # 年度 is a number ...
    assert ws.cell(row=2, column=5).number_format == "0"  # ... shown without a thousands separator
    # one column per criterion of the framework, each holding numbers
    crit_names = {c.name for _, a in items for c in a.criteria}
    crit_headers = [h for h in header(ws) if h.endswith("分）") and h.rsplit("（", 1)[0] in crit_names]
    assert len(crit_headers) == len(crit_names)
    xiamen = next(r for r in rows if r["文件"] == "xiamen-city-2024")
    assessment = next(a for d, a in items if d.doc == "xiamen-city-2024")
    assert xiamen["总分"] == pytest.approx(assessment.score)
    assert xiamen["发布日期"].date().isoformat() == "2025-03-04"
    assert xiamen["按时公开"] == ("是" if assessment.timely else "否")


def test_all_facts_sheet_has_value_and_evidence(out, items, known_indicator):
    ws = openpyxl.load_workbook(out / "fazhi.xlsx")["全部数据"]
    head = header(ws)
    for h in ("地区", "年度", "领域", "指标", "统计对象", "数值", "单位", "约数", "类型", "证据句"):
        assert h in head
    assert ws.max_row - 1 == sum(len(d.facts) for d, _ in items)
    vcol = head.index("数值") + 1
    found = None
    for row in ws.iter_rows(min_row=2):
        rec = dict(zip(head, (c.value for c in row), strict=True))
        if rec["文件"] == KNOWN["doc"] and rec["原文数字"] == KNOWN["surface"]:
            found = (rec, row[vcol - 1])
    assert found, "known fact missing from 全部数据"
    rec, cell = found
    assert cell.data_type == "n" and cell.value == pytest.approx(KNOWN["value"])
    assert "%" in cell.number_format  # shown as 99.81%, stored as the number 99.81
    assert rec["单位"] == "%"
    assert rec["指标"] == known_indicator
    assert KNOWN["sentence_part"] in rec["证据句"] and KNOWN["surface"] in rec["证据句"]
    assert rec["领域"] and is_chinese(rec["领域"])  # area shown by its Chinese name
    assert ws.cell(row=2, column=head.index("证据句") + 1).alignment.wrap_text
    # column widths follow content, CJK counted double: the evidence column is wide, 年度 narrow
    widths = {
        h: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i, h in enumerate(head)
    }
    assert widths["证据句"] >= 40 > widths["年度"]


def test_key_indicators_pivot_links_to_evidence(out, known_indicator):
    wb = openpyxl.load_workbook(out / "fazhi.xlsx")
    ws, detail = wb["关键指标"], wb["指标明细"]
    head = header(ws)
    col = head.index(known_indicator + "（%）") + 1
    row = next(
        r for r in range(2, ws.max_row + 1) if ws.cell(r, head.index("文件") + 1).value == KNOWN["doc"]
    )
    cell = ws.cell(row, col)
    assert cell.data_type == "n" and cell.value == pytest.approx(KNOWN["value"])
    assert cell.number_format.endswith('"%"')
    target = cell.hyperlink.location  # '指标明细'!Q5
    sheet, ref = target.split("!")
    assert sheet.strip("'") == "指标明细"
    assert KNOWN["surface"] in detail[ref].value
    assert KNOWN["sentence_part"] in cell.comment.text


def test_compliance_sheet(out, items):
    ws = openpyxl.load_workbook(out / "fazhi.xlsx")["合规检查"]
    rows = records(ws)
    assert len(rows) == sum(len(a.elements) for _, a in items)
    assert {r["是否具备"] for r in rows} <= {"是", "否"}
    assert {"主要举措和成效", "存在的不足和原因", "第一责任人履职情况", "下一年度主要安排"} <= {
        r["要素"] for r in rows
    }
    present = [r for r in rows if r["是否具备"] == "是"]
    assert present and all(r["原文摘录"] for r in present)
    for r in rows:
        assert r["实质性"] in {"缺失", "笼统", "具体"}
        assert r["按时公开"] in {"是", "否", "不详"}
        assert r["公开期限"] is not None  # a date for every report with a year


# -- csv / parquet / json ------------------------------------------------------------------------


def test_csv_has_bom_chinese_headers_and_the_fact(out, items):
    raw = (out / "facts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(d.facts) for d, _ in items)
    hit = [r for r in rows if r["文件"] == KNOWN["doc"] and r["原文数字"] == KNOWN["surface"]]
    assert hit and hit[0]["数值"] == "99.81" and KNOWN["sentence_part"] in hit[0]["证据句"]
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        reports = list(csv.DictReader(fh))
    assert [r["排名"] for r in reports][0] == "1" and len(reports) == 5
    big = next(r for r in rows if r["文件"] == KNOWN["doc"] and r["原文数字"] == "17.5万件")
    assert big["数值"] == "175000"  # whole numbers without ".0"
    for name in ("criteria", "elements", "sections", "indicators"):
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_parquet_is_typed(out, items):
    import pyarrow as pa

    facts = pq.read_table(out / "facts.parquet")
    assert facts.num_rows == sum(len(d.facts) for d, _ in items)
    assert facts.schema.field("数值").type == pa.float64()
    assert facts.schema.field("年度").type == pa.int64()
    assert facts.schema.field("数值").metadata[b"key"] == b"value"
    reports = pq.read_table(out / "reports.parquet")
    assert reports.schema.field("总分").type == pa.float64()
    assert reports.schema.field("按时公开").type == pa.bool_()
    assert reports.schema.field("发布日期").type == pa.date32()
    df = facts.to_pylist()
    hit = [r for r in df if r["文件"] == KNOWN["doc"] and r["原文数字"] == KNOWN["surface"]]
    assert hit[0]["数值"] == pytest.approx(99.81)
    for name in ("criteria", "elements", "sections", "indicators"):
        assert pq.read_table(out / f"{name}.parquet").num_rows > 0


def test_json_has_contract_fields_and_assessment(out, items):
    data = json.loads((out / "fazhi.json").read_text(encoding="utf-8"))
    assert data["count"] == 5 == len(data["reports"])
    for rep in data["reports"]:
        for f in Document.CONTRACT_FIELDS:
            assert f in rep
        assert rep["assessment"]["doc"] == rep["doc"]
        assert rep["assessment"]["criteria"]
    assert data["reports"][0]["rank"] == 1
    assert "厦门市" in (out / "fazhi.json").read_text(encoding="utf-8")  # Chinese not escaped


# -- docx ----------------------------------------------------------------------------------------


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_word_report(out, items):
    path = out / "fazhi.docx"
    d = docx.Document(str(path))
    text = docx_text(path)
    assert "法治政府建设年度报告评估" in text
    for doc, _ in items:
        assert doc.jurisdiction in text
        assert doc.doc in text
    ranking = d.tables[0]
    assert [c.text for c in ranking.rows[0].cells][:2] == ["排名", "报告"]
    assert len(ranking.rows) == 6
    assert len(d.inline_shapes) >= 2  # score chart and area coverage
    assert "失分较多的评分项" in text
    # a quote of a criterion's evidence is in the findings
    best_doc, best = max(items, key=lambda i: i[1].score)
    quotes = [e.quote for c in best.criteria if c.score < c.max for e in c.evidence]
    if quotes:
        assert any(q[:30] in text for q in quotes)
    # East Asian font set on the styles so Word and WPS render Chinese in a Chinese face
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles


def test_word_report_without_cjk_font_warns_once_and_still_writes(items, tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    with pytest.warns(ExportWarning, match="CJK font") as record:
        paths = export(items, "docx", tmp_path)
    assert len([w for w in record if issubclass(w.category, ExportWarning)]) == 1
    d = docx.Document(str(paths[0]))
    assert len(d.inline_shapes) >= 2


def test_cjk_font_found_on_this_system():
    font = charts.find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (scripts/install-system-deps.sh installs fonts-wqy-microhei)")
    assert font.is_file()


# -- hand-made documents: edge cases -------------------------------------------------------------


def handmade() -> list[tuple[Document, Assessment | None]]:
    text = "=SUM(A1)一、主要举措。全市行政复议纠错率12.5%，办理案件3件。二、存在的不足。"
    facts = [
        Fact(
            "12.5%",
            12.5,
            "%",
            "none",
            "rate",
            "行政复议纠错率",
            "recon_correction_rate",
            "disputes",
            16,
            21,
            text[:30],
        ),
        Fact("3件", 3.0, "件", "none", "count", "办理案件", None, "disputes", 24, 26, text[:30]),
    ]
    a = Document(
        doc="a", source="a.txt", text=text, jurisdiction="甲市", author="甲市人民政府", year=2024, facts=facts
    )
    b = Document(doc="b", source="b.txt", text=text, jurisdiction="乙县", author="乙县人民政府", year=2024)
    c = Document(doc="c", source="c.txt", text=text, jurisdiction="丙区", year=None)
    ev = [Evidence("=SUM(A1)", 0, 8)]
    crit = [CriterionScore("x", "数据翔实", 5, 10, ev, "数据较少")]
    elements = {
        "achievements": ElementCheck(True, 8, 30, "specific", "主要举措"),
        "plan": ElementCheck(False),
    }
    return [
        (a, Assessment("a", "default.v1", 80.0, crit, elements, timely=None, deadline="2025-03-31")),
        (b, Assessment("b", "default.v1", 80.0, crit, elements, timely=False, deadline="2025-03-31")),
        (c, None),
    ]


def test_tables_rank_ties_and_unassessed_last():
    t = build_tables(handmade())
    ranks = [(r["doc"], r["rank"]) for r in t["reports"].rows]
    assert ranks == [("a", 1), ("b", 1), ("c", None)]
    assert t["criteria"].rows[0]["lost"] == 5
    pivot = indicator_pivot(t["indicators"], t["reports"])
    assert [r["doc"] for r in pivot.rows] == ["c", "b", "a"]  # every report, by place: 丙区, 乙县, 甲市
    assert pivot.rows[2]["recon_correction_rate:rate"] == 12.5
    assert "recon_correction_rate:rate" not in pivot.rows[0]


def test_reports_sharing_a_file_name_stay_apart():
    (a, aa), (b, ab), _ = handmade()
    b.doc = a.doc  # two stored reports named report.txt in different folders
    t = build_tables([(a, aa), (b, ab)])
    pivot = indicator_pivot(t["indicators"], t["reports"])
    assert len(pivot.rows) == 2
    assert [r["rank_peer"] for r in t["reports"].rows] == [1, 1]


def test_handmade_to_every_format(tmp_path):
    for fmt in FORMATS:
        assert all(p.is_file() for p in export(handmade(), fmt, tmp_path))
    wb = openpyxl.load_workbook(tmp_path / "fazhi.xlsx")
    ws = wb["评分明细"]
    head = header(ws)
    cell = ws.cell(row=2, column=head.index("证据原文") + 1)
    assert cell.data_type == "s" and cell.value == "=SUM(A1)"  # text, never a formula
    rows = records(wb["排名"])
    assert rows[0]["按时公开"] == "不详" and rows[1]["按时公开"] == "否"
    assert rows[2]["总分"] is None and rows[2]["排名"] is None
    facts = records(wb["全部数据"])
    assert facts[0]["数值"] == 12.5
    with open(tmp_path / "reports.csv", encoding="utf-8-sig") as fh:
        assert [r["按时公开"] for r in csv.DictReader(fh)] == ["不详", "否", "不详"]
    assert "未评估" in docx_text(tmp_path / "fazhi.docx")


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown export format"):
        export([], "pdf", Path("unused"))


# -- CLI -----------------------------------------------------------------------------------------


def test_cli_export_files(tmp_path):
    src = str(EXAMPLES / "xiamen-city-2024.txt")
    r = CliRunner().invoke(cli, ["export", src, "--to", "xlsx", "--to", "csv", "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert str(tmp_path / "fazhi.xlsx") in r.output
    rows = records(openpyxl.load_workbook(tmp_path / "fazhi.xlsx")["排名"])
    assert [x["地区"] for x in rows] == ["厦门市"]
    assert (tmp_path / "facts.csv").is_file()


def test_cli_export_needs_paths_or_db(tmp_path):
    r = CliRunner().invoke(cli, ["export", "--to", "json", "-o", str(tmp_path)])
    assert r.exit_code == 2 and "PATHS or --db" in r.output


def test_cli_export_bad_file_counts(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    src = str(EXAMPLES / "huli-district-2024.txt")
    r = CliRunner().invoke(cli, ["export", src, str(bad), "--to", "json", "-o", str(tmp_path / "o")])
    assert r.exit_code == 1
    assert json.loads((tmp_path / "o" / "fazhi.json").read_text(encoding="utf-8"))["count"] == 1


def test_cli_export_from_store(items, tmp_path):
    from fazhi.store import open_store

    url = f"sqlite:///{tmp_path / 'reports.db'}"
    with open_store(url) as store:
        for doc, assessment in items:
            store.add(doc, assessment, content_hash=f"test-{doc.doc}")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["export", "--db", url, "--to", "xlsx", "--to", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads((out / "fazhi.json").read_text(encoding="utf-8"))
    assert sorted(x["doc"] for x in data["reports"]) == sorted(d.doc for d, _ in items)
    assert all(x["assessment"] and x["facts"] for x in data["reports"])
    wb = openpyxl.load_workbook(out / "fazhi.xlsx")
    assert len(records(wb["排名"])) == 5
    facts = records(wb["全部数据"])
    assert len(facts) == sum(len(d.facts) for d, _ in items)
    hit = [f for f in facts if f["文件"] == KNOWN["doc"] and f["原文数字"] == KNOWN["surface"]]
    assert hit and KNOWN["sentence_part"] in hit[0]["证据句"]


def test_cli_export_both_sources_is_an_error(tmp_path):
    src = str(EXAMPLES / "huli-district-2024.txt")
    r = CliRunner().invoke(cli, ["export", src, "--db", str(tmp_path / "x.db"), "--to", "json"])
    assert r.exit_code == 2
