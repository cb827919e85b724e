"""Table ``fact_counts``: each report's facts by area and by indicator, counted at ingest (one JSON row per
report). The dashboard's overview and indicator catalogue add these up; reading them took a count over
every stored fact (two GROUP BYs, about 0.6-1.2 s at 10,000 reports, in the first request after start-up
or after a change to most reports), and takes one short row per report now (about 0.07 s).

Reports stored before are counted here from their facts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 1000  # reports counted and written at a time


def upgrade() -> None:
    op.create_table(
        "fact_counts",
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("reports.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("counts", sa.Text, nullable=False),
    )
    conn = op.get_bind()
    ids = [rid for (rid,) in conn.execute(sa.text("SELECT id FROM reports ORDER BY id"))]
    table = sa.table("fact_counts", sa.column("report_id", sa.Integer), sa.column("counts", sa.Text))
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        counts: dict[int, dict[str, dict[str, int]]] = {rid: {"areas": {}, "indicators": {}} for rid in chunk}
        for column, key in (("area", "areas"), ("indicator", "indicators")):
            rows = conn.execute(
                sa.text(
                    f"SELECT report_id, {column}, count(*) FROM facts WHERE {column} IS NOT NULL "
                    f"AND report_id BETWEEN :lo AND :hi GROUP BY report_id, {column}"
                ),
                {"lo": chunk[0], "hi": chunk[-1]},
            )
            for rid, value, n in rows:
                counts[rid][key][value] = int(n)
        op.bulk_insert(
            table,
            [{"report_id": rid, "counts": orjson.dumps(c).decode("utf-8")} for rid, c in counts.items()],
        )


def downgrade() -> None:
    op.drop_table("fact_counts")
