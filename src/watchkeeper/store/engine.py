"""Opening the database: SQLite as the embedded default, PostgreSQL by URL.

SQLAlchemy already hides the two backends; what differs (SQLite pragmas, creating the
folder of the file) is handled here, so the rest of the store is one implementation.
"""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from watchkeeper.errors import ConfigError
from watchkeeper.store.migrations import migrate


def open_engine(url: str) -> Engine:
    """Connect to the store at ``url`` and migrate its schema to the newest revision."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"database URL {url!r} is not a valid SQLAlchemy URL") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True)
    else:
        raise ConfigError(
            f"database {parsed.get_backend_name()!r} is not supported: use sqlite or postgresql"
        )
    try:
        migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        raise ConfigError(f"cannot open database {parsed.render_as_string()}: {exc.orig}") from exc
    except BaseException:
        engine.dispose()  # a store that did not open keeps no connection open
        raise
    return engine


def beside(engine: Engine, suffix: str) -> Path | None:
    """A file next to a SQLite store on disk (``<database><suffix>``), through which its
    processes coordinate; None for PostgreSQL and in-memory stores, whose processes need
    none or may not share a disk."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(f"{database}{suffix}")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL lets readers go on during a load; foreign keys are off by default in SQLite; a
    64 MiB page cache keeps index pages of a million-entity load in memory."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
