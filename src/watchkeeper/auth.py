"""Users, roles and API tokens: who may do what (need-to-know), and who did it.

Roles are hierarchical, each including the rights of the ones before it: a ``screener``
screens and matches, an ``analyst`` reads and works alerts, a ``supervisor`` gives the second
decision of four-eyes review, an ``admin`` manages users and lists. A token's secret is shown
once; only its SHA-256 is stored, so a copy of the database opens nothing. Users are disabled,
never deleted, so that the names in the audit log keep meaning something.

The functions that change users and tokens take ``by`` (and ``remote``): when given, the
change is audited in its own transaction under that actor.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, func, or_, select, update

from watchkeeper.errors import ForbiddenError, NotFoundError, UsageError
from watchkeeper.store import audit
from watchkeeper.store.audit import utc
from watchkeeper.store.engine import beside
from watchkeeper.store.schema import api_tokens, credential_changes, users

ROLES = ("screener", "analyst", "supervisor", "admin")
TOKEN_PREFIX = "wk_"
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
# A token's last use is written at most this often, not on every request.
_LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone acting on the store: an authenticated user, or the CLI's operator."""

    username: str
    role: str  # one of ROLES

    def can(self, role: str) -> bool:
        """Whether this actor has ``role`` or a higher one."""
        return _rank(self.role) >= _rank(role)


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as listed for administrators; ``tokens`` counts the usable ones."""

    username: str
    display_name: str | None
    role: str
    created_at: datetime
    disabled_at: datetime | None
    tokens: int

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "created_at": self.created_at.isoformat(),
            "disabled_at": self.disabled_at.isoformat() if self.disabled_at else None,
            "tokens": self.tokens,
        }


def require(actor: Actor, role: str, doing: str) -> None:
    """Refuse ``doing`` unless ``actor`` has at least ``role``."""
    if not actor.can(role):
        raise ForbiddenError(f"{actor.username} ({actor.role}) may not {doing}: needs {role}")


def create_user(
    engine: Engine,
    username: str,
    role: str,
    display_name: str | None = None,
    *,
    by: str | None = None,
    remote: str | None = None,
) -> None:
    """Add a user; UsageError for a bad name or role, or a name already taken."""
    if not _USERNAME.fullmatch(username):
        raise UsageError(f"bad user name {username!r}: use up to 64 letters, digits and . _ @ -")
    _rank(role)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise UsageError(f"user {username!r} exists already")
        conn.execute(
            users.insert().values(
                username=username, display_name=display_name, role=role, created_at=now
            )
        )
        _audit(conn, by, "user.create", "user", username, {"role": role}, remote, now)


def set_role(
    engine: Engine, username: str, role: str, *, by: str | None = None, remote: str | None = None
) -> None:
    """Give a user another role."""
    _rank(role)
    with engine.begin() as conn:
        old = _user(conn, username).role
        conn.execute(update(users).where(users.c.username == username).values(role=role))
        _credentials_changed(conn, datetime.now(UTC))
        _audit(conn, by, "user.role", "user", username, {"from": old, "to": role}, remote)
    signal_credentials(engine)


def disable_user(
    engine: Engine, username: str, *, by: str | None = None, remote: str | None = None
) -> None:
    """Stop a user (and all of their tokens) from acting; disabling twice changes nothing."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        if _user(conn, username).disabled_at is not None:
            return
        conn.execute(update(users).where(users.c.username == username).values(disabled_at=now))
        _credentials_changed(conn, now)
        _audit(conn, by, "user.disable", "user", username, None, remote, now)
    signal_credentials(engine)


def list_users(engine: Engine) -> list[UserInfo]:
    """Every user, with the number of tokens that would still authenticate."""
    now = datetime.now(UTC)
    usable = (
        select(func.count())
        .where(api_tokens.c.user_id == users.c.id, _usable(now))
        .scalar_subquery()
    )
    with engine.connect() as conn:
        rows = conn.execute(select(users, usable.label("tokens")).order_by(users.c.username))
        return [
            UserInfo(
                row.username,
                row.display_name,
                row.role,
                utc(row.created_at),
                utc(row.disabled_at) if row.disabled_at else None,
                row.tokens,
            )
            for row in rows
        ]


def create_token(
    engine: Engine,
    username: str,
    name: str | None = None,
    expires_days: int | None = None,
    *,
    by: str | None = None,
    remote: str | None = None,
) -> tuple[str, str]:
    """A new API token for a user: ``(token_id, secret)``. The secret cannot be shown again."""
    if expires_days is not None and expires_days < 1:
        raise UsageError("a token must last at least one day")
    now = datetime.now(UTC)
    token_id = secrets.token_hex(8)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        user = _user(conn, username)
        if user.disabled_at is not None:
            raise UsageError(f"user {username!r} is disabled")
        conn.execute(
            api_tokens.insert().values(
                id=token_id,
                user_id=user.id,
                name=name,
                secret_sha256=_digest(secret),
                created_at=now,
                expires_at=now + timedelta(days=expires_days) if expires_days else None,
            )
        )
        detail = {"user": username, "name": name, "expires_days": expires_days}
        _audit(conn, by, "token.create", "token", token_id, detail, remote, now)
    return token_id, secret


def revoke_token(
    engine: Engine, token_id: str, *, by: str | None = None, remote: str | None = None
) -> None:
    """Make a token unusable at once; revoking twice changes nothing."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        revoked = conn.execute(
            select(api_tokens.c.revoked_at).where(api_tokens.c.id == token_id)
        ).first()
        if revoked is None:
            raise NotFoundError(f"no token {token_id!r}")
        if revoked.revoked_at is not None:
            return
        conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=now))
        _credentials_changed(conn, now)
        _audit(conn, by, "token.revoke", "token", token_id, None, remote, now)
    signal_credentials(engine)


@dataclass(frozen=True, slots=True)
class Grant:
    """Whom a usable token stands for, as the store said when it was read; kept by the
    service's token cache (``api.tokens_cache``) until ``CREDENTIALS_VERSION`` moves."""

    token_id: str
    actor: Actor
    expires_at: datetime | None
    last_used_at: datetime | None

    def usable(self, now: datetime) -> bool:
        """Whether the token has not expired by ``now`` (revocations move the version)."""
        return self.expires_at is None or self.expires_at > now


def authenticate(engine: Engine, secret: str) -> Actor | None:
    """The actor a token secret stands for; None when unknown, revoked, expired or its user
    is disabled. The token's last use is updated at most once a minute."""
    now = datetime.now(UTC)
    found = grant(engine, secret, now)
    if found is None:
        return None
    touch(engine, found, now)
    return found.actor


def grant(engine: Engine, secret: str, now: datetime) -> Grant | None:
    """What a token secret opens at ``now``, read from the store; None when it opens nothing."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    query = (
        select(
            api_tokens.c.id,
            api_tokens.c.expires_at,
            api_tokens.c.last_used_at,
            users.c.username,
            users.c.role,
        )
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(
            api_tokens.c.secret_sha256 == _digest(secret),
            _usable(now),
            users.c.disabled_at.is_(None),
        )
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return Grant(
        row.id,
        Actor(row.username, row.role),
        utc(row.expires_at) if row.expires_at else None,
        utc(row.last_used_at) if row.last_used_at else None,
    )


def touch(engine: Engine, found: Grant, now: datetime) -> Grant:
    """Record the token's use at ``now`` unless it was recorded in the last minute; the grant
    with the use it now has."""
    if found.last_used_at is not None and found.last_used_at >= now - _LAST_USED_EVERY:
        return found
    with engine.begin() as conn:
        conn.execute(
            update(api_tokens).where(api_tokens.c.id == found.token_id).values(last_used_at=now)
        )
    return replace(found, last_used_at=now)


CREDENTIALS_VERSION = select(func.max(credential_changes.c.id))
"""A number that grows with every change that can stop a token from opening (revoked, user
disabled, role changed): one primary-key read."""


def credentials_signal(engine: Engine) -> Path | None:
    """The file beside a SQLite store that grows by a byte after every change that moves
    ``CREDENTIALS_VERSION`` has committed: a worker's token cache looks at its size, a
    fifth of the cost of reading the version, and reads the version only when it grew.
    None where there is no such file (PostgreSQL, whose workers may not share a disk)."""
    return beside(engine, "-credentials")


def signal_credentials(engine: Engine) -> None:
    """Tell every process's token cache that credentials changed: after the commit, so that
    a cache that reads the version because of it finds the change."""
    path = credentials_signal(engine)
    if path is not None:
        with path.open("ab") as out:
            out.write(b"\n")


def _credentials_changed(conn: Connection, now: datetime) -> None:
    """Move ``CREDENTIALS_VERSION``, in the transaction that made the change."""
    conn.execute(credential_changes.insert().values(at=now))


def _rank(role: str) -> int:
    try:
        return ROLES.index(role)
    except ValueError:
        raise UsageError(f"unknown role {role!r}: use one of {', '.join(ROLES)}") from None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _usable(now: datetime) -> Any:
    """Tokens neither revoked nor expired at ``now``."""
    return and_(
        api_tokens.c.revoked_at.is_(None),
        or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now),
    )


def _user(conn: Connection, username: str) -> Row[Any]:
    row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        raise NotFoundError(f"no user {username!r}")
    return row


def _audit(
    conn: Connection,
    by: str | None,
    action: str,
    target_type: str,
    target_id: str,
    detail: dict[str, Any] | None,
    remote: str | None,
    at: datetime | None = None,
) -> None:
    """Record a change when the caller said who made it."""
    if by is not None:
        audit.record(conn, by, action, target_type, target_id, detail, remote, at)
