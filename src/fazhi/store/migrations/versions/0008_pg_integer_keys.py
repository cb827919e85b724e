"""PostgreSQL: the full-text keys are integers that the store computes as it writes, kept in two new
columns (``sentences.pairs``, ``reports.chars``, both int4[]) and indexed as they are; the SQL functions
that made text keys on the server, and their indexes, are gone.

What the server did at ingest, sampled with perf while a pool ingested 1,000 synthetic reports: two
thirds of its time went to the GIN indexes, and most of that to text: calling the PL/pgSQL key
functions (16 % of the server's time), sorting each row's keys (14 %) and sorting them again into the
index's in-memory tree when its pending list is merged (15 %), every comparison a call of the
collation-aware text comparison. With integer keys, and without the pairs that hold a space, a
punctuation mark or a symbol (a fifth of them), the server spends 10.4 -> 5.9 ms per report (three
alternating runs of 1,000 reports) and the store's main process about 1 ms more, computing the keys
(numpy, a write batch at a time: ``fazhi.store.keys``). The price is space: the keys are stored with
each sentence, which doubles the sentences' heap (32 -> 61 MB for 3,000 reports; 70 -> 96 MB with
the indexes). Search is as fast as before.

Reports stored before get their keys here, a batch at a time. SQLite: nothing changes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from fazhi.store import keys

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 500  # reports keyed at a time

UP_INDEXES = [
    "CREATE INDEX ix_sentences_pair_keys ON sentences USING gin (pairs)",
    "CREATE INDEX ix_reports_char_keys ON reports USING gin (chars)",
    "DROP INDEX IF EXISTS ix_sentences_pairs",
    "DROP INDEX IF EXISTS ix_reports_chars",
    "DROP FUNCTION IF EXISTS fazhi_pairs(text)",
    "DROP FUNCTION IF EXISTS fazhi_chars(text)",
]
# migration 0007's functions and indexes
DOWN = [
    r"""
    CREATE OR REPLACE FUNCTION fazhi_pairs(t text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    DECLARE
      l text := lower(t);
    BEGIN
      RETURN array_remove(
        string_to_array(regexp_replace(l, '(..)', E'\\1\x01', 'g'), E'\x01')
          || string_to_array(regexp_replace(substr(l, 2), '(..)', E'\\1\x01', 'g'), E'\x01'),
        '');
    END
    $$
    """,
    r"""
    CREATE OR REPLACE FUNCTION fazhi_chars(t text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    BEGIN
      RETURN string_to_array(lower(t), NULL);
    END
    $$
    """,
    "CREATE INDEX ix_sentences_pairs ON sentences USING gin (fazhi_pairs(text))",
    "CREATE INDEX ix_reports_chars ON reports USING gin (fazhi_chars(text))",
    "DROP INDEX IF EXISTS ix_reports_char_keys",
    "DROP INDEX IF EXISTS ix_sentences_pair_keys",
    "ALTER TABLE sentences DROP COLUMN pairs",
    "ALTER TABLE reports DROP COLUMN chars",
]


def _fill(conn: sa.Connection) -> None:
    """The keys of every stored report and sentence."""
    ids = [rid for (rid,) in conn.execute(sa.text("SELECT id FROM reports ORDER BY id"))]
    for i in range(0, len(ids), BATCH):
        batch = ", ".join(str(int(rid)) for rid in ids[i : i + BATCH])
        rows = conn.execute(sa.text(f"SELECT id, text FROM reports WHERE id IN ({batch})")).all()
        if rows:
            conn.execute(
                sa.text("UPDATE reports SET chars = CAST(:chars AS int4[]) WHERE id = :id"),
                [{"id": rid, "chars": keys.char_keys(text)} for rid, text in rows],
            )
        rows = conn.execute(sa.text(f"SELECT id, text FROM sentences WHERE report_id IN ({batch})")).all()
        if rows:
            pairs = keys.sentence_keys([text for _, text in rows])
            conn.execute(
                sa.text("UPDATE sentences SET pairs = CAST(:pairs AS int4[]) WHERE id = :id"),
                [{"id": sid, "pairs": k} for (sid, _), k in zip(rows, pairs, strict=True)],
            )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.add_column("sentences", sa.Column("pairs", sa.ARRAY(sa.Integer)))
    op.add_column("reports", sa.Column("chars", sa.ARRAY(sa.Integer)))
    _fill(op.get_bind())
    for sql in UP_INDEXES:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sql in DOWN:
            op.execute(sql)
