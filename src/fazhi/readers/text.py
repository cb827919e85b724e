"""Plain text and Markdown: detect the encoding instead of assuming it."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ..models import RawDoc, ReadError
from ..settings import Settings

# Tried in order before statistical detection: a BOM is certain, strict UTF-8 nearly so.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Chinese legacy encodings, widest first; GB18030 is a superset of GBK and GB2312.
_CANDIDATES = ("gb18030", "big5")


def _han_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u4e00" <= c <= "\u9fff") / len(letters)


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head and not (head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE)):
        # UTF-16 without a BOM has many NULs in ASCII-heavy text; the decoder below handles it
        return not _utf16_without_bom(head)
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05


def _utf16_without_bom(head: bytes) -> bool:
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return max(even, odd) > len(head) * 0.2 and min(even, odd) < len(head) * 0.05


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of Chinese text; returns (text, encoding name)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc.replace("-sig", "-bom")
    if _utf16_without_bom(data[:4096]):
        enc = "utf-16-le" if data[1::2][:2048].count(0) > data[0::2][:2048].count(0) else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _han_ratio(text) + (0.01 if enc == "gb18030" else 0)
        # Big5 bytes often decode as GB18030 into rare characters: prefer the decoding with common Han
        score -= _rare_share(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is not None:
        return best[1], best[2]
    guess = from_bytes(data).best()
    if guess is None or guess.encoding is None:
        raise ReadError("cannot detect the text encoding (binary or corrupt file?)")
    return str(guess), guess.encoding


def _rare_share(text: str) -> float:
    """Share of Han characters outside the common (GB2312 level-1/2) set: high for a wrong decoding."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 1.0
    rare = 0
    for c in han:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(han)


def read(data: bytes, source: str, doc: str, settings: Settings) -> RawDoc:
    if looks_binary(data):
        raise ReadError("binary content, not a text file")
    text, encoding = decode(data)
    fmt = "md" if source.lower().endswith(".md") else "txt"
    return RawDoc(source=source, doc=doc, text=text, format=fmt, encoding=encoding)
