"""What every page module of ``/web`` shares: the templates, the signed-in user, rendering
a page out of every cache, and the refusal and redirect answers.

Sign-in takes an API token (made with ``watchkeeper users token``) and keeps it in an
httponly, SameSite=Strict cookie, so the pages use the same tokens, roles and audit as the
API, and no other site can post a form with it. Every rule of review lives in
``review.workflow``; a refusal from it (four-eyes, a role too low, a final decision, another
reviewer who acted first) is shown on the page with its status, never as a server error.
Pages that show personal data record an audit entry: the queue and the alert page through
``workflow``, the entity, flight, search and users pages through their use cases, the
others in their module. Every whole page drawn for a signed-in user carries the banner of
the lists older than ``Settings.list_max_age_days`` (``stale_banner``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from watchkeeper.auth import Actor
from watchkeeper.errors import WatchkeeperError
from watchkeeper.overview.freshness import ListAge, stale_lists
from watchkeeper.service.deps import CredentialsDep, services_of
from watchkeeper.service.refusals import Refusal, phrase
from watchkeeper.web import TEMPLATES, csrf

COOKIE = "wk_token"
SIGNIN = "/web/signin"
QUEUE = "/web/alerts"
OPEN_POSTS = frozenset({SIGNIN, "/web/signout"})  # bodies accepted without a session


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def _age(moment: datetime) -> str:
    """How long ago, as a queue reads it: minutes, hours, then days."""
    minutes = max(0, int((datetime.now(UTC) - moment).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h" if minutes < 48 * 60 else f"{minutes // 1440} d"


def _score(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else ""


templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is escaped, whatever the template's name
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests, not silently
    )
)
templates.env.filters.update(when=_when, score=_score, age=_age)


class SignInFirst(Refusal):
    """No signed-in user: off to the sign-in page."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        super().__init__(phrase(status), status, headers)


def signed_in(request: Request, credentials: CredentialsDep) -> Actor:
    """The user of the ``wk_token`` cookie; otherwise off to the sign-in page (htmx is told
    by header, since a redirect would land the sign-in page inside the table). A cookie
    that no longer signs in is cleared, so it is not checked again and again."""
    token = request.cookies.get(COOKIE)
    actor = credentials.actor(token) if token else None
    if actor is None:
        headers = {"Set-Cookie": f"{COOKIE}=; Max-Age=0; Path=/"} if token else {}
        if request.headers.get("hx-request"):
            raise SignInFirst(401, {"HX-Redirect": SIGNIN, **headers})
        raise SignInFirst(303, {"Location": SIGNIN, **headers})
    return actor


User = Annotated[Actor, Depends(signed_in)]


@dataclass(frozen=True, slots=True)
class StaleLists:
    """What the banner says: the lists older than the limit, the oldest first."""

    max_age_days: int
    lists: list[ListAge]


def stale_banner(request: Request, actor: Actor | None) -> Callable[[], StaleLists | None]:
    """The lists older than ``Settings.list_max_age_days``, for the banner of ``base.html``:
    asked for (one query) only when a whole page is drawn for a signed-in user, not for an
    htmx fragment nor the sign-in page, and fresh on each page, so a list loaded a moment
    ago takes its banner away at once."""

    def stale() -> StaleLists | None:
        if actor is None:
            return None
        held = services_of(request.app)
        limit = held.settings.list_max_age_days
        found = stale_lists(held.engine, datetime.now(UTC), limit)
        return StaleLists(limit, found) if found else None

    return stale


def render(
    request: Request, actor: Actor | None, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A rendered page, kept out of every cache: pages show personal data, and the back
    button after signing out must not bring them back."""
    page = {
        "actor": actor,
        "error": None,
        "csrf": csrf.token(request),
        "stale_lists": stale_banner(request, actor),
        **context,
    }
    response = templates.TemplateResponse(request, name, page, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    csrf.keep(request, response)
    return response


def home(actor: Actor) -> str:
    """Where a user starts: the queue, or search for a screener, who may not read alerts."""
    return QUEUE if actor.can("analyst") else "/web/search"


def refusal_page(request: Request, actor: Actor, exc: WatchkeeperError) -> HTMLResponse:
    """The error page of a refusal, with its status."""
    return render(request, actor, "error.html", exc.status, error=exc.detail)


def back(url: str) -> RedirectResponse:
    """A redirect after a form (303: the browser follows it with a GET)."""
    return RedirectResponse(url, status_code=303)
