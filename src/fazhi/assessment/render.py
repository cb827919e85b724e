"""Terminal output of assessments, comparisons, promises and reused text (rich tables, Chinese labels).

Quotes are shortened for the screen only (``QUOTE_CHARS``); the offsets printed with them point at
the full sentence in the report's text, and ``--format json`` carries the quotes whole.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..models import Assessment, Evidence
from .view import label

QUOTE_CHARS = 48
QUOTES_SHOWN = 3

TIMELY_LABELS = {True: "按时", False: "逾期", None: "未知"}
STATUS_STYLE = {"followed_up": "green", "mentioned": "yellow", "not_found": "red"}


def short(quote: str, n: int = QUOTE_CHARS) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= n else quote[: n - 1] + "…"


def quote_line(e: Evidence | dict[str, Any]) -> str:
    d = e.to_dict() if isinstance(e, Evidence) else e
    return f"「{short(d['quote'])}」[{d['start']}–{d['end']}]"


def quotes(evidence: Sequence[Evidence], shown: int = QUOTES_SHOWN) -> str:
    lines = [quote_line(e) for e in evidence[:shown]]
    if len(evidence) > shown:
        lines.append(f"…等{len(evidence)}处")
    return "\n".join(lines) or "—"


def _pts(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def assessment_tables(a: Assessment, title: str, console: Console) -> None:
    head = f"{title}　得分 {a.score:g}/100　框架 {a.framework}　公开：{TIMELY_LABELS[a.timely]}"
    if a.deadline:
        head += f"（期限 {a.deadline} 之前）"
    elements = Table(title=head, show_lines=True, title_justify="left")
    for col in ("要素", "具备", "位置", "具体程度", "证据"):
        elements.add_column(col, overflow="fold")
    for key, e in a.elements.items():
        where = (
            f"{e.start}–{e.end}" + (f"\n{short(e.section, 24)}" if e.section else "") if e.present else "—"
        )
        elements.add_row(
            label("elements", key),
            "是" if e.present else "[red]否[/red]",
            where,
            label("substance", e.substance),
            quotes(e.evidence, 2),
        )
    console.print(elements)
    crit = Table(show_lines=True)
    for col, kw in (
        ("指标", {}),
        ("得分", {"justify": "right"}),
        ("满分", {"justify": "right"}),
        ("说明", {}),
        ("证据", {}),
    ):
        crit.add_column(col, overflow="fold", **kw)
    for c in a.criteria:
        style = "green" if c.score >= c.max else "red" if c.score <= 0 else "yellow"
        crit.add_row(c.name, f"[{style}]{_pts(c.score)}[/{style}]", _pts(c.max), c.note, quotes(c.evidence))
    console.print(crit)


def summary_table(rows: Sequence[tuple[str, Assessment]], console: Console) -> None:
    table = Table(title="评估汇总")
    for col in ("报告", "得分", "按时公开", "要素缺失", "框架"):
        table.add_column(col, overflow="fold")
    for title, a in rows:
        missing = [label("elements", k) for k, e in a.elements.items() if not e.present and k != "other"]
        table.add_row(title, f"{a.score:g}", TIMELY_LABELS[a.timely], "、".join(missing) or "—", a.framework)
    console.print(table)


CSV_FIELDS = ("doc", "framework", "total", "timely", "criterion", "name", "score", "max", "note", "evidence")


def csv_rows(a: Assessment) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for c in a.criteria:
        ev = "；".join(f"「{e.quote}」[{e.start}-{e.end}]" for e in c.evidence)
        timely = "" if a.timely is None else str(a.timely).lower()
        w.writerow([a.doc, a.framework, a.score, timely, c.id, c.name, c.score, c.max, c.note, ev])
    return buf.getvalue()


def csv_header() -> str:
    return ",".join(CSV_FIELDS)


def json_line(a: Assessment) -> str:
    return json.dumps(a.to_dict(), ensure_ascii=False)


# -- comparison ------------------------------------------------------------------------------------


def _value(cell: dict[str, Any] | None) -> str:
    if not cell:
        return "—"
    out = f"{cell['surface']}\n{quote_line(cell['evidence'])}"
    if cell.get("others"):
        out += f"\n（另有{cell['others']}处）"
    return out


def comparison_tables(data: dict[str, Any], console: Console) -> None:
    docs = {d["doc"]: d for d in data["docs"]}

    def name(doc: str) -> str:
        d = docs[doc]
        return f"{d['place']} {d['year'] or ''}".strip()

    for t in data["by_place"]:
        table = Table(title=f"{t['year']}年度重点指标（按地方）", show_lines=True)
        table.add_column("指标", overflow="fold")
        for doc in t["docs"]:
            table.add_column(name(doc), overflow="fold")
        for r in t["rows"]:
            table.add_row(r["name"], *[_value(r["cells"][doc]) for doc in t["docs"]])
        console.print(table)
    for t in data["by_year"]:
        table = Table(title=f"{t['place']}重点指标（按年度）", show_lines=True)
        table.add_column("指标", overflow="fold")
        for col in t["columns"]:
            table.add_column(f"{col}年度", overflow="fold")
        for r in t["rows"]:
            table.add_row(r["name"], *[_value(r["cells"][doc]) for doc in t["docs"]])
        console.print(table)
    ranks = Table(title="各指标排名（名次 / 得分）", show_lines=False)
    ranks.add_column("指标")
    ranks.add_column("满分", justify="right")
    order = [d["doc"] for d in data["docs"]]
    for doc in order:
        ranks.add_column(name(doc), justify="right")
    for r in data["rankings"]:
        by_doc = {x["doc"]: x for x in r["ranking"]}
        ranks.add_row(
            r["name"],
            _pts(r["max"]),
            *[f"{by_doc[d]['rank']} / {_pts(by_doc[d]['score'])}" if d in by_doc else "—" for d in order],
        )
    console.print(ranks)
    areas = data["areas"]
    table = Table(title="纲要各方面篇幅占比（↑ 明显多于、↓ 明显少于同组平均）")
    table.add_column("方面")
    table.add_column("平均", justify="right")
    for doc in order:
        table.add_column(name(doc), justify="right")
    for a, lab in areas["labels"].items():
        cells = []
        for doc in order:
            d = areas["docs"][doc]
            mark = " ↑" if a in d["over"] else " ↓" if a in d["under"] else ""
            cells.append(f"{d['shares'][a]:.0%}{mark}")
        table.add_row(lab, f"{areas['mean'][a]:.0%}", *cells)
    console.print(table)
    for p in data["promises"]:
        promises_table(p["prev"], p["next"], p["items"], console)
    reuse_table(data["reuse"], console)


def promises_table(prev: str, nxt: str, items: Sequence[Any], console: Console) -> None:
    from ..promises import STATUS_LABELS

    rows = [i.to_dict() if hasattr(i, "to_dict") else i for i in items]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_LABELS}
    summary = "，".join(f"{STATUS_LABELS[s]}{n}项" for s, n in counts.items())
    table = Table(title=f"{prev} 的下一年度安排在 {nxt} 中的落实情况：{summary}", show_lines=True)
    for col in ("安排事项", "情况", "相似度", "对应内容"):
        table.add_column(col, overflow="fold")
    for r in rows:
        st = r["status"]
        match = quote_line(r["match"]) if r["match"] else "—"
        if r["match"] and r.get("match_element"):
            match += f"\n（{label('elements', r['match_element'])}）"
        table.add_row(
            quote_line(r["item"]),
            f"[{STATUS_STYLE[st]}]{STATUS_LABELS[st]}[/{STATUS_STYLE[st]}]",
            f"{r['similarity']:.2f}",
            match,
        )
    console.print(table)


def reuse_table(pairs: Sequence[Any], console: Console) -> None:
    from ..reuse import RELATION_LABELS

    rows = [p.to_dict() if hasattr(p, "to_dict") else p for p in pairs]
    table = Table(title=f"重复使用的段落：{len(rows)}处", show_lines=True)
    for col in ("相似度", "关系", "报告甲", "段落甲", "报告乙", "段落乙"):
        table.add_column(col, overflow="fold")
    for r in rows:

        def where(doc: str, el: str | None) -> str:
            return doc + (f"\n（{label('elements', el)}）" if el else "")

        table.add_row(
            f"{r['similarity']:.2f}",
            RELATION_LABELS[r["relation"]],
            where(r["a_doc"], r["a_element"]),
            quote_line(r["a"]),
            where(r["b_doc"], r["b_element"]),
            quote_line(r["b"]),
        )
    console.print(table)
