"""Sharing hash banks: collections that serve a bank, banks received from partners (and the
partner's TLP code and STIX id of each entry), a revision per bank that tells a collection
when to publish again, and the cursors of followed feeds.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the bank columns and ``share_cursors``."""
    op.add_column("share_collections", sa.Column("bank_name", sa.String(64), nullable=True))
    with op.batch_alter_table("image_banks") as batch:
        batch.add_column(
            sa.Column("revision", sa.Integer, nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(sa.Column("partner", sa.String(64), nullable=True))
    with op.batch_alter_table("image_bank_entries") as batch:
        batch.add_column(sa.Column("tlp", sa.String(16), nullable=True))
        batch.add_column(sa.Column("stix_id", sa.String(255), nullable=True))
    op.create_index("ix_image_bank_entries_stix", "image_bank_entries", ["stix_id"])
    op.create_table(
        "share_cursors",
        sa.Column("origin", sa.String(1024), primary_key=True),
        sa.Column("cursor", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop what ``upgrade`` added."""
    op.drop_table("share_cursors")
    op.drop_index("ix_image_bank_entries_stix", "image_bank_entries")
    with op.batch_alter_table("image_bank_entries") as batch:
        batch.drop_column("stix_id")
        batch.drop_column("tlp")
    with op.batch_alter_table("image_banks") as batch:
        batch.drop_column("partner")
        batch.drop_column("revision")
    with op.batch_alter_table("share_collections") as batch:
        batch.drop_column("bank_name")
