"""The users page: admins only, audited, with last sign-in, last token use and the tokens
that still open; never a token's secret or hash."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from watchkeeper.auth import Actor, authenticate, create_token, create_user, revoke_token
from watchkeeper.errors import ForbiddenError
from watchkeeper.overview.users import UserOverview, users_overview
from watchkeeper.store import audit
from watchkeeper.store.schema import api_tokens

ADA = Actor("ada", "admin")
SIGNED_IN = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)


def test_users_with_their_tokens_and_last_sign_in(un_store: Engine) -> None:
    create_user(un_store, "ana", "analyst", "Ana Example")
    create_user(un_store, "sue", "supervisor")
    _, kept = create_token(un_store, "ana")
    gone, _ = create_token(un_store, "ana")
    revoke_token(un_store, gone)
    create_token(un_store, "ana", expires_days=1)
    create_token(un_store, "sue", expires_days=30)
    assert authenticate(un_store, kept) == Actor("ana", "analyst")  # a use is recorded
    with un_store.begin() as conn:
        audit.record(conn, "ana", "signin", "user", "ana", {"via": "web"}, None, SIGNED_IN)
        audit.record(
            conn, "ana", "signin", "user", "ana", {"via": "web"}, None, SIGNED_IN - timedelta(1)
        )
    # Two days on, ana's one-day token has expired: of her 3 tokens, 1 still opens.
    later = datetime.now(UTC) + timedelta(days=2)
    ana, sue = users_overview(un_store, ADA, later)
    assert (ana.username, ana.display_name, ana.role, ana.active_tokens) == (
        "ana",
        "Ana Example",
        "analyst",
        1,
    )
    assert ana.last_sign_in == SIGNED_IN
    assert ana.last_token_use is not None and ana.last_token_use < later
    assert ana.disabled_at is None and ana.created_at.tzinfo is not None
    assert (sue.active_tokens, sue.last_sign_in, sue.last_token_use) == (1, None, None)


def test_no_secret_or_hash_is_listed(un_store: Engine) -> None:
    create_user(un_store, "ana", "analyst")
    _, secret = create_token(un_store, "ana")
    with un_store.connect() as conn:
        digest = conn.execute(select(api_tokens.c.secret_sha256)).scalar_one()
    (ana,) = users_overview(un_store, ADA, datetime.now(UTC))
    shown = str(dataclasses.asdict(ana))
    assert secret not in shown and digest not in shown
    assert {f.name for f in dataclasses.fields(UserOverview)}.isdisjoint({"secret", "sha256"})


def test_only_admins_and_every_read_audited(un_store: Engine) -> None:
    create_user(un_store, "ana", "analyst")
    for role in ("screener", "analyst", "supervisor"):
        with pytest.raises(ForbiddenError, match="list users: needs admin"):
            users_overview(un_store, Actor("x", role), datetime.now(UTC))
    at = datetime(2026, 3, 10, 12, tzinfo=UTC)
    users_overview(un_store, ADA, at, remote="10.0.0.7")
    (entry,) = audit.query(un_store, action="read.users")
    assert (entry.actor, entry.at, entry.remote, entry.detail) == (
        "ada",
        at,
        "10.0.0.7",
        {"users": 1},
    )
