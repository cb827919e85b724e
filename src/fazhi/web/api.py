"""The JSON API under ``/api`` (documented at ``/docs``): everything the pages show, as data.

Lists are JSON arrays; their paging is ``limit``/``offset`` and the full count is in ``X-Total-Count``
where the store can count cheaply. Errors are ``{"detail": "one line"}`` with a 4xx status.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .. import labels
from .app import not_found
from .views import Filters, store, web
from .views.indicators import comparison, known_indicator
from .views.reports import page_of_reports
from .views.search import check_area

router = APIRouter(prefix="/api", tags=["api"])

PLACE = Query(
    None,
    description="Jurisdiction or issuing body by name (厦门市), or an administrative code (350200: it and everything inside it)",
)
LEVEL = Query(None, description="province, prefecture, county, township or department")
YEAR = Query(None, description="The year the reports cover", ge=1949, le=2100)


class ReportItem(BaseModel):
    id: int
    doc: str
    title: str | None = None
    author: str | None = None
    jurisdiction: str | None = None
    admin_code: str | None = None
    level: str | None = None
    parent: str | None = None
    year: int | None = None
    published: str | None = None
    score: float | None = Field(None, description="Assessment score, 0-100")
    timely: bool | None = Field(None, description="Published before the deadline (None: no date known)")
    n_facts: int = 0
    framework: str | None = None
    url: str = Field(description="The report's page")


class SearchHitItem(BaseModel):
    report_id: int
    doc: str
    jurisdiction: str | None = None
    year: int | None = None
    title: str | None = None
    level: str | None = None
    area: str | None = None
    sentence: str
    start: int = Field(description="Offset of the sentence in the report's text")
    end: int
    marks: list[tuple[int, int]] = Field(description="Matches, as offsets within the sentence")
    url: str = Field(description="The sentence in its report's page")


class FactItem(BaseModel):
    report: ReportItem
    surface: str
    value: float
    unit: str
    approx: str
    kind: str
    subject: str
    indicator: str | None = None
    area: str | None = None
    start: int
    end: int
    evidence: str
    url: str = Field(description="The fact in its report's page")


class UploadItem(BaseModel):
    filename: str
    status: str = Field(description="added, stored (the same file was stored before) or failed")
    id: int | None = None
    doc: str | None = None
    reason: str | None = Field(None, description="Why the file was refused (as the CLI says it)")
    url: str | None = None


class Label(BaseModel):
    id: str
    name: str
    area: str | None = None
    units: list[str] = Field(default_factory=list, description="Units the indicator is counted in")


class ErrorOut(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def _item(r: Any) -> dict[str, Any]:
    return {**r.to_dict(), "url": f"/reports/{r.id}"}


def _limit(request: Request, limit: int) -> int:
    return min(limit, web(request).max_api_limit)


@router.get("/reports", response_model=list[ReportItem], summary="Stored reports")
def list_reports(
    request: Request,
    response: Response,
    place: str | None = PLACE,
    level: str | None = LEVEL,
    year: int | None = YEAR,
    sort: Literal["", "score"] = Query("", description="score: best score first"),
    limit: int = Query(50, ge=1, description="At most this many (capped by the server's max_api_limit)"),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    """Reports newest year first, then by administrative code (or best score first). The total is in
    `X-Total-Count`."""
    f = Filters.parse(place, level, str(year) if year else None)
    total, rows = page_of_reports(request, f, _limit(request, limit), offset, sort)
    response.headers["X-Total-Count"] = str(total)
    return [_item(r) for r in rows]


@router.post(
    "/reports",
    response_model=list[UploadItem],
    status_code=201,
    summary="Upload reports",
    responses={
        413: {"model": list[UploadItem]},
        415: {"model": list[UploadItem]},
        422: {"model": list[UploadItem]},
    },
)
async def upload_reports(
    request: Request, files: Annotated[list[UploadFile], File(description="Report files")]
) -> Any:
    """Process and store uploaded files (.txt .md .html .htm .pdf .docx, up to the size limit).

    201 when a file was added, 200 when every file was stored already, else the first failure's status
    (413 too large, 415 wrong type, 422 unreadable), always with every file's outcome and reason."""
    from .uploads import handle

    outcomes = await handle(store(request), web(request), files)
    if any(o.status == "added" for o in outcomes):
        request.app.state.stats.clear()
    failed = [o for o in outcomes if not o.ok]
    status = failed[0].http_status if failed else max(o.http_status for o in outcomes)
    return JSONResponse([o.to_dict() for o in outcomes], status_code=status)


@router.get("/reports/{report_id}", summary="One report", responses=ERRORS)
def get_report(
    report_id: int,
    request: Request,
    full: bool = Query(False, description="Add paragraph and sentence offsets and metadata lines"),
) -> dict[str, Any]:
    """The report's contract fields (`Document.to_dict()`: metadata, cleaned `text`, `sections`,
    `facts`), its `id`, and `assessment` (`Assessment.to_dict()`: score, criteria with evidence
    offsets, required elements, timeliness; null when it was stored unassessed)."""
    stored = store(request).report(report_id)
    if stored is None:
        raise not_found(f"no report with id {report_id}")
    out = {"id": stored.id, **stored.document.to_dict(full=full)}
    out["assessment"] = stored.assessment.to_dict() if stored.assessment else None
    out["content_hash"] = stored.content_hash
    out["extractor_version"] = stored.extractor_version
    out["ingested_at"] = stored.ingested_at.isoformat() if stored.ingested_at else None
    return out


@router.get("/search", response_model=list[SearchHitItem], summary="Full-text search", responses=ERRORS)
def search(
    request: Request,
    q: str = Query(
        ..., min_length=1, description="Terms separated by spaces; a sentence matches when it holds all"
    ),
    place: str | None = PLACE,
    level: str | None = LEVEL,
    year: int | None = YEAR,
    area: str | None = Query(None, description="Framework area id of the sentence"),
    indicator: str | None = Query(None, description="Only sentences holding a fact of this indicator"),
    limit: int = Query(20, ge=1),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    """Sentences of stored reports that contain every term, in storage order, matches marked."""
    f = Filters.parse(place, level, str(year) if year else None)
    hits = store(request).search(
        q,
        **f.params(),
        area=check_area(area),
        indicator=indicator or None,
        limit=_limit(request, limit),
        offset=offset,
    )
    return [{**h.to_dict(), "url": f"/reports/{h.report_id}#s-{h.start}"} for h in hits]


@router.get("/facts", response_model=list[FactItem], summary="Facts across reports", responses=ERRORS)
def facts(
    request: Request,
    indicator: str | None = Query(None, description="Indicator id (see /api/indicators)"),
    place: str | None = PLACE,
    year: int | None = YEAR,
    area: str | None = Query(None, description="Framework area id"),
    limit: int = Query(100, ge=1),
) -> list[dict[str, Any]]:
    """Stored facts with the report each comes from, newest year first, in reading order."""
    rows = store(request).facts(
        indicator=indicator or None,
        place=place or None,
        year=year,
        area=check_area(area),
        limit=_limit(request, limit),
    )
    return [{**f.to_dict(), "report": _item(r), "url": f"/reports/{r.id}#f-{f.start}"} for r, f in rows]


@router.get("/indicators", response_model=list[Label], summary="The indicator catalogue")
def indicator_list() -> list[dict[str, Any]]:
    return labels.indicators()


@router.get("/indicators/{indicator}", summary="One indicator across places and years", responses=ERRORS)
def indicator_comparison(
    request: Request,
    indicator: str,
    place: str | None = PLACE,
    level: str | None = LEVEL,
    year: int | None = YEAR,
    limit: int = Query(100, ge=1, description="Places on this page (capped by max_api_limit)"),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """Per place (rows) and year (columns): the report's value of the indicator, with the fact it came
    from (`url` opens it). `unit` is the unit most facts use; places are largest latest value first,
    `n_places` of them in all (page with `limit`/`offset`)."""
    known_indicator(indicator)
    f = Filters.parse(place, level, str(year) if year else None)
    cmp = comparison(request, indicator, f)
    page = cmp.places[offset : offset + _limit(request, limit)]
    return {
        "indicator": indicator,
        "name": labels.indicator_name(indicator),
        "unit": cmp.unit,
        "years": cmp.years,
        "n_facts": cmp.n_facts,
        "n_reports": cmp.n_reports,
        "n_places": len(cmp.places),
        "offset": offset,
        "places": [
            {
                "key": p.key,
                "jurisdiction": p.jurisdiction,
                "level": p.level,
                "values": {str(y): c.to_dict() for y, c in sorted(p.cells.items())},
            }
            for p in page
        ],
    }


@router.get("/areas", response_model=list[Label], summary="Framework areas")
def area_list() -> list[dict[str, Any]]:
    return [{"id": a, "name": labels.area_name(a)} for a in labels.area_ids()]


@router.get("/overview", summary="The overview's aggregates", responses=ERRORS)
def overview(request: Request, year: int | None = YEAR) -> dict[str, Any]:
    """Counts, mean and median score, timeliness, ranking, score distribution (by level), reports and
    mean score per year, and area coverage (share of reports with facts in each area)."""
    return request.app.state.stats.overview(year, web(request).ranking_size).to_dict()
