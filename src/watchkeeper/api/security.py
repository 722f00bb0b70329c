"""Who is asking: every endpoint but the health checks needs a token, and a role.

Tokens come as ``Authorization: Bearer <token>`` (or ``ApiKey <token>``, as yente's clients
send it), or as an ``api_key`` query parameter for clients such as OpenRefine that cannot set
headers. They are checked against the store, where only their SHA-256 is kept, through a
cache that any change of credentials empties at once (``service.tokens_cache``).
"""

from collections.abc import Awaitable, Callable

from fastapi import Request

from watchkeeper.auth import Actor
from watchkeeper.errors import ForbiddenError
from watchkeeper.service.deps import credentials_of
from watchkeeper.service.limits import SCHEMES
from watchkeeper.service.refusals import Unauthorized
from watchkeeper.service.throttle import Credentials


def token_of(request: Request) -> str | None:
    """The token a request presents: in its ``Authorization`` header, else ``api_key``."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in SCHEMES and value.strip():
        return value.strip()
    return request.query_params.get("api_key")


def actor_of(credentials: Credentials, token: str | None) -> Actor:
    """The authenticated caller; 401 without a valid token, 429 after too many failures.
    (For a handler that decides only after reading its request whether it needs a caller,
    as the public reconciliation manifest does; others depend on ``require``.)"""
    actor = credentials.actor(token) if token else None
    if actor is None:
        raise Unauthorized()
    return actor


async def current_actor(request: Request) -> Actor:
    """``actor_of`` as a dependency (one that reads only the request: ``service.deps``)."""
    return actor_of(credentials_of(request), token_of(request))


def with_role(actor: Actor, role: str) -> Actor:
    """``actor`` when it has ``role`` or a higher one; 403 otherwise."""
    if not actor.can(role):
        raise ForbiddenError(f"this needs the {role} role")
    return actor


def require(role: str) -> Callable[[Request], Awaitable[Actor]]:
    """A dependency that lets through callers with ``role`` or a higher one; 403 otherwise."""

    async def check(request: Request) -> Actor:
        return with_role(actor_of(credentials_of(request), token_of(request)), role)

    return check
