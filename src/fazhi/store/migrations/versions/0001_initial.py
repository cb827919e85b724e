"""Reports with sections, facts, sentences, criteria, and the full-text index of sentences.

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite: FTS5 trigram index over sentences (external content). Each sentence is indexed with two
# newlines after it so that 1-2 character strings at its end also start a trigram. Writers index new
# sentences themselves (fazhi.store.sqlite.index_sentences: one INSERT ... SELECT per batch is twice as
# fast as a trigger per row); triggers remove deleted and changed ones.
SQLITE_UP = [
    "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE VIRTUAL TABLE sentences_vocab USING fts5vocab(sentences_fts, 'row')",
    # the order of Store.reports(): newest year first, then by code (SQLite: NULL years last, NULL codes first)
    "CREATE INDEX ix_reports_order ON reports (year DESC, admin_code, id)",
    "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text || char(10, 10)); END",
    "CREATE TRIGGER sentences_au AFTER UPDATE OF text ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text || char(10, 10)); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text || char(10, 10)); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS sentences_au",
    "DROP TRIGGER IF EXISTS sentences_ad",
    "DROP TABLE IF EXISTS sentences_vocab",
    "DROP TABLE IF EXISTS sentences_fts",
    "DROP INDEX IF EXISTS ix_reports_order",
]

# PostgreSQL: GIN index over the 1- and 2-character strings of each sentence (see fazhi.store.postgres).
# Built from C-level string functions: the characters, then the pairs at even and at odd offsets (a
# set-returning SQL version costs ten times as much). PL/pgSQL so that it is never inlined, and a high
# COST (it is costly, per row) so that the planner reads the index instead of calling it on every row.
POSTGRES_UP = [
    r"""
    CREATE OR REPLACE FUNCTION fazhi_ngrams(t text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    DECLARE
      l text := lower(t);
    BEGIN
      RETURN array_remove(
        string_to_array(l, NULL)
          || string_to_array(regexp_replace(l, '(..)', E'\\1\x01', 'g'), E'\x01')
          || string_to_array(regexp_replace(substr(l, 2), '(..)', E'\\1\x01', 'g'), E'\x01'),
        '');
    END
    $$
    """,
    "CREATE INDEX ix_sentences_ngrams ON sentences USING gin (fazhi_ngrams(text))",
    "CREATE INDEX ix_reports_order ON reports (year DESC NULLS LAST, admin_code NULLS FIRST, id)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_reports_order",
    "DROP INDEX IF EXISTS ix_sentences_ngrams",
    "DROP FUNCTION IF EXISTS fazhi_ngrams(text)",
]


def _report_fk() -> sa.Column:
    return sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("jurisdiction", sa.Text),
        sa.Column("admin_code", sa.String(12)),
        sa.Column("level", sa.String(16)),
        sa.Column("parent", sa.Text),
        sa.Column("year", sa.Integer),
        sa.Column("published", sa.String(10)),
        sa.Column("script", sa.String(16)),
        sa.Column("format", sa.String(8)),
        sa.Column("encoding", sa.String(32)),
        sa.Column("doc_number", sa.Text),
        sa.Column("index_number", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("assessment", sa.Text),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("extractor_version", sa.String(32), nullable=False),
        sa.Column("framework", sa.String(64)),
        sa.Column("score", sa.Float),
        sa.Column("timely", sa.Boolean),
        sa.Column("n_facts", sa.Integer, nullable=False),
        sa.Column("n_sentences", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
    for col in ("jurisdiction", "admin_code", "level", "year", "extractor_version"):
        op.create_index(f"ix_reports_{col}", "reports", [col])

    op.create_table(
        "sections",
        sa.Column("id", sa.Integer, primary_key=True),
        _report_fk(),
        sa.Column("ord", sa.Integer, nullable=False),
        sa.Column("number", sa.String(16)),
        sa.Column("heading", sa.Text, nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("area", sa.String(32)),
        sa.Column("areas", sa.Text, nullable=False),
        sa.Column("element", sa.String(32)),
    )
    op.create_index("ix_sections_report", "sections", ["report_id", "ord"])
    op.create_index("ix_sections_area", "sections", ["area"])

    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True),
        _report_fk(),
        sa.Column("surface", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("approx", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("indicator", sa.String(64)),
        sa.Column("area", sa.String(32)),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
    )
    op.create_index("ix_facts_report", "facts", ["report_id", "start"])
    op.create_index("ix_facts_indicator", "facts", ["indicator", "report_id", "start"])
    op.create_index("ix_facts_area", "facts", ["area", "report_id", "start"])

    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer, primary_key=True),
        _report_fk(),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("area", sa.String(32)),
    )
    op.create_index("ix_sentences_report", "sentences", ["report_id", "start"])

    op.create_table(
        "criteria",
        sa.Column("id", sa.Integer, primary_key=True),
        _report_fk(),
        sa.Column("criterion", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("max", sa.Float, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_criteria_report", "criteria", ["report_id"])
    op.create_index("ix_criteria_criterion", "criteria", ["criterion"])

    dialect = op.get_bind().dialect.name
    for stmt in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP if dialect == "postgresql" else []:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for stmt in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN if dialect == "postgresql" else []:
        op.execute(stmt)
    for table in ("criteria", "sentences", "facts", "sections", "reports"):
        op.drop_table(table)
