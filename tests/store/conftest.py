"""Store tests run on SQLite and, when CI provides one, on a real PostgreSQL server.

``.ci/run`` starts PostgreSQL and sets ``WATCHKEEPER_TEST_PG_URL`` to an account that may
create databases; each test gets a database of its own, dropped afterwards.
"""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from watchkeeper.settings import Settings
from watchkeeper.store import open_engine

PG_URL = os.environ.get("WATCHKEEPER_TEST_PG_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Engine]:
    """A fresh, empty store on each backend."""
    if request.param == "sqlite":
        yield open_engine(settings.db_url)
        return
    if not PG_URL:
        pytest.skip("WATCHKEEPER_TEST_PG_URL is not set (.ci/run sets it)")
    name = f"wk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = open_engine(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
