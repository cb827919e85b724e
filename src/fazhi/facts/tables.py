"""Tables: the rows of the statistics tables that reports append (主要数据统计表), read as facts.

The readers write a table row as its cells joined by tabs; a run of two or more such lines is a table.
Its first line is the header when no cell of it is a number. In each other row:

- the label is the first cell with a Chinese character that is neither a row number nor the unit
  column's cell (行政处罚案件数); it is the subject of every number in the row, with the words written
  before the number in its own cell (备注 "同比下降6.1%" -> 行政处罚案件同比下降);
- a cell after the label that is a bare number (6412, 1.83) is a fact when the table gives its unit: the row's cell in
  the unit column (单位: 亿元), or the column header in brackets (金额（万元）);
- a number in a column headed as a change (增减, 同比) is a change, signed as written (-7.4%, +20.2%);
  a sign written before a number of a cell makes it a change too;
- the number of a column headed by a period (2023年, 上年) has the period in its subject:
  行政处罚案件数（2023年）.

Headers are matched to cells by position only when the row has as many cells as the header (the
readers drop empty cells). Words are in ``data/tables.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from ..layout import is_table_row
from ..resources import load_yaml
from .scan import Candidate, scan

# a cell that is nothing but a number, with a sign or a percent sign
NUMBER_CELL = re.compile(r"(?P<sign>[-+−－＋])?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<pct>%)?")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile("[。！？；]")


@dataclass(frozen=True)
class Rules:
    unit_headers: frozenset[str]
    header_unit: re.Pattern[str]
    change_headers: re.Pattern[str]
    period_headers: re.Pattern[str]
    serial: re.Pattern[str]
    label_max_chars: int
    signs: dict[str, int]


@lru_cache(maxsize=1)
def rules() -> Rules:
    d = load_yaml("tables.yaml")
    return Rules(
        unit_headers=frozenset(d["unit_headers"]),
        header_unit=re.compile(d["header_unit"]),
        change_headers=re.compile(d["change_headers"]),
        period_headers=re.compile(d["period_headers"]),
        serial=re.compile(d["serial"]),
        label_max_chars=int(d["label_max_chars"]),
        signs={str(k): int(v) for k, v in d["signs"].items()},
    )


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass
class Row:
    start: int
    end: int
    cells: list[Cell]
    label: int  # index of the label cell
    headers: list[str] | None  # the header's cells, when they line up with this row's
    unit: str  # the unit column's cell ("" when there is none)

    def cell_at(self, pos: int) -> int:
        return bisect_right(self.cells, pos, key=lambda c: c.start) - 1

    def header(self, k: int) -> str:
        return self.headers[k] if self.headers else ""

    def is_change_column(self, k: int) -> bool:
        return bool(self.headers) and rules().change_headers.search(self.header(k)) is not None

    def subject(self, k: int, lead: str) -> str:
        """The subject of a number in cell ``k`` with ``lead`` written before it in the cell."""
        label = self.cells[self.label].text
        period = self.header(k)
        if k == self.label:
            return lead
        if period and rules().period_headers.match(period):
            return f"{label}（{period}）" + lead
        return label + lead


def _cells(text: str, start: int, end: int) -> list[Cell]:
    out = []
    pos = start
    while pos <= end:
        tab = text.find("\t", pos, end)
        stop = end if tab < 0 else tab
        raw = text[pos:stop]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append(Cell(pos + lead, pos + lead + len(body), body))
        pos = stop + 1
    return out


def _is_header(cells: list[Cell]) -> bool:
    """No cell is a number (a year is a period, not a number: 2023年)."""
    return not any(NUMBER_CELL.fullmatch(c.text) for c in cells)


def _label(cells: list[Cell], unit_col: int | None) -> int | None:
    r = rules()
    for k, c in enumerate(cells):
        if k == unit_col or not _HAN.search(c.text) or r.serial.match(c.text):
            continue
        if len(c.text) > r.label_max_chars or _SENTENCE_END.search(c.text):
            return None
        return k
    return None


def find_rows(text: str) -> list[Row]:
    """The data rows of every table in ``text``, in text order."""
    if "\t" not in text:
        return []
    r = rules()
    lines: list[tuple[tuple[int, int], bool]] = []  # each line's span, and whether it is a row
    pos = 0
    for line in text.split("\n"):
        lines.append(((pos, pos + len(line)), is_table_row(line)))
        pos += len(line) + 1
    rows: list[Row] = []
    for tabbed, group in groupby(lines, key=itemgetter(1)):
        run = [span for span, _ in group]
        if tabbed and len(run) >= 2:
            rows += _table(text, run, r)
    return rows


def _table(text: str, lines: list[tuple[int, int]], r: Rules) -> list[Row]:
    header: list[str] | None = None
    first = _cells(text, *lines[0])
    if _is_header(first):
        header = [c.text for c in first]
        lines = lines[1:]
    unit_col = next((k for k, h in enumerate(header or []) if h in r.unit_headers), None)
    rows = []
    for start, end in lines:
        cells = _cells(text, start, end)
        aligned = header is not None and len(cells) == len(header)
        label = _label(cells, unit_col if aligned else None)
        if label is None:
            continue
        unit = cells[unit_col].text if aligned and unit_col is not None else ""
        rows.append(Row(start, end, cells, label, header if aligned else None, unit))
    return rows


def row_at(rows: list[Row], starts: list[int], pos: int) -> Row | None:
    """The row holding position ``pos`` (``starts``: the rows' starts)."""
    i = bisect_right(starts, pos) - 1
    return rows[i] if i >= 0 and pos < rows[i].end else None


def _read_whole(written: str) -> Candidate | None:
    """``written`` as one quantity from end to end (6412件, 20.2%), else None."""
    read = next(scan(written), None)
    return read if read is not None and read.start == 0 and read.end == len(written) else None


def cell_candidates(text: str, rows: list[Row]) -> list[Candidate]:
    """Numbers of table cells that the scanner alone does not read as facts: a bare number whose unit
    the table gives (the unit column, or the column's header in brackets), and a signed quantity
    (+20.2%: out of a table, a number after + is a formula's, 1+X), each at its place in the text."""
    r = rules()
    out = []
    for row in rows:
        for k, cell in enumerate(row.cells):
            if k <= row.label:
                continue  # the label, and the row number before it
            sign = cell.text[0] in r.signs
            m = NUMBER_CELL.fullmatch(cell.text)
            if m is not None and not m.group("pct"):
                unit = row.unit
                if not unit and (h := r.header_unit.search(row.header(k))):
                    unit = h.group("unit")
                number = m.group("num")
                read = _read_whole(number + unit) if unit else None
                if read is None:
                    continue  # no unit, or one the scanner does not know
                offset = cell.start + m.start("num")
                read.end = read.post_end = offset + len(number)
            elif sign and (read := _read_whole(cell.text[1:].lstrip())) is not None:
                offset = cell.end - read.end
                read.end = read.post_end = cell.end
            else:
                continue
            read.start = read.pre_start = offset
            out.append(read)
    return out


def sign_before(text: str, c: Candidate, cell: Cell) -> tuple[int, int]:
    """(+1 or -1, its offset) when a sign is all that is written before the number in its cell, else
    (0, -1)."""
    lead = text[cell.start : c.pre_start].strip()
    sign = rules().signs.get(lead, 0) if len(lead) == 1 else 0
    return (sign, text.rindex(lead, cell.start, c.pre_start)) if sign else (0, -1)
