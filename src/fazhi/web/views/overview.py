"""``/``: the overview: headline figures, ranking, score distribution, reports per year, area coverage."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import charts
from . import parse_year, render, web

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, year: str | None = None) -> HTMLResponse:
    y = parse_year(year)
    ov = request.app.state.stats.overview(y, web(request).ranking_size)
    return render(
        request,
        "overview.html",
        ov=ov,
        year=y,
        charts={
            "distribution": charts.score_distribution(ov),
            "coverage": charts.area_coverage(ov),
            "years": charts.years(ov),
        },
    )
