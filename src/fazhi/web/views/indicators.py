"""``/indicators``: the indicator catalogue; ``/indicators/{id}``: one indicator across places and years."""

from __future__ import annotations

import math
from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ... import labels
from .. import charts
from ..app import not_found
from ..compare import Comparison, compare
from . import Filters, parse_page, render, store, web

router = APIRouter(include_in_schema=False)


@router.get("/indicators", response_class=HTMLResponse)
def indicator_index(request: Request) -> HTMLResponse:
    groups: dict[str, list[dict]] = defaultdict(list)
    for ind in labels.indicators():
        groups[ind["area"] or "other"].append(ind)
    areas = [(a, labels.area_name(a), groups[a]) for a in labels.area_ids() if groups.get(a)]
    counts = request.app.state.stats.indicator_counts()
    return render(request, "indicators.html", areas=areas, counts=counts)


def known_indicator(indicator: str) -> None:
    if indicator not in {i["id"] for i in labels.indicators()}:
        raise not_found(f"no indicator {indicator!r}")


def comparison(request: Request, indicator: str, f: Filters) -> Comparison:
    """The indicator across places and years (kept with the other aggregates, see ``stats``)."""
    stats = request.app.state.stats

    def build() -> Comparison:
        if all(v is None for v in f.params().values()):  # no filter: kept across changes
            rows = stats.indicator_facts(indicator)
        else:
            rows = store(request).indicator_facts(indicator, **f.params())
        return compare(rows, stats.figures_by_id({row.report_id for row in rows}), indicator)

    return stats.get(("indicator", indicator, f.place, f.level, f.year), build)


@router.get("/indicators/{indicator}", response_class=HTMLResponse)
def indicator_page(
    request: Request,
    indicator: str,
    place: str | None = None,
    level: str | None = None,
    year: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    known_indicator(indicator)
    f = Filters.parse(place, level, year)
    n = parse_page(page)
    size = web(request).page_size
    cmp = comparison(request, indicator, f)
    pages = max(1, math.ceil(len(cmp.places) / size))
    return render(
        request,
        "indicator.html",
        indicator=indicator,
        name=labels.indicator_name(indicator),
        cmp=cmp,
        rows=cmp.places[(n - 1) * size : n * size],
        filters=f,
        page=n,
        pages=pages,
        charts=request.app.state.stats.get(
            ("indicator charts", indicator, f.place, f.level, f.year),
            lambda: {
                "places": charts.indicator_places(cmp.chart_rows(f.year), cmp.unit, f.year),
                "years": charts.indicator_years(cmp.values_by_year(), cmp.unit),
            },
        ),
    )
