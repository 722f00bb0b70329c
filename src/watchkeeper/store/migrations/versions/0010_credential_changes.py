"""Token caches that a revocation clears at once: ``credential_changes`` gets a row with every
change that can stop a token from opening; the service compares its newest id per request.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``credential_changes``."""
    op.create_table(
        "credential_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop ``credential_changes``."""
    op.drop_table("credential_changes")
