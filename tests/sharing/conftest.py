"""Sharing fixtures: agencies on loopback, each a real service (uvicorn in a thread) over its
own SQLite store, and profile files written for the test.

Agency A (``XX-BPU``) shares its list ``ftf``; agency B (``YY-POL``) reads it with the token
of its user ``yy-pol`` on A. Profiles are the fictitious ones of examples/profiles plus as
many generated ones as a test needs.
"""

import csv
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from tests.conftest import ROOT
from watchkeeper.api.app import create_app
from watchkeeper.auth import create_token, create_user
from watchkeeper.settings import Settings, get_settings
from watchkeeper.sharing.config import Collection, add_collection, save_partner
from watchkeeper.sharing.keys import init_keys
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine

EXAMPLE = ROOT / "examples" / "profiles" / "ftf_profiles.csv"
A, B = "XX-BPU", "YY-POL"


def write_profiles(path: Path, extra: int = 0, *, code: str = "GREEN", first: int = 1) -> Path:
    """The example profiles plus ``extra`` generated ones (``GEN-0001``...), as CSV."""
    with open(EXAMPLE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    for n in range(first, first + extra):
        rows.append(
            {f: "" for f in fields}
            | {
                "id": f"GEN-{n:04d}",
                "schema": "Person",
                "name": f"Generated Person {n:04d} Exemplar",
                "birth_date": "1990-01-01",
                "documents": f"passport:G{n:07d}:FR",
                "handling_code": code,
                "owner": A,
            }
        )
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def load_profiles(engine: Engine, path: Path, name: str = "ftf") -> int:
    """Load a profile file as the next version of list ``name``."""
    return load_source(engine, get_source("profiles", path), name, origin=str(path), raw_dir=None)


@dataclass
class Node:
    """One agency's watchkeeper: settings, store and, once started, its address."""

    settings: Settings
    engine: Engine
    url: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def api_root(self) -> str:
        return f"{self.url}/taxii2/api/"

    def start(self) -> None:
        """Serve on a free loopback port until ``stop``; returns once it answers."""
        app = create_app(self.settings)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]})
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)


def make_node(folder: Path, agency: str) -> Node:
    """A store with our agency key made and a fast index refresh (the service's own)."""
    settings = get_settings(data_dir=folder, index_refresh=0.2)
    engine = open_engine(settings.db_url)
    init_keys(settings.data_dir, agency)
    return Node(settings, engine)


@dataclass
class Pair:
    """Agency A sharing list ``ftf`` up to ``tlp`` with B; B's user on A is ``yy-pol``."""

    a: Node
    b: Node
    collection: Collection


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    a = make_node(tmp_path / "a", A)
    b = make_node(tmp_path / "b", B)
    load_profiles(a.engine, write_profiles(tmp_path / "ftf.csv"))
    create_user(a.engine, "yy-pol", "screener")
    a.tokens["yy-pol"] = create_token(a.engine, "yy-pol")[1]
    save_partner(a.engine, B, username="yy-pol")
    collection = add_collection(a.engine, list_name="ftf", tlp="AMBER", partners=[B], writers=[])
    yield Pair(a, b, collection)
    a.stop()
    b.stop()
    a.engine.dispose()
    b.engine.dispose()
