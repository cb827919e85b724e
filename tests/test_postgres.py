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


def test_search_uses_the_index(search_store):
    """The n-gram GIN index serves the search (a sequential scan would not survive a large corpus)."""
    with search_store.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                text("EXPLAIN SELECT id FROM sentences s WHERE fazhi_ngrams(s.text) @> ARRAY['复议']::text[]")
            )
        )
    assert "ix_sentences_ngrams" in plan
