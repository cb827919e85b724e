"""The Excel workbook (openpyxl): one sheet per table, Chinese headers, typed cells.

Every sheet has a frozen, filterable header row and columns sized to their content (a CJK character
counts double). Numbers are stored as numbers: a percentage keeps the value the report wrote
(``99.81``) and shows as ``99.81%`` through its number format, so the workbook, the CSV and the facts
agree. Dates are dates, yes/no is 是/否, long text wraps. Each cell of the key-indicator pivot links
to the row of ``指标明细`` holding its evidence sentence, and shows that sentence as a comment.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from .tables import Column, Item, Table, build_tables, indicator_pivot

MAX_WIDTH = {"text": 60, "str": 36}  # widest column, in character cells, by column type
MIN_WIDTH = 6
HEADER_WIDTH = 20  # a longer header wraps instead of widening a column of numbers
MAX_CELL_CHARS = 32_000  # Excel's limit is 32,767 characters per cell
COMMENT_CHARS = 300
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# Sheets in workbook order: table name, and how many leading columns stay in view when scrolling.
SHEETS = (
    ("reports", 3),
    ("criteria", 2),
    ("indicator_pivot", 4),
    ("indicators", 2),
    ("facts", 2),
    ("elements", 2),
    ("sections", 2),
)
ABOUT = {
    "reports": "每份报告一行：按总分排名（并列同名次），同年度同层级排名，发布日期与公开期限，各评分项得分，缺失要素。",
    "criteria": "每份报告每个评分项一行：得分、满分、失分、评分说明及作为依据的原文。",
    "indicator_pivot": "关键指标按地区和年度汇总：每份报告一行，每个指标一列（比率、增减、名次各自成列；报告给出多个数值时取常用单位中最先出现的一个）；点击数值跳到指标明细中的证据句，批注显示该句。",
    "indicators": "关键指标明细：每个指标值一行，附原文数字和证据句。",
    "facts": "报告中的全部数据：领域、指标、统计对象、数值、单位、约数、类型及所在证据句。",
    "elements": "五项法定要素（主要举措和成效、不足和原因、第一责任人履职、下一年度安排、其他情况）是否具备及其实质性，附原文摘录；发布日期与公开期限。",
    "sections": "报告的章节结构：编号、标题、要素、领域、篇幅和数据条数。",
}


def display_width(s: str) -> int:
    """Width in character cells: CJK and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def number_format(col: Column, value: Any, row: dict[str, Any]) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if col.type == "date":
        return "yyyy-mm-dd"
    if col.type == "int":
        return "0"
    if col.type != "float":
        return None
    unit = col.unit if col.unit is not None else row.get(col.unit_from or "")
    if unit == "rank":
        return '"第"0"名"'
    whole = float(value).is_integer()
    body = "#,##0" if whole else "#,##0.0#"
    suffix = ""
    if unit == "%":
        body, suffix = ("0" if whole else "0.0#"), '"%"'
    elif col.show_unit and unit:
        suffix = '"' + str(unit).replace('"', "") + '"'
    if col.signed:
        return f"+{body}{suffix};-{body}{suffix};0{suffix}"
    return body + suffix


def cell_value(col: Column, value: Any) -> Any:
    if value is None:
        return col.missing or None
    if isinstance(value, bool) or col.type == "bool":
        return "是" if value else "否"
    if isinstance(value, (int, float, dt.date)):
        return value
    s = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return s if len(s) <= MAX_CELL_CHARS else s[:MAX_CELL_CHARS] + "…"


def shown(value: Any, fmt: str | None) -> str:
    """Roughly the text Excel shows for a value, to size its column."""
    if value is None:
        return ""
    if isinstance(value, float):
        s = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
        return s + "%" if fmt and "%" in fmt else s
    if isinstance(value, dt.date):
        return value.isoformat()
    return max(str(value).split("\n"), key=display_width) if isinstance(value, str) else str(value)


def write_table(ws: Worksheet, table: Table, freeze_cols: int = 0) -> None:
    # headers wrap past HEADER_WIDTH; + room for the filter button
    widths = [min(display_width(c.header), HEADER_WIDTH) + 3 for c in table.columns]
    for j, col in enumerate(table.columns, 1):
        cell = ws.cell(row=1, column=j, value=col.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for i, row in enumerate(table.rows, 2):
        for j, col in enumerate(table.columns, 1):
            value = cell_value(col, row.get(col.key))
            if value is None:
                continue
            cell = ws.cell(row=i, column=j, value=value)
            if cell.data_type == "f":  # text that starts with "=" is text, never a formula
                cell.data_type = "s"
            fmt = number_format(col, row.get(col.key), row)
            if fmt:
                cell.number_format = fmt
            w = display_width(shown(value, fmt))
            cap = MAX_WIDTH.get(col.type, MAX_WIDTH["str"])
            cell.alignment = WRAP if col.type == "text" or w > cap else TOP
            widths[j - 1] = max(widths[j - 1], min(w + 2, cap))
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = max(w, MIN_WIDTH)
    ws.freeze_panes = ws.cell(row=2, column=freeze_cols + 1).coordinate
    if table.columns:
        last = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A1:{last}{max(len(table.rows) + 1, 2)}"


def link_pivot(ws: Worksheet, pivot: Table, detail: Table, detail_sheet: str) -> None:
    """Link each pivot value to its evidence row in the detail sheet; show the sentence as a comment."""
    ev_col = get_column_letter([c.key for c in detail.columns].index("evidence") + 1)
    for i, row in enumerate(pivot.rows, 2):
        for j, col in enumerate(pivot.columns, 1):
            src = row.get(f"{col.key}@row")
            if src is None:
                continue
            cell = ws.cell(row=i, column=j)
            target = f"'{detail_sheet}'!{ev_col}{src + 2}"
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target, tooltip="查看证据句")
            cell.font = Font(color="0563C1", underline="single")
            sentence = detail.rows[src]["evidence"]
            if len(sentence) > COMMENT_CHARS:
                sentence = sentence[:COMMENT_CHARS] + "…"
            cell.comment = Comment(sentence, "fazhi", width=320, height=140)


def write_about(ws: Worksheet, tables: dict[str, Table], n_reports: int) -> None:
    ws.append(["工作表", "内容"])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for name, _ in SHEETS:
        ws.append([tables[name].title, ABOUT[name]])
    ws.append([])
    ws.append(["报告数", n_reports])
    ws.append(["生成工具", f"fazhi {__version__}"])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 100
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
    ws.freeze_panes = "A2"


def to_xlsx(items: Sequence[Item], path: Path) -> Path:
    """Write the workbook to ``path`` and return it."""
    tables = build_tables(items)
    tables["indicator_pivot"] = indicator_pivot(tables["indicators"], tables["reports"])
    wb = Workbook()
    wb.remove(wb.active)
    for name, freeze in SHEETS:
        table = tables[name]
        ws = wb.create_sheet(table.title)
        write_table(ws, table, freeze)
        if name == "indicator_pivot":
            link_pivot(ws, table, tables["indicators"], tables["indicators"].title)
    write_about(wb.create_sheet("说明"), tables, len(items))
    wb.properties.title = "法治政府建设年度报告数据"
    wb.properties.creator = f"fazhi {__version__}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
