"""Readers: bytes on disk (or stdin) -> ``RawDoc``.

``read_path`` picks the reader by the file's ending and checks what every reader must
(size, emptiness, binary content); each reader raises ``ReadError`` with a one-line reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..models import RawDoc, ReadError, Rejection
from ..settings import DEFAULT, Settings
from . import text as _text

Reader = Callable[[bytes, str, str, Settings], RawDoc]


def _reader_for(suffix: str) -> Reader:
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        from . import html

        return html.read
    if suffix == ".pdf":
        from . import pdf

        return pdf.read
    if suffix == ".docx":
        from . import docx

        return docx.read
    if suffix in (".md", ".markdown"):
        from . import markdown

        return markdown.read
    return _text.read


def read_bytes(
    data: bytes, source: str, doc: str, suffix: str = ".txt", settings: Settings = DEFAULT
) -> RawDoc:
    if len(data) > settings.max_bytes:
        raise ReadError(f"file is larger than the limit ({len(data)} > {settings.max_bytes} bytes)")
    if not data.strip():
        raise ReadError("empty file")
    return _reader_for(suffix.lower())(data, source, doc, settings)


def read_path(path: str | Path, settings: Settings = DEFAULT) -> RawDoc:
    p = Path(path)
    if not p.exists():
        raise ReadError("no such file")
    if p.is_dir():
        raise ReadError("is a folder")
    try:
        size = p.stat().st_size
        if size > settings.max_bytes:
            raise ReadError(f"file is larger than the limit ({size} > {settings.max_bytes} bytes)")
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from exc
    return read_bytes(data, str(path), p.stem, p.suffix, settings)


def read_text(text: str, doc: str = "text", source: str = "<text>") -> RawDoc:
    return RawDoc(source=source, doc=doc, text=text, format="txt", encoding=None)


def iter_inputs(paths: Iterable[str | Path], settings: Settings = DEFAULT) -> Iterator[Path | Rejection]:
    """Expand files and folders (recursively) into report files; a bad path yields a Rejection."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in settings.extensions)
            if not found:
                yield Rejection(
                    str(raw), "folder holds no readable report (" + ", ".join(settings.extensions) + ")"
                )
            yield from found
        elif p.exists():
            yield p
        else:
            yield Rejection(str(raw), "no such file or folder")
