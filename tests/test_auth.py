"""Users, roles and tokens: hierarchy, hashed secrets, and every way a token stops working."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from watchkeeper.auth import (
    ROLES,
    Actor,
    authenticate,
    create_token,
    create_user,
    disable_user,
    list_users,
    require,
    revoke_token,
    set_role,
)
from watchkeeper.errors import ForbiddenError, NotFoundError, UsageError
from watchkeeper.store.audit import query
from watchkeeper.store.schema import api_tokens


def test_roles_are_hierarchical() -> None:
    analyst = Actor("anna", "analyst")
    assert analyst.can("screener") and analyst.can("analyst")
    assert not analyst.can("supervisor") and not analyst.can("admin")
    assert all(Actor("root", "admin").can(role) for role in ROLES)
    assert not Actor("scan", "screener").can("analyst")
    with pytest.raises(UsageError):
        analyst.can("boss")
    with pytest.raises(ForbiddenError, match="needs supervisor"):
        require(analyst, "supervisor", "approve")


def test_users_are_created_once_with_a_known_role(engine: Engine) -> None:
    create_user(engine, "anna", "analyst", "Anna A.", by="cli:root")
    with pytest.raises(UsageError, match="exists"):
        create_user(engine, "anna", "admin")
    with pytest.raises(UsageError, match="unknown role"):
        create_user(engine, "ben", "boss")
    with pytest.raises(UsageError, match="bad user name"):
        create_user(engine, "a b", "analyst")
    set_role(engine, "anna", "supervisor", by="cli:root")
    with pytest.raises(NotFoundError):
        set_role(engine, "nobody", "analyst")
    (anna,) = list_users(engine)
    assert (anna.username, anna.display_name, anna.role, anna.tokens) == (
        "anna",
        "Anna A.",
        "supervisor",
        0,
    )
    assert anna.created_at.tzinfo is not None and anna.disabled_at is None
    actions = [(e.actor, e.action, e.target_id) for e in reversed(query(engine))]
    assert actions == [("cli:root", "user.create", "anna"), ("cli:root", "user.role", "anna")]


def test_only_the_secrets_hash_is_stored(engine: Engine) -> None:
    create_user(engine, "anna", "analyst")
    token_id, secret = create_token(engine, "anna", "laptop")
    assert secret.startswith("wk_") and len(secret) > 40
    with engine.connect() as conn:
        row = conn.execute(select(api_tokens)).one()
    assert secret not in [str(value) for value in row]
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert (row.id, row.name) == (token_id, "laptop")
    assert authenticate(engine, secret) == Actor("anna", "analyst")
    assert authenticate(engine, secret + "x") is None
    assert authenticate(engine, "not-a-token") is None
    assert list_users(engine)[0].tokens == 1


def test_authentication_notes_the_last_use(engine: Engine) -> None:
    create_user(engine, "anna", "analyst")
    _, secret = create_token(engine, "anna")
    authenticate(engine, secret)
    with engine.connect() as conn:
        used = conn.execute(select(api_tokens.c.last_used_at)).scalar()
    assert used is not None


def test_revoked_tokens_are_refused(engine: Engine) -> None:
    create_user(engine, "anna", "analyst")
    token_id, secret = create_token(engine, "anna")
    revoke_token(engine, token_id, by="cli:root")
    revoke_token(engine, token_id)  # twice changes nothing
    assert authenticate(engine, secret) is None
    assert list_users(engine)[0].tokens == 0
    with pytest.raises(NotFoundError):
        revoke_token(engine, "nope")
    assert [e.action for e in query(engine, action="token.revoke")] == ["token.revoke"]


def test_expired_tokens_are_refused(engine: Engine) -> None:
    create_user(engine, "anna", "analyst")
    _, secret = create_token(engine, "anna", expires_days=30)
    assert authenticate(engine, secret) is not None
    with engine.begin() as conn:
        conn.execute(update(api_tokens).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert authenticate(engine, secret) is None
    assert list_users(engine)[0].tokens == 0
    with pytest.raises(UsageError):
        create_token(engine, "anna", expires_days=0)


def test_disabled_users_tokens_are_refused(engine: Engine) -> None:
    create_user(engine, "anna", "analyst")
    _, secret = create_token(engine, "anna")
    disable_user(engine, "anna", by="cli:root")
    disable_user(engine, "anna", by="cli:root")  # twice changes nothing
    assert authenticate(engine, secret) is None
    assert list_users(engine)[0].disabled_at is not None
    with pytest.raises(UsageError, match="disabled"):
        create_token(engine, "anna")
    with pytest.raises(NotFoundError):
        create_token(engine, "nobody")
    assert len(query(engine, action="user.disable")) == 1


def test_a_new_role_applies_to_existing_tokens(engine: Engine) -> None:
    create_user(engine, "anna", "analyst")
    _, secret = create_token(engine, "anna")
    set_role(engine, "anna", "supervisor")
    assert authenticate(engine, secret) == Actor("anna", "supervisor")
