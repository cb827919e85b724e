"""PDF with a text layer: lines from pdfplumber, joined back into paragraphs.

A Chinese PDF breaks its lines anywhere, mid-sentence and mid-number. ``read`` runs:

1. open with pdfplumber; a damaged, encrypted or non-PDF file is a ``ReadError``;
2. take each page's text lines with their positions; a PDF without text is a scan (no OCR here);
3. drop page numbers (``- 3 -``, ``第3页``, ``3``) and headers/footers repeated across pages;
4. join lines into paragraphs: a line that fills the width and does not end a sentence continues
   into the next; an indented line, a line starting with a heading number (一、（一）1.) or a line
   after a short one starts a new paragraph. Paragraphs continue across pages.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..layout import HEADING as _HEADING
from ..layout import PAGE_NUMBER as _PAGE_NUMBER
from ..layout import TERMINAL as _TERMINAL
from ..models import RawDoc, ReadError
from ..settings import Settings

# Fewer visible characters than this in the whole file: no text layer.
MIN_TEXT_CHARS = 10
# Above this share of (cid:N) glyphs the text layer cannot be mapped to Unicode.
MAX_CID_SHARE = 0.3
# Lines at each end of a page looked at for page numbers, headers and footers.
EDGE_LINES = 2
# A header/footer recurs at the page edges on this share of pages (and on two at least).
REPEAT_SHARE = 0.5
# Geometry, in units of the body font size.
INDENT_MIN = 0.8  # a first line indented by this much starts a paragraph
INDENT_MAX = 4.0  # beyond this a line is centred or right-aligned, not indented
FULL_SLACK = 0.6  # a line is full when the gap at its right is below the next line's first word plus this
CENTRE_TOLERANCE = 1.5
TITLE_SIZE = 1.15  # a line set this much larger than the body is a title (or part of one)
PARAGRAPH_SPACING = 1.45  # a vertical step this many times the usual one separates paragraphs
# Pages with fewer lines than this use the document's margins instead of their own.
MIN_PAGE_LINES = 5

_CID = re.compile(r"\(cid:\d+\)")
_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")
_FIRST_TOKEN = re.compile(r"^[A-Za-z0-9.,%\-]+")

# pdfminer logs at WARNING for every odd object in real-world files; the reader reports errors itself
logging.getLogger("pdfminer").setLevel(logging.ERROR)
logging.getLogger("pdfplumber").setLevel(logging.ERROR)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float  # median font size of its characters
    first_width: float  # width of its first word (or character)
    page: int


@dataclass
class Geometry:
    left: float
    right: float
    step: float  # usual distance from one line's top to the next


def _clean(text: str) -> str:
    return _SPACE_IN_CJK.sub("", text.replace("\u3000", " ")).strip()


def _line(raw: dict[str, Any], page: int) -> Line | None:
    chars = [c for c in raw.get("chars", []) if c.get("text", "").strip()]
    text = _clean(raw.get("text", ""))
    if not chars or not text:
        return None
    m = _FIRST_TOKEN.match(text)
    first = chars[: len(m.group(0))] if m else chars[:1]
    return Line(
        text=text,
        x0=min(c["x0"] for c in chars),
        x1=max(c["x1"] for c in chars),
        top=float(raw["top"]),
        size=statistics.median(float(c.get("size") or 0) for c in chars) or 10.0,
        first_width=sum(c["x1"] - c["x0"] for c in first),
        page=page,
    )


# --- 3. page furniture --------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop page numbers and headers/footers that recur at the page edges."""

    def edges(lines: list[Line]) -> list[Line]:
        return lines[:EDGE_LINES] + lines[-EDGE_LINES:] if len(lines) > 2 * EDGE_LINES else lines

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(line.text) for line in edges(lines)})
    need = max(2, math.ceil(REPEAT_SHARE * len(pages)))
    repeated = {key for key, n in counts.items() if n >= need}
    out = []
    for lines in pages:
        edge_ids = {id(line) for line in edges(lines)}
        out.append(
            [
                line
                for line in lines
                if id(line) not in edge_ids
                or not (_PAGE_NUMBER.match(line.text) or _key(line.text) in repeated)
            ]
        )
    return out


# --- 4. paragraphs ------------------------------------------------------------------------------


def _margin(values: list[float], tolerance: float, lowest: bool) -> float:
    """The outermost position that two lines share (a lone outlier is not a margin)."""
    ordered = sorted(values, reverse=not lowest)
    for i, v in enumerate(ordered[:-1]):
        if abs(ordered[i + 1] - v) <= tolerance:
            return v
    return ordered[0]


def _geometry(lines: list[Line], size: float) -> Geometry | None:
    if not lines:
        return None
    steps = [b.top - a.top for a, b in pairwise(lines) if b.top > a.top]
    return Geometry(
        left=_margin([line.x0 for line in lines], size * 0.25, lowest=True),
        right=_margin([line.x1 for line in lines], size * 0.25, lowest=False),
        step=statistics.median(steps) if steps else size * 1.5,
    )


def _centred(line: Line, geo: Geometry, size: float) -> bool:
    middle = (geo.left + geo.right) / 2
    return (
        line.x0 > geo.left + INDENT_MAX * size
        and abs((line.x0 + line.x1) / 2 - middle) < CENTRE_TOLERANCE * size
    )


def paragraphs(pages: list[list[Line]]) -> list[str]:
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    size = statistics.median(line.size for line in lines)
    whole = _geometry(lines, size)
    assert whole is not None
    geo = {
        i: (_geometry(page, size) if len(page) >= MIN_PAGE_LINES else None) or whole
        for i, page in enumerate(pages)
    }

    def indent(line: Line) -> float:
        return (line.x0 - geo[line.page].left) / size

    def short(line: Line, nxt: Line) -> bool:
        gap = geo[line.page].right - line.x1
        return gap > nxt.first_width + FULL_SLACK * size or indent(line) > INDENT_MAX

    # does the document mark paragraphs by a first-line indent?
    after_short = [b for a, b in pairwise(lines) if short(a, b)]
    uses_indent = bool(after_short) and (
        sum(1 for b in after_short if INDENT_MIN <= indent(b) <= INDENT_MAX) >= len(after_short) / 2
    )

    def title_sized(line: Line) -> bool:
        return line.size >= TITLE_SIZE * size

    def starts_paragraph(prev: Line, line: Line) -> bool:
        if title_sized(prev) != title_sized(line):
            return True
        if prev.page == line.page and title_sized(prev) and abs(prev.size - line.size) < 0.1 * size:
            return prev.text[-1] in _TERMINAL  # a title set on two lines
        if _centred(prev, geo[prev.page], size) and _centred(line, geo[line.page], size):
            return prev.text[-1] in _TERMINAL or line.top - prev.top > PARAGRAPH_SPACING * geo[line.page].step
        if _HEADING.match(line.text) or indent(line) >= INDENT_MIN or short(prev, line):
            return True
        if prev.page == line.page and line.top - prev.top > PARAGRAPH_SPACING * geo[line.page].step:
            return True
        return prev.text[-1] in _TERMINAL and not uses_indent

    out = [lines[0].text]
    for prev, line in pairwise(lines):
        if starts_paragraph(prev, line):
            out.append(line.text)
        else:
            sep = " " if _LATIN_END.search(out[-1]) and _LATIN_START.match(line.text) else ""
            out[-1] += sep + line.text
    return out


# --- read ---------------------------------------------------------------------------------------


def _pdf_date(value: str) -> str:
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value)
    if not m:
        return value
    year, month, day = m.group(1), m.group(2) or "01", m.group(3) or "01"
    return f"{year}-{month}-{day}"


def _meta(info: dict[str, Any]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, name in (("title", "Title"), ("author", "Author"), ("created", "CreationDate")):
        value = info.get(name)
        if isinstance(value, bytes):
            value = value.decode(
                "utf-16" if value.startswith((b"\xfe\xff", b"\xff\xfe")) else "latin-1", "replace"
            )
        if isinstance(value, str) and value.strip():
            value = value.strip()
            if key == "created":
                value = _pdf_date(value)
            if key == "title":
                value = re.sub(r"^Microsoft Word - ", "", value)
            meta[key] = value
    return meta


def _open_error(exc: Exception) -> ReadError:
    """A one-line reason for what pdfminer raised (pdfplumber wraps its errors in their args)."""
    causes = [exc, exc.__cause__, exc.__context__, *(a for a in exc.args if isinstance(a, BaseException))]
    causes = [c for c in causes if c is not None]
    names = " ".join(f"{type(c).__name__} {c}" for c in causes)
    if "Password" in names or "Encrypt" in names or "password" in names:
        return ReadError("PDF is encrypted (password protected)")
    detail = next((str(c).splitlines()[0][:120] for c in causes if str(c).strip()), type(causes[-1]).__name__)
    return ReadError(f"not a readable PDF ({detail})")


def read(data: bytes, source: str, doc: str, settings: Settings) -> RawDoc:
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF file (no %PDF header)")
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise _open_error(exc) from exc
    pages: list[list[Line]] = []
    try:
        meta = _meta(pdf.metadata or {})
        for number, page in enumerate(pdf.pages):
            raw = page.extract_text_lines(return_chars=True, strip=True)
            pages.append([line for r in raw if (line := _line(r, number)) is not None])
    except Exception as exc:
        raise _open_error(exc) from exc
    finally:
        with contextlib.suppress(Exception):
            pdf.close()  # re-reads the page tree, which may be what is broken
    visible = "".join(line.text for page in pages for line in page)
    cids = len(_CID.findall(visible))
    if cids and cids > MAX_CID_SHARE * (cids + len(_CID.sub("", visible))):
        raise ReadError("PDF text has no Unicode mapping ((cid:N) glyphs); OCR is not supported")
    for page in pages:
        for line in page:
            line.text = _CID.sub("", line.text).strip()
    pages = [[line for line in page if line.text] for page in pages]
    pages = drop_furniture(pages)
    text = "\n".join(paragraphs(pages))
    if len(re.sub(r"\s", "", text)) < MIN_TEXT_CHARS:
        raise ReadError("PDF has no text layer (scanned?); OCR is not supported")
    return RawDoc(source=source, doc=doc, text=text, format="pdf", encoding=None, meta=meta)
