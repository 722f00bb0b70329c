"""Reason codes on decisions: ``alert_events.reason_code`` keeps the code an analyst chose
from the configured list (``Settings.reason_codes``) beside the free-text comment, so that
decisions can be counted by why they were made.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision: str | None = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``alert_events.reason_code`` (empty on the events written before it)."""
    op.add_column("alert_events", sa.Column("reason_code", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop ``alert_events.reason_code``."""
    with op.batch_alter_table("alert_events") as batch:
        batch.drop_column("reason_code")
