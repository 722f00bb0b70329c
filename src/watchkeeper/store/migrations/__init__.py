"""Schema migrations of the store (Alembic), run by ``open_engine`` on every open.

Configured in code, not by an ``alembic.ini``: the scripts are this package, found by its
own path, so an installed wheel migrates its database without any file beside it. A store
made before migrations existed (tables, no ``alembic_version``) is stamped at 0001 first.

Two fast paths keep opening cheap (the tests open hundreds of fresh stores): a store already
at ``HEAD`` costs one query, and an empty database is built by ``metadata.create_all`` plus
the audit triggers and stamped at ``HEAD`` (Alembic's own advice for new databases), about
half the time of replaying every revision. The tests check that both give one schema.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from watchkeeper.errors import ConfigError
from watchkeeper.store.migrations.triggers import install_append_only
from watchkeeper.store.schema import metadata

# Alembic is imported where it is used: a store at ``HEAD`` is checked with one query, and
# every command (``watchkeeper match`` first) would otherwise wait a quarter of a second for
# an import it does not need.
if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# The newest revision; tests check it against the scripts, so that the fast path is right.
HEAD = "0013"
# What ``metadata.create_all`` built before migrations existed.
BASELINE = "0001"
# Any fixed number: PostgreSQL sessions opening one database at once take turns migrating it.
_LOCK_KEY = 0x77_6B_6D_67  # "wkmg"


def config(conn: Connection | None = None) -> Config:
    """An Alembic configuration pointing at this package, bound to ``conn`` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent))
    cfg.attributes["connection"] = conn
    return cfg


@cache
def scripts() -> ScriptDirectory:
    """The revision scripts, read once per process."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


def current_revision(conn: Connection) -> str | None:
    """The revision the store is at; None for an empty or pre-migration store."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the store to ``HEAD`` in one transaction (PostgreSQL: DDL is transactional)."""
    with engine.connect() as conn:
        if _at_head(conn):
            return
    from alembic import command
    from alembic.util import CommandError

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        current = current_revision(conn)
        if current is None:
            if not inspect(conn).get_table_names():
                _create_fresh(conn)
                return
            if inspect(conn).has_table("lists"):
                command.stamp(config(conn), BASELINE)
        try:
            command.upgrade(config(conn), "head")
        except CommandError as exc:
            raise ConfigError(
                f"the database is at schema revision {current}, which this version of "
                f"watchkeeper does not know (newer?): {exc}"
            ) from exc


def _at_head(conn: Connection) -> bool:
    """Whether the store is at ``HEAD``, read from Alembic's version table without Alembic."""
    if not inspect(conn).has_table("alembic_version"):
        return False
    found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found == [HEAD]


def _create_fresh(conn: Connection) -> None:
    """Build the newest schema at once in an empty database and record it as ``HEAD``."""
    from alembic.runtime.migration import MigrationContext

    metadata.create_all(conn)
    install_append_only(conn)
    MigrationContext.configure(conn).stamp(scripts(), HEAD)
