"""One input into one lane, the same way for the CLI, the service and the web upload:
read it, keep it raw, screen it, store its alerts and audit it, once.

An input is known by its lane and the SHA-256 of its bytes:

- the same bytes again (a resend after a timeout, an upload done twice) are answered with
  the first screening's answer; nothing is stored and no alert added, and the repeat is
  audited as a read (the answer names people);
- the input, its alerts, what the lane keeps for later screenings (``Lane.keep``) and the
  audit entry are written in one transaction, so a process killed at any point leaves all
  or nothing, and a retry is then either a repeat or a first receipt;
- an input that cannot be read at all is kept for replay, each time it arrives (it raises
  no alert), with its audit entry in the same transaction; an input with some bad rows is
  screened, and the rows it skipped are its ``faults``.

A lane with rules of receipt of its own (``ReceivesItself``: travel) is handed the input
whole. This module knows nothing of HTTP or terminals: callers map its errors.
"""

import hashlib
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, select

from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Ingested, Lane, ReceivesItself, Screening, Submitter
from watchkeeper.store.alert_states import SUPPRESSED
from watchkeeper.store.alerts import insert_alerts
from watchkeeper.store.audit import record
from watchkeeper.store.locks import LANE_INGEST, write_lock
from watchkeeper.store.schema import alerts, lane_inputs
from watchkeeper.store.times import utc

INGEST = "ingest"  # the audit action (``store.audit``)
TARGET = "lane_input"  # the audit target: the ``lane_inputs`` row
SCREENED = "screened"
FAILED = "failed"


def ingest(
    engine: Engine,
    lane: Lane[Any, Any],
    raw: bytes,
    name: str,
    screening: Screening,
    by: Submitter,
    now: datetime,
) -> Ingested:
    """Read, keep, screen and store one input called ``name`` (see the module's doc).
    Raises ``SourceError`` (the input kept for replay) when nothing in it can be read,
    ``UsageError`` for an option the lane does not take; ``screening`` is used only for an
    input not yet received."""
    lane.check_options(screening.options)
    if isinstance(lane, ReceivesItself):
        return lane.receive(engine, raw, name, screening, by, now)
    digest = digest_of(raw)
    with engine.begin() as conn:
        first = _received(conn, lane.name, digest)
        if first is not None:
            _audit(conn, by, first, now, name)
            return first
    try:
        read = lane.read(raw, name)
        if read.faults and not read.records:
            raise SourceError(read.faults)
    except SourceError as exc:
        _keep_failure(engine, lane, raw, name, exc, by, now)
        raise
    screened = lane.screen(read.records, screening)
    found = lane.alerts(screened.report)
    # As JSON gives it back (tuples become lists), so the first answer and a repeat are equal.
    answer = orjson.loads(orjson.dumps(lane.report_json(screened.report)))
    faults = [str(fault) for fault in [*read.faults, *screened.faults]]
    with engine.begin() as conn:
        write_lock(conn, LANE_INGEST)  # before the first read: the check sees every commit
        first = _received(conn, lane.name, digest)
        if first is not None:  # the same bytes, received while these were screened
            _audit(conn, by, first, now, name)
            return first
        input_id = _insert(conn, lane.name, name, digest, SCREENED, faults, raw, now, answer)
        inserted = insert_alerts(conn, found, lane_inputs.name, input_id, now)
        count = inserted.written - inserted.suppressed
        conn.execute(lane_inputs.update().where(lane_inputs.c.id == input_id).values(alerts=count))
        lane.keep(conn, read.records, screened.report, now)
        ingested = Ingested(
            lane.name, input_id, name, now, count, answer, faults, alert_ids(conn, input_id)
        )
        _audit(conn, by, ingested, now, name, records=len(read.records))
        return ingested


def digest_of(raw: bytes) -> str:
    """The SHA-256 of the bytes as received, in hex."""
    return hashlib.sha256(raw).hexdigest()


def alert_ids(conn: Connection, input_id: int) -> tuple[int, ...]:
    """The alerts for review (not suppressed) that one kept input raised, oldest first."""
    query = (
        select(alerts.c.id)
        .where(
            alerts.c.source_table == lane_inputs.name,
            alerts.c.source_id == input_id,
            alerts.c.state != SUPPRESSED,
        )
        .order_by(alerts.c.id)
    )
    return tuple(conn.execute(query).scalars())


def _keep_failure(
    engine: Engine,
    lane: Lane[Any, Any],
    raw: bytes,
    name: str,
    error: SourceError,
    by: Submitter,
    now: datetime,
) -> None:
    """Keep an input that cannot be read, for replay, audited in the same transaction."""
    faults = [str(issue) for issue in error.issues]
    with engine.begin() as conn:
        row_id = _insert(conn, lane.name, name, digest_of(raw), FAILED, faults, raw, now, None)
        detail = {"lane": lane.name, "path": name, "failed": len(faults)}
        record(conn, by.name, INGEST, TARGET, str(row_id), detail, by.remote, now)


def _insert(
    conn: Connection,
    lane: str,
    path: str,
    digest: str,
    status: str,
    faults: list[str],
    raw: bytes,
    now: datetime,
    answer: Any,
) -> int:
    result = conn.execute(
        lane_inputs.insert().values(
            lane=lane,
            received_at=now,
            path=path,
            digest=digest,
            status=status,
            faults=faults or None,
            raw=raw,
            alerts=0,
            answer=answer,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _received(conn: Connection, lane: str, digest: str) -> Ingested | None:
    """The first answer to these bytes in this lane, if they were screened before."""
    row = conn.execute(
        select(lane_inputs)
        .where(
            lane_inputs.c.lane == lane,
            lane_inputs.c.digest == digest,
            lane_inputs.c.status == SCREENED,
        )
        .order_by(lane_inputs.c.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    return Ingested(
        lane,
        row.id,
        row.path,
        utc(row.received_at),
        row.alerts,
        row.answer,
        list(row.faults or []),
        alert_ids(conn, row.id),
        repeat=True,
    )


def _audit(
    conn: Connection,
    by: Submitter,
    ingested: Ingested,
    now: datetime,
    path: str,
    records: int | None = None,
) -> None:
    """The ingest entry: a first receipt with its record count, a repeat with the path it
    repeats (the answer sent names people either way)."""
    detail: dict[str, Any] = {"lane": ingested.lane, "path": path, "alerts": ingested.alerts}
    if ingested.repeat:
        detail["repeat_of"] = ingested.path
    if records is not None:
        detail["records"] = records
    record(conn, by.name, INGEST, TARGET, str(ingested.id), detail, by.remote, now)
