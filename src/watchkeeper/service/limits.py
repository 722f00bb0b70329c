"""Request bodies are bounded before they are read, not after.

FastAPI reads a body whole before it solves a handler's dependencies, so the token check and
the size check of a handler come too late: an 800 MB POST without a token was held in memory
before its 401. ``BodyGuard`` is pure ASGI, so it sees the receive stream itself: a body
from a caller who shows no credentials is refused unread (401), a declared length over the
limit is refused at once (413), and a chunked body is counted as it streams and refused at
the limit. The server then reads the rest of a refused body only to throw it away: the
connection stays open, so that a client still sending sees the answer instead of a reset.
"""

from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchkeeper.auth import TOKEN_PREFIX

MAX_BODY = 10 * 1024 * 1024
"""The largest body of any request: TAXII's advertised ``max_content_length`` (a travel
message, 5 MB at most, and the web upload of one fit under it)."""
MAX_OPEN_BODY = 16 * 1024
"""The largest body of a request that needs no credentials (the sign-in form)."""
SCHEMES = ("bearer", "apikey")


class BodyTooLarge(HTTPException):
    """A body that grew past the limit while it streamed. An ``HTTPException``, so FastAPI's
    body reader passes it on as a 413 instead of calling it a parse error."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request bodies are limited to {limit} bytes")


def presents_credentials(scope: Scope, headers: Headers, cookie: str) -> bool:
    """Whether the request carries something shaped like a token: an ``Authorization``
    header, an ``api_key`` query parameter or the web session cookie. Only the shape is
    checked here (no store look-up); the handler checks the token itself."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() in SCHEMES and value.strip().startswith(TOKEN_PREFIX):
        return True
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if any(v.startswith(TOKEN_PREFIX) for v in query.get("api_key", [])):
        return True
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == cookie and value.startswith(TOKEN_PREFIX):
            return True
    return False


class BodyGuard:
    """The ASGI middleware: refuses bodies too large or from callers without credentials
    before reading them, and stops a streaming body at the limit."""

    def __init__(
        self,
        app: ASGIApp,
        cookie: str,
        open_paths: frozenset[str],
        max_body: int = MAX_BODY,
        max_open_body: int = MAX_OPEN_BODY,
    ) -> None:
        self.app = app
        self.cookie = cookie
        self.open_paths = open_paths
        self.max_body = max_body
        self.max_open_body = max_open_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        declared = int(length) if length and length.isdigit() else None
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if not declared and not chunked:  # no body to guard
            await self.app(scope, receive, send)
            return
        is_open = scope["path"] in self.open_paths
        limit = self.max_open_body if is_open else self.max_body
        if not is_open and not presents_credentials(scope, headers, self.cookie):
            detail = "a valid API token is required (Authorization: Bearer <token>)"
            auth = {"WWW-Authenticate": "Bearer"}
            await JSONResponse({"detail": detail}, 401, auth)(scope, receive, send)
            return
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:  # raised where no exception handler catches it (a task group)
            if started:
                raise
            await _too_large(limit)(scope, receive, send)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": f"request bodies are limited to {limit} bytes"}, 413)
