"""Decisions that cannot be lost, and an audit log that shows tampering.

``alerts.version`` makes every change of an alert a compare-and-set; ``audit_log.prev_hash``
and ``audit_log.hash`` chain the log (``store.audit_chain``). The entries already there are
chained here, oldest first, with the append-only triggers lifted for that time only.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from watchkeeper.store.audit_chain import GENESIS, entry_hash
from watchkeeper.store.migrations.triggers import drop_append_only, install_append_only

revision = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None

# The log as this revision finds it; the hashes read ``at`` and ``detail`` as the store does.
AUDIT = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("target_type", sa.String),
    sa.column("target_id", sa.String),
    sa.column("detail", sa.JSON),
    sa.column("remote", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    """Add the columns (no table rebuild on SQLite), then chain the existing entries."""
    op.add_column(
        "alerts", sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("1"))
    )
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("hash", sa.String(64), nullable=True))
    conn = op.get_bind()
    drop_append_only(conn)
    links = []
    prev_hash = GENESIS
    for row in conn.execute(sa.select(AUDIT).order_by(AUDIT.c.id)):
        digest = entry_hash(prev_hash, row._mapping)
        links.append({"entry": row.id, "prev": prev_hash, "digest": digest})
        prev_hash = digest
    if links:
        conn.execute(
            sa.update(AUDIT)
            .where(AUDIT.c.id == sa.bindparam("entry"))
            .values(prev_hash=sa.bindparam("prev"), hash=sa.bindparam("digest")),
            links,
        )
    install_append_only(conn)
    op.create_index("uq_audit_log_prev_hash", "audit_log", ["prev_hash"], unique=True)


def downgrade() -> None:
    """Drop the index and the columns (SQLite 3.35 and later drop a column in place, so the
    log keeps its triggers)."""
    op.drop_index("uq_audit_log_prev_hash", "audit_log")
    op.drop_column("audit_log", "hash")
    op.drop_column("audit_log", "prev_hash")
    op.drop_column("alerts", "version")
