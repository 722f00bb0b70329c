"""Cross-origin access (CORS) for the paths under one prefix: the reconciliation API, which
the W3C specification requires to answer browsers on every endpoint, preflight included.

The other endpoints keep the browser's same-origin rule: they serve the web pages' session
cookie, and no page of another origin needs them. Tokens travel in the ``Authorization``
header or the ``api_key`` parameter, never in a cookie, so ``*`` exposes nothing a caller
could not read with its own token.
"""

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class ScopedCORS:
    """Starlette's ``CORSMiddleware`` on the paths under ``prefix``; others pass through."""

    def __init__(self, app: ASGIApp, prefix: str, origins: Sequence[str]) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == self.prefix or path.startswith(f"{self.prefix}/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
