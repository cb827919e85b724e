"""facts.sentence_start: where the sentence that holds each fact starts (search by indicator joins on it).

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facts") as batch:
        batch.add_column(sa.Column("sentence_start", sa.Integer))
    op.execute(
        "UPDATE facts SET sentence_start = (SELECT max(s.start) FROM sentences s "
        "WHERE s.report_id = facts.report_id AND s.start <= facts.start)"
    )
    op.drop_index("ix_facts_indicator", table_name="facts")
    op.create_index("ix_facts_indicator", "facts", ["indicator", "report_id", "sentence_start"])


def downgrade() -> None:
    op.drop_index("ix_facts_indicator", table_name="facts")
    op.create_index("ix_facts_indicator", "facts", ["indicator", "report_id", "start"])
    with op.batch_alter_table("facts") as batch:
        batch.drop_column("sentence_start")
