"""Metadata: who reports (``author``), for which place (``jurisdiction`` and its code, level and
parent), which ``year`` the report covers, its ``title``, and when it was ``published``.

Sources, strongest first: the page's metadata lines (read by cleaning), the title, the signature
at the end, the opening sentence, and how often the text names each place. Words live in
data/metadata.yaml; places come from the divisions dataset (fazhi.divisions).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from . import divisions
from .divisions import Division
from .outline import closing_mark
from .resources import load_yaml

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_SENTENCE_END = re.compile(r"[。！？!?；;]")


@dataclass
class Metadata:
    title: str | None = None
    author: str | None = None
    jurisdiction: str | None = None
    admin_code: str | None = None
    level: str | None = None
    parent: str | None = None
    year: int | None = None
    published: str | None = None
    doc_number: str | None = None
    index_number: str | None = None


@lru_cache(maxsize=1)
def _rules() -> dict:
    return load_yaml("metadata.yaml")


@lru_cache(maxsize=1)
def _title_cues() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{c})" for c in _rules()["title_cues"]))


def _org_suffix_pattern() -> re.Pattern[str]:
    r = _rules()
    suffixes = sorted(r["government_suffixes"] + r["department_suffixes"], key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, suffixes)) + ")$")


def normalise_date(s: str | None) -> str | None:
    """``2025-1-22 17:51`` / ``2025年1月22日`` / ``二〇二五年一月二十二日`` -> ``2025-01-22``."""
    if not s:
        return None
    m = _DATE.search(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m2 = _CN_DATE.search(s)
        if not m2:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in m2.group(1)))
        mo, d = _cn_small(m2.group(2)), _cn_small(m2.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _cn_small(s: str) -> int:
    """一 .. 三十一"""
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def looks_like_title(line: str) -> bool:
    return (
        len(line) <= _rules()["title_max_len"]
        and not _SENTENCE_END.search(line)
        and _title_cues().search(line) is not None
        and not re.match(_rules()["title_not"], line)
    )


def find_title(lines: list[str], meta: dict[str, str]) -> str | None:
    if meta.get("title"):
        return meta["title"].strip()
    return next((line for line in lines[:3] if looks_like_title(line)), None)


def _is_org(line: str) -> bool:
    return (
        len(line) <= 30 and not _SENTENCE_END.search(line) and _org_suffix_pattern().search(line) is not None
    )


def _signature_in(lines: list[str]) -> tuple[str | None, str | None]:
    """(organisation, date) of the last date line among ``lines`` and the organisation line above it."""
    org = date = None
    for i, line in enumerate(lines):
        d = normalise_date(line) if len(line) <= 20 else None
        if d:
            date = d
            if i > 0 and _is_org(lines[i - 1]):
                org = lines[i - 1]
    if org is None:
        for line in reversed(lines):
            if _is_org(line) and divisions.prefix_division(line):
                org = line
                break
    return org, date


def find_signature(lines: list[str]) -> tuple[str | None, str | None]:
    """(organisation, date) of the closing signature, e.g. 石狮市人民政府 / 2025年1月22日: in the last
    lines, or else just above the first attachment (附件/附表) that has one."""
    n = _rules()["signature_lines"]
    org, date = _signature_in(lines[-n:])
    if date is None:
        mark = closing_mark()
        for k in range(1, len(lines)):
            if mark.match(lines[k]):
                inner_org, inner_date = _signature_in(lines[max(0, k - n) : k])
                if inner_date:
                    return inner_org or org, inner_date
    return org, date


def _place_of_org(org: str, context: str) -> tuple[Division | None, bool]:
    """The division an organisation belongs to and whether it is a department (not the government)."""
    found = divisions.prefix_division(org, context)
    if found is None:
        return None, False
    division, rest = found
    while (inner := divisions.prefix_division(rest, context)) and division in inner[0].ancestors():
        division, rest = inner  # 北京市海淀区人民政府 -> 海淀区
    rest = re.sub(r"^(关于|的)", "", rest)
    r = _rules()
    gov = rest.startswith(tuple(r["government_suffixes"])) or (
        rest.startswith(tuple(r["zone_government_suffixes"]))
        and division.name.endswith(tuple(r["zone_names"]))
    )
    dept = bool(rest) and not gov and _org_suffix_pattern().search(rest) is not None
    return division, dept


@dataclass(frozen=True)
class Township:
    name: str  # 双塔街道
    author: str  # 姑苏区双塔街道办事处
    county: Division | None  # the division written before it, if any


def _township(org: str | None, context: str) -> Township | None:
    """The township or street an organisation is (姑苏区双塔街道办事处, 武康镇人民政府), else None."""
    if not org:
        return None
    r = _rules()
    found = divisions.prefix_division(org, context)
    county, rest = found if found else (None, org)
    m = re.fullmatch(r["township"], rest)
    if m is None or (county is not None and county.level not in r["township_parent_levels"]):
        return None
    author = org if m.group("body") else org + r["township_bodies"][m.group("kind")]
    return Township(m.group("name"), author, county)


def _publisher(org: str | None) -> str | None:
    """The page's publishing body; a government's office (县人民政府办公室) publishes for the government."""
    if not org:
        return None
    for office in _rules()["publishing_offices"]:
        if org.endswith(office):
            return org[: -len(office)] + "人民政府"
    return org


def _author_from_title(title: str) -> str | None:
    """``厦门市司法局2024年…`` -> 厦门市司法局; ``石狮市人民政府关于2024年度…`` -> 石狮市人民政府."""
    m = re.match(r"^(?P<org>.+?)(关于)?(?:(?:19|20)\d{2}\s*年|法治政府)", title)
    if not m:
        return None
    org = m.group("org").strip()
    return org if 2 <= len(org) <= 30 else None


def choose_jurisdiction(text: str, hints: list[tuple[str, float]]) -> Division | None:
    """The place the report covers: hinted names (title, author…) plus how often the text names each."""
    w = _rules()["place_weights"]
    scores: Counter[str] = Counter()
    opening = _rules()["opening_chars"]
    head = text[: _rules()["mention_chars"]]
    for name, pos in divisions.find_places(head):
        scores[name] += w["mention"] + (w["opening"] if pos < opening else 0)
    for name, _ in divisions.find_short_places(head):
        full = divisions.candidates(name)
        if full:
            scores[full[0].name] += w["short_mention"]
    for name, weight in hints:
        scores[name] += weight
    if not scores:
        return None
    best_name, best_score = max(scores.items(), key=lambda kv: (kv[1], len(kv[0])))
    best = divisions.resolve(best_name, text)
    if best is None:
        return None
    # A report names the level above it often ("在福州市委…领导下"); a report of the level above rarely
    # names one of its parts as often as itself. So a descendant close behind the best is the subject.
    descendants = [
        (score, d)
        for name, score in scores.items()
        if score >= best_score * w["descendant_share"]
        and (d := divisions.resolve(name, text))
        and best in d.ancestors()
    ]
    if descendants:
        return max(descendants, key=lambda sd: sd[0])[1]
    return best


def extract(text: str, meta: dict[str, str], page_date: str | None = None) -> Metadata:
    lines = text.split("\n")
    while lines and not lines[-1]:
        lines.pop()
    md = Metadata(doc_number=meta.get("doc_number"), index_number=meta.get("index_number"))
    md.title = find_title(lines, meta)
    sig_org, sig_date = find_signature(lines)
    w = _rules()["place_weights"]

    # author: page metadata, the title's leading organisation, the signature
    candidates = [
        _publisher(meta.get("publisher")),
        _author_from_title(md.title) if md.title else None,
        sig_org,
    ]
    author = next((c for c in candidates if c and divisions.prefix_division(c, text)), None)
    # a township's report is often published by its county's site: the title and signature tell
    township = _township(candidates[1], text) or _township(sig_org, text)

    hints: list[tuple[str, float]] = []
    is_department = False
    if township is not None:
        author = township.author
        if township.county is not None:
            hints.append((township.county.name, w["author"]))
    elif author:
        division, is_department = _place_of_org(author, text)
        if division:
            hints.append((division.name, w["author"]))
    if md.title:
        for name, _ in divisions.find_places(md.title):
            hints.append((name, w["title"]))
    division = choose_jurisdiction(text, hints)
    if township is not None:
        county = township.county or division
        md.jurisdiction, md.level = township.name, "township"
        md.parent = county.name if county is not None else None
        division = None  # no code: the report is not its county's
    if division is not None:
        md.jurisdiction = division.name
        md.admin_code = division.code
        md.parent = division.parent.name if division.parent else None
        md.level = "department" if is_department else division.level
        if author is None or divisions.prefix_division(author, text) is None:
            author = division.name + "人民政府"
        elif not is_department and not author.endswith(
            (*_rules()["government_suffixes"], *_rules()["zone_government_suffixes"])
        ):
            author = author + "人民政府"  # a title naming only the place: 厦门市2024年度…
    md.author = author

    md.year = _find_year(md.title, text, meta)
    # a report is published after the year it covers begins: an earlier date is another page's
    # (a related report listed under the article)
    dates = (
        normalise_date(meta.get("published")),
        normalise_date(page_date),
        sig_date,
        normalise_date(meta.get("written")),
    )
    md.published = next(
        (d for d in dates if d and (md.year is None or int(d[:4]) >= md.year)),
        None,
    )
    if md.year is None and md.published:
        md.year = int(md.published[:4]) - 1
    return md


def _find_year(title: str | None, text: str, meta: dict[str, str]) -> int | None:
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m.group(1))
    opening = text[: _rules()["opening_chars"]]
    m = re.search(r"((?:19|20)\d{2})\s*年(度|以来|[,，、]|是|全年|我|在|，)", opening)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in _YEAR.findall(text[:3000]))
    if years:
        return years.most_common(1)[0][0]
    return None
