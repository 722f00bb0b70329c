"""Review workflow: assignment, four-eyes and suppression columns on alerts, and the history
of each alert in ``alert_events``.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("assignee", sa.String(64)),
    ("pending_state", sa.String(16)),
    ("pending_by", sa.String(64)),
    ("suppressed_by", sa.Integer()),
)


def upgrade() -> None:
    """Add the nullable columns (no table rebuild on SQLite) and the events table."""
    for name, kind in NEW_COLUMNS:
        op.add_column("alerts", sa.Column(name, kind, nullable=True))
    op.create_index("ix_alerts_decision", "alerts", ["subject_key", "entity_id", "state"])
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "alert_id",
            sa.Integer,
            sa.ForeignKey("alerts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=True),
        sa.Column("comment", sa.Text, nullable=True),
    )
    op.create_index("ix_alert_events_alert", "alert_events", ["alert_id", "at"])


def downgrade() -> None:
    """Drop the events and the columns (batch mode: SQLite rebuilds the table)."""
    op.drop_table("alert_events")
    op.drop_index("ix_alerts_decision", "alerts")
    with op.batch_alter_table("alerts") as batch:
        for name, _kind in NEW_COLUMNS:
            batch.drop_column(name)
