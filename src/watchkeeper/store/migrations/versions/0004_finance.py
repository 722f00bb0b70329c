"""Finance lane: the screened subjects (customers and counterparties) kept for
re-screening when a list changes.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``subjects``."""
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(255), nullable=False),
        sa.Column("subject", sa.JSON, nullable=False),
        sa.Column("subject_key", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "reference", name="uq_subjects_kind_reference"),
    )
    op.create_index("ix_subjects_last_seen", "subjects", ["last_seen"])


def downgrade() -> None:
    """Drop ``subjects``."""
    op.drop_table("subjects")
