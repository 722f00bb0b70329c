"""Sharing with partner agencies: partners and their keys, TAXII collections, the objects
and statuses they serve, and the lists received from partners.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ``share_*`` tables."""
    op.create_table(
        "share_partners",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), nullable=True, unique=True),
        sa.Column("public_key", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "share_collections",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("list_name", sa.String(64), nullable=True),
        sa.Column("tlp", sa.String(16), nullable=False),
        sa.Column("partners", sa.JSON, nullable=False),
        sa.Column("writers", sa.JSON, nullable=False),
        sa.Column("published_version_id", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "share_objects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "collection_id",
            sa.String(36),
            sa.ForeignKey("share_collections.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stix_id", sa.String(255), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("date_added", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tlp", sa.String(16), nullable=False),
        sa.Column("received", sa.Boolean, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_share_objects_added", "share_objects", ["collection_id", "date_added"])
    op.create_index("ix_share_objects_stix", "share_objects", ["collection_id", "stix_id"])
    op.create_table(
        "share_status",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("collection_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("success", sa.Integer, nullable=False),
        sa.Column("failure", sa.Integer, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_table(
        "share_sources",
        sa.Column("list_name", sa.String(64), primary_key=True),
        sa.Column("partner", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the ``share_*`` tables."""
    for table in (
        "share_sources",
        "share_status",
        "share_objects",
        "share_collections",
        "share_partners",
    ):
        op.drop_table(table)
