"""SQLite: the embedded default (one file, no server).

Full-text search uses FTS5's ``trigram`` tokenizer (SQLite >= 3.34) over ``sentences.text``, as an
external-content table that keeps only which sentences hold each trigram, not where (migrations 0001,
0004): a term of 3+ characters is looked up as the trigrams that cover it (``long_match``) and every hit is
checked with ``instr``. Writers index new sentences in one statement per batch (``index_sentences``),
triggers drop deleted ones. Why trigrams and not jieba words:

- Chinese has no spaces, and users search for substrings: 复议 must find 行政复议, 行政复议 must find
  行政复议决定书. A word index finds only what the segmenter happened to cut the same way (jieba cuts
  行政复议 as one word, so 复议 finds nothing); trigrams find every substring of three or more
  characters, exactly.
- No segmentation at ingest: jieba would cost about as much time as the whole extraction.
- Shorter queries (1-2 characters, common in Chinese: 复议, 信访) cannot be trigram phrases. A common
  one is found at once by a plain scan in storage order (``fazhi.store.search.probe`` judges that on a
  sample). A rare one goes through the index: each sentence is indexed with
  two newlines after it, so every occurrence of a 1-2 character string starts some trigram
  (复议 -> 复议工, 复议。, 复议\\n), and the query is expanded to those trigrams through the index's
  vocabulary (``sentences_vocab``, cheap to read for a rare string, costly for a common one).

Hits come in storage order (report by report, in reading order), which FTS5 yields without sorting,
so a common word costs no more than a rare one.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from .ngrams import cover

MIN_VERSION = (3, 35, 0)  # the trigram tokenizer (3.34), RETURNING and MATERIALIZED (3.35)
WRITERS = 1  # threads that write an ingest (SQLite writes one transaction at a time)
PARAM = "?"  # a bound parameter in the driver's SQL
MAX_VARIABLES = 999  # bound parameters per statement (the limit of SQLite before 3.32)
MAX_EXPANSION = 200  # trigrams a 1-2 character term may expand to
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def configure(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in (
            "journal_mode = WAL",  # readers (the dashboard) never wait for a writer (ingest)
            "synchronous = NORMAL",
            "foreign_keys = ON",
            "busy_timeout = 30000",
            "cache_size = -65536",  # 64 MB
            "mmap_size = 1073741824",
            "temp_store = MEMORY",
        ):
            cur.execute("PRAGMA " + pragma)
        cur.close()


def check_version() -> None:
    import sqlite3

    if sqlite3.sqlite_version_info < MIN_VERSION:
        from ..models import FazhiError

        raise FazhiError(
            f"SQLite {sqlite3.sqlite_version} is too old for the store (full-text search needs "
            f">= {'.'.join(map(str, MIN_VERSION))}); use a newer Python or a PostgreSQL URL"
        )


def stored(value: Any) -> Any:
    """Datetimes as SQLAlchemy stores them in SQLite (UTC, no zone), so they read back the same."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def after_bulk(conn: Connection) -> None:
    """Refresh the planner's statistics (cheap: ``PRAGMA optimize`` analyses only what needs it)."""
    conn.exec_driver_sql("PRAGMA optimize")


def index_sentences(conn: Connection, report_ids: list[int]) -> None:
    """Add the sentences of these (new) reports to the full-text index."""
    if report_ids:
        conn.exec_driver_sql(
            "INSERT INTO sentences_fts(rowid, text) SELECT id, text || char(10, 10) FROM sentences "
            f"WHERE report_id IN ({', '.join(str(int(i)) for i in report_ids)})"
        )


def with_keys(
    table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Rows as they are: the full-text index reads ``sentences.text`` itself."""
    return columns, rows


def report_keys(text: str) -> dict[str, Any]:
    """No columns of keys on reports."""
    return {}


def insert_many(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if rows:
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


# -- search ------------------------------------------------------------------------------------------


def contains(term: str, param: str) -> str:
    """SQL that is true when sentence ``s`` contains ``term`` (bound as ``:param``, see ``bind_term``)."""
    if _ASCII_LETTER.search(term):
        return f"s.text LIKE :{param} ESCAPE '\\'"  # LIKE ignores the case of ASCII letters, as FTS5 does
    return f"instr(s.text, :{param}) > 0"


def bind_term(term: str) -> str:
    if _ASCII_LETTER.search(term):
        return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return term


def expand(conn: Connection, term: str) -> list[str] | None:
    """The trigrams that start with a 1-2 character term; None when there are too many to be worth it.
    (Reading the vocabulary costs in proportion to how often those trigrams occur: cheap for rare terms.)"""
    lo = term.lower()
    rows = conn.exec_driver_sql(
        "SELECT term FROM sentences_vocab WHERE term >= ? AND term < ? LIMIT ?",
        (lo, lo + "\U0010ffff", MAX_EXPANSION + 1),
    ).fetchall()
    if len(rows) > MAX_EXPANSION:
        return None
    return [r[0] for r in rows]


def quote(term: str) -> str:
    """A string of three characters as an FTS5 query (one trigram)."""
    return '"' + term.replace('"', '""') + '"'


def long_match(terms: list[str]) -> str:
    """A MATCH expression for terms of 3+ characters: all the trigrams that cover each. The index keeps
    no positions (migration 0004), so they are looked up one by one and ``contains`` makes the match
    exact."""
    return " AND ".join(quote(g) for t in terms for g in cover(t, 3))


def short_match(conn: Connection, terms: list[str]) -> str | None:
    """A MATCH expression for 1-2 character terms through their trigrams; "" when one occurs nowhere,
    None when one is too common to expand."""
    parts = []
    for t in terms:
        grams = expand(conn, t)
        if grams is None:
            return None
        if not grams:
            return ""
        parts.append("(" + " OR ".join(quote(g) for g in grams) + ")")  # each trigram holds the term
    return " AND ".join(parts)


def indexed_query(select: str, where: list[str]) -> str:
    """Through the FTS5 index, in its rowid order (CROSS JOIN keeps the index the outer loop)."""
    conds = " AND ".join(["sentences_fts MATCH :match", *where])
    return (
        f"SELECT {select} FROM sentences_fts CROSS JOIN sentences s ON s.id = sentences_fts.rowid "
        f"CROSS JOIN reports r ON r.id = s.report_id WHERE {conds} "
        "ORDER BY sentences_fts.rowid LIMIT :limit OFFSET :offset"
    )


def scan_query(select: str, where: list[str]) -> str:
    """Every sentence in storage order until enough match: for terms too common to expand."""
    conds = " AND ".join(where) or "1"
    return (
        f"SELECT {select} FROM sentences s CROSS JOIN reports r ON r.id = s.report_id WHERE {conds} "
        "ORDER BY s.id LIMIT :limit OFFSET :offset"
    )
