"""Finding quantity expressions in text: one compiled regex, then reading each match into a ``Candidate``.

The regex knows the forms (percent words, fractions, ranks, ranges, numbers with a unit); the words it
uses come from the data files. Whether a candidate is a fact is decided later (``exclusions``,
``extract``); this module only reads what is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_yaml
from .numbers import cn_chars, magnitude_chars, magnitude_value, number_value, numeral_table
from .units import (
    after_qualifier_re,
    before_qualifier_re,
    inside_qualifiers,
    qualifier_table,
    unit_table,
    units_regex,
)

SPACE = "[ \u3000]?"
RANGE_SEPARATORS = "至~～\\-－—–"
ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9０-９]+)(?:[.．][0-9０-９]+)?"


@dataclass
class Candidate:
    start: int  # surface span (without approximation words before or after it)
    end: int
    value: float
    unit: str  # canonical unit, "" when none is written
    kind: str  # count, money, rate, duration, rank, other (change is decided in context)
    approx: str = "none"
    high: float | None = None
    chinese: bool = False  # written in Chinese numerals
    bare: bool = False  # no unit written
    pre_start: int = 0  # start including an approximation word before it (超, 约, 近)
    post_end: int = 0  # end including an approximation word after it (以上, 左右)

    @property
    def surface_len(self) -> int:
        return self.end - self.start


def _num(name: str) -> str:
    cn = cn_chars()
    mag = magnitude_chars()
    return rf"(?:(?P<{name}a>{ARABIC})(?P<{name}m>[{mag}]{{1,2}})?|(?P<{name}c>[{cn}]+))"


@lru_cache(maxsize=1)
def rank_rules() -> dict:
    return load_yaml("ranks.yaml")


@lru_cache(maxsize=1)
def pattern() -> re.Pattern[str]:
    units = units_regex()
    cn = cn_chars()
    mag = magnitude_chars()
    inside = f"[{re.escape(inside_qualifiers())}]"
    ranks = rank_rules()
    boundary = re.escape(ranks["boundary"])
    suffixes = "|".join(re.escape(s) for s in ranks["suffixes"])
    rank_words = "|".join(f"(?:{w['pattern']})" for w in ranks["words"])
    sep = f"[{RANGE_SEPARATORS}]"
    big = "".join(c for c, n in numeral_table().items() if n.role == "big")  # 3000余万元
    parts = [
        rf"(?P<pct>百分之{_num('p')})",
        rf"(?P<frac>{_num('fd')}分之{_num('fn')})",
        r"(?P<slash>(?<![0-9/.])(?P<sn>[0-9]{1,3})/(?P<sd>[0-9]{1,3})(?![0-9/]))",
        rf"(?P<rank>(?P<rp>{re.escape(ranks['ordinal'])}|{re.escape(ranks['top'])}){SPACE}{_num('r')}"
        rf"{SPACE}(?:(?P<rs>{suffixes})|(?=[{boundary}]|\Z)))",
        rf"(?P<rword>{rank_words})",
        rf"(?P<range>{_num('a')}(?P<ia>{inside})?(?:{SPACE}(?P<ua>{units}))?{SPACE}(?P<sep>{sep}){SPACE}"
        rf"{_num('b')}(?P<ib>{inside})?(?:{SPACE}(?P<ub>{units}))?)",
        # an Arabic number, its unit optional (a bare number may take its sibling's unit) ...
        rf"(?P<single>(?P<sa>{ARABIC})(?P<sm>[{mag}]{{1,2}})?(?P<is>{inside})?(?P<sm2>(?<={inside})[{big}]{{1,2}})?"
        rf"(?:{SPACE}(?P<us>{units}))?)",
        # ... a Chinese one only with a unit: alone it is a word far more often than a number (统一, 一体)
        rf"(?P<csingle>(?P<cc>[{cn}]+)(?P<ci>{inside})?(?P<cm2>(?<={inside})[{big}]{{1,2}})?{SPACE}(?P<cu>{units}))",
    ]
    # A lookahead on the characters a quantity can start with lets the regex engine skip the rest of
    # the text fast (about five times faster than the bare alternation).
    first = "0-9０-９" + re.escape(cn_chars() + ranks["ordinal"] + ranks["top"])
    first += "".join(re.escape(w["starts"]) for w in ranks["words"])
    return re.compile(f"(?=[{first}])(?:" + "|".join(parts) + ")")


def _value(m: re.Match[str], name: str) -> tuple[float | None, bool]:
    digits = m.group(name + "a")
    if digits is not None:
        return number_value(digits, m.group(name + "m") or ""), False
    digits = m.group(name + "c")
    return number_value(digits), True


def _approx_inside(word: str | None) -> str:
    return qualifier_table()["inside"].get(word or "", "none")


def read_match(m: re.Match[str]) -> Candidate | None:
    """One regex match -> Candidate, or None when it does not read as a quantity."""
    start, end = m.span()
    form = m.lastgroup  # the outer group of the alternative that matched closes last
    if form == "single":
        v = number_value(m.group("sa"), m.group("sm") or "")
        if v is None:
            return None
        if m.group("sm2"):
            v *= magnitude_value(m.group("sm2"))
        inside = m.group("is")
        return _with_unit(start, end, v, m.group("us"), False, _approx_inside(inside))
    if form == "csingle":
        digits = m.group("cc")
        v = number_value(digits)
        if v is None or v == 0:
            return None  # 十四五; 零距离, 零件
        inside = m.group("ci")
        if inside is None and set(digits) <= set(magnitude_chars()):
            return None  # 万家, 百姓: a lone 百/千/万 is a number only as 百余, 千余
        if m.group("cm2"):
            v *= magnitude_value(m.group("cm2"))
        return _with_unit(start, end, v, m.group("cu"), True, _approx_inside(inside))
    if form == "pct":
        v, cn = _value(m, "p")
        if v is None:
            return None
        return Candidate(start, end, v, "%", "rate", chinese=cn)
    if form == "frac":
        den, cn = _value(m, "fd")
        num, _ = _value(m, "fn")
        if not den or num is None or num > den:
            return None
        return Candidate(start, end, 100.0 * num / den, "%", "rate", chinese=cn)
    if form == "slash":
        num, den = int(m.group("sn")), int(m.group("sd"))
        if not den or num >= den or den > 100:
            return None
        return Candidate(start, end, 100.0 * num / den, "%", "rate")
    if form == "rank":
        v, cn = _value(m, "r")
        if v is None or v < 1 or v != int(v):
            return None
        approx = "under" if m.group("rp") == rank_rules()["top"] else "none"
        return Candidate(start, end, v, "rank", "rank", approx=approx, chinese=cn)
    if form == "rword":
        for w in rank_rules()["words"]:
            if re.compile(w["pattern"]).match(m.string, start, end):
                return Candidate(start, end, float(w["value"]), "rank", "rank")
        return None
    # range
    low, cn = _value(m, "a")
    high, cn2 = _value(m, "b")
    unit_text = m.group("ub") or m.group("ua")
    if low is None or high is None or high <= low or (cn != cn2):
        return None
    if m.group("ua") and m.group("ub") and m.group("ua") != m.group("ub"):
        return None
    if m.group("sep") in "-－—–" and (cn or not unit_text):
        return None  # 1-6 without a unit is a code or a date more often than a range
    cand = _with_unit(start, end, low, unit_text, cn, _approx_inside(m.group("ia") or m.group("ib")))
    if cand is not None:
        factor = unit_table()[unit_text].factor if unit_text else 1.0
        cand.high = high * factor
    return cand


def _with_unit(
    start: int, end: int, v: float, unit_text: str | None, cn: bool, approx: str
) -> Candidate | None:
    if not unit_text:
        return Candidate(start, end, v, "", "count", approx=approx, chinese=cn, bare=True)
    unit = unit_table()[unit_text]
    if cn and unit.arabic_only:
        return None
    if unit.max_value is not None and v > unit.max_value:
        return None
    return Candidate(
        start, end, round(v * unit.factor, 9), unit.canonical, unit.kind, approx=approx, chinese=cn
    )


def scan(text: str) -> Iterator[Candidate]:
    """Every quantity expression in ``text`` as written, with approximation words around it read."""
    before = before_qualifier_re()
    after = after_qualifier_re()
    quals = qualifier_table()
    for m in pattern().finditer(text):
        cand = read_match(m)
        if cand is None:
            continue
        cand.pre_start = cand.start
        cand.post_end = cand.end
        b = before.search(text, max(0, cand.start - 4), cand.start)
        if b is not None:
            cand.pre_start = b.start()
            if cand.approx == "none":
                cand.approx = quals["before"][b.group().strip()]
        a = after.match(text, cand.end)
        if a is not None:
            cand.post_end = a.end()
            if cand.approx == "none":
                cand.approx = quals["after"][a.group().strip()]
        yield cand
