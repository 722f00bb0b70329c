"""Service fixtures: a store with the bundled UN list, users of every role, and a client.

The app is built without its background thread; ``ready(app)`` gives it its first snapshot
at once: the one built once a run over a copy of the same store when the lists are the
bundled UN list's (most tests), else ``refresh()``'s.
"""

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from tests.conftest import pg_database
from watchkeeper.auth import create_token, create_user
from watchkeeper.service.app import create_app
from watchkeeper.service.deps import services_of
from watchkeeper.service.index import Snapshot, active_lists
from watchkeeper.service.server import options
from watchkeeper.settings import Settings, get_settings
from watchkeeper.store import open_engine

USERS = {"sam": "screener", "ana": "analyst", "bob": "analyst", "sue": "supervisor"}


@contextmanager
def store_settings(request: pytest.FixtureRequest, folder: Path) -> Iterator[Settings]:
    """Settings of a data folder in ``folder`` and a store of its own on the backend
    ``request.param`` names, holding the bundled UN list: a copy of the one built once a run
    (``un_sqlite``, ``un_postgres``)."""
    base = get_settings(data_dir=folder / "data")
    if request.param == "sqlite":
        base.data_dir.mkdir(parents=True)
        un_sqlite = request.getfixturevalue("un_sqlite")
        copy = shutil.copyfile(un_sqlite, base.data_dir / "watchkeeper.db")
        yield replace(base, db_url=f"sqlite:///{copy}")
        return
    with pg_database(template=request.getfixturevalue("un_postgres")) as url:
        yield replace(base, db_url=url)


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """The service runs on SQLite and, when CI provides one, on a real PostgreSQL server; the
    store holds the bundled UN list (``store_settings``)."""
    with store_settings(request, tmp_path) as settings:
        yield settings


@pytest.fixture
def ready(request: pytest.FixtureRequest, settings: Settings) -> Callable[[FastAPI], None]:
    """Give an app over the store of ``settings`` its first snapshot, as
    ``matchers.refresh()`` would. A store whose lists are the bundled UN list's, version for
    version (a copy of ``un_sqlite`` or ``un_postgres``), gets the snapshot built once a run
    over another copy (``un_snapshot_*``), with an empty entity cache of its own: its index
    and prepared subjects take a second or so to build, for every test. Any other store is
    indexed by ``refresh()``."""
    backend = make_url(settings.db_url).get_backend_name()
    shared: Snapshot = request.getfixturevalue(f"un_snapshot_{backend}")

    def ready(app: FastAPI) -> None:
        matchers = services_of(app).matchers
        same = active_lists(matchers.engine) == shared.lists
        if same and matchers.threshold == shared.screener.threshold:
            matchers._snapshot = replace(shared, entities={})
        else:
            matchers.refresh()

    return ready


@pytest.fixture
def store(settings: Settings) -> Iterator[Engine]:
    """The store with the bundled UN list loaded as 'un'."""
    engine = open_engine(settings.db_url)
    yield engine
    engine.dispose()  # before a PostgreSQL test database is dropped


def user_tokens(store: Engine) -> dict[str, str]:
    """The users of ``USERS`` created in ``store``, and a token for each, by user name."""
    out = {}
    for name, role in USERS.items():
        create_user(store, name, role)
        out[name] = create_token(store, name)[1]
    return out


@pytest.fixture
def tokens(store: Engine) -> dict[str, str]:
    """A token for each user, by user name."""
    return user_tokens(store)


@pytest.fixture
def client(
    settings: Settings, store: Engine, tokens: dict[str, str], ready: Callable[[FastAPI], None]
) -> Iterator[TestClient]:
    """A client of a ready service (the index built)."""
    app = create_app(settings, background=False)
    ready(app)
    with TestClient(app) as test_client:
        yield test_client


@contextmanager
def served(app: FastAPI) -> Iterator[int]:
    """``app`` on uvicorn in a thread, on a free loopback port, until the block ends; the port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    uv = uvicorn.Server(uvicorn.Config(app, lifespan="on", **options()))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield sock.getsockname()[1]
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def server(
    settings: Settings, store: Engine, tokens: dict[str, str], ready: Callable[[FastAPI], None]
) -> Iterator[int]:
    """A ready service on uvicorn in a thread, on a free loopback port; the port."""
    app = create_app(settings, background=False)
    ready(app)
    with served(app) as port:
        yield port


def auth(token: str) -> dict[str, str]:
    """The header carrying a token."""
    return {"Authorization": f"Bearer {token}"}
