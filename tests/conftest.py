"""Shared test fixtures: a fresh SQLite store per test and the paths of the test data.

Tests that need only the bundled UN list run on a fresh clone; tests on the larger public
sets in ../shared/data are skipped when that folder is not beside the repository.
"""

import gzip
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from watchkeeper.settings import Settings, get_settings
from watchkeeper.sources.base import ListSource, Record
from watchkeeper.store import open_engine

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared" / "data"
BUNDLED_UN = ROOT / "src" / "watchkeeper" / "data" / "un_consolidated_2026-02-27.xml.gz"

requires_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not here")
PG_URL = os.environ.get("WATCHKEEPER_TEST_PG_URL", "")
"""A PostgreSQL account that may create databases; ``.ci/run`` starts a server and sets it."""


@contextmanager
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards; yields its URL. Skips
    the test when no server is configured."""
    if not PG_URL:
        pytest.skip("WATCHKEEPER_TEST_PG_URL is not set (.ci/run sets it)")
    name = f"wk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a private data folder and SQLite file."""
    return get_settings(data_dir=tmp_path / "data")


@pytest.fixture
def engine(settings: Settings) -> Engine:
    """A fresh, empty store."""
    return open_engine(settings.db_url)


@pytest.fixture(scope="session")
def un_xml_bytes() -> bytes:
    """The bundled UN list, decompressed, for tests that edit it."""
    return gzip.decompress(BUNDLED_UN.read_bytes())


S = TypeVar("S", bound=ListSource)


def read_all(source: S) -> tuple[list[Record], S]:
    """Every record a source yields, and the source (for its issues and date)."""
    return list(source.records()), source
