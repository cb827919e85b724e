"""Plain text: detect the encoding instead of assuming it (the Markdown reader decodes with it too)."""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

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


def _is_han(c: str) -> bool:
    # CJK Unified Ideographs and Extension A; rarer blocks do not change the verdict
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _han_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _is_han(c)) / len(letters)


def plausibility(text: str) -> float:
    """How much a decoding reads as Chinese: share of Han among letters, less the share of rare Han.

    A wrong legacy decoding (Big5 read as GB18030, GBK read as Latin-1) scores clearly lower.
    """
    return _han_ratio(text) - _rare_share(text)


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(tuple(bom for bom, _ in _BOMS)) or _utf16_guess(head):
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05


def _utf16_without_bom(head: bytes) -> bool:
    """ASCII-heavy UTF-16: a NUL in every other byte."""
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return max(even, odd) > len(head) * 0.2 and min(even, odd) < len(head) * 0.05


# Chinese read as UTF-16 scores about 0.9; other bytes read as UTF-16 give random, mostly rare characters.
UTF16_MIN_PLAUSIBILITY = 0.6
_UTF16_CONTROL = frozenset(chr(i) for i in range(32)) - set("\t\n\r\f")


def _utf16_guess(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when BOM-less bytes read as UTF-16 text (ASCII-heavy or Chinese)."""
    if _utf16_without_bom(head):
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    head = head[: len(head) - len(head) % 2]
    if len(head) < 8:
        return None
    best: tuple[float, str] | None = None
    for enc, high_bytes in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if 0 not in high_bytes:  # no ASCII at all (not even a line break): ASCII read as UTF-16 looks Han
            continue
        text = head.decode(enc, errors="replace")[:-1]  # the head may cut a surrogate pair
        if "\ufffd" in text or any(c in _UTF16_CONTROL for c in text):
            continue
        score = plausibility(text)
        if score >= UTF16_MIN_PLAUSIBILITY and (best is None or score > best[0]):
            best = (score, enc)
    return best[1] if best else None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of Chinese text; returns (text, encoding name)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc.replace("-sig", "-bom")
    if _utf16_without_bom(data[:4096]):
        enc = "utf-16-le" if data[1::2][:2048].count(0) > data[0::2][:2048].count(0) else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_guess(data[:4096])
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    best: tuple[float, str, str] | None = None
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        # Big5 bytes often decode as GB18030 into rare characters: prefer the decoding with common Han
        score = plausibility(text) + (0.01 if enc == "gb18030" else 0)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is not None:
        return best[1], best[2]
    guess = from_bytes(data).best()
    if guess is None or guess.encoding is None:
        raise ReadError("cannot detect the text encoding (binary or corrupt file?)")
    return str(guess), guess.encoding


@lru_cache(maxsize=32768)
def _common(c: str) -> bool:
    """A Han character of GB2312 or of Big5's level 1: the common simplified and traditional ones."""
    try:
        c.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA440 <= int.from_bytes(c.encode("big5"), "big") <= 0xC67E
    except UnicodeEncodeError:
        return False


def _rare_share(text: str) -> float:
    """Share of Han characters outside the common set (GB2312, Big5 level 1): high for a wrong decoding."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 1.0
    return sum(1 for c in han if not _common(c)) / len(han)


def read(data: bytes, source: str, doc: str, settings: Settings) -> RawDoc:
    if looks_binary(data):
        raise ReadError("binary content, not a text file")
    text, encoding = decode(data)
    return RawDoc(source=source, doc=doc, text=text, format="txt", encoding=encoding)


# runs, not characters: findall then builds a few hundred strings, not one per character
_HAN_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+")
_OTHER_LETTERS = re.compile(r"[^\W\d_\u4e00-\u9fff\u3400-\u4dbf]+")  # letters of every other script


def check_chinese(text: str, settings: Settings) -> None:
    """Raise ``ReadError`` unless ``text`` reads as Chinese: enough Han characters, and a fair share of its letters.

    The pipeline calls this after reading (and the readers' own checks), so that an English page, a
    file of numbers or a mis-decoded file is rejected with a reason instead of yielding empty results.
    """
    han = sum(map(len, _HAN_RUN.findall(text)))
    if han < settings.min_chinese_chars:
        raise ReadError(
            f"text is not Chinese ({han} Han characters, fewer than {settings.min_chinese_chars})"
        )
    letters = han + sum(map(len, _OTHER_LETTERS.findall(text)))
    ratio = han / letters
    if ratio < settings.min_chinese_ratio:
        raise ReadError(
            f"text is not Chinese (Han characters are {ratio:.0%} of its letters, "
            f"below {settings.min_chinese_ratio:.0%})"
        )
