"""``POST /travel/messages``: an airline sends (or a gateway forwards) a PAXLST or PNRGOV
message; it is screened at once, kept with its alerts for review, and the flight reports come
back. A message that cannot be read is kept for replay and answered with 422 and its faults.
Each interchange is received once (``lanes.travel.ingest``): a resend is answered with the
first answer and adds nothing; another content under a taken reference is a 409."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel
from sqlalchemy import Engine

from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import require
from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Submitter
from watchkeeper.lanes.registry import get_lane
from watchkeeper.lanes.travel.ingest import Receipt
from watchkeeper.lanes.travel.lane import EXAMPLE, TravelLane
from watchkeeper.lanes.travel.records import LANE
from watchkeeper.service.deps import EngineDep, MatchersDep, RemoteDep
from watchkeeper.service.index import ALL, Matchers
from watchkeeper.service.ingest import DEFAULT_THRESHOLD, MAX_BYTES, screening_of, unreadable
from watchkeeper.service.refusals import TooLarge

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))


class Interchange(BaseModel):
    """Where an interchange is kept, its version, and whether this delivery repeated one
    received before; ``depersonalised`` once retention removed its personal data."""

    id: int
    version: int
    received_at: str
    repeat: bool
    depersonalised: bool


class ScreenedInterchange(BaseModel):
    """The answer to an interchange (``lanes.travel.ingest.Receipt``): how many alerts its
    first screening queued and the flight reports (``lanes.travel.screening.report_dict``)."""

    alerts: int
    reports: list[dict[str, Any]]
    interchange: Interchange


@router.post("/travel/messages", response_model=ScreenedInterchange, responses=errors(409))
def ingest(
    engine: EngineDep,
    matchers: MatchersDep,
    remote: RemoteDep,
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
    threshold: Annotated[float, Query(gt=0, le=1)] = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """Screen one UN/EDIFACT interchange (the request body) and store its alerts; a resend
    of the same bytes gets the first answer (``interchange.repeat`` true)."""
    return screen_interchange(
        engine, matchers, actor, remote, body, dataset, documents, threshold
    ).as_dict()


def screen_interchange(
    engine: Engine,
    matchers: Matchers,
    actor: Actor,
    remote: str | None,
    body: bytes,
    dataset: str = ALL,
    documents: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Receipt:
    """Screen, store and audit one interchange once, through the travel lane: 413 when too
    large, 422 (the message kept for replay) when unreadable, 409 when its reference is
    taken by other content."""
    if len(body) > MAX_BYTES:
        raise TooLarge(f"messages larger than {MAX_BYTES} bytes")
    lane = get_lane(LANE)
    assert isinstance(lane, TravelLane)
    now = datetime.now(UTC)
    options = {"documents": documents or ""}
    screening = screening_of(engine, matchers, dataset, threshold, options)
    by = Submitter(actor.username, remote)
    name = f"api:{actor.username}:{now.isoformat()}"
    try:
        return lane.receipt(engine, body, name, screening, by, now)
    except SourceError as exc:
        raise unreadable(exc) from exc
