"""The lane-ingest use case the API (``POST /lanes/{lane}/inputs``, ``POST
/travel/messages``) and the web upload page share, so both keep, screen and audit an input
alike: the screening over the current index, the size limit, the faults of an unreadable
input. Free of HTTP: it raises ``WatchkeeperError`` subclasses only."""

from datetime import UTC, datetime

from sqlalchemy import Engine

from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Ingested, Screening, Submitter
from watchkeeper.lanes.ingest import ingest
from watchkeeper.lanes.registry import get_lane
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS
from watchkeeper.matching.screener import Screener
from watchkeeper.service.index import ALL, DatasetScreener, Matchers
from watchkeeper.service.refusals import TooLarge, Unreadable

MAX_BYTES = 5 * 1024 * 1024  # a PNR push or a day's payments is far smaller; more is an error
DEFAULT_THRESHOLD = PRESETS[DEFAULT_PRESET]


def screening_of(
    engine: Engine, matchers: Matchers, dataset: str, threshold: float, options: dict[str, str]
) -> Screening:
    """What lanes screen with in the service: the current index, over the dataset's lists
    (a lane looking for names in text gets a screener over them, built when it asks); 503
    while the first index is built, 404 for an unknown dataset."""
    snapshot = matchers.current()
    lists = snapshot.members(dataset)

    def screener() -> Screener:
        if dataset == ALL:
            return Screener(snapshot.screener.index, threshold)
        return Screener.from_store(engine, lists, threshold)

    matcher = DatasetScreener(snapshot, dataset, threshold)
    return Screening(engine, matcher, lists, screener, options)


def unreadable(exc: SourceError) -> Unreadable:
    """The refusal of an input that cannot be read: one line per fault."""
    return Unreadable([str(issue) for issue in exc.issues])


def ingest_input(
    engine: Engine,
    matchers: Matchers,
    actor: Actor,
    remote: str | None,
    lane: str,
    body: bytes,
    filename: str | None,
    dataset: str = ALL,
    threshold: float = DEFAULT_THRESHOLD,
    options: dict[str, str] | None = None,
) -> Ingested:
    """Screen, store and audit one input once. 404 for an unknown lane, 413 when too
    large, 422 (the input kept for replay) when unreadable."""
    found = get_lane(lane)
    if len(body) > MAX_BYTES:
        raise TooLarge(f"inputs larger than {MAX_BYTES} bytes")
    now = datetime.now(UTC)
    by = Submitter(actor.username, remote)
    name = filename or f"api:{actor.username}:{now.isoformat()}"
    screening = screening_of(engine, matchers, dataset, threshold, options or {})
    try:
        return ingest(engine, found, body, name, screening, by, now)
    except SourceError as exc:
        raise unreadable(exc) from exc
