"""``POST /lanes/{lane}/inputs``: one input for any lane the registry lists (a travel
interchange, a payment file, a document, an image), screened at once, kept raw with its
alerts for review, and answered with the lane's report. Each input is received once
(``lanes.ingest``): a resend is answered with the first answer and adds nothing. An input
that cannot be read is kept for replay and answered with 422 and its faults. ``GET /lanes``
says which lanes there are, what they read and which options they take."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel

from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import require
from watchkeeper.auth import Actor
from watchkeeper.lanes.registry import all_lanes
from watchkeeper.service.deps import EngineDep, MatchersDep, RemoteDep
from watchkeeper.service.index import ALL
from watchkeeper.service.ingest import DEFAULT_THRESHOLD, ingest_input

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))
NAMED = frozenset({"dataset", "threshold", "filename"})  # the query's words that are no option
EXAMPLES = {
    f"{lane.name}-{example.name}": {"summary": example.summary, "value": example.data.decode()}
    for lane in all_lanes()
    for example in lane.examples()
    if example.media_type.startswith("text/") or example.media_type == "application/edifact"
}


class Lane(BaseModel):
    """A lane: its name (the path's ``{lane}``), what it reads and its options."""

    name: str
    title: str
    input_kinds: list[str]
    options: dict[str, str]


class Input(BaseModel):
    """Where an input is kept, and whether this delivery repeated one received before."""

    id: int
    path: str
    received_at: str
    repeat: bool


class Screened(BaseModel):
    """The answer to an input (``lanes.base.Ingested``): the alerts its first screening
    queued (``alerts`` counts them, ``alert_ids`` those for review), the lane's report and
    the faults found."""

    lane: str
    alerts: int
    alert_ids: list[int]
    report: dict[str, Any] | list[Any]
    faults: list[str]
    input: Input


@router.get("/lanes", response_model=list[Lane], responses=errors(*AUTHENTICATED))
def lanes(_actor: Annotated[Actor, Depends(require("screener"))]) -> list[dict[str, Any]]:
    """Every lane: its name (the path's ``{lane}``), what it reads and its options."""
    return [
        {
            "name": lane.name,
            "title": lane.title,
            "input_kinds": list(lane.input_kinds),
            "options": dict(lane.options),
        }
        for lane in all_lanes()
    ]


@router.post("/lanes/{lane}/inputs", response_model=Screened, responses=errors(409))
def ingest_endpoint(
    request: Request,
    engine: EngineDep,
    matchers: MatchersDep,
    remote: RemoteDep,
    lane: str,
    body: Annotated[
        bytes,
        Body(media_type="application/octet-stream", openapi_examples=EXAMPLES),
    ],
    actor: Annotated[Actor, Depends(require("screener"))],
    dataset: Annotated[str, Query(description="Lists to screen against")] = ALL,
    threshold: Annotated[float, Query(gt=0, le=1)] = DEFAULT_THRESHOLD,
    filename: Annotated[
        str | None, Query(description="The input's file name: its suffix tells its format")
    ] = None,
) -> dict[str, Any]:
    """Screen one input (the request body) in ``lane`` and store its alerts; the lane's
    options (``GET /lanes``) go in the query too (``?banks=partner``). A resend of the same
    bytes gets the first answer (``input.repeat`` true)."""
    options = {k: v for k, v in request.query_params.items() if k not in NAMED}
    screened = ingest_input(
        engine, matchers, actor, remote, lane, body, filename, dataset, threshold, options
    )
    return screened.as_dict()
