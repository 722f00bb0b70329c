"""Who is asking: every endpoint but the health checks needs a token, and a role.

Tokens come as ``Authorization: Bearer <token>`` (or ``ApiKey <token>``, as yente's clients
send it), or as an ``api_key`` query parameter for clients such as OpenRefine that cannot set
headers. They are checked against the store, where only their SHA-256 is kept.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from watchkeeper.api.limits import SCHEMES
from watchkeeper.api.throttle import checked
from watchkeeper.auth import Actor
from watchkeeper.store.audit import record


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in SCHEMES and value.strip():
        return value.strip()
    return request.query_params.get("api_key")


def current_actor(request: Request) -> Actor:
    """The authenticated caller; 401 without a valid token, 429 after too many failures."""
    token = _token(request)
    actor = checked(request, token) if token else None
    if actor is None:
        raise HTTPException(
            status_code=401,
            detail="a valid API token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return actor


def require(role: str) -> Callable[[Actor], Actor]:
    """A dependency that lets through callers with ``role`` or a higher one; 403 otherwise."""

    def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if not actor.can(role):
            raise HTTPException(status_code=403, detail=f"this needs the {role} role")
        return actor

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
    """Record who did what to which target, from where, in its own transaction."""
    with request.app.state.engine.begin() as conn:
        record(conn, actor.username, action, target[0], target[1], detail, remote_of(request))
