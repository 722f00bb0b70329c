"""The partners page: each partner agency, the lists and hash banks we hold of it, and the
TAXII feeds we follow with where each stopped. Supervisors and above: it shows the accounts
partners use on our server and whether their keys are held, which is how sharing is run,
not casework. Nothing on it is about screened people, so it is not audited."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from watchkeeper.auth import require
from watchkeeper.errors import WatchkeeperError
from watchkeeper.overview.partners import feeds, partner_overview
from watchkeeper.service.deps import EngineDep
from watchkeeper.web.common import User, refusal_page, render

router = APIRouter()


@router.get("/partners")
def partners_page(request: Request, engine: EngineDep, actor: User) -> HTMLResponse:
    """Every partner, by name, and every feed followed, by address."""
    try:
        require(actor, "supervisor", "read the partners")
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    return render(
        request, actor, "partners.html", partners=partner_overview(engine), feeds=feeds(engine)
    )
