"""Numerals: Arabic (``17.5``, ``1,234``), Chinese (``一千七百``, ``两``, ``二〇二四``) and mixed (``17.5万``).

The numeral characters and their roles come from ``data/numerals.tsv``. Everything here is pure and
cached; nothing raises on odd input, a numeral that does not read as a number gives ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..resources import load_tsv

# Decimal's default precision: a product with fewer digits is exact.
_DECIMAL_DIGITS = 28
# Full-width digits and decimal points read like ASCII ones (a one-to-one mapping, offsets keep).
_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


@dataclass(frozen=True)
class Numeral:
    value: int
    role: str  # digit, unit, big, group


@lru_cache(maxsize=1)
def numeral_table() -> dict[str, Numeral]:
    return {row["char"]: Numeral(int(row["value"]), row["role"]) for row in load_tsv("numerals.tsv")}


@lru_cache(maxsize=1)
def cn_chars() -> str:
    """Every Chinese numeral character, for regex character classes."""
    return "".join(numeral_table())


CN_POINT = "点"  # the decimal point of Chinese numerals: 九十八点五


@lru_cache(maxsize=1)
def cn_digits() -> str:
    """The Chinese numerals that are single digits (零 to 九, and their capital forms)."""
    return "".join(c for c, n in numeral_table().items() if n.role == "digit")


@lru_cache(maxsize=1)
def magnitude_chars() -> str:
    """The characters that scale an Arabic number written before them (百千万亿)."""
    return "".join(c for c, n in numeral_table().items() if n.role in ("unit", "big") and n.value >= 100)


def arabic_value(s: str) -> Decimal | None:
    """``"17.5"`` -> Decimal("17.5"); thousands separators and full-width digits are accepted."""
    s = s.translate(_WIDTH).replace(",", "").strip()
    if not s:
        return None
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)
def cn_value(s: str) -> int | None:
    """Value of a run of Chinese numerals, or None when the run is not a well-formed number.

    ``一千七百`` -> 1700, ``十二`` -> 12, ``两万五`` -> 25000, ``二〇二四`` -> 2024, ``十四五`` -> None.
    """
    table = numeral_table()
    items = [table.get(c) for c in s]
    if not items or any(n is None for n in items):
        return None
    if len(items) > 1 and all(n.role == "digit" for n in items):  # positional: 二〇二四
        return int("".join(str(n.value) for n in items))
    total = 0  # everything already multiplied by a big unit
    section = 0  # the part below the next big unit
    number: int | None = None  # a digit waiting for its unit
    prev: Numeral | None = None
    for n in items:
        if n.role == "digit":
            if number is not None and not (prev and prev.role == "digit" and prev.value == 0):
                return None  # two digits in a row: 十四五
            number = n.value
        elif n.role == "group":
            if number is not None:
                return None
            section += n.value
        elif n.role == "unit":
            if number is None:
                if prev is not None and prev.role == "unit":
                    return None  # 十百
                number = 1  # 十二, 百余
            section += number * n.value
            number = None
        else:  # big
            section += number or 0
            number = None
            if n.value >= 100_000_000:
                total = (total + section or 1) * n.value
            else:
                total += (section or 1) * n.value
            section = 0
        prev = n
    if number is not None:
        # a trailing digit after a unit reads one place lower: 两万五 = 25000, 一千五 = 1500
        before = items[-2] if len(items) > 2 else None
        if before is not None and before.role in ("unit", "big") and before.value >= 100:
            number *= before.value // 10
        section += number
    return total + section


@lru_cache(maxsize=256)
def magnitude_value(s: str) -> int:
    """Product of magnitude characters after an Arabic number: ``万`` -> 10000, ``百万`` -> 1000000."""
    table = numeral_table()
    out = 1
    for c in s:
        n = table.get(c)
        if n is not None:
            out *= n.value
    return out


def number_value(digits: str, magnitude: str = "") -> float | None:
    """Value of one number token: Arabic digits with an optional magnitude (``17.5``, ``万``),
    or a run of Chinese numerals. Exact in decimal, returned as float."""
    if not digits:
        return None
    if digits.isascii() and len(digits) < _DECIMAL_DIGITS:
        # plain ASCII digits, read without Decimal when the result is an integer below Decimal's
        # precision (then Decimal is exact too and both give the same float)
        whole, point, frac = digits.partition(".")
        if whole.isdigit() and (not frac or frac.isdigit()):
            if not point and not magnitude:
                return float(int(whole))
            if not magnitude:
                return float(digits)  # float and Decimal both round the written decimal correctly
            n, rest = divmod(int(whole + frac) * magnitude_value(magnitude), 10 ** len(frac))
            if not rest and n < 10**_DECIMAL_DIGITS:
                return float(n)
    first = digits[0].translate(_WIDTH)
    if first.isdigit():
        d = arabic_value(digits)
        if d is None:
            return None
        return float(d * magnitude_value(magnitude))
    whole, point, frac = digits.partition(CN_POINT)
    if point:  # 九十八点五, 三点五万: the digits after 点 are decimals, a 万/亿 after them scales it all
        table = numeral_table()
        big = frac[-1] if frac and table.get(frac[-1]) and table[frac[-1]].role == "big" else ""
        frac = frac[: len(frac) - len(big)]
        w = cn_value(whole)
        places = [table.get(c) for c in frac]
        if w is None or not places or any(n is None or n.role != "digit" for n in places):
            return None
        d = Decimal(f"{w}.{''.join(str(n.value) for n in places)}")  # type: ignore[union-attr]
        return float(d * magnitude_value(big + magnitude))
    v = cn_value(digits + magnitude)
    return None if v is None else float(v)


def is_chinese(digits: str) -> bool:
    return bool(digits) and not digits[0].translate(_WIDTH).isdigit()


def to_chinese(n: int) -> str:
    """Write a non-negative integer in Chinese numerals (the inverse of ``cn_value``, used in tests
    and the benchmark): 1700 -> 一千七百, 12 -> 十二, 105 -> 一百零五, 20000 -> 二万."""
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"

    def below_10000(x: int, leading: bool) -> str:
        out = ""
        zero = False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value
            x %= value
            if d:
                if zero:
                    out += "零"
                    zero = False
                if not (value == 10 and d == 1 and leading and not out):
                    out += digits[d]
                out += name
            elif out:
                zero = True
        return out

    parts = []
    for big, name in ((100_000_000, "亿"), (10_000, "万"), (1, "")):
        chunk = n // big
        n %= big
        if chunk:
            text = below_10000(chunk, leading=not parts)
            if parts and chunk < 1000:
                text = "零" + text
            parts.append(text + name)
        elif parts and n:
            parts.append("")
    return "".join(parts).replace("零零", "零")
