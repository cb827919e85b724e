"""Word documents (.docx): paragraphs and table cells in document order, after a zip-bomb check.

``read`` runs:

1. check the container before anything unpacks it: a zip (not an old ``.doc``, not an HTML page named
   ``.docx``), with ``word/document.xml``, a total unpacked size within ``settings.max_unpacked_bytes``
   and no member that unpacks to far more than it takes (a zip bomb);
2. open it with python-docx (a truncated or corrupt file is a ``ReadError``);
3. walk the body: one line per paragraph (a line break inside one starts a new line); a table gives
   one line per row with its cells joined by tabs (a cell ending in a colon and the next make one
   ``label:value``), except a table that only lays out text (one cell
   per row), whose paragraphs come out as lines; nested tables are walked in place;
4. core properties (title, author, created) go into ``RawDoc.meta``.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from ..models import RawDoc, ReadError
from ..settings import Settings

# A member that unpacks to more than this many times its packed size, and is large, is a zip bomb.
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
# More members than this is no Word document.
MAX_MEMBERS = 10_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def check_container(data: bytes, settings: Settings) -> None:
    """Raise ``ReadError`` unless ``data`` is a zip that is safe to unpack and holds a Word body."""
    if data.startswith(_OLE_MAGIC):
        raise ReadError("not a .docx: an old Word .doc or an encrypted document (save it as .docx)")
    if not data.startswith(b"PK"):
        head = data[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"mime-version")):
            raise ReadError("not a .docx: the file is a web page or XML (rename it to .html)")
        raise ReadError("not a .docx (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        ValueError,
        NotImplementedError,
        OSError,
    ) as exc:
        raise ReadError(f"not a readable .docx (truncated or corrupt zip: {exc})") from exc
    if len(members) > MAX_MEMBERS:
        raise ReadError(f"not a .docx ({len(members)} files in the archive)")
    total = sum(m.file_size for m in members)
    if total > settings.max_unpacked_bytes:
        raise ReadError(
            f".docx unpacks to more than the limit ({total} > {settings.max_unpacked_bytes} bytes; zip bomb?)"
        )
    for m in members:
        if m.file_size > RATIO_MIN_BYTES and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ReadError(
                f".docx member {m.filename} unpacks {m.file_size // max(m.compress_size, 1)} times its size (zip bomb?)"
            )
    names = {m.filename for m in members}
    for required in ("word/document.xml", "[Content_Types].xml"):
        if required not in names:
            raise ReadError(f"not a .docx (no {required} in the archive)")


def _paragraph_text(p: Any) -> str:
    """Text of a ``w:p``: runs, inserted (tracked) text, tabs and breaks; text boxes and fallbacks skipped."""
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if any(a.tag in (f"{_W}txbxContent", _MC_FALLBACK) for a in el.iterancestors()):
            continue
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag == f"{_W}tab":
            parts.append("\t")
        elif el.get(f"{_W}type") in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def _cells(row: Any) -> list[Any]:
    return row.findall(f"{_W}tc")


def _block_lines(parent: Any) -> Iterator[str]:
    """Lines of the paragraphs and tables directly under ``parent`` (body, cell, sdt content)."""
    for child in parent:
        tag = child.tag
        if tag == f"{_W}p":
            for line in _paragraph_text(child).split("\n"):
                if line.strip():
                    yield line.strip()
        elif tag == f"{_W}tbl":
            yield from _table_lines(child)
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            content = child.find(f"{_W}sdtContent")
            yield from _block_lines(content if content is not None else child)


def _table_lines(tbl: Any) -> Iterator[str]:
    rows = tbl.findall(f"{_W}tr")
    if all(len(_cells(tr)) <= 1 for tr in rows):
        # a table that only frames text: its paragraphs are paragraphs
        for tr in rows:
            for tc in _cells(tr):
                yield from _block_lines(tc)
        return
    for tr in rows:
        texts = []
        for tc in _cells(tr):
            if tc.find(f"{_W}tbl") is not None:
                if texts:
                    yield "\t".join(texts)
                    texts = []
                yield from _block_lines(tc)
                continue
            text = " ".join(_block_lines(tc))
            if not text:  # the continuation of a vertically merged cell is empty
                continue
            if texts and texts[-1].endswith((":", "：")):
                texts[-1] += text  # a label cell ("索 引 号：") and its value make one "label:value"
            else:
                texts.append(text)
        if texts:
            yield "\t".join(texts)


def _meta(document: Any) -> dict[str, str]:
    props = document.core_properties
    meta: dict[str, str] = {}
    if props.title and props.title.strip():
        meta["title"] = props.title.strip()
    if props.author and props.author.strip():
        meta["author"] = props.author.strip()
    if props.created:
        meta["created"] = props.created.date().isoformat()
    return meta


def read(data: bytes, source: str, doc: str, settings: Settings) -> RawDoc:
    check_container(data, settings)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document.element.body))
        meta = _meta(document)
    except PackageNotFoundError as exc:
        raise ReadError(f"not a .docx ({exc})") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
        raise ReadError(f"not a readable .docx (corrupt archive: {exc})") from exc
    except Exception as exc:  # lxml XMLSyntaxError, ValueError on broken parts, …
        raise ReadError(f"not a readable .docx ({type(exc).__name__}: {str(exc)[:120]})") from exc
    if not lines:
        raise ReadError(".docx has no text")
    return RawDoc(source=source, doc=doc, text="\n".join(lines), format="docx", encoding=None, meta=meta)
