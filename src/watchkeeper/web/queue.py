"""The triage queue: one row per traveller, customer, document or image (or per input,
flight or booking), its strongest finding first, ``QUEUE_LIMIT`` groups a page
(``review.queue``). A group opens in place (htmx) to its alerts; an htmx request for the
queue gets only the table back. Bulk actions on what is ticked are ``web.bulk``'s."""

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from watchkeeper.auth import Actor
from watchkeeper.errors import UsageError, WatchkeeperError
from watchkeeper.lanes.registry import all_lanes
from watchkeeper.review.bulk import BulkResult
from watchkeeper.review.grouping import GROUPINGS, SUBJECT
from watchkeeper.review.queue import KINDS, SORTS, QueueGroup, group_alerts, queue_groups
from watchkeeper.review.risk import lanes_policy
from watchkeeper.review.states import DECISIONS
from watchkeeper.service.bounds import MAX_OFFSET
from watchkeeper.service.deps import EngineDep, RemoteDep, SettingsDep
from watchkeeper.settings import Settings
from watchkeeper.store.alert_states import IN_REVIEW, STATES
from watchkeeper.web.common import QUEUE, User, refusal_page, render

router = APIRouter()
QUEUE_LIMIT = 50
FILTERS = ("by", "sort", "kind", "lane", "state", "min_risk")
"""The queue's query fields, kept by the bulk form so its answer shows the same queue."""
MAX_RISK = 1_000_000  # far above any rule file's weights added up


def number(text: str, label: str, kind: Callable[[str], Any], low: int, high: int) -> Any:
    """A blank field is no filter; anything else must parse as ``kind`` and lie between
    ``low`` and ``high`` (which NaN never does)."""
    if not text.strip():
        return None
    try:
        value = kind(text.strip())
    except ValueError:
        raise UsageError(f"{label} must be a number, not {text!r}") from None
    if not low <= value <= high:
        raise UsageError(f"{label} must be between {low} and {high}")
    return value


def form_of(params: Mapping[str, str]) -> dict[str, str]:
    """The queue's filters as the form holds them (blank: no filter; ``by`` subject)."""
    form = {name: str(params.get(name, "")) for name in FILTERS}
    form["by"] = form["by"] or SUBJECT
    form["sort"] = form["sort"] or SORTS[0]
    return form


def queue_page(
    request: Request,
    engine: Engine,
    settings: Settings,
    remote: str | None,
    actor: Actor,
    form: dict[str, str],
    page: str = "",
    result: BulkResult | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The queue under ``form``'s filters, with a bulk action's ``result`` or ``error``
    above it (``web.bulk`` answers with this page)."""
    found: list[QueueGroup] = []
    more = False
    filter_error = None
    at = 1
    try:
        asked = number(page, "Page", int, 1, MAX_OFFSET // QUEUE_LIMIT)
        at = 1 if asked is None else asked
        shown = queue_groups(
            engine,
            actor,
            lanes_policy(settings),
            by=form["by"],
            sort=form["sort"],
            kind=form["kind"] or None,
            lane=form["lane"] or None,
            state=form["state"] or None,
            min_risk=number(form["min_risk"], "Minimum risk", float, 0, MAX_RISK),
            limit=QUEUE_LIMIT,
            offset=(at - 1) * QUEUE_LIMIT,
            remote=remote,
        )
        found, more = shown.groups, shown.more
    except UsageError as exc:
        filter_error = exc.detail
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    fragment = bool(request.headers.get("hx-request")) and not request.headers.get(
        "hx-history-restore-request"
    )
    if filter_error and not fragment:
        status = 400  # htmx swaps in only 2xx answers
    response = render(
        request,
        actor,
        "_queue_table.html" if fragment else "alerts.html",
        status,
        groups=found,
        form=form,
        filter_error=filter_error,
        groupings=GROUPINGS,
        sorts=SORTS,
        kinds=list(KINDS),
        lanes=[lane.name for lane in all_lanes()],
        states=STATES,
        decisions=(*DECISIONS, IN_REVIEW),
        reason_codes=settings.reason_codes,
        first=(at - 1) * QUEUE_LIMIT + 1,
        newer=_page_link(form, at - 1) if at > 1 else None,
        older=_page_link(form, at + 1) if more else None,
        result=result,
        error=error,
    )
    response.headers["Vary"] = "HX-Request"  # the fragment and the page must not share a cache
    return response


@router.get("/alerts")
def queue(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    actor: User,
    page: str = "",
) -> Response:
    """The queue with its filters, ``QUEUE_LIMIT`` groups a page; an htmx request gets only
    the table back."""
    form = form_of(request.query_params)
    return queue_page(request, engine, settings, remote, actor, form, page)


@router.get("/alerts/group")
def group(
    request: Request,
    engine: EngineDep,
    remote: RemoteDep,
    actor: User,
    key: str,
    by: str = SUBJECT,
    state: str = "",
) -> HTMLResponse:
    """One group's alerts, strongest first: the rows an expanded group shows (htmx), or a
    page of their own."""
    try:
        found = group_alerts(engine, actor, key, by=by, state=state or None, remote=remote)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    fragment = bool(request.headers.get("hx-request"))
    name = "_group_alerts.html" if fragment else "alert_group.html"
    return render(request, actor, name, alerts=found, key=key, by=by)


def _page_link(form: dict[str, str], at: int) -> str:
    """The queue's address for page ``at`` with the same filters."""
    params = {k: v for k, v in form.items() if v}
    if at > 1:
        params["page"] = str(at)
    return QUEUE + (f"?{urlencode(params)}" if params else "")
