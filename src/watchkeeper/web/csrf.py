"""CSRF tokens on the web forms: a random value per browser session, kept in an httponly,
SameSite=Strict cookie and repeated in a hidden field of every form; a POST whose field does
not equal its cookie is refused. SameSite already keeps other sites' forms from carrying the
session cookie; the token is the second lock for browsers or proxies that get SameSite
wrong. A new value is drawn at sign-in, so no value chosen before it is worth anything."""

import hmac
import secrets

from fastapi import Request, Response

from watchkeeper.errors import ForbiddenError

COOKIE = "wk_csrf"
FIELD = "csrf"
_LENGTH = 43  # characters of secrets.token_urlsafe(32)


def token(request: Request) -> str:
    """The session's CSRF value: the cookie's, or a new one that ``keep`` will set."""
    current = request.cookies.get(COOKIE, "")
    if len(current) != _LENGTH:
        current = getattr(request.state, "csrf", None) or secrets.token_urlsafe(32)
        request.state.csrf = current
    return current


def keep(request: Request, response: Response) -> None:
    """Set the cookie when ``token`` drew a new value for this request."""
    drawn = getattr(request.state, "csrf", None)
    if drawn is not None:
        renew(request, response, drawn)


def renew(request: Request, response: Response, value: str | None = None) -> None:
    """Give the browser a new CSRF value (at sign-in: a new session, a new token)."""
    response.set_cookie(
        COOKIE,
        value or secrets.token_urlsafe(32),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/web",
    )


async def verify(request: Request) -> None:
    """Refuse a POST whose form does not carry the CSRF value of its cookie (403)."""
    if request.method != "POST":
        return
    cookie = request.cookies.get(COOKIE, "")
    sent = (await request.form()).get(FIELD)
    if len(cookie) != _LENGTH or not isinstance(sent, str) or not hmac.compare_digest(sent, cookie):
        raise ForbiddenError(
            "this form is out of date or came from another site: reload the page and send it again"
        )
