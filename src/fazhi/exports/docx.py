"""The Word assessment report (python-docx): summary, ranking, charts, findings per report with quotes.

Styles carry an East Asian font (``w:eastAsia``) so Word and WPS show Chinese in a Chinese face;
the charts are drawn with a CJK font found on the system (see ``charts.find_cjk_font``). Without
one the document is still written, with one ``ExportWarning``.
"""

from __future__ import annotations

import io
import statistics
import warnings
from collections.abc import Sequence
from pathlib import Path

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .. import __version__
from ..labels import label
from ..models import Assessment, Document
from . import charts
from .tables import (
    ExportWarning,
    Item,
    indicator_name,
    missing_elements,
    rank,
    report_label,
)

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
TITLE = "法治政府建设年度报告评估"
LOST_CRITERIA = 3  # criteria shown per report: those that lost most points
QUOTES_PER_CRITERION = 2
QUOTE_CHARS = 200
KEY_FACTS = 6  # key-indicator values listed per report
PICTURE_WIDTH = Cm(16)
QUOTE_COLOR = RGBColor(0x40, 0x40, 0x40)
TIMELY_LABELS = {True: "按时公开", False: "逾期公开", None: "发布日期不详"}


# -- styles --------------------------------------------------------------------------------------


def set_east_asian_font(rpr: object, name: str) -> None:
    """Set ``w:eastAsia`` on run properties, dropping the theme font that would override it."""
    rfonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]  # keeps the schema's child order
    rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    rfonts.set(qn("w:eastAsia"), name)


def setup_styles(doc: object) -> None:
    """East Asian fonts on every paragraph and character style and on the document defaults."""
    styles = doc.styles  # type: ignore[attr-defined]
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            heading = style.name.startswith(("Heading", "Title"))
            set_east_asian_font(style.element.get_or_add_rPr(), HEADING_FONT if heading else BODY_FONT)
    styles["Normal"].font.size = Pt(10.5)
    rpr_default = styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        set_east_asian_font(rpr, BODY_FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is not None:  # Chinese line breaking and font choice for East Asian text
            lang.set(qn("w:eastAsia"), "zh-CN")


def repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


# -- content -------------------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.1f}"


def summary_lines(items: Sequence[Item]) -> list[str]:
    docs = [d for d, _ in items]
    assessed = [(d, a) for d, a in items if a is not None]
    places = sorted({d.jurisdiction or d.author or d.doc for d in docs})
    years = sorted({d.year for d in docs if d.year})
    span = f"{years[0]}—{years[-1]}年度" if len(years) > 1 else (f"{years[0]}年度" if years else "年度不详")
    lines = [f"本次共分析报告{len(docs)}份，涉及{len(places)}个地区（{'、'.join(places)}），覆盖{span}。"]
    if assessed:
        scores = [a.score for _, a in assessed]
        best = max(assessed, key=lambda p: p[1].score)
        worst = min(assessed, key=lambda p: p[1].score)
        lines.append(
            f"已评估{len(assessed)}份：总分{_fmt(min(scores))}—{_fmt(max(scores))}分，"
            f"平均{statistics.mean(scores):.1f}分；最高为{report_label(best[0])}，最低为{report_label(worst[0])}。"
        )
        timely = [a.timely for _, a in assessed]
        lines.append(
            f"公开时效：按时公开{timely.count(True)}份，逾期公开{timely.count(False)}份，"
            f"发布日期不详{timely.count(None)}份。"
        )
        complete = sum(1 for _, a in assessed if not missing_elements(a))
        missing: dict[str, int] = {}
        for _, a in assessed:
            for m in missing_elements(a):
                missing[m] = missing.get(m, 0) + 1
        text = f"五项法定要素齐全的报告{complete}份"
        if missing:
            text += "；缺失情况：" + "，".join(
                f"{k}{v}份" for k, v in sorted(missing.items(), key=lambda kv: -kv[1])
            )
        lines.append(text + "。")
    else:
        lines.append("以上报告均未评分。")
    return lines


def add_quote(doc: object, text: str) -> None:
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS] + "…"
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    p.paragraph_format.left_indent = Cm(1)
    run = p.add_run(f"“{text}”")
    run.italic = True
    run.font.color.rgb = QUOTE_COLOR


def add_picture(doc: object, png: bytes | None, caption: str) -> bool:
    if png is None:
        return False
    doc.add_picture(io.BytesIO(png), width=PICTURE_WIDTH)  # type: ignore[attr-defined]
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    cap = doc.add_paragraph(caption)  # type: ignore[attr-defined]
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return True


def add_ranking_table(doc: object, items: Sequence[Item]) -> None:
    headers = ["排名", "报告", "地区", "层级", "年度", "总分", "公开时效", "缺失要素"]
    table = doc.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(h).bold = True
    repeat_header(table.rows[0])

    for r, d, a in rank(items):
        cells = table.add_row().cells
        values = [
            str(r) if r is not None else "—",
            d.author or d.doc,
            d.jurisdiction or "—",
            label("levels", d.level, "—"),
            str(d.year or "—"),
            _fmt(a.score) if a else "未评估",
            TIMELY_LABELS[a.timely] if a else "—",
            ("、".join(missing_elements(a)) or "无") if a else "—",
        ]
        for cell, v in zip(cells, values, strict=True):
            cell.text = v


def timeliness_text(d: Document, a: Assessment) -> str:
    deadline = f"公开期限{a.deadline}" if a.deadline else "公开期限不详"
    if not d.published:
        return f"发布日期不详，无法判断是否按时公开（{deadline}）"
    return f"发布日期{d.published}，{deadline}，{TIMELY_LABELS[a.timely]}"


def add_key_facts(doc: object, d: Document) -> None:
    """A small table of the first value of each key indicator, with the sentence it came from."""
    seen: set[str] = set()
    key = []
    for f in d.facts:
        if f.indicator and f.indicator not in seen:
            seen.add(f.indicator)
            key.append(f)
    if not key:
        return
    doc.add_paragraph("关键指标：")  # type: ignore[attr-defined]
    table = doc.add_table(rows=1, cols=3)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, ("指标", "数值", "原文"), strict=True):
        cell.paragraphs[0].add_run(h).bold = True
    repeat_header(table.rows[0])
    for f in key[:KEY_FACTS]:
        cells = table.add_row().cells
        cells[0].text = indicator_name(f.indicator)
        cells[1].text = f.surface
        ev = f.evidence if len(f.evidence) <= QUOTE_CHARS else f.evidence[:QUOTE_CHARS] + "…"
        cells[2].text = ev
    doc.add_paragraph()  # type: ignore[attr-defined]


def add_findings(doc: object, r: int | None, total: int, d: Document, a: Assessment | None) -> None:
    title = f"{r}. {report_label(d)}" if r else report_label(d)
    doc.add_heading(title, level=2)  # type: ignore[attr-defined]
    where = f"，{d.jurisdiction}" if d.jurisdiction and d.jurisdiction != d.author else ""
    facts = f"提取数据{len(d.facts)}条，章节{len(d.top_sections())}个"
    doc.add_paragraph(f"报告主体：{d.author or '不详'}{where}；文件：{d.doc}；{facts}。")  # type: ignore[attr-defined]
    if a is None:
        doc.add_paragraph("本报告未评分。")  # type: ignore[attr-defined]
    else:
        rank_text = f"，排名第{r}/{total}" if r else ""
        doc.add_paragraph(f"总分{_fmt(a.score)}分（{a.framework}）{rank_text}；{timeliness_text(d, a)}。")  # type: ignore[attr-defined]
        found = [
            f"{label('elements', k)}（{label('substance', e.substance)}）"
            for k, e in a.elements.items()
            if e.present
        ]
        missing = missing_elements(a)
        doc.add_paragraph(  # type: ignore[attr-defined]
            f"具备要素：{'、'.join(found) or '无'}；缺失要素：{'、'.join(missing) or '无'}。"
        )
        lost = sorted((c for c in a.criteria if c.max - c.score > 1e-9), key=lambda c: c.score - c.max)
        if lost:
            doc.add_paragraph("失分较多的评分项：")  # type: ignore[attr-defined]
        for c in lost[:LOST_CRITERIA]:
            p = doc.add_paragraph(style="List Bullet")  # type: ignore[attr-defined]
            p.add_run(f"{c.name}（{_fmt(c.score)}/{_fmt(c.max)}分）").bold = True
            if c.note:
                p.add_run(f"：{c.note}")
            for e in c.evidence[:QUOTES_PER_CRITERION]:
                add_quote(doc, e.quote)
    add_key_facts(doc, d)


def to_docx(items: Sequence[Item], path: Path, font: Path | None = None) -> Path:
    """Write the assessment report to ``path``; ``font`` is a CJK font file for the charts (found if None)."""
    font = font or charts.find_cjk_font()
    if font is None:
        warnings.warn(
            "no CJK font found (install fonts-wqy-microhei); charts label reports by file name",
            ExportWarning,
            stacklevel=2,
        )
    doc = new_docx()
    setup_styles(doc)
    doc.core_properties.title = TITLE
    doc.core_properties.author = f"fazhi {__version__}"
    doc.add_heading(TITLE, level=0)
    frameworks = sorted({a.framework for _, a in items if a})
    sub = doc.add_paragraph(
        f"fazhi {__version__} 生成" + (f"；评估框架：{'、'.join(frameworks)}" if frameworks else "")
    )
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、总体情况", level=1)
    for line in summary_lines(items):
        doc.add_paragraph(line)

    doc.add_heading("二、排名", level=1)
    add_ranking_table(doc, items)
    doc.add_paragraph()
    add_picture(doc, charts.score_chart(items, font), "图1  各报告总分")

    doc.add_heading("三、各领域数据覆盖", level=1)
    if not add_picture(doc, charts.coverage_chart(items, font), "图2  各领域数据条数"):
        doc.add_paragraph("报告中没有提取到数据。")

    doc.add_heading("四、各报告评估情况", level=1)
    ranked = rank(items)
    n_assessed = sum(1 for _, a in items if a is not None)
    for r, d, a in ranked:
        add_findings(doc, r, n_assessed, d, a)

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
