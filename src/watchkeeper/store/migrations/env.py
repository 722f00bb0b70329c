"""Alembic's entry point: runs the revisions on the connection ``migrate`` hands over.

Online only (revision 0002 asks the connection which backend it is). SQLite gets batch
mode so that later revisions may alter columns, which SQLite's ALTER TABLE cannot.
"""

from alembic import context
from sqlalchemy import Connection

from watchkeeper.errors import UsageError
from watchkeeper.store.schema import metadata


def run(conn: Connection) -> None:
    """Configure the migration context on ``conn`` and apply the pending revisions."""
    context.configure(
        connection=conn,
        target_metadata=metadata,
        render_as_batch=conn.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise UsageError("the store's migrations run online only, on an open connection")
connection = context.config.attributes.get("connection")
if connection is None:
    raise UsageError("run the store's migrations through watchkeeper.store.migrations.migrate")
run(connection)
