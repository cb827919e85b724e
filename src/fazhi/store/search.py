"""Full-text search over the stored sentences, and the report filters every query shares.

A query is one or more terms separated by spaces (``"..."`` keeps spaces inside a term); a sentence
matches when it contains every term, as a substring, ignoring the case of Latin letters. Which way a
search runs is chosen here, the SQL of each way lives in the dialect module:

1. indicator given   the sentences that hold a fact of that indicator (a few per report), checked
2. scope             the sentences of the reports that pass place/level/year, checked: when at most
                     ``SCOPE`` reports do (or, on PostgreSQL, when that reads the fewest sentences)
3. walk              every sentence in storage order, checked, until the page is full: when a sample
                     of the table (``probe``) says that comes soon, i.e. the words are common
4. index             SQLite: FTS5 trigrams, lazily in storage order (always, for terms of 3+
                     characters: never slower than a walk); PostgreSQL: the GIN index of sentence
                     pairs, or for 1-character terms only that of the reports' characters (both of
                     letters, digits and Han characters: a term of punctuation only is looked for
                     in every report)

``_choose`` decides. Checked means ``instr``/``strpos`` on each candidate. Hits are ordered by storage
(report by report, in reading order: ``sentences.id``) on every way, so pages are stable; a common word
costs no more than a rare one, as its first page is found without looking at every match.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from . import postgres, sqlite
from .records import SearchHit

SCOPE = 300  # reports passing the filters up to which reading all their sentences is the way
PROBE_WINDOWS = 100  # runs of sentences, spread over the table, that tell how common a word is (see probe)
PROBE_WINDOW = 30
SCAN_BUDGET = 50_000  # sentences a walk in storage order may be expected to read before the index wins
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

    if f.indicator:  # 1: the sentences that hold a fact of the indicator, through facts.sentence_start
        params["indicator"] = f.indicator
        sql = "SELECT DISTINCT fa.report_id, fa.sentence_start FROM facts fa WHERE fa.indicator = :indicator"
        sql = (
            f"SELECT {HIT_COLUMNS} FROM ({sql}) AS f JOIN sentences s "
            "ON s.report_id = f.report_id AND s.start = f.sentence_start JOIN reports r ON r.id = s.report_id "
            "WHERE " + " AND ".join([*where, *check(terms)]) + " ORDER BY s.id LIMIT :limit OFFSET :offset"
        )
        if d is postgres:
            postgres.lookups_only(conn)
    else:
        way, ids = _choose(conn, d, terms, check(terms), where, rwhere, params, limit + offset)
        if way == "none":
            return []
        if way == "scope":  # 2: the sentences of the few reports that pass the filters
            conds = [
                f"s.report_id IN ({', '.join(str(int(i)) for i in ids)})",
                *where[len(rwhere) :],
                *check(terms),
            ]
            sql = (  # materialized, so that no planner walks every sentence in id order looking for them
                'WITH c AS MATERIALIZED (SELECT s.id, s.report_id, s.start, s."end", s.text, s.area FROM sentences s '
                f"WHERE {' AND '.join(conds)}) "
                f"SELECT {HIT_COLUMNS} FROM c s JOIN reports r ON r.id = s.report_id "
                "ORDER BY s.id LIMIT :limit OFFSET :offset"
            )
        elif way == "walk":  # 3: every sentence in storage order until the page is full
            sql = d.scan_query(HIT_COLUMNS, [*where, *check(terms)])
            if d is postgres:
                postgres.in_order_only(conn)
        elif d is sqlite:  # 4: FTS5, lazily in storage order
            long = [t for t in terms if len(t) >= 3]
            params["match"] = sqlite.long_match(long) if long else sqlite.short_match(conn, terms)
            if params["match"] == "":
                return []
            if params["match"] is None:  # too common to expand: walk after all
                sql = sqlite.scan_query(HIT_COLUMNS, [*where, *check(terms)])
            else:  # every term is checked on the hits of the long ones' trigrams; short ones alone are exact
                sql = sqlite.indexed_query(HIT_COLUMNS, [*where, *check(terms if long else [])])
        else:  # 4: the pair index, or for 1-character terms only the reports' character index
            params["grams"], params["chars"] = postgres.term_keys(terms)
            sql = postgres.indexed_query(
                HIT_COLUMNS, [*where[len(rwhere) :], *check(terms)], rwhere, by_chars=not params["grams"]
            )
            postgres.bitmap_only(conn)
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


def _choose(
    conn: Connection,
    d: ModuleType,
    terms: list[str],
    checks: list[str],
    where: list[str],
    rwhere: list[str],
    params: dict[str, Any],
    need: int,
) -> tuple[str, list[int]]:
    """How to find the first ``need`` hits, reading the fewest sentences: "scope" (the sentences of the
    reports that pass the filters, when they are few), "walk" (every sentence in storage order until
    enough match, when the sample says that is soon) or "index"; "none" when nothing can match."""
    ids: list[int] = []
    if rwhere:
        ids = [
            row[0]
            for row in conn.execute(text(f"SELECT r.id FROM reports r WHERE {' AND '.join(rwhere)}"), params)
        ]
        if not ids:
            return "none", []
        if len(ids) <= SCOPE:
            return "scope", ids
    if d is sqlite and any(len(t) >= 3 for t in terms):
        return "index", []  # FTS5 finds the terms' trigrams lazily in storage order: never worse than a walk
    p = probe(conn, checks, where, params)
    walk = p.walk(need)
    if walk <= SCAN_BUDGET:
        return "walk", []
    if d is sqlite:
        return "index", []  # the trigrams of a short word, found lazily in storage order
    index = 2 * p.matches()  # a matching sentence costs about twice a walked one
    scope = len(ids) * p.total / max(1, _count_reports(conn)) if ids else float("inf")
    walk = min(walk, p.total)  # at worst, a walk reads the whole table
    best = min(("scope", scope), ("walk", walk), ("index", index), key=lambda c: c[1])[0]
    return best, ids


def _count_reports(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM reports")).scalar() or 0)


@dataclass
class Probe:
    """What a sample of the sentences says about a search."""

    total: int  # sentences in the table (by id range)
    sampled: int  # sentences looked at
    matching: int  # of those, how many hold the terms
    passing: int  # and of those, how many pass the filters too

    def walk(self, need: int) -> float:
        """Sentences a walk in storage order can be expected to read to find ``need`` hits: from a hit
        rate one standard deviation below the sample's; inf when the sample has too few hits to say (a
        walk for a word that the filters leave no hit of reads the whole table)."""
        if self.passing < 4:
            return float("inf")
        return need * self.sampled / (self.passing - self.passing**0.5)

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
    if hi - lo + 1 <= PROBE_WINDOWS * PROBE_WINDOW:
        starts = list(range(lo, hi + 1, PROBE_WINDOW))
    else:  # at random places (fixed for a table size): an even stride can fall in step with the data
        rnd = random.Random(hi)
        starts = sorted(rnd.randrange(lo, hi - PROBE_WINDOW + 2) for _ in range(PROBE_WINDOWS))
    windows = [(a, min(hi, a + PROBE_WINDOW - 1)) for a in starts]
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
