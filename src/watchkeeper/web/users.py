"""The users page, for administrators: each user's role, when they last signed in and used
a token, and how many tokens still open (``overview.users``, which refuses anyone else and
audits the read)."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from watchkeeper.errors import WatchkeeperError
from watchkeeper.overview.users import users_overview
from watchkeeper.service.deps import EngineDep, RemoteDep
from watchkeeper.web.common import User, refusal_page, render

router = APIRouter()


@router.get("/users")
def users_page(request: Request, engine: EngineDep, remote: RemoteDep, actor: User) -> HTMLResponse:
    """Every user, by name."""
    try:
        found = users_overview(engine, actor, datetime.now(UTC), remote)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    return render(request, actor, "users.html", users=found)
