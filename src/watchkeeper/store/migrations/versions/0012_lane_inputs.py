"""The raw inputs of every lane without receipt rules of its own (``lanes.ingest``), each
received once per lane by digest; alerts point at them (``source_table`` ``lane_inputs``).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision: str | None = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``lane_inputs`` and its indexes."""
    op.create_table(
        "lane_inputs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("lane", sa.String(16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("faults", sa.JSON, nullable=True),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("alerts", sa.Integer, nullable=False),
        sa.Column("answer", sa.JSON, nullable=True),
    )
    op.create_index("ix_lane_inputs_digest", "lane_inputs", ["lane", "digest", "status"])
    op.create_index("ix_lane_inputs_received", "lane_inputs", ["received_at"])


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("lane_inputs")
