"""Store tests run on SQLite and, when CI provides one, on a real PostgreSQL server.

``.ci/run`` starts PostgreSQL and sets ``WATCHKEEPER_TEST_PG_URL`` to an account that may
create databases; each test gets a database of its own, dropped afterwards.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.conftest import open_fresh, pg_database
from watchkeeper.settings import Settings
from watchkeeper.store import open_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, settings: Settings, empty_sqlite: Path
) -> Iterator[Engine]:
    """A fresh, empty store on each backend."""
    if request.param == "sqlite":
        yield open_fresh(settings.db_url, empty_sqlite)
        return
    with pg_database() as url:
        engine = open_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()
