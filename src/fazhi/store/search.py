"""Full-text search over the stored sentences, and the report filters every query shares.

A query is one or more terms separated by spaces (``"..."`` keeps spaces inside a term); a sentence
matches when it contains every term, as a substring, ignoring the case of Latin letters. Which way a
search runs is chosen here, the SQL of each way lives in the dialect module:

1. indicator given   the sentences that hold a fact of that indicator (a few per report), checked
2. narrow filters    at most ``SCOPE`` reports pass place/level/year: their sentences, checked
3. otherwise         the dialect's full-text index (``sqlite.indexed_query``, ``postgres.indexed_query``)

Checked means ``instr``/``strpos`` on each candidate. Hits are ordered by storage (report by report, in
reading order), which keeps a common word as fast as a rare one: the first page is found without
looking at every match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from . import postgres, sqlite
from .records import SearchHit

SCOPE = 300  # candidate reports up to which scanning their sentences beats the index
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_CODE = re.compile(r"\d{2,12}")

HIT_COLUMNS = 's.report_id, s.start, s."end", s.text, s.area, r.doc, r.jurisdiction, r.year, r.title, r.level'


@dataclass
class Filters:
    place: str | None = None
    level: str | None = None
    year: int | None = None
    area: str | None = None
    indicator: str | None = None


def parse_query(query: str) -> list[str]:
    """The terms of a query, in order, without repeats."""
    terms = [(a or b).strip() for a, b in _TERM.findall(query or "")]
    return list(dict.fromkeys(t for t in terms if t))


def marks(sentence: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur in the sentence (case of Latin letters ignored); overlapping ones merged."""
    low = sentence.lower()
    spans: list[tuple[int, int]] = []
    for t in terms:
        t = t.lower()
        i = low.find(t)
        while i >= 0:
            spans.append((i, i + len(t)))
            i = low.find(t, i + 1)
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def place_prefix(code: str) -> str:
    """An administrative code's prefix shared by everything inside it: 350200 -> 3502, 350000 -> 35."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def report_where(place: str | None, level: str | None, year: int | None) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on reports ``r`` for the place/level/year filters.

    ``place`` is a jurisdiction or issuing body by name (厦门市, 厦门市司法局: exactly), or an
    administrative code (350200: that division and everything inside it)."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if place:
        place = place.strip()
        if _CODE.fullmatch(place):
            where.append("r.admin_code LIKE :place_code")
            params["place_code"] = place_prefix(place) + "%"
        else:
            where.append("(r.jurisdiction = :place OR r.author = :place)")
            params["place"] = place
    if level:
        where.append("r.level = :level")
        params["level"] = level
    if year is not None:
        where.append("r.year = :year")
        params["year"] = int(year)
    return where, params


def dialect_of(conn: Connection) -> ModuleType:
    return postgres if conn.dialect.name == "postgresql" else sqlite


def search(conn: Connection, query: str, f: Filters, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    terms = parse_query(query)
    if not terms or limit <= 0:
        return []
    d = dialect_of(conn)
    rwhere, params = report_where(f.place, f.level, f.year)
    where = list(rwhere)
    if f.area:
        where.append("s.area = :area")
        params["area"] = f.area
    params.update(limit=int(limit), offset=max(0, int(offset)))

    def check(ts: list[str]) -> list[str]:
        out = []
        for i, t in enumerate(ts):
            params[f"t{i}"] = d.bind_term(t)
            out.append(d.contains(t, f"t{i}"))
        return out

    if f.indicator:  # 1
        params["indicator"] = f.indicator
        sql = (
            f"SELECT {HIT_COLUMNS} FROM sentences s JOIN reports r ON r.id = s.report_id WHERE s.id IN ("
            "SELECT (SELECT s2.id FROM sentences s2 WHERE s2.report_id = fa.report_id AND s2.start <= fa.start "
            "ORDER BY s2.start DESC LIMIT 1) FROM facts fa WHERE fa.indicator = :indicator) AND "
            + " AND ".join([*where, *check(terms)])
            + " ORDER BY s.id LIMIT :limit OFFSET :offset"
        )
    elif rwhere and (ids := _scope(conn, rwhere, params)) is not None:  # 2
        if not ids:
            return []
        sql = (
            f"SELECT {HIT_COLUMNS} FROM sentences s JOIN reports r ON r.id = s.report_id "
            f"WHERE s.report_id IN ({', '.join(str(int(i)) for i in ids)}) AND "
            + " AND ".join([*where, *check(terms)])
            + " ORDER BY s.id LIMIT :limit OFFSET :offset"
        )
    elif d is sqlite:  # 3
        match, rest = sqlite.match_expression(conn, terms)
        if match == "":
            return []
        if match is None:
            sql = sqlite.scan_query(HIT_COLUMNS, [*where, *check(rest)])
        else:
            params["match"] = match
            sql = sqlite.indexed_query(HIT_COLUMNS, [*where, *check(rest)])
    else:
        params["grams"] = postgres.grams(terms)
        sql = postgres.indexed_query(HIT_COLUMNS, [*where, *check(terms)])
    rows = conn.execute(text(sql), params).all()
    return [
        SearchHit(
            report_id=r.report_id,
            doc=r.doc,
            jurisdiction=r.jurisdiction,
            year=r.year,
            sentence=r.text,
            start=r.start,
            end=r.end,
            marks=marks(r.text, terms),
            title=r.title,
            level=r.level,
            area=r.area,
        )
        for r in rows
    ]


def _scope(conn: Connection, rwhere: list[str], params: dict[str, Any]) -> list[int] | None:
    """Ids of the reports that pass the filters, or None when there are more than SCOPE."""
    sql = f"SELECT r.id FROM reports r WHERE {' AND '.join(rwhere)} LIMIT {SCOPE + 1}"
    ids = [row[0] for row in conn.execute(text(sql), params)]
    return None if len(ids) > SCOPE else ids
