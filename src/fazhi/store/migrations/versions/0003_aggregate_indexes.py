"""Indexes the dashboard's aggregates read instead of the tables (``fazhi.store.aggregates``).

- ``ix_facts_values`` (both databases): the facts of an indicator with what the comparison shows of
  each (report, offset, unit, value, surface), so lining up an indicator reads one index range and no
  table rows. Partial: only facts that have an indicator.
- ``ix_reports_summary`` (SQLite only): every column of a report's summary, in the store's list order.
  SQLite keeps a row's columns in table order and ``score``, ``timely``, ``n_facts`` … come after the
  report's text and JSON, so reading them walks each report's overflow pages (about 0.4 s for 10,000
  reports); from this index the list, the overview's figures and a page of reports read no table row.
  PostgreSQL keeps long values out of line (TOAST), so its table rows are small already.

Revision ID: 0003
Revises: 0002
Create Date: 2025-06-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SUMMARY_INDEX = (
    "CREATE INDEX ix_reports_summary ON reports (year DESC, admin_code, id, doc, title, author, "
    "jurisdiction, level, parent, published, score, timely, n_facts, framework, processed_at)"
)


def upgrade() -> None:
    op.create_index(
        "ix_facts_values",
        "facts",
        ["indicator", "report_id", "start", "unit", "value", "surface"],
        sqlite_where=sa.text("indicator IS NOT NULL"),
        postgresql_where=sa.text("indicator IS NOT NULL"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SUMMARY_INDEX)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_reports_summary")
    op.drop_index("ix_facts_values", table_name="facts")
