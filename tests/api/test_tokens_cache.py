"""Tokens are checked from each worker's cache, and any change of credentials, made by any
process, refuses the very next request in every worker."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import auth
from watchkeeper.auth import (
    Actor,
    create_token,
    create_user,
    credentials_signal,
    disable_user,
    revoke_token,
    set_role,
)
from watchkeeper.service.app import create_app
from watchkeeper.service.tokens_cache import RECHECK, TokenCache
from watchkeeper.settings import Settings

WATCHKEEPER = Path(sys.executable).parent / "watchkeeper"


@pytest.fixture
def workers(settings: Settings, store: Engine) -> Iterator[tuple[TestClient, TestClient]]:
    """Two services on one store, as ``serve --workers 2`` runs them: each its own cache.
    Their index is never built: /algorithms needs a token but no index."""
    with (
        TestClient(create_app(settings, background=False)) as first,
        TestClient(create_app(settings, background=False)) as second,
    ):
        yield first, second


def test_a_token_revoked_by_another_process_is_refused_at_once(
    workers: tuple[TestClient, TestClient], settings: Settings, store: Engine
) -> None:
    create_user(store, "sam", "screener")
    token_id, secret = create_token(store, "sam")
    for worker in workers:  # both have the token in their cache now
        assert worker.get("/algorithms", headers=auth(secret)).status_code == 200
    subprocess.run(
        [str(WATCHKEEPER), "--db", settings.db_url, "users", "revoke", token_id],
        check=True,
        capture_output=True,
        env={**os.environ, "WATCHKEEPER_LOG_LEVEL": "error"},
    )
    for worker in workers:
        answer = worker.get("/algorithms", headers=auth(secret))
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"


def test_a_disabled_user_and_a_lowered_role_take_effect_at_once(
    workers: tuple[TestClient, TestClient], store: Engine
) -> None:
    first, second = workers
    create_user(store, "ana", "analyst")
    create_user(store, "sam", "screener")
    ana, sam = create_token(store, "ana")[1], create_token(store, "sam")[1]
    assert first.get("/alerts", headers=auth(ana)).status_code == 200
    assert second.get("/algorithms", headers=auth(sam)).status_code == 200
    set_role(store, "ana", "screener")
    assert first.get("/alerts", headers=auth(ana)).status_code == 403
    assert first.get("/algorithms", headers=auth(ana)).status_code == 200
    disable_user(store, "sam")
    assert second.get("/algorithms", headers=auth(sam)).status_code == 401
    assert first.get("/algorithms", headers=auth(ana)).status_code == 200  # others go on


def test_a_new_token_works_at_once_after_a_refused_one(
    workers: tuple[TestClient, TestClient], store: Engine
) -> None:
    first, _ = workers
    assert first.get("/algorithms", headers=auth("wk_not-a-token")).status_code == 401
    create_user(store, "sam", "screener")
    secret = create_token(store, "sam")[1]
    assert first.get("/algorithms", headers=auth(secret)).status_code == 200


def test_a_change_whose_signal_was_lost_takes_effect_within_the_recheck(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed between its commit and its signal: the version is read anyway once
    ``RECHECK`` seconds have passed since the last read."""
    create_user(store, "sam", "screener")
    token_id, secret = create_token(store, "sam")
    now = [0.0]
    cache = TokenCache(store, clock=lambda: now[0])
    assert cache.actor(secret) == Actor("sam", "screener")
    monkeypatch.setattr("watchkeeper.auth.signal_credentials", lambda engine: None)
    revoke_token(store, token_id)
    now[0] += RECHECK
    assert cache.actor(secret) is None
    cache.close()


def test_a_cache_reads_the_version_while_its_signal_is_gone(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_user(store, "sam", "screener")
    secret = create_token(store, "sam")[1]
    cache = TokenCache(store, clock=lambda: 0.0)
    assert cache.actor(secret) == Actor("sam", "screener")
    signal = credentials_signal(store)
    if signal is not None:  # SQLite: without the file, nothing can be trusted unchanged
        signal.unlink()
    monkeypatch.setattr("watchkeeper.auth.signal_credentials", lambda engine: None)
    disable_user(store, "sam")
    assert cache.actor(secret) is None
    cache.close()
