"""The dashboard's FastAPI application and its settings (datasette's ``app.py`` role).

``create_app(db_url)`` opens the store once, mounts the package's own static files (ECharts included,
so the dashboard works with no internet), and registers one router per page kind (``views/``) plus the
JSON API (``api.py``). Pages are Jinja2 templates with autoescape on: report text is never trusted.
"""

from __future__ import annotations

import gc
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..settings import MB

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# Every page and script comes from this server: no CDN, no inline script (report text cannot run).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
# /docs (Swagger UI, from static/vendor/swagger-ui) starts itself with an inline script.
_NO_CSP = ("/docs",)


@dataclass(frozen=True)
class WebSettings:
    """Settings of ``fazhi serve``, with their defaults and what each means."""

    max_upload_bytes: int = field(default=20 * MB, metadata={"help": "largest uploaded file, in bytes"})
    upload_types: tuple[str, ...] = field(
        default=(".txt", ".md", ".html", ".htm", ".pdf", ".docx"),
        metadata={"help": "file endings accepted for upload"},
    )
    max_upload_files: int = field(default=20, metadata={"help": "most files in one upload"})
    page_size: int = field(default=50, metadata={"help": "rows per page of report lists and tables"})
    search_page_size: int = field(default=20, metadata={"help": "hits per page of search results"})
    ranking_size: int = field(default=20, metadata={"help": "reports in the overview's ranking"})
    max_api_limit: int = field(default=500, metadata={"help": "largest `limit` the JSON API accepts"})
    stats_ttl: float = field(
        default=300.0,
        metadata={
            "help": "seconds aggregates (overview, comparisons) are kept; a change in the store clears them"
        },
    )


def create_app(
    db_url: str | None = None, settings: WebSettings | None = None, *, store: Any = None
) -> FastAPI:
    """The dashboard on the store at ``db_url`` (``None``: ``$FAZHI_DB`` or ``sqlite:///fazhi.db``).

    ``store`` hands in an already open store instead (tests); the app then leaves closing it to the caller.
    """
    from . import api
    from .stats import StatsCache, one_reading
    from .templating import make_templates
    from .views import indicators, overview, reports, search, upload

    owns_store = store is None
    if store is None:
        from ..store import open_store

        store = open_store(db_url)

    def warm_up() -> None:
        try:
            app.state.stats.warm(app.state.web.ranking_size)
            # What start-up built (modules, templates, labels, the first aggregates) lives as long as
            # the server: out of the garbage collector's sight, a full collection in the middle of a
            # request looks at what requests made since, not at all of it (about 0.1 s less, now and
            # then).
            gc.freeze()
        finally:
            app.state.warmed.set()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # The overview's aggregates read every report: start on them now, not on the first visit.
        warm = threading.Thread(target=warm_up)
        warm.start()
        yield
        warm.join()
        if owns_store:
            store.close()

    app = FastAPI(
        title="fazhi 法治政府建设年度报告",
        description=(
            "JSON API of the fazhi dashboard: stored reports with their facts and assessment, "
            "full-text search, indicator comparison and upload. Every fact and criterion carries "
            "character offsets into the report's cleaned text (`text[start:end]`)."
        ),
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served below from the package's own copy of Swagger UI, not a CDN
        redoc_url=None,
    )
    app.state.store = store
    app.state.web = settings or WebSettings()
    app.state.stats = StatsCache(store, app.state.web.stats_ttl)
    app.state.warmed = threading.Event()  # set when start-up's aggregates are computed (or failed)
    app.state.templates = make_templates(TEMPLATES)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (overview, reports, indicators, search, upload):
        app.include_router(module.router)
    app.include_router(api.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} · API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.middleware("http")
    async def guard(request: Request, call_next):
        # Refuse an oversized upload before its body is read (the per-file check follows in upload).
        if request.method == "POST":
            length = request.headers.get("content-length")
            limit = app.state.web.max_upload_bytes * app.state.web.max_upload_files + MB
            if length and length.isdigit() and int(length) > limit:
                return _error(request, 413, f"request is larger than the limit ({length} > {limit} bytes)")
        with one_reading():
            response: Response = await call_next(request)
        if not request.url.path.startswith(_NO_CSP):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
        message = first.get("msg", "invalid request")
        return _error(request, 422, f"{where}: {message}" if where else message)

    return app


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, detail: str) -> Response:
    """JSON ``{"detail": ...}`` for the API, an error page in Chinese for people."""
    if is_api(request) or "text/html" not in request.headers.get("accept", "text/html"):
        return JSONResponse({"detail": detail}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "detail": detail}, status_code=status
    )


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=what)
