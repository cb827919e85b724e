"""The store on a real PostgreSQL server, started for the session from Debian's packages (tests/pg.py).

Skipped, saying why, only where no server can be installed; with CI=true that is a failure instead.
The server runs in the C locale: search must not depend on the locale (pg_trgm would).
"""

from __future__ import annotations

import itertools
import os

import pytest
from sqlalchemy import text

from fazhi.store import open_store
from fazhi.store.database import HEAD
from fazhi.store.keys import char_keys, term_keys

from .pg import TempPostgres, Unavailable
from .test_ingest import check_ingest_once, check_interrupted_write_leaves_whole_reports
from .test_search import (
    QUERIES,
    check_filters,
    check_hits,
    check_matches_reference,
    check_pages,
    force_way,
    random_queries,
)
from .test_store import (
    assessed_examples,
    check_add_is_idempotent,
    check_facts,
    check_reports,
    check_reprocess,
    check_round_trip,
    migrate_to,
    raw_examples,
)

pytestmark = pytest.mark.postgres
_names = itertools.count()


@pytest.fixture(scope="module")
def assessed(processed):
    return assessed_examples(processed)


@pytest.fixture(scope="module")
def raws(examples_dir):
    return raw_examples(examples_dir)


@pytest.fixture(scope="session")
def pg_server():
    server = TempPostgres()
    try:
        server.start()
    except Unavailable as exc:
        server.stop()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL tests cannot run in CI: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A new, empty database on the session's server."""
    import psycopg

    name = f"t{os.getpid()}_{next(_names)}"
    with psycopg.connect(
        f"host=127.0.0.1 port={pg_server.port} user=postgres dbname=postgres", autocommit=True
    ) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return pg_server.url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def store(pg_url):
    s = open_store(pg_url)
    yield s
    s.close()


@pytest.fixture(scope="module")
def search_store(pg_server, examples_dir):
    import psycopg

    with psycopg.connect(
        f"host=127.0.0.1 port={pg_server.port} user=postgres dbname=postgres", autocommit=True
    ) as c:
        c.execute('CREATE DATABASE "search"')
    s = open_store(pg_server.url.rsplit("/", 1)[0] + "/search")
    assert s.ingest_paths([examples_dir], workers=0).added == 5
    yield s
    s.close()


def test_server_locale_is_c(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("SHOW lc_ctype")).scalar() == "C"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD


def test_round_trip(store, assessed):
    check_round_trip(store, assessed)


def test_add_is_idempotent(store, assessed):
    check_add_is_idempotent(store, assessed)


def test_reports(store, assessed):
    check_reports(store, assessed)


def test_facts(store, assessed):
    check_facts(store, assessed)


def test_reprocess(store, assessed, raws, monkeypatch):
    check_reprocess(store, assessed, raws, monkeypatch)
    # the keys follow a new reading: wiped, they are back after it, as the text gives them
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE reports SET chars = NULL"))
        conn.execute(text("UPDATE sentences SET pairs = NULL"))
    assert store.reprocess(workers=0, force=True) == len(assessed)
    with store.engine.connect() as conn:
        for body, chars in conn.execute(text("SELECT text, chars FROM reports")):
            assert sorted(chars) == sorted(int(k) for k in char_keys(body).strip("{}").split(","))
        assert conn.execute(text("SELECT count(*) FROM sentences WHERE pairs IS NULL")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM sentences WHERE cardinality(pairs) > 0")).scalar() > 0


@pytest.mark.parametrize("workers", [0, 2])
def test_ingest_once(pg_url, examples_dir, workers):
    check_ingest_once(pg_url, examples_dir, workers)


def test_interrupted_write_leaves_whole_reports(pg_url, tmp_path, examples_dir, monkeypatch):
    check_interrupted_write_leaves_whole_reports(pg_url, tmp_path, examples_dir, monkeypatch)


def test_search_matches_reference(search_store):
    check_matches_reference(search_store, QUERIES + random_queries(search_store, 150))


@pytest.mark.parametrize("way", ["walk", "index", "scope", None])
def test_every_way_matches_reference(search_store, monkeypatch, way):
    """Every way a search can run finds the same (None: the way the planner picks)."""
    force_way(monkeypatch, way)
    check_matches_reference(search_store, QUERIES + random_queries(search_store, 40, seed=5))
    check_filters(search_store)


@pytest.mark.parametrize("scope", [0, 10**6])
def test_search_filters_either_way(search_store, monkeypatch, scope):
    from fazhi.store import search

    monkeypatch.setattr(search, "SCOPE", scope)
    check_filters(search_store)


def test_search_hits_and_pages(search_store):
    check_hits(search_store)
    check_pages(search_store)


def test_search_uses_the_indexes(search_store):
    """The GIN indexes serve the search (a sequential scan would not survive a large corpus): the
    sentences' pairs for terms of 2+ characters, the reports' characters for 1-character ones."""

    def plan(sql: str) -> str:
        with search_store.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))
            return "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {sql}")))

    assert "ix_sentences_pair_keys" in plan(
        f"SELECT id FROM sentences s WHERE s.pairs @> ARRAY[{term_keys(['复议'])[0][0]}]::int4[]"
    )
    assert "ix_reports_char_keys" in plan(
        f"SELECT id FROM reports r WHERE r.chars @> ARRAY[{ord('鲸')}]::int4[]"
    )


def test_migrations_0007_and_0008_keep_search_working_both_ways(store):
    """0007 replaced the sentences' 1+2-character index by their pairs plus the reports' characters;
    0008 makes both integer keys in columns of their own, and computes them for the reports stored
    before. Down to 0007 and up again, search finds 1- and 2-character terms; down to 0006, the old
    index is back."""
    store.ingest_bytes(
        "某县2024年法治政府建设情况报告\n办理行政复议案件12件。\n鲸。\n".encode(), source="a.txt"
    )

    def indexes() -> set[str]:
        with store.engine.connect() as conn:
            return set(conn.execute(text("SELECT indexname FROM pg_indexes")).scalars())

    def found() -> list[list[str]]:
        return [[h.sentence for h in store.search(q)] for q in ("复议", "鲸", "议 办")]

    keys = {"ix_sentences_pair_keys", "ix_reports_char_keys"}
    texts = {"ix_sentences_pairs", "ix_reports_chars"}
    expected = [["办理行政复议案件12件。"], ["鲸。"], ["办理行政复议案件12件。"]]
    assert keys <= indexes() and not texts & indexes()
    assert found() == expected
    migrate_to(store.engine, "0007", down=True)
    assert texts <= indexes() and not keys & indexes()
    migrate_to(store.engine, "0006", down=True)
    assert "ix_sentences_ngrams" in indexes() and not (texts | keys) & indexes()
    migrate_to(store.engine, "head")  # 0008 keys the report stored before
    assert keys <= indexes() and not texts & indexes()
    assert found() == expected
