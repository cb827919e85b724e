"""PostgreSQL: the store for a server (``--db postgresql://…`` or ``FAZHI_DB``), through psycopg 3.

Full-text search uses a GIN index over the 1- and 2-character strings of each sentence
(``fazhi_ngrams(text)``, an immutable SQL function created by migration 0001). Why not ``pg_trgm`` or
``to_tsvector``:

- ``pg_trgm`` ignores every character its database's locale does not call alphanumeric: on a server
  initialised with the C locale (the default of many installations) Chinese text has no trigrams at
  all, and the index silently finds nothing. Bigrams built by ``substr`` depend on no locale.
- ``to_tsvector('simple')`` needs the text cut into words first (jieba at ingest, about as slow as the
  whole extraction) and then finds only whole words: 复议 would not find 行政复议.
- Bigrams serve every query length: a 1-character term is looked up as itself, a longer one as the
  bigrams that cover it (行政复议 -> 行政 + 复议), and ``strpos`` on the candidates makes the match
  exact. Chinese users often search with two characters (复议, 信访), which trigrams cannot index.

A word common enough to fill the page soon is not looked up at all: a walk in id order stops at the
LIMIT (``fazhi.store.search.probe`` tells, from a sample). The index serves the rest: the matching
sentences first (few, or the walk would have been chosen), then the page among them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from .ngrams import cover

# threads that write an ingest, each with its own connection: the server indexes their transactions
# in parallel (one writer would leave the pool waiting for it)
WRITERS = 2
PARAM = "%s"  # a bound parameter in the driver's SQL
MAX_VARIABLES = 65535  # bound parameters per statement (the limit of the server's protocol)


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
    conn.exec_driver_sql("SELECT gin_clean_pending_list('ix_sentences_ngrams'::regclass)")
    for table in ("reports", "sentences", "facts"):
        conn.exec_driver_sql(f"ANALYZE {table}")


def index_sentences(conn: Connection, report_ids: list[int]) -> None:
    """Nothing to do: the GIN index follows the table."""


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


def grams(terms: list[str]) -> list[str]:
    """Index keys whose presence every match needs: a 1-character term itself, else bigrams covering it."""
    return list(dict.fromkeys(g for t in terms for g in cover(t.lower(), 2)))


def bitmap_only(conn: Connection) -> None:
    """For this transaction, read sentences through a bitmap of the n-gram index, never by calling
    ``fazhi_ngrams`` on each row of a walk (the planner's bet when it misjudges how rare a word is)."""
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


def indexed_query(select: str, sentence_conds: list[str], report_conds: list[str]) -> str:
    """Through the n-gram index (``:grams``): the ids of the matching sentences first (materialized:
    few, or a walk would have been chosen), then the page among those whose reports pass the filters,
    then the columns of the page."""
    conds = " AND ".join(["fazhi_ngrams(s.text) @> CAST(:grams AS text[])", *sentence_conds])
    page = (
        "SELECT c.id FROM c JOIN reports r ON r.id = c.report_id"
        + "".join(f" AND {c}" for c in report_conds)
        + " ORDER BY c.id LIMIT :limit OFFSET :offset"
    )
    return (
        f"WITH c AS MATERIALIZED (SELECT s.id, s.report_id FROM sentences s WHERE {conds}) "
        f"SELECT {select} FROM ({page}) AS page JOIN sentences s ON s.id = page.id "
        "JOIN reports r ON r.id = s.report_id ORDER BY s.id"
    )


def scan_query(select: str, where: list[str]) -> str:
    conds = " AND ".join(where) or "true"
    return (
        f"SELECT {select} FROM sentences s JOIN reports r ON r.id = s.report_id WHERE {conds} "
        "ORDER BY s.id LIMIT :limit OFFSET :offset"
    )
