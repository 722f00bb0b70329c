"""An answered read was recorded: the service killed (SIGKILL) in the middle of a load keeps
the audit entry of every request it answered, and its chain."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from watchkeeper.auth import create_token, create_user
from watchkeeper.settings import Settings
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine
from watchkeeper.store.audit import query
from watchkeeper.store.audit_chain import verify
from watchkeeper.store.schema import entities

WATCHKEEPER = Path(sys.executable).parent / "watchkeeper"
ANSWERED_BEFORE_KILL = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(settings: Settings, client: httpx.Client) -> tuple[subprocess.Popen[bytes], str]:
    """``watchkeeper serve`` on the store, once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [str(WATCHKEEPER), "--db", settings.db_url, "serve", "--port", str(port)],
        env={**os.environ, "WATCHKEEPER_LOG_LEVEL": "error"},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if client.get(f"{base}/readyz").status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.kill()
    raise AssertionError("the service did not become ready")


@pytest.fixture
def small_store(settings: Settings) -> Iterator[Engine]:
    """A store with a small list (a fast index: the server starts in seconds)."""
    engine = open_engine(settings.db_url)
    path = FIXTURES / "ftm" / "yente_zala.ftm.json"
    load_source(engine, get_source("ftm", path), "zala", origin="test", raw_dir=None)
    yield engine
    engine.dispose()


def test_every_answered_read_survives_a_kill(settings: Settings, small_store: Engine) -> None:
    store = small_store
    create_user(store, "sam", "screener")
    token = create_token(store, "sam")[1]
    with store.connect() as conn:
        ids = list(conn.execute(select(entities.c.entity_id).distinct().limit(400)).scalars())
    client = httpx.Client()  # one for every request: a new one costs 20 ms of CPU (TLS set-up)
    server, base = serve(settings, client)
    answered: list[str] = []

    def read(entity_id: str) -> None:
        if server.poll() is not None:
            return
        try:
            reply = client.get(f"{base}/entities/{entity_id}", headers=auth(token))
        except httpx.TransportError:
            return  # the server is gone: this read was not answered
        if reply.status_code == 200:
            answered.append(entity_id)
        if len(answered) >= ANSWERED_BEFORE_KILL and server.poll() is None:
            server.send_signal(signal.SIGKILL)  # while other reads are in flight

    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(read, ids))
    finally:
        server.kill()
        server.wait()
        client.close()
    assert len(answered) >= ANSWERED_BEFORE_KILL
    recorded = {e.target_id for e in query(store, action="read.entity", limit=len(ids))}
    assert set(answered) <= recorded
    assert verify(store).broken is None
