"""Security headers on every response, and a content security policy on the web pages.

The pages load only their own script (htmx) and style sheet from ``/static`` and have no
inline script or style, so the policy allows nothing else; no page may be framed (click-
jacking), and no address (which may hold a searched name or an alert number) is sent on as a
referrer. Pure ASGI, so it adds the headers without buffering the response.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
EVERYWHERE = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
PAGES = (
    (b"content-security-policy", POLICY.encode()),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """Adds ``EVERYWHERE`` to every response and ``PAGES`` to those under ``prefix``
    (the API's own documentation pages load Swagger UI from a CDN, so they get no policy)."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = EVERYWHERE + (PAGES if scope["path"].startswith(self.prefix) else ())

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(n, v) for n, v in extra if n not in present]
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, with_headers)
