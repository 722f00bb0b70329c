"""Images lane: hash banks (named sets of PDQ hashes), their entries, and the hashes of
images already screened, kept so that a bank's new entries can be matched against them.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``image_banks``, ``image_bank_entries`` and ``image_seen``."""
    op.create_table(
        "image_banks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("negative", sa.Boolean, nullable=False),
        sa.Column("max_distance", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "image_bank_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "bank_id",
            sa.Integer,
            sa.ForeignKey("image_banks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("bank_id", "hash", name="uq_image_bank_entries_hash"),
    )
    op.create_index("ix_image_bank_entries_added", "image_bank_entries", ["bank_id", "added_at"])
    op.create_table(
        "image_seen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("variants", sa.JSON, nullable=True),
        sa.Column("quality", sa.Integer, nullable=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("hash", "origin", name="uq_image_seen_hash_origin"),
    )
    op.create_index("ix_image_seen_last_seen", "image_seen", ["last_seen"])


def downgrade() -> None:
    """Drop the three tables, entries first."""
    op.drop_table("image_seen")
    op.drop_table("image_bank_entries")
    op.drop_table("image_banks")
