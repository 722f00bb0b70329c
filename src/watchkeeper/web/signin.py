"""The sign-in page: a token in, the session cookie out; too many failures from one
address are refused (429) as the API refuses them."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from watchkeeper.service.deps import AuditDep, CredentialsDep
from watchkeeper.service.refusals import TooManyFailures
from watchkeeper.web import csrf
from watchkeeper.web.common import COOKIE, SIGNIN, back, home, render

router = APIRouter()


@router.get("/signin")
def signin_form(request: Request, credentials: CredentialsDep) -> Response:
    """The sign-in form, or the start page for someone signed in already."""
    token = request.cookies.get(COOKIE)
    try:
        actor = credentials.actor(token) if token else None
    except TooManyFailures as exc:
        return _throttled(request, exc)
    return back(home(actor)) if actor else render(request, None, "signin.html")


def _throttled(request: Request, exc: TooManyFailures) -> HTMLResponse:
    page = render(request, None, "signin.html", 429, error=exc.detail)
    page.headers["Retry-After"] = str(exc.retry_after)
    return page


@router.post("/signin")
def signin(
    request: Request,
    credentials: CredentialsDep,
    audit: AuditDep,
    token: Annotated[str, Form()] = "",
) -> Response:
    """Check the token and keep it in the cookie; the form again when it is not valid, and
    429 after too many failures from one address."""
    token = token.strip()
    try:
        actor = credentials.actor(token)
    except TooManyFailures as exc:
        return _throttled(request, exc)
    if actor is None:
        error = "That token is not valid: it may be mistyped, revoked or expired."
        return render(request, None, "signin.html", 401, error=error)
    audit(actor, "signin", ("user", actor.username), {"via": "web"})
    response = back(home(actor))
    csrf.renew(request, response)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.api_route("/signout", methods=["GET", "POST"])
def signout() -> Response:
    """Forget the cookies (the token itself stays valid until revoked)."""
    response = back(SIGNIN)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    response.delete_cookie(csrf.COOKIE, path="/web", httponly=True, samesite="strict")
    return response
