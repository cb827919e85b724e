"""Uploaded files -> stored reports, for ``/upload`` and ``POST /api/reports``.

Limits come first (file type, then size while the body is read), then ``Store.ingest_bytes``: the
reader, pipeline and assessment of ``fazhi ingest``. A file that fails gives the CLI's one-line reason,
never a server error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from ..models import Rejection
from ..store.ingest import content_hash

CHUNK = 1024 * 1024


@dataclass
class Outcome:
    filename: str
    status: str  # added / stored (already there) / failed
    http_status: int  # 201 added, 200 stored, 413/415/422 failed
    reason: str | None = None
    report_id: int | None = None
    doc: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def line(self) -> str:
        """The CLI's wording: ``FILE: reason``."""
        return f"{self.filename}: {self.reason}" if self.reason else self.filename

    def to_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "status": self.status,
            "id": self.report_id,
            "doc": self.doc,
            "reason": self.reason,
            "url": f"/reports/{self.report_id}" if self.report_id is not None else None,
        }


def safe_name(filename: str | None) -> str:
    """The file's own name without any folder part (a browser may send a path)."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return name or "upload"


def _fail(name: str, status: int, reason: str) -> Outcome:
    return Outcome(name, "failed", status, reason)


async def receive(upload: UploadFile, web: Any) -> tuple[str, bytes] | Outcome:
    """(name, bytes) of one uploaded file, or why it is refused (type, size)."""
    name = safe_name(upload.filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in web.upload_types:
        return _fail(
            name, 415, f"file type {suffix or '(none)'} is not accepted ({' '.join(web.upload_types)})"
        )
    chunks, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > web.max_upload_bytes:
            return _fail(name, 413, f"file is larger than the limit (> {web.max_upload_bytes} bytes)")
        chunks.append(chunk)
    return name, b"".join(chunks)


def process(store: Any, name: str, data: bytes) -> Outcome:
    """Read, analyse and store one file, as ``fazhi ingest`` does (``Store.ingest_bytes``)."""
    existing = store.report_id(content_hash(data))
    stem = PurePath(name).stem
    if existing is not None:
        return Outcome(name, "stored", 200, report_id=existing, doc=stem)
    result = store.ingest_bytes(data, source=name, suffix=PurePath(name).suffix)
    if isinstance(result, Rejection):
        return _fail(name, 422, result.reason)
    return Outcome(name, "added", 201, report_id=result, doc=stem)


async def handle(store: Any, web: Any, files: list[UploadFile]) -> list[Outcome]:
    """Every uploaded file, in order; the pipeline runs off the event loop."""
    if not files:
        return [_fail("(none)", 422, "no file uploaded")]
    if len(files) > web.max_upload_files:
        return [_fail("(upload)", 413, f"too many files ({len(files)} > {web.max_upload_files})")]
    out = []
    for upload in files:
        got = await receive(upload, web)
        if isinstance(got, Outcome):
            out.append(got)
        else:
            out.append(await run_in_threadpool(process, store, *got))
    return out
