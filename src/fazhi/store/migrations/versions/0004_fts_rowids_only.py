"""SQLite: the full-text index keeps only which sentences hold each trigram (``detail=none``), not where.

Search checks every candidate sentence with ``instr`` anyway, so the positions the index kept (to match
a term as a phrase of trigrams) bought nothing: a term is now looked up as the trigrams that cover it
(``fazhi.store.sqlite.long_match``), each a single-token query, and ``instr`` makes the match exact. The
index is about 30% smaller and indexing a report costs about a third less, the largest part of what
ingest does beyond extraction. ``columnsize=0``: no ranking reads the sentence lengths.

The index is rebuilt from ``sentences`` (PostgreSQL: nothing changes).

Revision ID: 0004
Revises: 0003
Create Date: 2025-06-20
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TRIGGERS = [
    "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text || char(10, 10)); END",
    "CREATE TRIGGER sentences_au AFTER UPDATE OF text ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text || char(10, 10)); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text || char(10, 10)); END",
]


def _rebuild(options: str) -> None:
    for sql in (
        "DROP TRIGGER IF EXISTS sentences_au",
        "DROP TRIGGER IF EXISTS sentences_ad",
        "DROP TABLE IF EXISTS sentences_vocab",
        "DROP TABLE IF EXISTS sentences_fts",
        "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='id', "
        f"tokenize='trigram'{options})",
        "CREATE VIRTUAL TABLE sentences_vocab USING fts5vocab(sentences_fts, 'row')",
        "INSERT INTO sentences_fts(rowid, text) SELECT id, text || char(10, 10) FROM sentences",
        *TRIGGERS,
    ):
        op.execute(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(", detail=none, columnsize=0")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild("")
