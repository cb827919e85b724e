"""``/reports``: the list of stored reports; ``/reports/{id}``: one report with its evidence.

The report page shows the cleaned text with every fact marked (``highlight.render_text``), the outline
with the areas of each part, and the score of each criterion with links to the sentences it rests on.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from ... import labels
from ...models import ELEMENTS, Evidence
from .. import charts
from ..app import not_found
from ..highlight import TextIndex, render_text
from ..stats import by_score
from ..templating import fmt_number
from . import Filters, parse_page, render, store, web

router = APIRouter(include_in_schema=False)


SORTS = {"": "默认（年度、地区）", "score": "得分从高到低"}


def page_of_reports(
    request: Request, f: Filters, limit: int, offset: int, sort: str = ""
) -> tuple[int, list[Any]]:
    """(how many pass the filters, those on this page), in the store's order or best score first.

    The store's order is the store's own page (``Store.reports`` with limit and offset, on its list
    index). Best score first without a place ranks the kept figures (level and year are plain
    equality) and reads the page's summaries only; a place goes to the store, whose place filter knows
    names and administrative codes."""
    s = store(request)
    if sort != "score":
        return s.count_reports(**f.params()), s.reports(**f.params(), limit=limit, offset=offset)
    stats = request.app.state.stats
    if f.place is None:

        def select() -> list[int]:
            rows = [
                r
                for r in stats.figures()
                if (f.level is None or r.level == f.level) and (f.year is None or r.year == f.year)
            ]
            return [r.id for r in by_score(rows)]

        ranked = stats.get(("ranked", f.level, f.year), select)
        return len(ranked), s.report_summaries(ranked[offset : offset + limit])
    rows = stats.get(("reports", f.place, f.level, f.year, sort), lambda: by_score(s.reports(**f.params())))
    return len(rows), rows[offset : offset + limit]


def parse_sort(sort: str | None) -> str:
    sort = (sort or "").strip()
    if sort not in SORTS:
        raise HTTPException(422, "sort: must be score or empty")
    return sort


@router.get("/reports", response_class=HTMLResponse)
def report_list(
    request: Request,
    place: str | None = None,
    level: str | None = None,
    year: str | None = None,
    sort: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    f = Filters.parse(place, level, year)
    order = parse_sort(sort)
    n = parse_page(page)
    size = web(request).page_size
    total, rows = page_of_reports(request, f, size, (n - 1) * size, order)
    return render(
        request,
        "reports.html",
        rows=rows,
        total=total,
        filters=f,
        sort=order,
        sorts=SORTS,
        params={**f.params(), "sort": order},
        first=(n - 1) * size + 1,
        page=n,
        pages=max(1, math.ceil(total / size)),
    )


def _links(index: TextIndex, evidence: list[Evidence], text_len: int) -> list[dict[str, Any]]:
    out = []
    for e in evidence:
        start, end = max(0, min(e.start, text_len)), max(0, min(e.end, text_len))
        out.append({"quote": e.quote, "start": start, "end": end, "anchor": index.anchor(start)})
    return out


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int) -> HTMLResponse:
    stored = store(request).report(report_id)
    if stored is None:
        raise not_found(f"no report with id {report_id}")
    doc = stored.document
    a = stored.assessment
    index = TextIndex.of(doc)
    n = len(doc.text)
    sections = [
        {"s": s, "anchor": index.anchor(s.start), "areas": [(x, labels.area_name(x)) for x in s.areas]}
        for s in doc.sections
    ]
    facts = [
        {
            "i": i,
            "surface": f.surface,
            "value": f.value,
            "value_text": labels.with_approx(fmt_number(f.value), f.approx),
            "unit": f.unit,
            "approx": f.approx,
            "kind": labels.label("kinds", f.kind),
            "subject": f.subject,
            "indicator": f.indicator,
            "indicator_name": labels.indicator_name(f.indicator),
            "area": f.area,
            "area_name": labels.area_name(f.area),
            "start": f.start,
            "end": f.end,
            "anchor": index.anchor(f.start),
        }
        for i, f in enumerate(doc.facts)
    ]
    criteria = []
    elements = []
    if a is not None:
        criteria = [{"c": c, "evidence": _links(index, c.evidence, n)} for c in a.criteria]
        order = {e: i for i, e in enumerate(ELEMENTS)}
        for key, check in sorted(a.elements.items(), key=lambda kv: order.get(kv[0], len(order))):
            elements.append({"key": key, "e": check, "evidence": _links(index, check.evidence, n)})
    return render(
        request,
        "report.html",
        stored=stored,
        doc=doc,
        a=a,
        text_html=render_text(doc, index),
        sections=sections,
        facts=facts,
        criteria=criteria,
        elements=elements,
        criteria_chart=charts.criteria(a.criteria) if a and a.criteria else None,
    )
