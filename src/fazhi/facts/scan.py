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
from .numbers import (
    CN_POINT,
    cn_chars,
    cn_digits,
    magnitude_chars,
    magnitude_value,
    number_value,
    numeral_table,
)
from .units import (
    after_qualifier_re,
    before_qualifier_re,
    inside_qualifiers,
    magnitude_qualifier_re,
    qualifier_table,
    trie_alternation,
    unit_table,
)

SPACE = "[ \u3000]?"
RANGE_SEPARATORS = "至到~～\\-－—–"
ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9０-９]+)(?:[.．][0-9０-９]+)?"


@dataclass(slots=True)
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
    split: tuple[int, int] | None = None  # a range: end of its low number as written, start of its high one

    @property
    def surface_len(self) -> int:
        return self.end - self.start


@lru_cache(maxsize=1)
def cn_decimals() -> str:
    """The decimals a Chinese numeral may have, optional: 九十八点五, 三点五万."""
    big = "".join(c for c, n in numeral_table().items() if n.role == "big")
    return rf"(?:{CN_POINT}[{cn_digits()}]+[{big}]?)?"


def _num(name: str) -> str:
    cn = cn_chars()
    mag = magnitude_chars()
    return rf"(?:(?P<{name}a>{ARABIC})(?P<{name}m>[{mag}]{{1,2}})?|(?P<{name}c>[{cn}]+{cn_decimals()}))"


@lru_cache(maxsize=1)
def rank_rules() -> dict:
    return load_yaml("ranks.yaml")


@lru_cache(maxsize=1)
def quantity_words() -> list[dict]:
    """Quantities written as words (翻一番, 一半, 半个工作日): data/word_quantities.yaml."""
    return load_yaml("word_quantities.yaml")["words"]


def _chars(chars: str) -> str:
    """A character-class body holding ``chars``."""
    return "".join(re.escape(c) for c in sorted(set(chars)))


@lru_cache(maxsize=1)
def pattern() -> re.Pattern[str]:
    cn = cn_chars()
    mag = magnitude_chars()
    inside = f"[{re.escape(inside_qualifiers())}]"
    ranks = rank_rules()
    boundary = re.escape(ranks["boundary"])
    suffixes = "|".join(re.escape(s) for s in ranks["suffixes"])
    rank_words = "|".join(f"(?:{w['pattern']})" for w in ranks["words"])
    rank_starts = "".join(re.escape(w["starts"]) for w in ranks["words"])
    word_quantities = "|".join(f"(?:{w['pattern']})" for w in quantity_words())
    word_starts = "".join(re.escape(w["starts"]) for w in quantity_words())
    sep = f"[{RANGE_SEPARATORS}]"
    big = "".join(c for c, n in numeral_table().items() if n.role == "big")  # 3000余万元
    # Units as a character trie behind a lookahead on their first characters: most numbers have no
    # unit or a short one, and the trie does not try a hundred words one after the other.
    written = list(unit_table())
    units = f"(?=[{_chars(''.join(w[0] for w in written))}]){trie_alternation(written)}"
    # Lookaheads that reject a form at once where it cannot match (the characters that may stand
    # between the start of a fraction or a range and its 分之 or its separator, in any order), so the
    # engine does not read the number and back off from it digit by digit. They only skip work.
    digits = "0-9０-９"
    in_number = "0123456789０１２３４５６７８９,.．" + cn + mag
    before_sep = in_number + inside_qualifiers() + " \u3000" + "".join(written)
    frac_guard = f"(?=[{_chars(in_number)}]*分之)"
    range_guard = f"(?=[{_chars(before_sep)}]*{sep})"
    if "分" in in_number or set(before_sep) & set(RANGE_SEPARATORS.replace("\\", "")):
        frac_guard = range_guard = ""  # a guard would stop inside a match: do without
    parts = [
        rf"(?P<pct>百分之{_num('p')})",
        rf"(?P<frac>{frac_guard}{_num('fd')}分之{_num('fn')})",
        r"(?P<slash>(?=[0-9])(?<![0-9/.])(?P<sn>[0-9]{1,3})/(?P<sd>[0-9]{1,3})(?![0-9/]))",
        rf"(?P<rank>(?P<rp>{re.escape(ranks['ordinal'])}|{re.escape(ranks['top'])}){SPACE}{_num('r')}"
        rf"{SPACE}(?:(?P<rs>{suffixes})|(?=[{boundary}]|\Z)))",
        rf"(?P<rword>(?=[{rank_starts}]){rank_words})",
        rf"(?P<qword>(?=[{word_starts}]){word_quantities})",
        rf"(?P<range>{range_guard}{_num('a')}(?P<ia>{inside})?(?:{SPACE}(?P<ua>{units}))?{SPACE}(?P<sep>{sep})"
        rf"{SPACE}{_num('b')}(?P<ib>{inside})?(?:{SPACE}(?P<ub>{units}))?)",
        # an Arabic number, its unit optional (a bare number may take its sibling's unit) ...
        rf"(?P<single>(?=[{digits}])(?P<sa>{ARABIC})(?P<sm>[{mag}]{{1,2}})?(?P<is>{inside})?"
        rf"(?P<sm2>(?<={inside})[{big}]{{1,2}})?(?:{SPACE}(?P<us>{units}))?)",
        # ... a Chinese one only with a unit: alone it is a word far more often than a number (统一, 一体)
        rf"(?P<csingle>(?=[{cn}])(?P<cc>[{cn}]+{cn_decimals()})(?P<ci>{inside})?(?P<cm2>(?<={inside})[{big}]{{1,2}})?{SPACE}"
        rf"(?P<cu>{units}))",
    ]
    # A lookahead on the characters a quantity can start with lets the regex engine skip the rest of
    # the text fast (about five times faster than the bare alternation).
    first = digits + re.escape(cn + ranks["ordinal"] + ranks["top"]) + rank_starts + word_starts
    return re.compile(f"(?=[{first}])(?:" + "|".join(parts) + ")")


# What a match reads as, without its place: value, unit, kind, approx, high, chinese, bare (the
# Candidate fields after start and end).
Fields = tuple[float, str, str, str, "float | None", bool, bool]


def _value(m: re.Match[str], name: str) -> tuple[float | None, bool]:
    digits = m.group(name + "a")
    if digits is not None:
        return number_value(digits, m.group(name + "m") or ""), False
    digits = m.group(name + "c")
    return number_value(digits), True


def _approx_inside(word: str | None) -> str:
    return qualifier_table()["inside"].get(word or "", "none")


@lru_cache(maxsize=1)
def _magnitude_set() -> frozenset[str]:
    return frozenset(magnitude_chars())


@lru_cache(maxsize=4096)
def _single(
    digits: str, mag: str | None, inside: str | None, mag2: str | None, unit: str | None
) -> Fields | None:
    """An Arabic number and what follows it (the groups of the ``single`` form; numbers, years and
    units repeat, so the reading is kept)."""
    v = number_value(digits, mag or "")
    if v is None:
        return None
    if mag2:
        v *= magnitude_value(mag2)
    return _with_unit(v, unit, False, _approx_inside(inside))


@lru_cache(maxsize=4096)
def _csingle(
    digits: str, inside: str | None, mag2: str | None, unit: str, qualified: bool = False
) -> Fields | None:
    """A Chinese number with its unit (the groups of the ``csingle`` form); ``qualified``: an
    approximation word stands right before it (近千件, 逾百家, 不足百人)."""
    v = number_value(digits)
    if v is None or v == 0:
        return None  # 十四五; 零距离, 零件
    if inside is None and not qualified and set(digits) <= _magnitude_set():
        return None  # 万家, 百姓: a lone 百/千/万 is a number only as 百余, 千余, 近千, 逾百
    if mag2:
        v *= magnitude_value(mag2)
    if CN_POINT in digits:  # a decimal is never a word: 八十七点六分 is a score, where 十分 is "very"
        fields = _with_unit(v, unit, False, _approx_inside(inside))
        return None if fields is None else (*fields[:5], True, *fields[6:])
    return _with_unit(v, unit, True, _approx_inside(inside))


TENTH_UNIT = "成"  # 九成五: a digit after 成 is its tenth (a percentage point each), 半 is five


@lru_cache(maxsize=1)
def _tenths() -> dict[str, float]:
    return {
        **{c: float(numeral_table()[c].value) for c in cn_digits() if numeral_table()[c].value},
        "半": 5.0,
    }


_PAIR = re.compile("([一二三四五六七八])([二三四五六七八九])([十百千万]?)")


def _word_at(m: re.Match[str], words: list[dict]) -> dict | None:
    """The entry of ``words`` (each with a ``pattern``) that the match's span is."""
    start, end = m.span()
    return next((w for w in words if re.compile(w["pattern"]).match(m.string, start, end)), None)


def _fields(m: re.Match[str]) -> Fields | None:
    """One regex match -> the fields of its Candidate, or None when it does not read as a quantity."""
    form = m.lastgroup  # the outer group of the alternative that matched closes last
    if form == "single":
        return _single(*m.group("sa", "sm", "is", "sm2", "us"))
    if form == "csingle":
        cc = m.group("cc")
        # a lone 百/千/万 is a number with a qualifier before or after it (上千人次, 千万元以上), and
        # two of them before money (百万元, 千万元: never a word there)
        qualified = set(cc) <= _magnitude_set() and (
            magnitude_qualifier_re().search(m.string, max(0, m.start() - 5), m.start()) is not None
            or after_qualifier_re().match(m.string, m.end()) is not None
            or (len(cc) >= 2 and (u := m.group("cu")) in unit_table() and unit_table()[u].kind == "money")
        )
        pair = _PAIR.fullmatch(cc)
        if pair and numeral_table()[pair[2]].value == numeral_table()[pair[1]].value + 1:
            # 三四次, 五六十人: two neighbouring digits are a range (3 to 4, 50 to 60), not 34
            low = _csingle(pair[1] + pair[3], m.group("ci"), m.group("cm2"), m.group("cu"), True)
            if low is None:
                return None
            return (
                *low[:4],
                low[0] * numeral_table()[pair[2]].value / numeral_table()[pair[1]].value,
                *low[5:],
            )
        return _csingle(*m.group("cc", "ci", "cm2", "cu"), qualified)
    if form == "pct":
        v, cn = _value(m, "p")
        if v is None:
            return None
        return v, "%", "rate", "none", None, cn, False
    if form == "frac":
        den, cn = _value(m, "fd")
        num, _ = _value(m, "fn")
        if not den or num is None or num > den:
            return None
        return 100.0 * num / den, "%", "rate", "none", None, cn, False
    if form == "slash":
        num, den = int(m.group("sn")), int(m.group("sd"))
        if not den or num >= den or den > 100:
            return None
        return 100.0 * num / den, "%", "rate", "none", None, False, False
    if form == "rank":
        v, cn = _value(m, "r")
        if v is None or v < 1 or v != int(v):
            return None
        approx = "under" if m.group("rp") == rank_rules()["top"] else "none"
        return v, "rank", "rank", approx, None, cn, False
    if form == "qword":
        w = _word_at(m, quantity_words())
        return None if w is None else (float(w["value"]), w["unit"], w["kind"], "none", None, True, False)
    if form == "rword":
        w = _word_at(m, rank_rules()["words"])
        return None if w is None else (float(w["value"]), "rank", "rank", "none", None, False, False)
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
    fields = _with_unit(low, unit_text, cn, _approx_inside(m.group("ia") or m.group("ib")))
    if fields is None:
        return None
    factor = unit_table()[unit_text].factor if unit_text else 1.0
    return fields[:4] + (high * factor,) + fields[5:]


def read_match(m: re.Match[str]) -> Candidate | None:
    """One regex match -> Candidate, or None when it does not read as a quantity."""
    fields = _fields(m)
    return None if fields is None else Candidate(*m.span(), *fields)


def _with_unit(v: float, unit_text: str | None, cn: bool, approx: str) -> Fields | None:
    if not unit_text:
        return v, "", "count", approx, None, cn, True
    unit = unit_table()[unit_text]
    if cn and unit.arabic_only:
        return None
    if unit.max_value is not None and v > unit.max_value:
        return None
    v *= unit.factor
    if not v.is_integer():  # rounding a whole number to 9 places gives it back
        v = round(v, 9)
    return v, unit.canonical, unit.kind, approx, None, cn, False


@lru_cache(maxsize=1)
def _qualifier_edges() -> tuple[frozenset[str], frozenset[str]]:
    """The last characters of the approximation words before a number and the first ones of those
    after it: the qualifier regexes are tried only where one of them (or a space) touches a number."""
    quals = qualifier_table()
    before = [*quals["before"], *quals["magnitude"]]
    return frozenset(w[-1] for w in before), frozenset(w[0] for w in quals["after"])


def scan(text: str) -> Iterator[Candidate]:
    """Every quantity expression in ``text`` as written, with approximation words around it read."""
    before = before_qualifier_re()
    after = after_qualifier_re()
    quals = qualifier_table()
    before_ends, after_starts = _qualifier_edges()
    n = len(text)
    for m in pattern().finditer(text):
        fields = _fields(m)
        if fields is None:
            continue
        start, end = m.span()
        cand = Candidate(start, end, *fields, start, end)
        if fields[4] is not None:  # a range (3至5次), or two neighbouring digits (三四次: no separator)
            low_end, high_start = m.span("sep") if m.lastgroup == "range" else (start + 1, start + 1)
            while text[low_end - 1].isspace():
                low_end -= 1
            while text[high_start].isspace():
                high_start += 1
            cand.split = (low_end, high_start)
        if text[end - 1] == TENTH_UNIT and end < n and (tenth := _tenths().get(text[end])) is not None:
            rest = text[end + 1 : end + 4]  # 九成五 = 95%, 一成半 = 15%; not 九成，五个部门
            if not rest or (rest[0] not in cn_chars() and not any(rest.startswith(u) for u in unit_table())):
                cand.value += tenth
                end = cand.end = cand.post_end = end + 1
        if start and ((ch := text[start - 1]) in before_ends or ch.isspace()):
            # a lone 百/千/万 takes the magnitude-only words too (上千人次)
            words = magnitude_qualifier_re() if cand.chinese and text[start] in _magnitude_set() else before
            b = words.search(text, max(0, start - 4), start)
            if b is not None:
                cand.pre_start = b.start()
                if cand.approx == "none":
                    word = b.group().strip()
                    cand.approx = quals["before"].get(word) or quals["magnitude"][word]
        if end < n and ((ch := text[end]) in after_starts or ch.isspace()):
            a = after.match(text, end)
            if a is not None:
                cand.post_end = a.end()
                if cand.approx == "none":
                    cand.approx = quals["after"][a.group().strip()]
        yield cand
