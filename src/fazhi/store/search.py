"""Full-text search over the stored sentences, and the report filters every query shares.

A query is one or more terms separated by spaces (``"..."`` keeps spaces inside a term); a sentence
matches when it contains every term, as a substring, ignoring the case of Latin letters. Which way a
search runs is chosen here, the SQL of each way lives in the dialect module:

1. indicator given   the sentences that hold a fact of that indicator (a few per report), checked
2. narrow filters    at most ``SCOPE`` reports pass place/level/year: their sentences, checked
3. otherwise         SQLite's FTS5 index for terms of 3+ characters (lazy, in storage order); for
                     shorter ones (SQLite) and any (PostgreSQL), a walk in storage order when the
                     words are common enough to fill the page soon (``probe``), else the index

Checked means ``instr``/``strpos`` on each candidate. Hits are ordered by storage (report by report, in
reading order, ``sentences.id``) on every path, so pages are stable; a common word costs no more than a
rare one, as its first page is found without looking at every match.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from . import postgres, sqlite
from .records import SearchHit

SCOPE = 300  # candidate reports up to which scanning their sentences beats the index
PROBE_WINDOWS = 50  # runs of sentences, spread over the table, that tell how common a word is (see probe)
PROBE_WINDOW = 20
SCAN_BUDGET = 50_000  # sentences a walk in storage order may be expected to read before the index wins
INDEX_BUDGET = 30_000  # matching sentences the PostgreSQL index may fetch before a walk wins anyway
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
    for i, t in enumerate(terms):
        params[f"t{i}"] = d.bind_term(t)

    def check(ts: list[str]) -> list[str]:
        """Conditions that the sentence holds each of these terms."""
        return [d.contains(t, f"t{terms.index(t)}") for t in ts]

    if f.indicator:  # 1
        sql = _by_ids(
            conn, _indicator_sentences(conn, f.indicator, rwhere, params), [*where, *check(terms)], params
        )
    elif rwhere and (ids := _scope(conn, rwhere, params)) is not None:  # 2
        if not ids:
            return []
        # materialized, so that no planner walks every sentence in id order looking for these reports
        conds = [
            f"s.report_id IN ({', '.join(str(int(i)) for i in ids)})",
            *where[len(rwhere) :],
            *check(terms),
        ]
        sql = (
            'WITH c AS MATERIALIZED (SELECT s.id, s.report_id, s.start, s."end", s.text, s.area FROM sentences s '
            f"WHERE {' AND '.join(conds)}) "
            f"SELECT {HIT_COLUMNS} FROM c s JOIN reports r ON r.id = s.report_id "
            "ORDER BY s.id LIMIT :limit OFFSET :offset"
        )
    else:  # 3
        long = [t for t in terms if len(t) >= 3] if d is sqlite else []
        if long:  # FTS5 yields trigram matches lazily in storage order: as fast for common words as rare
            params["match"] = " AND ".join(sqlite.quote(t) for t in long)
            sql = sqlite.indexed_query(HIT_COLUMNS, [*where, *check([t for t in terms if t not in long])])
        elif _walk(d, probe(conn, check(terms), where, params), limit + offset):
            sql = d.scan_query(
                HIT_COLUMNS, [*where, *check(terms)]
            )  # in storage order until the page is full
            if d is postgres:
                postgres.in_order_only(conn)
        elif d is sqlite:
            match = sqlite.short_match(conn, terms)
            if match == "":
                return []
            if match is None:
                sql = sqlite.scan_query(HIT_COLUMNS, [*where, *check(terms)])
            else:
                params["match"] = match
                sql = sqlite.indexed_query(HIT_COLUMNS, where)
        else:
            params["grams"] = postgres.grams(terms)
            postgres.bitmap_only(conn)
            ids = [row[0] for row in conn.execute(text(postgres.matching_ids(check(terms))), params)]
            if not ids:
                return []
            sql = _by_ids(conn, ids, where, params)
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


def _walk(d: ModuleType, p: Probe, need: int) -> bool:
    """Whether to walk the sentences in storage order rather than use the index: when the sample says the
    page fills soon; or (PostgreSQL) when the words are so common that fetching every match through the
    index costs more, even if the sample saw none that passes the filters."""
    if p.passing:
        return p.walk(need) <= SCAN_BUDGET
    return d is postgres and p.matches() > INDEX_BUDGET


def _indicator_sentences(
    conn: Connection, indicator: str, rwhere: list[str], params: dict[str, Any]
) -> list[int]:
    """Ids of the sentences that hold a fact of the indicator, in the reports that pass the filters."""
    params["indicator"] = indicator
    sql = (
        "SELECT DISTINCT (SELECT s2.id FROM sentences s2 WHERE s2.report_id = fa.report_id AND s2.start <= fa.start "
        "ORDER BY s2.start DESC LIMIT 1) FROM facts fa JOIN reports r ON r.id = fa.report_id WHERE "
        + " AND ".join(["fa.indicator = :indicator", *rwhere])
    )
    return [row[0] for row in conn.execute(text(sql), params) if row[0] is not None]


def _by_ids(conn: Connection, ids: list[int], where: list[str], params: dict[str, Any]) -> str:
    """The page of hits among these sentences (found first, so that no planner walks the whole table)."""
    if conn.dialect.name == "postgresql":
        params["ids"] = ids
        cond = "s.id = ANY(CAST(:ids AS integer[]))"
        postgres.planner_defaults(conn)
    else:
        params["ids"] = json.dumps(ids)
        cond = "s.id IN (SELECT value FROM json_each(:ids))"
    return (
        f"SELECT {HIT_COLUMNS} FROM sentences s JOIN reports r ON r.id = s.report_id WHERE "
        + " AND ".join([cond, *where])
        + " ORDER BY s.id LIMIT :limit OFFSET :offset"
    )


@dataclass
class Probe:
    """What a sample of the sentences says about a search."""

    total: int  # sentences in the table (by id range)
    sampled: int  # sentences looked at
    matching: int  # of those, how many hold the terms
    passing: int  # and of those, how many pass the filters too

    def walk(self, need: int) -> float:
        """Sentences a walk in storage order can be expected to read to find ``need`` hits."""
        return need * self.sampled / self.passing if self.passing else float("inf")

    def matches(self) -> float:
        """Sentences that can be expected to hold the terms (what the index would fetch)."""
        return self.total * self.matching / self.sampled if self.sampled else 0.0


def probe(conn: Connection, terms: list[str], filters: list[str], params: dict[str, Any]) -> Probe:
    """Look at PROBE_WINDOWS windows of PROBE_WINDOW sentences spread over the table."""
    # two subqueries: min() and max() together in one are a full scan in SQLite
    lo, hi = conn.execute(
        text("SELECT (SELECT min(id) FROM sentences), (SELECT max(id) FROM sentences)")
    ).one()
    if lo is None:
        return Probe(0, 0, 0, 0)
    step = max(PROBE_WINDOW, (hi - lo + 1) // PROBE_WINDOWS)
    windows = [(a, min(hi, a + PROBE_WINDOW - 1)) for a in range(lo, hi + 1, step)][:PROBE_WINDOWS]
    ids = " OR ".join(f"id BETWEEN {a} AND {b}" for a, b in windows)
    held = " AND ".join(terms)
    passed = " AND ".join([held, *filters])
    sql = (  # materialized: the sample is read by id, whatever the filters
        f"WITH w AS MATERIALIZED (SELECT id, report_id, text, area FROM sentences WHERE {ids}) "
        f"SELECT count(*), sum(CASE WHEN {held} THEN 1 ELSE 0 END), sum(CASE WHEN {passed} THEN 1 ELSE 0 END) "
        "FROM w s JOIN reports r ON r.id = s.report_id"
    )
    sampled, matching, passing = conn.execute(text(sql), params).one()
    return Probe(hi - lo + 1, int(sampled or 0), int(matching or 0), int(passing or 0))


def _scope(conn: Connection, rwhere: list[str], params: dict[str, Any]) -> list[int] | None:
    """Ids of the reports that pass the filters, or None when there are more than SCOPE."""
    sql = f"SELECT r.id FROM reports r WHERE {' AND '.join(rwhere)} LIMIT {SCOPE + 1}"
    ids = [row[0] for row in conn.execute(text(sql), params)]
    return None if len(ids) > SCOPE else ids
