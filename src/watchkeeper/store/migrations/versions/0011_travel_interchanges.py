"""Travel interchanges received once: ``travel_interchanges`` and the link from each
stored message to the interchange it arrived in (``lanes.travel.ingest``). Messages stored
before this revision keep no link; their resends are taken as new.

Revision ID: 0011
Revises: 0009 (0010 is another branch's; the merge re-chains this one after it)
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table and its indexes; add the nullable link column (no table rebuild)."""
    op.create_table(
        "travel_interchanges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sender", sa.String(64), nullable=True),
        sa.Column("reference", sa.String(32), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("update_code", sa.String(32), nullable=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("alerts", sa.Integer, nullable=False),
        sa.Column("answer", sa.JSON, nullable=True),
    )
    op.create_index("uq_travel_interchanges_digest", "travel_interchanges", ["digest"], unique=True)
    op.create_index(
        "uq_travel_interchanges_reference",
        "travel_interchanges",
        ["sender", "reference", "version"],
        unique=True,
    )
    op.create_index("ix_travel_interchanges_received", "travel_interchanges", ["received_at"])
    op.add_column("travel_messages", sa.Column("interchange_id", sa.Integer, nullable=True))
    op.create_index("ix_travel_messages_interchange", "travel_messages", ["interchange_id"])


def downgrade() -> None:
    """Drop the link column and the table (SQLite 3.35 and later drop a column in place)."""
    op.drop_index("ix_travel_messages_interchange", "travel_messages")
    op.drop_column("travel_messages", "interchange_id")
    op.drop_table("travel_interchanges")
