"""PostgreSQL: the store for a server (``--db postgresql://…`` or ``FAZHI_DB``), through psycopg 3.

Full-text search uses two GIN indexes of integer keys (``fazhi.store.keys``, migration 0008) that the
store computes as it writes: the pairs of adjacent characters of each sentence (``sentences.pairs``)
and the characters of each whole report (``reports.chars``). Why not ``pg_trgm`` or ``to_tsvector``:

- ``pg_trgm`` ignores every character its database's locale does not call alphanumeric: on a server
  initialised with the C locale (the default of many installations) Chinese text has no trigrams at
  all, and the index silently finds nothing. Keys made by fazhi depend on no locale.
- ``to_tsvector('simple')`` needs the text cut into words first (jieba at ingest, about as slow as the
  whole extraction) and then finds only whole words: 复议 would not find 行政复议.
- Pairs serve every query of 2 characters or more: a term is looked up as the pairs that cover it
  (行政复议 -> 行政 + 复议), and ``strpos`` on the candidates makes the match exact. Chinese users often
  search with two characters (复议, 信访), which trigrams cannot index.
- A query of 1-character terms only is looked up in the reports' characters: the reports that hold them,
  then their sentences, checked. Each report's characters are a few hundred keys; those of each of its
  sentences were 2,000, half of all the keys the server wrote at ingest (migration 0007 says more).
- Integers, not the characters as text: the server sorts and compares every key it indexes, and with
  text keys (made by SQL functions, compared by collation) that was nearly half its work at ingest
  (migration 0008).

A word common enough to fill the page soon is not looked up at all: a walk in id order stops at the
LIMIT (``fazhi.store.search.probe`` tells, from a sample). The index serves the rest: the matching
sentences first (few, or the walk would have been chosen), then the page among them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

# threads that write an ingest, each with its own connection: the server indexes their transactions
# in parallel (one writer would leave the pool waiting for it)
WRITERS = 2
PARAM = "%s"  # a bound parameter in the driver's SQL
MAX_VARIABLES = 65535  # bound parameters per statement (the limit of the server's protocol)
GIN_INDEXES = ("ix_sentences_pair_keys", "ix_reports_char_keys")  # the full-text indexes (migration 0008)
KEY_COLUMNS = ("sentences.pairs", "reports.chars")  # what they index (``with_keys``, ``report_keys``)


def normalize_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3 (the driver fazhi installs), not psycopg2."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def stored(value: Any) -> Any:
    """A value as the driver binds it (psycopg takes every column's Python value as it is)."""
    return value


def after_bulk(conn: Connection) -> None:
    """Merge the GIN index's pending entries (every search reads them all until then) and refresh the
    planner's statistics."""
    for index in GIN_INDEXES:
        conn.exec_driver_sql(f"SELECT gin_clean_pending_list('{index}'::regclass)")
    for table in ("reports", "sentences", "facts"):
        conn.exec_driver_sql(f"ANALYZE {table}")


def index_sentences(conn: Connection, report_ids: list[int]) -> None:
    """Nothing to do: the GIN index follows the table."""


def with_keys(
    table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Rows as the table stores them: a sentence with its pair keys (``sentences.pairs``)."""
    if table != "sentences" or not rows:
        return columns, rows
    from . import keys  # numpy: imported when PostgreSQL is used, not by every store

    i = columns.index("text")
    pairs = keys.sentence_keys([row[i] for row in rows])
    return (*columns, "pairs"), [(*row, k) for row, k in zip(rows, pairs, strict=True)]


def report_keys(text: str) -> dict[str, Any]:
    """The columns of keys of a report with this text (``reports.chars``)."""
    from . import keys

    return {"chars": keys.char_keys(text)}


def insert_many(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """COPY the rows in (several times faster than INSERT for the million sentences of a big corpus)."""
    if not rows:
        return
    cols = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# -- search ------------------------------------------------------------------------------------------


def contains(term: str, param: str) -> str:
    return f"strpos(lower(s.text), :{param}) > 0"


def bind_term(term: str) -> str:
    return term.lower()


def term_keys(terms: list[str]) -> tuple[list[int], list[int]]:
    """The keys of the sentence index whose presence every match needs, and those of the reports'
    characters that serve when there are none (``fazhi.store.keys.term_keys``)."""
    from . import keys

    return keys.term_keys(terms)


def bitmap_only(conn: Connection) -> None:
    """For this transaction, read sentences through a bitmap of a full-text index, never by calling
    ``@>`` on each row of a walk (the planner's bet when it misjudges how rare a word is)."""
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")


def in_order_only(conn: Connection) -> None:
    """For this transaction, walk sentences in id order, joining each to its report (the walk for
    common words stops at the LIMIT; the planner, left alone, may start from the reports instead)."""
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
    conn.exec_driver_sql("SET LOCAL join_collapse_limit = 1")  # FROM sentences JOIN reports: in that order


def lookups_only(conn: Connection) -> None:
    """For this transaction, join by looking each row up in an index: the planner, guessing how many
    sentences hold a word, likes to hash all of them instead (a few thousand facts -> a million rows)."""
    for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
        conn.exec_driver_sql(f"SET LOCAL {setting} = off")


def indexed_query(
    select: str, sentence_conds: list[str], report_conds: list[str], by_chars: bool = False
) -> str:
    """Through an index: the ids of the matching sentences first (materialized: few, or a walk would
    have been chosen), then the page among those whose reports pass the filters, then the columns of
    the page. The sentences come from the pair index (``:grams``), or with ``by_chars`` (a query whose
    terms have no pairs: 1-character terms) from the reports that hold its characters (``:chars``)."""
    if by_chars:
        tables, key = (
            "reports r0 JOIN sentences s ON s.report_id = r0.id",
            "r0.chars @> CAST(:chars AS int4[])",
        )
    else:
        tables, key = "sentences s", "s.pairs @> CAST(:grams AS int4[])"
    source = f"SELECT s.id, s.report_id FROM {tables} WHERE {' AND '.join([key, *sentence_conds])}"
    page = (
        "SELECT c.id FROM c JOIN reports r ON r.id = c.report_id"
        + "".join(f" AND {c}" for c in report_conds)
        + " ORDER BY c.id LIMIT :limit OFFSET :offset"
    )
    return (
        f"WITH c AS MATERIALIZED ({source}) "
        f"SELECT {select} FROM ({page}) AS page JOIN sentences s ON s.id = page.id "
        "JOIN reports r ON r.id = s.report_id ORDER BY s.id"
    )


def scan_query(select: str, where: list[str]) -> str:
    conds = " AND ".join(where) or "true"
    return (
        f"SELECT {select} FROM sentences s JOIN reports r ON r.id = s.report_id WHERE {conds} "
        "ORDER BY s.id LIMIT :limit OFFSET :offset"
    )
