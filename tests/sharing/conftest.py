"""Sharing fixtures: agencies on loopback, each a real service (uvicorn in a thread) over its
own SQLite store, and profile files written for the test.

Agency A (``XX-BPU``) shares its list ``ftf`` (``pair``) or its hash bank ``tv`` (``banks``);
agency B (``YY-POL``) reads it with the token of its user ``yy-pol`` on A. Profiles are the
fictitious ones of examples/profiles plus as many generated ones as a test needs; the bank
holds the reference hashes of ThreatExchange's PDQ test images (tests/fixtures/images).
"""

import csv
import random
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine

from tests.conftest import ROOT, open_fresh
from tests.lanes.images.conftest import IMAGES, expected_hashes
from tests.sharing.validity import bundle_objects, envelope_objects, problems
from watchkeeper.api import taxii
from watchkeeper.auth import create_token, create_user
from watchkeeper.lanes.images.banks import BankEntry, add_entries, ensure_bank
from watchkeeper.service.app import create_app
from watchkeeper.settings import Settings, get_settings
from watchkeeper.sharing import bundle
from watchkeeper.sharing.config import Collection, add_collection, save_partner
from watchkeeper.sharing.keys import init_keys
from watchkeeper.sources import get_source
from watchkeeper.store import load_source


@pytest.fixture(autouse=True)
def stix_is_valid(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every bundle exported and every TAXII envelope served in a sharing test passes OASIS'
    stix2-validator (``validity``); the problems are gathered, since a served page may be
    rendered in the server's thread, and fail the test at its end."""
    found: list[str] = []
    write_signed = bundle.write_signed
    render = taxii.TaxiiResponse.render

    def checked_write(*args: Any) -> None:
        write_signed(*args)
        to: Path = args[-1]
        found.extend(f"{to.name}: {p}" for p in problems(bundle_objects(to)))

    def checked_render(self: taxii.TaxiiResponse, content: Any) -> bytes:
        found.extend(f"TAXII envelope: {p}" for p in problems(envelope_objects(content)))
        return render(self, content)

    monkeypatch.setattr(bundle, "write_signed", checked_write)
    monkeypatch.setattr(taxii.TaxiiResponse, "render", checked_render)
    yield
    assert not found, "\n".join(found)


EXAMPLE = ROOT / "examples" / "profiles" / "ftf_profiles.csv"
A, B = "XX-BPU", "YY-POL"
ADDED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
REFERENCE = {path.name: value for path, value in expected_hashes(IMAGES)}
"""The C++ reference's PDQ hashes of the fixture images, by file name."""


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


def random_hashes(count: int, seed: int = 8) -> list[str]:
    """``count`` distinct random PDQ hashes (unrelated images lie about 128 bits apart)."""
    rng = random.Random(seed)
    return sorted({f"{rng.getrandbits(256):064x}" for _ in range(count)})


def fill_bank(engine: Engine, name: str, hashes: list[str], negative: bool = False) -> None:
    """Add ``hashes`` to bank ``name`` (made when new), labelled by their position."""
    entries = [BankEntry(h, f"item {n}", "te", ADDED) for n, h in enumerate(hashes, start=1)]
    with engine.begin() as conn:
        add_entries(conn, ensure_bank(conn, name, ADDED, negative), entries)


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


def make_node(folder: Path, agency: str, empty_sqlite: Path) -> Node:
    """A store (a copy of the empty one) with our agency key made and a fast index refresh
    (the service's own)."""
    settings = get_settings(data_dir=folder, index_refresh=0.2)
    engine = open_fresh(settings.db_url, empty_sqlite)
    init_keys(settings.data_dir, agency)
    return Node(settings, engine)


@dataclass
class Pair:
    """Agency A sharing list ``ftf`` up to ``tlp`` with B; B's user on A is ``yy-pol``."""

    a: Node
    b: Node
    collection: Collection


def partners(tmp_path: Path, empty_sqlite: Path) -> tuple[Node, Node]:
    """A and B, with B a partner of A whose user ``yy-pol`` holds a token on A."""
    a = make_node(tmp_path / "a", A, empty_sqlite)
    b = make_node(tmp_path / "b", B, empty_sqlite)
    create_user(a.engine, "yy-pol", "screener")
    a.tokens["yy-pol"] = create_token(a.engine, "yy-pol")[1]
    save_partner(a.engine, B, username="yy-pol")
    return a, b


def close(pair: Pair) -> None:
    pair.a.stop()
    pair.b.stop()
    pair.a.engine.dispose()
    pair.b.engine.dispose()


@pytest.fixture
def pair(tmp_path: Path, empty_sqlite: Path) -> Iterator[Pair]:
    a, b = partners(tmp_path, empty_sqlite)
    load_profiles(a.engine, write_profiles(tmp_path / "ftf.csv"))
    collection = add_collection(a.engine, list_name="ftf", tlp="AMBER", partners=[B], writers=[])
    yield Pair(a, b, collection)
    close(Pair(a, b, collection))


BANK = ["bridge-1-original.jpg", "q1050.jpg", "wee.jpg"]
"""The images whose reference hashes A's bank ``tv`` holds (the bridge photo as "item 1")."""


@pytest.fixture
def banks(tmp_path: Path, empty_sqlite: Path) -> Iterator[Pair]:
    """A shares its hash bank ``tv`` (the reference hashes of ``BANK``) up to AMBER with B."""
    a, b = partners(tmp_path, empty_sqlite)
    fill_bank(a.engine, "tv", [REFERENCE[name] for name in BANK])
    collection = add_collection(
        a.engine, list_name=None, bank_name="tv", tlp="AMBER", partners=[B], writers=[]
    )
    yield Pair(a, b, collection)
    close(Pair(a, b, collection))
