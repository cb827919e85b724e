"""``/search``: sentences of every stored report that contain the query, with filters."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from ... import labels
from ..highlight import mark_sentence
from . import Filters, parse_page, render, store, web

router = APIRouter(include_in_schema=False)


def check_area(area: str | None) -> str | None:
    area = (area or "").strip() or None
    if area is not None and area not in labels.area_ids():
        raise HTTPException(422, f"area: must be one of {', '.join(labels.area_ids())}")
    return area


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    place: str | None = None,
    level: str | None = None,
    year: str | None = None,
    area: str | None = None,
    indicator: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    f = Filters.parse(place, level, year)
    area = check_area(area)
    indicator = (indicator or "").strip() or None
    n = parse_page(page)
    size = web(request).search_page_size
    hits = []
    if q.strip():
        hits = store(request).search(
            q, **f.params(), area=area, indicator=indicator, limit=size + 1, offset=(n - 1) * size
        )
    return render(
        request,
        "search.html",
        q=q,
        filters=f,
        area=area,
        indicator=indicator,
        areas=[(a, labels.area_name(a)) for a in labels.area_ids()],
        hits=[(h, mark_sentence(h.sentence, h.marks)) for h in hits[:size]],
        more=len(hits) > size,
        first=(n - 1) * size + 1,
        params={"q": q, "area": area, "indicator": indicator, **f.params()},
        page=n,
    )
