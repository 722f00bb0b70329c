"""Linked listings: the facts that tie entries of different lists (``link_keys``) and the
links found between them (``entity_links``). Lists loaded before this revision get their
links at their next load.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``link_keys`` and ``entity_links``."""
    op.create_table(
        "link_keys",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_versions.id"), nullable=False),
        sa.Column("record_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(512), nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
    )
    op.create_index("ix_link_keys_value", "link_keys", ["kind", "value"])
    op.create_index("ix_link_keys_version", "link_keys", ["version_id"])
    op.create_table(
        "entity_links",
        sa.Column("version_a", sa.Integer, sa.ForeignKey("list_versions.id"), primary_key=True),
        sa.Column("entity_a", sa.String(255), primary_key=True),
        sa.Column("version_b", sa.Integer, sa.ForeignKey("list_versions.id"), primary_key=True),
        sa.Column("entity_b", sa.String(255), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("value", sa.String(512), primary_key=True),
    )
    op.create_index("ix_entity_links_b", "entity_links", ["version_b"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("entity_links")
    op.drop_table("link_keys")
