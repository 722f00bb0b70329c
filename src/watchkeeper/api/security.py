"""Who is asking: every endpoint but the health checks needs a token, and a role.

Tokens come as ``Authorization: Bearer <token>`` (or ``ApiKey <token>``, as yente's clients
send it), or as an ``api_key`` query parameter for clients such as OpenRefine that cannot set
headers. They are checked against the store, where only their SHA-256 is kept, through a
cache that any change of credentials empties at once (``api.tokens_cache``).
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from watchkeeper.api.limits import SCHEMES
from watchkeeper.api.throttle import checked
from watchkeeper.auth import Actor
from watchkeeper.store.audit import entry


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in SCHEMES and value.strip():
        return value.strip()
    return request.query_params.get("api_key")


def actor_of(request: Request) -> Actor:
    """The authenticated caller; 401 without a valid token, 429 after too many failures.
    (For a handler that decides only after reading its request whether it needs a caller,
    as the public reconciliation manifest does; others depend on ``require``.)"""
    token = _token(request)
    actor = checked(request, token) if token else None
    if actor is None:
        raise HTTPException(
            status_code=401,
            detail="a valid API token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return actor


async def current_actor(request: Request) -> Actor:
    """``actor_of`` as a dependency."""
    return actor_of(request)


def with_role(actor: Actor, role: str) -> Actor:
    """``actor`` when it has ``role`` or a higher one; 403 otherwise."""
    if not actor.can(role):
        raise HTTPException(status_code=403, detail=f"this needs the {role} role")
    return actor


def require(role: str) -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency that lets through callers with ``role`` or a higher one; 403 otherwise."""

    async def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        return with_role(actor, role)

    return check


def remote_of(request: Request) -> str | None:
    """The caller's address, for the audit log."""
    return request.client.host if request.client else None


def audit(
    request: Request,
    actor: Actor,
    action: str,
    target: tuple[str, str | None],
    detail: dict[str, Any] | None = None,
) -> None:
    """Record who did what to which target, from where; returns once the record is durable
    (committed with other requests' records: ``store.audit_writer``)."""
    item = entry(actor.username, action, target[0], target[1], detail, remote_of(request))
    request.app.state.audit_writer.write(item)
