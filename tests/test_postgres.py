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

    assert "ix_sentences_pairs" in plan(
        "SELECT id FROM sentences s WHERE fazhi_pairs(s.text) @> ARRAY['复议']::text[]"
    )
    assert "ix_reports_chars" in plan(
        "SELECT id FROM reports r WHERE fazhi_chars(r.text) @> ARRAY['鲸']::text[]"
    )


def test_migration_0007_moves_single_characters_to_the_reports_both_ways(store):
    """0007 replaces the sentences' 1+2-character index by their pairs plus the reports' characters; its
    downgrade brings the old index back. Either way search finds 1- and 2-character terms."""
    store.ingest_bytes(
        "某县2024年法治政府建设情况报告\n办理行政复议案件12件。\n鲸。\n".encode(), source="a.txt"
    )

    def indexes() -> set[str]:
        with store.engine.connect() as conn:
            return set(conn.execute(text("SELECT indexname FROM pg_indexes")).scalars())

    def found() -> list[list[str]]:
        return [[h.sentence for h in store.search(q)] for q in ("复议", "鲸", "议 办")]

    expected = [["办理行政复议案件12件。"], ["鲸。"], ["办理行政复议案件12件。"]]
    assert {"ix_sentences_pairs", "ix_reports_chars"} <= indexes() and "ix_sentences_ngrams" not in indexes()
    assert found() == expected
    migrate_to(store.engine, "0006", down=True)
    assert "ix_sentences_ngrams" in indexes() and not {"ix_sentences_pairs", "ix_reports_chars"} & indexes()
    migrate_to(store.engine, "head")
    assert {"ix_sentences_pairs", "ix_reports_chars"} <= indexes()
    assert found() == expected
