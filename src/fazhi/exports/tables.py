"""Documents and assessments -> tidy row tables, the one source every export format writes from.

Each ``Table`` has an English ``name`` (file names, code), a Chinese ``title`` (sheet names) and
``Column``s with an English ``key`` and the Chinese ``header`` users see. Rows are plain dicts keyed
by column key; values stay typed (numbers, booleans, dates) until a writer formats them.

Tables: ``reports`` (one row per report, ranked), ``criteria`` (one row per report x criterion),
``elements`` (one row per report x required element, with timeliness), ``facts`` (every fact with
its evidence sentence), ``sections`` (the outline), ``indicators`` (facts that measure a catalogued
key indicator, by place and year). ``indicator_pivot`` turns the last into one row per report and
one column per indicator for the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..labels import label
from ..models import Assessment, Document, Fact, Section
from ..resources import load_yaml

Item = tuple[Document, Assessment | None]

QUOTE_CHARS = 300  # longest quote cut from the text when a check carries no evidence of its own


class ExportWarning(UserWarning):
    """Something the user should know about an export that was still written (e.g. no CJK font)."""


# -- columns and tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # English id: Parquet field metadata, code
    header: str  # Chinese header users see
    type: str = "str"  # str / text (long, wrapped) / int / float / bool / date
    unit: str | None = None  # unit of every value in the column ("%" gets a percent format)
    unit_from: str | None = None  # key of the column holding each row's unit
    missing: str = ""  # what text formats show for no value ("不详" for an unknown yes/no)
    show_unit: bool = False  # the unit is part of the shown number ("175,000件"), for columns mixing units
    signed: bool = False  # show a sign on positive numbers (changes)


@dataclass
class Table:
    name: str  # English name: file names (reports.csv) and code
    title: str  # Chinese title: sheet names
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key: str, header: str, type: str = "str", **kw: Any) -> Column:
    return Column(key, header, type, **kw)


# Columns that say which report a row belongs to, shared by every long table.
REPORT_KEYS = [
    _c("jurisdiction", "地区"),
    _c("author", "报告主体"),
    _c("level", "层级"),
    _c("year", "年度", "int"),
    _c("doc", "文件"),
]
TIMELY = _c("timely", "按时公开", "bool", missing="不详")
SCORE_DIGITS = 2  # scores are shown to this many decimals


# -- names from the data files ------------------------------------------------------------------


def _names(file: str, section: str) -> dict[str, str]:
    """id -> Chinese name from a data file's list of ``{id, name, ...}`` entries."""
    return {str(e["id"]): str(e["name"]) for e in load_yaml(file)[section]}


@lru_cache(maxsize=1)
def area_names() -> dict[str, str]:
    return _names("areas.yaml", "areas")


@lru_cache(maxsize=1)
def indicator_names() -> dict[str, str]:
    return _names("indicators.yaml", "indicators")


def area_name(area: str | None) -> str:
    return area_names().get(area, area) if area else ""


def indicator_name(indicator: str | None) -> str:
    return indicator_names().get(indicator, indicator) if indicator else ""


@lru_cache(maxsize=1)
def indicator_units() -> dict[str, list[str]]:
    """indicator id -> its units, the usual one first."""
    return {
        str(e["id"]): [str(u) for u in e.get("units") or []]
        for e in load_yaml("indicators.yaml")["indicators"]
    }


def indicator_order(indicator: str) -> tuple[int, str]:
    ids = list(indicator_names())
    return (ids.index(indicator) if indicator in ids else len(ids), indicator)


# -- small helpers -------------------------------------------------------------------------------


def parse_date(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def place(d: Document) -> str:
    """What a report is about, for labels: the issuing department for departments, else the place."""
    if d.level == "department" and d.author:
        return d.author
    return d.jurisdiction or d.author or d.doc


def report_label(d: Document) -> str:
    return f"{place(d)}（{d.year}年度）" if d.year else place(d)


def report_cells(d: Document) -> dict[str, Any]:
    return {
        "doc": d.doc,
        "jurisdiction": d.jurisdiction or "",
        "author": d.author or "",
        "level": label("levels", d.level),
        "year": d.year,
        "_report": id(d),  # tells apart reports that share a file name (not a column)
    }


def snippet(text: str, start: int | None, end: int | None, limit: int = QUOTE_CHARS) -> str:
    if start is None or end is None or end <= start:
        return ""
    s = text[start:end].strip()
    return s if len(s) <= limit else s[:limit] + "…"


def top_section_at(d: Document, offset: int) -> Section | None:
    for s in d.top_sections():
        if s.start <= offset < s.end:
            return s
    return None


def rank(items: Sequence[Item]) -> list[tuple[int | None, Document, Assessment | None]]:
    """Reports by score, best first, with competition ranks (1, 2, 2, 4); unassessed ones last, unranked."""
    assessed = sorted((i for i in items if i[1] is not None), key=lambda i: -i[1].score)  # type: ignore[union-attr]
    out: list[tuple[int | None, Document, Assessment | None]] = []
    prev: float | None = None
    r = 0
    for n, (d, a) in enumerate(assessed, 1):
        assert a is not None
        if prev is None or round(a.score, 6) != round(prev, 6):
            r, prev = n, a.score
        out.append((r, d, a))
    out += [(None, d, None) for d, a in items if a is None]
    return out


def peer_ranks(ranked: list[tuple[int | None, Document, Assessment | None]]) -> dict[int, int]:
    """id(document) -> rank among reports of the same year and level."""
    out: dict[int, int] = {}
    groups: dict[tuple[Any, Any], list[tuple[Document, Assessment]]] = {}
    for _, d, a in ranked:
        if a is not None:
            groups.setdefault((d.year, d.level), []).append((d, a))
    for members in groups.values():
        for r, d, _ in rank(members):
            if r is not None:
                out[id(d)] = r
    return out


def criteria_columns(items: Sequence[Item]) -> list[tuple[str, str, float]]:
    """(id, name, max) of every criterion, in the order first seen."""
    seen: dict[str, tuple[str, str, float]] = {}
    for _, a in items:
        for c in a.criteria if a else []:
            seen.setdefault(c.id, (c.id, c.name, c.max))
    return list(seen.values())


def missing_elements(a: Assessment) -> list[str]:
    return [label("elements", k) for k, e in a.elements.items() if not e.present]


# -- the tables ----------------------------------------------------------------------------------


def reports_table(items: Sequence[Item]) -> Table:
    crits = criteria_columns(items)
    columns = [
        _c("rank", "排名", "int"),
        _c("jurisdiction", "地区"),
        _c("author", "报告主体"),
        _c("level", "层级"),
        _c("year", "年度", "int"),
        _c("score", "总分", "float"),
        *[_c(f"criterion:{cid}", f"{name}（{mx:g}分）", "float") for cid, name, mx in crits],
        _c("rank_peer", "同年度同层级排名", "int"),
        _c("elements_present", "具备要素数", "int"),
        _c("elements_missing", "缺失要素"),
        _c("published", "发布日期", "date"),
        _c("deadline", "公开期限", "date"),
        TIMELY,
        _c("framework", "评估框架"),
        _c("parent", "上级地区"),
        _c("admin_code", "行政区划代码"),
        _c("title", "标题"),
        _c("facts", "数据条数", "int"),
        _c("sections", "章节数", "int"),
        _c("chars", "字数", "int"),
        _c("doc", "文件"),
        _c("source", "来源文件"),
    ]
    ranked = rank(items)
    peers = peer_ranks(ranked)
    rows = []
    for r, d, a in ranked:
        row: dict[str, Any] = {
            "rank": r,
            "rank_peer": peers.get(id(d)),
            **report_cells(d),
            "parent": d.parent or "",
            "admin_code": d.admin_code or "",
            "title": d.title or "",
            "published": parse_date(d.published),
            "deadline": parse_date(a.deadline) if a else None,
            "timely": a.timely if a else None,
            "framework": a.framework if a else "",
            "score": round(a.score, SCORE_DIGITS) if a else None,
            "elements_present": sum(e.present for e in a.elements.values()) if a else None,
            "elements_missing": "、".join(missing_elements(a)) if a else "",
            "facts": len(d.facts),
            "sections": len(d.top_sections()),
            "chars": len(d.text),
            "source": d.source,
        }
        scores = {c.id: c.score for c in a.criteria} if a else {}
        for cid, _, _ in crits:
            score = scores.get(cid)
            row[f"criterion:{cid}"] = None if score is None else round(score, SCORE_DIGITS)
        rows.append(row)
    return Table("reports", "排名", columns, rows)


def criteria_table(items: Sequence[Item]) -> Table:
    columns = [
        *REPORT_KEYS,
        _c("framework", "评估框架"),
        _c("criterion_id", "评分项编号"),
        _c("criterion", "评分项"),
        _c("score", "得分", "float"),
        _c("max", "满分", "float"),
        _c("lost", "失分", "float"),
        _c("note", "评分说明", "text"),
        _c("evidence", "证据原文", "text"),
        _c("evidence_at", "证据位置"),
    ]
    rows = []
    for _, d, a in rank(items):
        for c in a.criteria if a else []:
            rows.append(
                {
                    **report_cells(d),
                    "framework": a.framework if a else "",
                    "criterion_id": c.id,
                    "criterion": c.name,
                    "score": round(c.score, SCORE_DIGITS),
                    "max": c.max,
                    "lost": round(c.max - c.score, SCORE_DIGITS),
                    "note": c.note,
                    "evidence": "\n".join(e.quote for e in c.evidence),
                    "evidence_at": "; ".join(f"{e.start}-{e.end}" for e in c.evidence),
                }
            )
    return Table("criteria", "评分明细", columns, rows)


def elements_table(items: Sequence[Item]) -> Table:
    columns = [
        *REPORT_KEYS,
        _c("element_id", "要素编号"),
        _c("element", "要素"),
        _c("present", "是否具备", "bool"),
        _c("substance", "实质性"),
        _c("section", "所在部分"),
        _c("quote", "原文摘录", "text"),
        _c("start", "起始位置", "int"),
        _c("end", "结束位置", "int"),
        _c("published", "发布日期", "date"),
        _c("deadline", "公开期限", "date"),
        TIMELY,
    ]
    rows = []
    for _, d, a in rank(items):
        for key, e in a.elements.items() if a else []:
            quote = "\n".join(ev.quote for ev in e.evidence) or snippet(d.text, e.start, e.end)
            rows.append(
                {
                    **report_cells(d),
                    "element_id": key,
                    "element": label("elements", key),
                    "present": e.present,
                    "substance": label("substance", e.substance),
                    "section": e.section or "",
                    "quote": quote,
                    "start": e.start,
                    "end": e.end,
                    "published": parse_date(d.published),
                    "deadline": parse_date(a.deadline) if a else None,
                    "timely": a.timely if a else None,
                }
            )
    return Table("elements", "合规检查", columns, rows)


FACT_COLUMNS = [
    _c("section", "所在章节"),
    _c("area_id", "领域编号"),
    _c("area", "领域"),
    _c("indicator_id", "指标编号"),
    _c("indicator", "指标"),
    _c("subject", "统计对象"),
    _c("surface", "原文数字"),
    _c("value", "数值", "float", unit_from="unit"),
    _c("unit", "单位"),
    _c("approx", "约数"),
    _c("kind", "类型"),
    _c("evidence", "证据句", "text"),
    _c("start", "起始位置", "int"),
    _c("end", "结束位置", "int"),
]


def fact_cells(d: Document, f: Fact) -> dict[str, Any]:
    sec = top_section_at(d, f.start)
    return {
        **report_cells(d),
        "section": sec.heading if sec else "",
        "area_id": f.area or "",
        "area": area_name(f.area),
        "indicator_id": f.indicator or "",
        "indicator": indicator_name(f.indicator),
        "subject": f.subject,
        "surface": f.surface,
        "value": f.value,
        "unit": label("units", f.unit),
        "approx": label("approx", f.approx),
        "kind": label("kinds", f.kind),
        "evidence": f.evidence,
        "start": f.start,
        "end": f.end,
        "_unit": f.unit,  # raw ids, for the pivot (not columns)
        "_kind": f.kind,
    }


def facts_table(items: Sequence[Item]) -> Table:
    rows = [fact_cells(d, f) for _, d, _ in rank(items) for f in d.facts]
    return Table("facts", "全部数据", [*REPORT_KEYS, *FACT_COLUMNS], rows)


def sections_table(items: Sequence[Item]) -> Table:
    columns = [
        *REPORT_KEYS,
        _c("order", "序号", "int"),
        _c("number", "编号"),
        _c("heading", "标题", "text"),
        _c("depth", "层次", "int"),
        _c("element", "要素"),
        _c("areas", "领域"),
        _c("start", "起始位置", "int"),
        _c("end", "结束位置", "int"),
        _c("chars", "字数", "int"),
        _c("facts", "数据条数", "int"),
    ]
    rows = []
    for _, d, _ in rank(items):
        for n, s in enumerate(d.sections, 1):
            rows.append(
                {
                    **report_cells(d),
                    "order": n,
                    "number": s.number or "",
                    "heading": s.heading,
                    "depth": s.depth,
                    "element": label("elements", s.element),
                    "areas": "、".join(area_name(a) for a in s.areas),
                    "start": s.start,
                    "end": s.end,
                    "chars": s.end - s.start,
                    "facts": sum(s.start <= f.start < s.end for f in d.facts),
                }
            )
    return Table("sections", "章节", columns, rows)


def indicators_table(items: Sequence[Item]) -> Table:
    """Facts that measure a catalogued indicator, by indicator, then place and year."""
    pairs = [(d, f) for _, d, _ in rank(items) for f in d.facts if f.indicator]
    pairs.sort(key=lambda p: (indicator_order(p[1].indicator or ""), place(p[0]), p[0].year or 0, p[1].start))
    rows = [fact_cells(d, f) for d, f in pairs]
    return Table("indicators", "指标明细", [*REPORT_KEYS, *FACT_COLUMNS], rows)


# What a pivot column holds for an indicator: rates, changes, ranks and plain values never share one.
MEASURES = {"value": "", "rate": "（%）", "change": "（增减）", "rank": "（名次）"}


def measure(row: dict[str, Any]) -> str:
    if row["_kind"] == "change":
        return "change"
    if row["_unit"] == "%":
        return "rate"
    if row["_unit"] == "rank":
        return "rank"
    return "value"


def indicator_pivot(indicators: Table, reports: Table | None = None) -> Table:
    """One row per report, one column per indicator and measure (value, rate, change, rank).

    Reports come from ``reports`` when given (so a report without key indicators shows as an empty
    row), else from the indicator rows themselves.

    A report that gives several values for a column shows the one in the indicator's usual unit that
    comes first in the text. Each value cell keeps its unit (key ``<column>@unit``) and the row number
    of its source in ``indicators`` (key ``<column>@row``), so a writer can show the unit with the
    number and link the number to its evidence sentence.
    """
    units = indicator_units()
    columns: dict[str, Column] = {}
    best: dict[tuple[Any, str], tuple[tuple[int, int], int]] = {}  # (report, column) -> (preference, row)
    for n, r in enumerate(indicators.rows):
        m = measure(r)
        key = f"{r['indicator_id']}:{m}"
        if key not in columns:
            columns[key] = _c(
                key,
                r["indicator"] + MEASURES[m],
                "float",
                unit_from=f"{key}@unit",
                show_unit=True,
                signed=m == "change",
            )
        known = units.get(r["indicator_id"], [])
        pref = (known.index(r["_unit"]) if r["_unit"] in known else len(known), r["start"])
        report = r.get("_report", r["doc"])
        if (report, key) not in best or pref < best[(report, key)][0]:
            best[(report, key)] = (pref, n)
    by_report: dict[Any, dict[str, Any]] = {}
    for r in reports.rows if reports else []:
        by_report[r.get("_report", r["doc"])] = {k.key: r[k.key] for k in REPORT_KEYS}
    for (report, key), (_, n) in best.items():
        src = indicators.rows[n]
        row = by_report.setdefault(report, {k.key: src[k.key] for k in REPORT_KEYS})
        row[key] = src["value"]
        row[f"{key}@unit"] = src["_unit"]
        row[f"{key}@row"] = n
    order = list(MEASURES)
    ordered = sorted(
        columns.values(),
        key=lambda c: (indicator_order(c.key.split(":")[0]), order.index(c.key.split(":")[1])),
    )
    rows = sorted(by_report.values(), key=lambda r: (r["jurisdiction"], r["author"], r["year"] or 0))
    return Table("indicator_pivot", "关键指标", [*REPORT_KEYS, *ordered], rows)


def build_tables(items: Sequence[Item]) -> dict[str, Table]:
    """Every tidy table, by name."""
    tables = [
        reports_table(items),
        criteria_table(items),
        elements_table(items),
        facts_table(items),
        sections_table(items),
        indicators_table(items),
    ]
    return {t.name: t for t in tables}
