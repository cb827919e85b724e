"""Word documents (.docx): paragraphs and table cells in document order, after a zip-bomb check.

``read`` runs:

1. check the container before anything unpacks it: a zip (not an old ``.doc``, not an HTML page named
   ``.docx``), with ``word/document.xml``, a total unpacked size within ``settings.max_unpacked_bytes``
   and no member that unpacks to far more than it takes (a zip bomb);
2. open it with python-docx (a truncated or corrupt file is a ``ReadError``);
3. walk the body: one line per paragraph (a line break inside one starts a new line), led by its
   list number when Word numbers it (``一、`` ``（一）`` ``1.`` from numbering.xml are not in the text,
   and headings need them); a table gives
   one line per row with its cells joined by tabs (a cell ending in a colon and the next make one
   ``label:value``), except a table that only lays out text (one cell
   per row), whose paragraphs come out as lines; nested tables are walked in place;
4. core properties (title, author, created) go into ``RawDoc.meta``.
"""

from __future__ import annotations

import io
import re
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


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _chinese(n: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (
            ("" if tens == 1 and digits is _CN_DIGITS else digits[tens])
            + ten
            + (digits[ones] if ones else "")
        )
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word shows it for a ``w:numFmt`` (Chinese formats first; unknown ones as digits)."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "japaneseCounting",
        "ideographDigital",
    ):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt in ("ideographTraditional", "ideographZodiac"):
        return _STEMS[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return str(n).translate({i: i + 0xFEE0 for i in range(0x30, 0x3A)})
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).lower() if fmt == "lowerRoman" else _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _val(el: Any, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{_W}val")


class Numbering:
    """Word's automatic list numbers: ``numbering.xml`` levels, counted in document order."""

    def __init__(self, numbering_xml: Any | None, styles_xml: Any | None) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}  # paragraph style id -> (numId, ilvl)
        if numbering_xml is not None:
            abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
            for an in numbering_xml.findall(f"{_W}abstractNum"):
                levels = {}
                for lvl in an.findall(f"{_W}lvl"):
                    start = _val(lvl, f"{_W}start") or "1"
                    levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                        int(start) if start.isdigit() else 1,
                        _val(lvl, f"{_W}numFmt") or "decimal",
                        _val(lvl, f"{_W}lvlText") or "",
                    )
                abstract[an.get(f"{_W}abstractNumId", "")] = levels
            for num in numbering_xml.findall(f"{_W}num"):
                self.levels[num.get(f"{_W}numId", "")] = abstract.get(
                    _val(num, f"{_W}abstractNumId") or "", {}
                )
        if styles_xml is not None:
            for style in styles_xml.findall(f"{_W}style"):
                num_id = _val(style, f"{_W}pPr/{_W}numPr/{_W}numId")
                if num_id:
                    ilvl = _val(style, f"{_W}pPr/{_W}numPr/{_W}ilvl") or "0"
                    self.style_num[style.get(f"{_W}styleId", "")] = (
                        num_id,
                        int(ilvl) if ilvl.isdigit() else 0,
                    )

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph ``p`` ("一、", "（二）", "3."), or ""."""
        num_id = _val(p, f"{_W}pPr/{_W}numPr/{_W}numId")
        ilvl_text = _val(p, f"{_W}pPr/{_W}numPr/{_W}ilvl")
        style = _val(p, f"{_W}pPr/{_W}pStyle")
        if num_id is None and style in self.style_num:
            num_id, style_ilvl = self.style_num[style]
            ilvl_text = ilvl_text or str(style_ilvl)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else 0
        levels = self.levels[num_id]
        if ilvl not in levels or levels[ilvl][1] in ("bullet", "none"):
            return ""  # a bullet's glyph is a symbol-font character, not text
        counts = self.counters.setdefault(num_id, [0] * 10)
        ilvl = min(ilvl, 9)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else levels[ilvl][0]
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0

        def level_text(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            start, fmt, _ = levels.get(k, (1, "decimal", ""))
            return format_number(counts[k] or start, fmt)

        return re.sub(r"%([1-9])", level_text, levels[ilvl][2])


def _cells(row: Any) -> list[Any]:
    return row.findall(f"{_W}tc")


def _block_lines(parent: Any, numbering: Numbering) -> Iterator[str]:
    """Lines of the paragraphs and tables directly under ``parent`` (body, cell, sdt content)."""
    for child in parent:
        tag = child.tag
        if tag == f"{_W}p":
            text = _paragraph_text(child)
            if text.strip():
                text = numbering.label(child) + text.lstrip()
            for line in text.split("\n"):
                if line.strip():
                    yield line.strip()
        elif tag == f"{_W}tbl":
            yield from _table_lines(child, numbering)
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            content = child.find(f"{_W}sdtContent")
            yield from _block_lines(content if content is not None else child, numbering)


def _table_lines(tbl: Any, numbering: Numbering) -> Iterator[str]:
    rows = tbl.findall(f"{_W}tr")
    if all(len(_cells(tr)) <= 1 for tr in rows):
        # a table that only frames text: its paragraphs are paragraphs
        for tr in rows:
            for tc in _cells(tr):
                yield from _block_lines(tc, numbering)
        return
    for tr in rows:
        texts = []
        for tc in _cells(tr):
            if tc.find(f"{_W}tbl") is not None:
                if texts:
                    yield "\t".join(texts)
                    texts = []
                yield from _block_lines(tc, numbering)
                continue
            text = " ".join(_block_lines(tc, numbering))
            if not text:  # the continuation of a vertically merged cell is empty
                continue
            if texts and texts[-1].endswith((":", "：")):
                texts[-1] += text  # a label cell ("索 引 号：") and its value make one "label:value"
            else:
                texts.append(text)
        if texts:
            yield "\t".join(texts)


def _numbering(document: Any) -> Numbering:
    try:
        numbering_xml = document.part.numbering_part.element
    except (NotImplementedError, KeyError):  # a document without lists has no numbering part
        numbering_xml = None
    return Numbering(numbering_xml, document.styles.element)


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
        lines = list(_block_lines(document.element.body, _numbering(document)))
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
