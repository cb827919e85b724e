"""``/upload``: a form to add reports; each file is processed, stored and linked, or refused with its reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import uploads
from . import render, store, web

router = APIRouter(include_in_schema=False)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    return render(request, "upload.html", outcomes=None)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    settings = web(request)
    async with request.form(max_files=settings.max_upload_files + 1) as form:
        files = [f for f in form.getlist("files") if hasattr(f, "read") and (f.filename or f.size)]
        outcomes = await uploads.handle(store(request), settings, files)
    if any(o.status == "added" for o in outcomes):
        request.app.state.stats.clear()
    failed = [o for o in outcomes if not o.ok]
    status = 200 if not failed else (failed[0].http_status if len(failed) == len(outcomes) else 200)
    return render(request, "upload.html", status_code=status, outcomes=outcomes)
