"""The review queue: alerts with their filters, ``QUEUE_LIMIT`` a page; an htmx request
gets only the table back."""

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from watchkeeper.errors import UsageError, WatchkeeperError
from watchkeeper.lanes.registry import all_lanes
from watchkeeper.review import workflow
from watchkeeper.review.workflow import AlertView
from watchkeeper.service.bounds import MAX_DAYS, MAX_OFFSET
from watchkeeper.service.deps import EngineDep, RemoteDep
from watchkeeper.store import list_versions_of
from watchkeeper.store.alert_states import STATES
from watchkeeper.web.common import QUEUE, User, refusal_page, render

router = APIRouter()
QUEUE_LIMIT = 200


def _number(text: str, label: str, kind: Callable[[str], Any], low: int, high: int) -> Any:
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


@router.get("/alerts")
def queue(
    request: Request,
    engine: EngineDep,
    remote: RemoteDep,
    actor: User,
    lane: str = "",
    list_name: Annotated[str, Query(alias="list")] = "",
    state: str = "",
    min_score: str = "",
    max_score: str = "",
    newer_than_days: str = "",
    older_than_days: str = "",
    page: str = "",
) -> Response:
    """The queue with its filters, ``QUEUE_LIMIT`` alerts a page; an htmx request gets only
    the table back."""
    form = {
        "lane": lane,
        "list": list_name,
        "state": state,
        "min_score": min_score,
        "max_score": max_score,
        "newer_than_days": newer_than_days,
        "older_than_days": older_than_days,
    }
    found: list[AlertView] = []
    older = False
    error = None
    number = 1
    try:
        asked = _number(page, "Page", int, 1, MAX_OFFSET // QUEUE_LIMIT)
        number = 1 if asked is None else asked
        page_of = workflow.list_alerts(
            engine,
            actor,
            lane=lane or None,
            list_name=list_name or None,
            state=state or None,
            min_score=_number(min_score, "Minimum score", float, 0, 1),
            max_score=_number(max_score, "Maximum score", float, 0, 1),
            newer_than_days=_number(newer_than_days, "Created within (days)", int, 0, MAX_DAYS),
            older_than_days=_number(older_than_days, "Older than (days)", int, 0, MAX_DAYS),
            limit=QUEUE_LIMIT,
            offset=(number - 1) * QUEUE_LIMIT,
            remote=remote,
        )
        found, older = page_of.alerts, page_of.more
    except UsageError as exc:
        error = exc.detail
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    fragment = bool(request.headers.get("hx-request")) and not request.headers.get(
        "hx-history-restore-request"
    )
    response = render(
        request,
        actor,
        "_queue_table.html" if fragment else "alerts.html",
        400 if error and not fragment else 200,  # htmx swaps in only 2xx answers
        alerts=found,
        form=form,
        filter_error=error,
        lanes=[lane.name for lane in all_lanes()],
        lists=sorted({v.list_name for v in list_versions_of(engine)}),
        states=STATES,
        first=(number - 1) * QUEUE_LIMIT + 1,
        newer=_page_link(form, number - 1) if number > 1 else None,
        older=_page_link(form, number + 1) if older else None,
    )
    response.headers["Vary"] = "HX-Request"  # the fragment and the page must not share a cache
    return response


def _page_link(form: dict[str, str], number: int) -> str:
    """The queue's address for page ``number`` with the same filters."""
    params = {k: v for k, v in form.items() if v}
    if number > 1:
        params["page"] = str(number)
    return QUEUE + (f"?{urlencode(params)}" if params else "")
