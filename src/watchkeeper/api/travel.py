"""``POST /travel/messages``: an airline sends (or a gateway forwards) a PAXLST or PNRGOV
message; it is screened at once, kept with its alerts for review, and the flight reports come
back. A message that cannot be read is kept for replay and answered with 422 and its faults.
Each interchange is received once (``lanes.travel.ingest``): a resend is answered with the
first answer and adds nothing; another content under a taken reference is a 409."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request

from watchkeeper.api.match import snapshot_of
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import remote_of, require
from watchkeeper.api.state import ALL, DatasetScreener
from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError
from watchkeeper.lanes.travel import TravelMessage
from watchkeeper.lanes.travel.documents import DocumentList
from watchkeeper.lanes.travel.ingest import Receipt, Submitter, receive
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import FlightReport, TravelScreener
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))
MAX_BYTES = 5 * 1024 * 1024  # a PNR push is far smaller; a bigger body is an error
EXAMPLE = """\
UNA:+.? '
UNB+UNOA:4+XYAIR:ZZ+WATCHKEEPER:ZZ+260301:2200+EXAMPLE1++APIS'
UNG+PAXLST+XY AIRWAYS+WATCHKEEPER+260301:2200+EX1+UN+D:05B'
UNH+EX0001+PAXLST:D:05B:UN:IATA+XY123/260302/0905+01:F'
BGM+745'
TDT+20+XY123+++XY'
LOC+125+IST'
DTM+189:202603020905:203'
LOC+87+LHR'
DTM+232:202603021110:203'
NAD+FL+++DUBOIS:PIERRE'
ATT+2++M'
DTM+329:650907'
NAT+2+FRA'
DOC+P:110:111+19AB55102'
DTM+36:300211'
LOC+91+FRA'
CNT+42:1'
UNT+16+EX0001'
UNE+1+EX1'
UNZ+1+EXAMPLE1'
"""
"""A PAXLST manifest of one (synthetic) traveller, for the OpenAPI page and its clients."""


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
    """Screen, store and audit one interchange once; shared by the endpoint and the web
    upload page so both keep and audit input alike. 413 when too large, 422 (the message
    kept for replay) when unreadable, 409 when its reference is taken by other content."""
    if len(body) > MAX_BYTES:
        raise HTTPException(status_code=413, detail=f"messages larger than {MAX_BYTES} bytes")
    engine = request.app.state.engine
    now = datetime.now(UTC)
    snapshot = snapshot_of(request)
    snapshot.members(dataset)

    def screen(messages: list[TravelMessage]) -> list[FlightReport]:
        doc_list = (
            DocumentList.from_store(engine, [d.strip() for d in documents.split(",") if d.strip()])
            if documents
            else None
        )
        matcher = DatasetScreener(snapshot, dataset, threshold)
        screener = TravelScreener(matcher, snapshot.members(dataset), _rules(request), doc_list)
        return screener.screen(messages)

    by = Submitter(actor.username, remote_of(request))
    try:
        return receive(engine, body, f"api:{actor.username}:{now.isoformat()}", by, screen, now)
    except SourceError as exc:
        raise HTTPException(status_code=422, detail=[str(issue) for issue in exc.issues]) from exc


def _rules(request: Request) -> RuleSet:
    rules: RuleSet = request.app.state.travel_rules
    return rules
