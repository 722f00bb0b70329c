"""``POST /travel/messages``: an airline sends (or a gateway forwards) a PAXLST or PNRGOV
message; it is screened at once, kept with its alerts for review, and the flight reports come
back. A message that cannot be read is kept for replay and answered with 422 and its faults.
Each interchange is received once (``lanes.travel.ingest``): a resend is answered with the
first answer and adds nothing; another content under a taken reference is a 409."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request

from watchkeeper.api.lanes import MAX_BYTES, screening_of
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import remote_of, require
from watchkeeper.api.state import ALL
from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Submitter
from watchkeeper.lanes.registry import get_lane
from watchkeeper.lanes.travel.ingest import Receipt
from watchkeeper.lanes.travel.lane import EXAMPLE, TravelLane
from watchkeeper.lanes.travel.records import LANE
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))


@router.post("/travel/messages", responses=errors(409))
def ingest(
    request: Request,
    body: Annotated[
        bytes,
        Body(
            media_type="application/edifact",
            openapi_examples={"paxlst": {"summary": "A PAXLST manifest", "value": EXAMPLE}},
        ),
    ],
    actor: Annotated[Actor, Depends(require("screener"))],
    dataset: Annotated[str, Query(description="Lists to screen against")] = ALL,
    documents: Annotated[
        str | None, Query(description="Comma-separated lost/stolen document lists")
    ] = None,
    threshold: Annotated[float, Query(gt=0, le=1)] = PRESETS[DEFAULT_PRESET],
) -> dict[str, Any]:
    """Screen one UN/EDIFACT interchange (the request body) and store its alerts; a resend
    of the same bytes gets the first answer (``interchange.repeat`` true)."""
    return screen_interchange(request, actor, body, dataset, documents, threshold).as_dict()


def screen_interchange(
    request: Request,
    actor: Actor,
    body: bytes,
    dataset: str = ALL,
    documents: str | None = None,
    threshold: float = PRESETS[DEFAULT_PRESET],
) -> Receipt:
    """Screen, store and audit one interchange once, through the travel lane: 413 when too
    large, 422 (the message kept for replay) when unreadable, 409 when its reference is
    taken by other content."""
    if len(body) > MAX_BYTES:
        raise HTTPException(status_code=413, detail=f"messages larger than {MAX_BYTES} bytes")
    lane = get_lane(LANE)
    assert isinstance(lane, TravelLane)
    now = datetime.now(UTC)
    screening = screening_of(request, dataset, threshold, {"documents": documents or ""})
    by = Submitter(actor.username, remote_of(request))
    name = f"api:{actor.username}:{now.isoformat()}"
    try:
        return lane.receipt(request.app.state.engine, body, name, screening, by, now)
    except SourceError as exc:
        raise HTTPException(status_code=422, detail=[str(issue) for issue in exc.issues]) from exc
