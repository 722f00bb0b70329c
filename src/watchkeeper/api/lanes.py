"""``POST /lanes/{lane}/inputs``: one input for any lane the registry lists (a travel
interchange, a payment file, a document, an image), screened at once, kept raw with its
alerts for review, and answered with the lane's report. Each input is received once
(``lanes.ingest``): a resend is answered with the first answer and adds nothing. An input
that cannot be read is kept for replay and answered with 422 and its faults. ``GET /lanes``
says which lanes there are, what they read and which options they take."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request

from watchkeeper.api.entities import snapshot_of
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import remote_of, require
from watchkeeper.api.state import ALL, DatasetScreener
from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Ingested, Screening, Submitter
from watchkeeper.lanes.ingest import ingest
from watchkeeper.lanes.registry import all_lanes, get_lane
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS
from watchkeeper.matching.screener import Screener

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))
MAX_BYTES = 5 * 1024 * 1024  # a PNR push or a day's payments is far smaller; more is an error
NAMED = frozenset({"dataset", "threshold", "filename"})  # the query's words that are no option
EXAMPLES = {
    f"{lane.name}-{example.name}": {"summary": example.summary, "value": example.data.decode()}
    for lane in all_lanes()
    for example in lane.examples()
    if example.media_type.startswith("text/") or example.media_type == "application/edifact"
}


@router.get("/lanes", responses=errors(*AUTHENTICATED))
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


@router.post("/lanes/{lane}/inputs", responses=errors(409))
def ingest_endpoint(
    request: Request,
    lane: str,
    body: Annotated[
        bytes,
        Body(media_type="application/octet-stream", openapi_examples=EXAMPLES),
    ],
    actor: Annotated[Actor, Depends(require("screener"))],
    dataset: Annotated[str, Query(description="Lists to screen against")] = ALL,
    threshold: Annotated[float, Query(gt=0, le=1)] = PRESETS[DEFAULT_PRESET],
    filename: Annotated[
        str | None, Query(description="The input's file name: its suffix tells its format")
    ] = None,
) -> dict[str, Any]:
    """Screen one input (the request body) in ``lane`` and store its alerts; the lane's
    options (``GET /lanes``) go in the query too (``?banks=partner``). A resend of the same
    bytes gets the first answer (``input.repeat`` true)."""
    options = {k: v for k, v in request.query_params.items() if k not in NAMED}
    return ingest_input(request, actor, lane, body, filename, dataset, threshold, options).as_dict()


def ingest_input(
    request: Request,
    actor: Actor,
    lane: str,
    body: bytes,
    filename: str | None,
    dataset: str = ALL,
    threshold: float = PRESETS[DEFAULT_PRESET],
    options: dict[str, str] | None = None,
) -> Ingested:
    """Screen, store and audit one input once; shared by the endpoint and the web upload
    page so both keep and audit input alike. 404 for an unknown lane, 413 when too large,
    422 (the input kept for replay) when unreadable."""
    found = get_lane(lane)
    if len(body) > MAX_BYTES:
        raise HTTPException(status_code=413, detail=f"inputs larger than {MAX_BYTES} bytes")
    now = datetime.now(UTC)
    by = Submitter(actor.username, remote_of(request))
    name = filename or f"api:{actor.username}:{now.isoformat()}"
    screening = screening_of(request, dataset, threshold, options or {})
    try:
        return ingest(request.app.state.engine, found, body, name, screening, by, now)
    except SourceError as exc:
        raise HTTPException(status_code=422, detail=[str(issue) for issue in exc.issues]) from exc


def screening_of(
    request: Request, dataset: str, threshold: float, options: dict[str, str]
) -> Screening:
    """What lanes screen with in the service: the current index, over the dataset's lists
    (a lane looking for names in text gets a screener over them, built when it asks)."""
    snapshot = snapshot_of(request)
    lists = snapshot.members(dataset)
    engine = request.app.state.engine

    def screener() -> Screener:
        if dataset == ALL:
            return Screener(snapshot.screener.index, threshold)
        return Screener.from_store(engine, lists, threshold)

    matcher = DatasetScreener(snapshot, dataset, threshold)
    return Screening(engine, matcher, lists, screener, options)
