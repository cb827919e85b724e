"""The store on SQLite: schema and migrations, exact round-trips, report and fact queries, reprocess.

The ``check_*`` functions take any store; tests/test_postgres.py runs them on PostgreSQL too.
"""

from __future__ import annotations

import copy
import sqlite3

import pytest
from sqlalchemy import text

import fazhi
from fazhi.models import Evidence, Section
from fazhi.store import open_store, resolve_url
from fazhi.store.database import HEAD, MIGRATIONS
from fazhi.store.ingest import content_hash, sentence_areas
from fazhi.store.search import place_prefix


def assessed_examples(processed) -> dict:
    """Every bundled example with its assessment (None while the assessment stage is missing)."""
    from fazhi.store.ingest import _assess

    assess = _assess()
    return {doc: (d, assess(d) if assess else None) for doc, d in processed.items()}


def raw_examples(examples_dir) -> dict:
    from fazhi.readers import read_path

    return {p.stem: read_path(p) for p in sorted(examples_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def assessed(processed):
    return assessed_examples(processed)


@pytest.fixture(scope="session")
def raws(examples_dir):
    return raw_examples(examples_dir)


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


def fill(store, assessed, raws=None) -> dict[str, int]:
    return {
        doc: store.add(d, a, content_hash(doc.encode()), raw=raws[doc] if raws else None)
        for doc, (d, a) in sorted(assessed.items())
    }


def migrate_to(engine, revision: str, down: bool = False) -> None:
    """Run the store's migrations up (or down) to ``revision``, as ``fazhi.store.migrate`` runs them."""
    from alembic import command
    from alembic.config import Config

    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


# -- checks shared with PostgreSQL ---------------------------------------------------------------------


def check_round_trip(store, assessed) -> None:
    ids = fill(store, assessed)
    for doc, (d, a) in assessed.items():
        stored = store.report(ids[doc])
        assert stored is not None
        assert stored.document == d  # every field, sections, facts, paragraphs, sentences, meta
        assert stored.assessment == a
        assert stored.content_hash == content_hash(doc.encode())
        assert stored.extractor_version == fazhi.EXTRACTOR_VERSION
        assert stored.ingested_at.tzinfo is not None
    assert store.report(10**6) is None


def check_add_is_idempotent(store, assessed) -> None:
    ids = fill(store, assessed)
    before = store.stats()
    again = fill(store, assessed)
    assert again == ids
    assert store.stats() == before


def check_reports(store, assessed) -> None:
    ids = fill(store, assessed)
    everything = store.reports()
    assert len(everything) == store.count_reports() == len(assessed)
    years = [r.year for r in everything]
    assert years == sorted(years, reverse=True)  # newest first
    d, a = assessed["shishi-city-2024"]
    s = next(r for r in everything if r.id == ids["shishi-city-2024"])
    assert (s.doc, s.jurisdiction, s.admin_code, s.level, s.year) == (
        d.doc,
        d.jurisdiction,
        d.admin_code,
        d.level,
        d.year,
    )
    assert s.n_facts == len(d.facts)
    if a is not None:
        assert (s.score, s.timely, s.framework) == (a.score, a.timely, a.framework)
        assert isinstance(s.timely, bool | None)
    # place: a name is the jurisdiction or the issuing body exactly; a code covers what lies inside it
    xiamen = {r.doc for r in store.reports(place="厦门市")}
    assert xiamen == {"xiamen-city-2024", "xiamen-city-2020-traditional", "xiamen-justice-bureau-2024"}
    assert {r.doc for r in store.reports(place="厦门市司法局")} == {"xiamen-justice-bureau-2024"}
    assert {r.doc for r in store.reports(place="350200")} == xiamen | {"huli-district-2024"}
    assert store.count_reports(place="350000") == len(assessed)
    assert store.count_reports(place="110000") == 0
    assert {r.doc for r in store.reports(level="county")} == {"huli-district-2024", "shishi-city-2024"}
    assert {r.doc for r in store.reports(year=2020)} == {"xiamen-city-2020-traditional"}
    assert store.count_reports(place="厦门市", year=2024) == 2
    # pages
    assert [r.id for r in store.reports(limit=2)] == [r.id for r in everything[:2]]
    assert [r.id for r in store.reports(limit=2, offset=2)] == [r.id for r in everything[2:4]]
    assert [r.id for r in store.reports(offset=3)] == [r.id for r in everything[3:]]


def check_facts(store, assessed) -> None:
    fill(store, assessed)
    every = store.facts()
    assert len(every) == sum(len(d.facts) for d, _ in assessed.values())
    for summary, fact in every[:50]:
        d, _ = assessed[summary.doc]
        assert fact in d.facts
    some = next(f for d, _ in assessed.values() for f in d.facts if f.indicator)
    by_indicator = store.facts(indicator=some.indicator)
    assert by_indicator and all(f.indicator == some.indicator for _, f in by_indicator)
    assert all(f.area == "disputes" for _, f in store.facts(area="disputes"))
    assert all(s.year == 2020 for s, _ in store.facts(year=2020))
    assert all(s.jurisdiction == "湖里区" for s, _ in store.facts(place="湖里区"))
    assert len(store.facts(limit=3)) == 3


def check_reprocess(store, assessed, raws, monkeypatch) -> None:
    ids = fill(store, assessed, raws)
    assert store.reprocess() == 0  # all current
    monkeypatch.setattr(fazhi, "EXTRACTOR_VERSION", "test-next")
    assert store.stats()["stale"] == len(assessed)
    n = store.reprocess(workers=0)
    assert n == len(assessed)
    assert store.stats()["stale"] == 0
    for doc, (d, a) in assessed.items():
        stored = store.report(ids[doc])
        assert stored.extractor_version == "test-next"
        assert stored.document.facts == d.facts
        assert stored.document.sections == d.sections
        assert stored.assessment == a
    assert len(store.search("行政复议", limit=1000)) > 0  # the index follows the new sentences
    assert store.reprocess(workers=0) == 0
    assert store.reprocess(workers=0, force=True) == len(assessed)


# -- SQLite ----------------------------------------------------------------------------------------------


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


def test_reprocess_without_raw(store, assessed, monkeypatch):
    """A report added without the reader's output is re-read from its cleaned text."""
    ids = fill(store, assessed)
    monkeypatch.setattr(fazhi, "EXTRACTOR_VERSION", "test-next")
    assert store.reprocess(workers=0) == len(assessed)
    d, _ = assessed["shishi-city-2024"]
    again = store.report(ids["shishi-city-2024"]).document
    assert again.text == d.text
    assert again.jurisdiction == d.jurisdiction
    assert again.facts == d.facts


def test_delete(store, assessed):
    ids = fill(store, assessed)
    assert store.delete(ids["huli-district-2024"])
    assert store.report(ids["huli-district-2024"]) is None
    assert not store.delete(ids["huli-district-2024"])
    with store.engine.connect() as conn:
        for table in ("sections", "facts", "sentences", "criteria"):
            n = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE report_id = :i"), {"i": ids["huli-district-2024"]}
            )
            assert n.scalar() == 0
    assert all(h.report_id != ids["huli-district-2024"] for h in store.search("行政复议", limit=1000))


def test_head_is_the_newest_migration():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD


def test_migrated_schema_matches_the_models(store):
    check_schema(store)


def check_schema(store, migration_only: tuple[str, ...] = ()) -> None:
    """The migrated database and the models agree, but for what exists only in the migrations: the
    full-text tables, the ordering index (its DDL differs by database), SQLite's covering index of
    summaries (0003), and the dialect's own ``migration_only`` columns and indexes."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from fazhi.store.schema import metadata

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)

    def only_migrated(d: tuple) -> bool:
        if d[0] == "remove_column":
            return f"{d[2]}.{d[3].name}" in migration_only
        name = d[1].name if d[0] in ("remove_table", "remove_index") else ""
        return name.startswith(("sentences_fts", "sentences_vocab")) or name in (
            "ix_reports_order",
            "ix_reports_summary",
            *migration_only,
        )

    assert [d for d in diff if not only_migrated(d)] == []


def test_open_twice_and_version_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    open_store(url).close()
    with open_store(url) as s, s.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    con = sqlite3.connect(tmp_path / "x.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_resolve_url(monkeypatch, tmp_path):
    monkeypatch.delenv("FAZHI_DB", raising=False)
    assert resolve_url(None) == "sqlite:///fazhi.db"
    monkeypatch.setenv("FAZHI_DB", "postgresql://u@h/db")
    assert resolve_url(None) == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("reports.db") == "sqlite:///reports.db"
    assert resolve_url("sqlite:////abs/x.db") == "sqlite:////abs/x.db"


def test_in_memory_store(assessed):
    with open_store("sqlite://") as s:
        d, a = assessed["xiamen-city-2024"]
        rid = s.add(d, a, "h")
        assert s.report(rid).document == d


@pytest.mark.parametrize(
    ("code", "prefix"), [("350200", "3502"), ("350000", "35"), ("350206", "350206"), ("110100", "1101")]
)
def test_place_prefix(code, prefix):
    assert place_prefix(code) == prefix


def _naive_areas(sections, spans):
    out = []
    for start, _ in spans:
        best = None
        for s in sections:
            if s.areas and s.start <= start < s.end and (best is None or s.depth > best.depth):
                best = s
        out.append(best.areas[0] if best else None)
    return out


def test_sentence_areas(processed):
    for d in processed.values():
        spans = [(s.start, s.end) for s in d.sentences]
        assert sentence_areas(d.sections, spans) == _naive_areas(d.sections, spans)
    secs = [
        Section("一", "a", 1, 0, 100, ["rules"]),
        Section("（一）", "b", 2, 10, 50, ["disputes"]),
        Section("（二）", "c", 2, 50, 100, []),
    ]
    assert sentence_areas(secs, [(0, 5), (12, 20), (60, 70), (120, 130)]) == [
        "rules",
        "disputes",
        "rules",
        None,
    ]


def test_migration_0002_fills_fact_sentences(tmp_path):
    """A store made by 0001 (with a report in it) is brought to HEAD at open, its facts given their
    sentence, its full-text index rebuilt."""
    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    migrate_to(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO reports (id, content_hash, source, doc, text, document, extractor_version, n_facts, "
                "n_sentences, ingested_at, processed_at) VALUES (1, 'h', 's', 'd', '一。二有3件。', '{}', '1', 1, 2, "
                "'2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sentences (report_id, start, \"end\", text) VALUES (1, 0, 2, '一。'), (1, 2, 7, '二有3件。')"
            )
        )
        conn.execute(
            text(
                'INSERT INTO facts (report_id, surface, value, unit, approx, kind, subject, indicator, start, "end", '
                "evidence) VALUES (1, '3件', 3, '件', 'none', 'count', '', 'x', 4, 6, '二有3件。')"
            )
        )
    engine.dispose()
    with open_store(url) as store, store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert conn.execute(text("SELECT sentence_start FROM facts")).scalar() == 2
        assert [h.start for h in store.search("3件", indicator="x")] == [2]
        # sentences stored before the index was rebuilt (0004) are found through it
        assert [h.start for h in store.search("二有3")] == [2]


def test_migration_0004_rebuilds_the_index_both_ways(tmp_path):
    """0004 makes the full-text index keep rowids only; its downgrade brings the positions back. Either
    way every stored sentence is in the index."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = create_engine(url)
    with open_store(url) as store:
        store.ingest_bytes(
            "某县2024年法治政府建设情况报告\n办理行政复议案件12件。\n".encode(), source="a.txt"
        )

    def phrase(conn) -> list:
        return conn.execute(
            text("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH '\"行政复议\"'")
        ).all()

    with engine.connect() as conn, pytest.raises(OperationalError, match="phrase queries"):
        phrase(conn)
    migrate_to(engine, "0003", down=True)
    with engine.connect() as conn:
        assert len(phrase(conn)) == 1
    migrate_to(engine, "head")
    engine.dispose()
    with open_store(url) as store:
        assert [h.sentence for h in store.search("行政复议")] == ["办理行政复议案件12件。"]


def test_migration_0005_indexes_when_reports_were_processed(tmp_path):
    """0005 gives the dashboard's catching-up read (reports processed since a time) an index, and its
    downgrade takes it away again."""
    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).close()
    engine = create_engine(url)
    catch_up = "EXPLAIN QUERY PLAN SELECT id FROM reports WHERE (id IN (1, 2) OR processed_at > '2026-01-01')"

    def plan() -> str:  # on a connection of its own: one kept in a pool may answer from a stale plan
        con = sqlite3.connect(tmp_path / "store.db")
        try:
            return " ".join(str(row[-1]) for row in con.execute(catch_up))
        finally:
            con.close()

    assert "ix_reports_processed_at" in plan()
    migrate_to(engine, "0004", down=True)
    assert "ix_reports_processed_at" not in plan()
    migrate_to(engine, "head")
    assert "ix_reports_processed_at" in plan()
    engine.dispose()


def test_migration_0006_counts_the_facts_of_reports_stored_before(store, assessed):
    """Reports stored before 0006 get their fact counts from their facts, the same counts ingest writes;
    each count is what the facts say."""
    from collections import Counter

    ids = fill(store, assessed)
    written = store.fact_counts()
    for doc, (d, _a) in assessed.items():
        counts = written[ids[doc]]
        assert counts.areas == dict(Counter(f.area for f in d.facts if f.area))
        assert counts.indicators == dict(Counter(f.indicator for f in d.facts if f.indicator))
    assert any(c.indicators for c in written.values())

    migrate_to(store.engine, "0005", down=True)
    with store.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'fact_counts'")).scalar() == 0
        )
    migrate_to(store.engine, "head")
    assert store.fact_counts() == written


def test_documents_keep_their_facts_in_the_facts_table(assessed):
    """The stored JSON leaves facts out (the facts table holds them); JSON written before that, with
    its facts, still loads them from there."""
    import orjson

    from fazhi.store.records import document_json, load_document

    d = next(d for d, _a in assessed.values() if d.facts)
    data = document_json(d)
    assert "facts" not in orjson.loads(data)
    assert load_document(data, d.text, d.facts) == d
    old = orjson.loads(data)
    old["facts"] = [f.to_dict() for f in d.facts]
    assert load_document(orjson.dumps(old).decode(), d.text, []) == d


def test_assessment_quotes_come_from_the_text(assessed):
    """A quote that is the text between its offsets is not written twice: it is read back from the
    report's text. JSON with its quotes (written before) loads as it is."""
    import orjson

    from fazhi.store.records import assessment_json, load_assessment

    d, a = next(v for v in assessed.values() if v[1] is not None and v[1].criteria)
    data = assessment_json(a, d.text)
    evidence = [e for c in orjson.loads(data)["criteria"] for e in c["evidence"]]
    assert evidence and all("quote" not in e for e in evidence)
    assert load_assessment(data, d.text) == a
    with pytest.raises(ValueError, match="pass it"):
        load_assessment(data)
    assert load_assessment(assessment_json(a)) == a  # quotes kept when no text is given
    # a quote that is not the text between its offsets is kept
    other = copy.deepcopy(a)
    other.criteria[0].evidence.append(Evidence("另写的引文", 0, 3))
    data = assessment_json(other, d.text)
    assert {"quote": "另写的引文", "start": 0, "end": 3} in orjson.loads(data)["criteria"][0]["evidence"]
    assert load_assessment(data, d.text) == other
