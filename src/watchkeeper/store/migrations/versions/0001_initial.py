"""The store as it was before migrations: lists, versions, entities, travel messages, alerts
and retention runs. A store made then by ``create_all`` is stamped at this revision.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the six tables and their indexes."""
    op.create_table(
        "lists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("active_version_id", sa.Integer, nullable=True),
    )
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_id", sa.Integer, sa.ForeignKey("lists.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("loaded_at", TZ, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("source_date", sa.String(32), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("raw_path", sa.Text, nullable=True),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("entity_count", sa.Integer, nullable=False),
        sa.Column("schema_counts", sa.JSON, nullable=False),
        sa.Column("skipped", sa.JSON, nullable=False),
        sa.UniqueConstraint("list_id", "number", name="uq_list_version_number"),
    )
    op.create_table(
        "entities",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_versions.id"), primary_key=True),
        sa.Column("entity_id", sa.String(255), primary_key=True),
        sa.Column("record_id", sa.String(255), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("caption", sa.Text, nullable=False),
        sa.Column("checksum", sa.String(40), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_entities_record", "entities", ["version_id", "record_id"])
    op.create_table(
        "travel_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("reference", sa.String(64), nullable=True),
        sa.Column("flight", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("parsed", sa.JSON, nullable=True),
        sa.Column("depersonalised_at", TZ, nullable=True),
    )
    op.create_index("ix_travel_messages_received", "travel_messages", ["received_at"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("lane", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("source_table", sa.String(32), nullable=True),
        sa.Column("source_id", sa.Integer, nullable=True),
        sa.Column("segment", sa.Integer, nullable=True),
        sa.Column("subject", sa.JSON, nullable=False),
        sa.Column("subject_key", sa.String(64), nullable=False),
        sa.Column("list_name", sa.String(64), nullable=True),
        sa.Column("entity_id", sa.String(255), nullable=True),
        sa.Column("entity_checksum", sa.String(40), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("explanation", sa.JSON, nullable=True),
    )
    op.create_index("ix_alerts_state", "alerts", ["state", "created_at"])
    op.create_index("ix_alerts_source", "alerts", ["source_table", "source_id"])
    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ran_at", TZ, nullable=False),
        sa.Column("lane", sa.String(16), nullable=False),
        sa.Column("applied", sa.Boolean, nullable=False),
        sa.Column("depersonalise_before", TZ, nullable=False),
        sa.Column("delete_before", TZ, nullable=False),
        sa.Column("depersonalised", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    """Drop everything, children first."""
    for table in (
        "retention_runs",
        "alerts",
        "travel_messages",
        "entities",
        "list_versions",
        "lists",
    ):
        op.drop_table(table)
