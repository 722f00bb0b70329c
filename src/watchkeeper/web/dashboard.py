"""The dashboard: what comes in and what waits (alerts per lane and day, the open backlog by
age), what people decided (decisions per reviewer, time to decision, the share cleared per
list and per rule) and how old each list is, as SVG charts drawn on the server, each with
its data table beside it.

For supervisors and above: it names reviewers with their decision counts, which is about
staff, not about screened people, but still not for every analyst to compare. The figures
hold no personal data of travellers or payers; the read is audited all the same
(``read.dashboard``), since it tells who decided how much.
"""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from watchkeeper.auth import require
from watchkeeper.errors import WatchkeeperError
from watchkeeper.overview.dashboard import dashboard
from watchkeeper.overview.stats import MAX_DAYS, day_window
from watchkeeper.service.deps import AuditDep, ServicesDep
from watchkeeper.web.common import User, refusal_page, render

router = APIRouter()
READ_DASHBOARD = "read.dashboard"
DAYS = 14


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    held: ServicesDep,
    audit: AuditDep,
    actor: User,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = DAYS,
) -> HTMLResponse:
    """The overview of the last ``days`` days (decisions taken in them too); supervisors."""
    now = datetime.now(UTC)
    try:
        require(actor, "supervisor", "read the dashboard")
        _, since, _ = day_window(now, days)
        board = dashboard(
            held.engine,
            now,
            days=days,
            max_age_days=held.settings.list_max_age_days,
            since=since,
        )
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    audit(actor, READ_DASHBOARD, ("dashboard", None), {"days": days})
    return render(
        request,
        actor,
        "dashboard.html",
        board=board,
        days=days,
        since=since,
        max_age_days=held.settings.list_max_age_days,
    )
