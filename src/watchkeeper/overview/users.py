"""The users page, for administrators: who may use the service, in which role, since when,
when each last signed in to the analyst pages and last used a token, and how many of their
tokens still open. No token secret or hash ever leaves the store through here (a token's
public id is listed by ``watchkeeper users``, not on this page).

The last sign-in is read from the audit log (``signin`` entries, which the pages write),
through its index on actor and time; the read itself is audited, since it tells who works
when.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, func, or_, select

from watchkeeper.auth import Actor, require
from watchkeeper.store import audit
from watchkeeper.store.schema import api_tokens, audit_log, users
from watchkeeper.store.times import utc

SIGNIN = "signin"  # the audit action of a sign-in to the analyst pages
READ_USERS = "read.users"


@dataclass(frozen=True, slots=True)
class UserOverview:
    """One user as administrators see them; ``active_tokens`` counts those neither revoked
    nor expired at the time asked."""

    username: str
    display_name: str | None
    role: str
    created_at: datetime
    disabled_at: datetime | None
    last_sign_in: datetime | None
    last_token_use: datetime | None
    active_tokens: int


def users_overview(
    engine: Engine, actor: Actor, now: datetime, remote: str | None = None
) -> list[UserOverview]:
    """Every user, by name (admins only; audited as ``read.users``)."""
    require(actor, "admin", "list users")
    moment = utc(now)
    active = (
        select(func.count())
        .where(
            api_tokens.c.user_id == users.c.id,
            api_tokens.c.revoked_at.is_(None),
            or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > moment),
        )
        .scalar_subquery()
    )
    last_use = (
        select(func.max(api_tokens.c.last_used_at))
        .where(api_tokens.c.user_id == users.c.id)
        .scalar_subquery()
    )
    signed_in = (
        select(func.max(audit_log.c.at))
        .where(and_(audit_log.c.actor == users.c.username, audit_log.c.action == SIGNIN))
        .scalar_subquery()
    )
    query = select(
        users.c.username,
        users.c.display_name,
        users.c.role,
        users.c.created_at,
        users.c.disabled_at,
        signed_in.label("signed_in"),
        last_use.label("last_use"),
        active.label("active"),
    ).order_by(users.c.username)
    with engine.begin() as conn:
        rows = conn.execute(query).all()
        detail = {"users": len(rows)}
        audit.record(conn, actor.username, READ_USERS, "user", None, detail, remote, moment)
    return [
        UserOverview(
            row.username,
            row.display_name,
            row.role,
            utc(row.created_at),
            _when(row.disabled_at),
            _when(row.signed_in),
            _when(row.last_use),
            int(row.active),
        )
        for row in rows
    ]


def _when(moment: datetime | None) -> datetime | None:
    return utc(moment) if moment is not None else None
