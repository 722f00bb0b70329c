"""Receiving a travel interchange exactly once, whatever the sender retries and wherever the
receiver stops.

An interchange is known by its sender and UNB control reference (ISO 9735: unique for each
interchange a sender sends) and by the SHA-256 of its bytes:

- the same bytes again (a resend after a timeout, a retry after a crash) are answered with
  the first screening's answer; nothing is stored and no alert is added, and the repeat is
  audited as a read (the answer names people);
- the same sender and reference with other bytes are a new version only when every message
  in it is marked by its sender as an update (``update_mark``); otherwise they are refused
  (``InterchangeConflict``, HTTP 409): a reference reused for another flight, or content
  altered on the way, and an analyst must never see two lists under one reference;
- the messages, their alerts, the interchange's row (with the answer) and the audit entry
  are written in one transaction, so a receiver killed at any point leaves all or nothing,
  and a retry after the kill is then either a repeat or a first receipt.

An interchange that cannot be read is kept for replay, each time it arrives (it raises no
alert, and repeated deliveries of a broken file are worth seeing), with its audit entry in
the same transaction.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, select

from watchkeeper.errors import ConflictError, SourceError
from watchkeeper.lanes.base import Submitter
from watchkeeper.lanes.ingest import digest_of
from watchkeeper.lanes.travel import TravelMessage, parse_messages
from watchkeeper.lanes.travel.records import write_failure, write_reports
from watchkeeper.lanes.travel.screening import FlightReport, report_dict
from watchkeeper.store.audit import record
from watchkeeper.store.locks import TRAVEL_INGEST, write_lock
from watchkeeper.store.schema import travel_interchanges
from watchkeeper.store.times import utc

# Marks by which a sender says a message changes what it sent before. PAXLST: BGM document
# name and identifier as the WCO/IATA/ICAO guide (and GTAS's BGM) define them: passenger
# list changes (CP change passenger data, XR cancel reservation, RP reduction in party),
# crew changes, master crew list add/delete/change, and any flight status update (266).
# PNRGOV: MSG+:141, "changed PNRs only" (MSG+:22 is the full push).
PAXLST_UPDATES: dict[str, frozenset[str] | None] = {
    "745": frozenset({"CP", "XR", "RP"}),
    "250": frozenset({"CC", "BC", "EC", "FC"}),
    "336": frozenset({"G", "H", "I"}),
    "266": None,  # every identifier: CL, CLNB, CLOB close the flight, XF/CF cancel or change it
}
PNRGOV_UPDATE = "141"
INGEST = "ingest"  # the audit action (``store.audit``)


class InterchangeConflict(ConflictError):
    """Another interchange was received under this sender and reference, and this one is not
    marked as an update of it: nothing was stored. A data fault of the sender's, so the CLI
    exits 65 (not 75: retrying the same bytes cannot succeed)."""

    exit_code = 65


@dataclass(frozen=True, slots=True)
class Interchange:
    """What names one interchange: its sender, its control reference and its bytes."""

    sender: str | None
    reference: str | None
    digest: str
    update: str | None  # the sender's update mark, when every message carries one

    @classmethod
    def of(cls, raw: bytes, messages: Sequence[TravelMessage]) -> "Interchange":
        """The interchange of ``raw``, as read into ``messages`` (all share one UNB)."""
        first = messages[0] if messages else None
        marks = [update_mark(m) for m in messages]
        return cls(
            sender=(first.sender or None) if first else None,
            reference=(first.interchange or None) if first else None,
            digest=digest_of(raw),
            update=marks[0] if marks and all(marks) else None,
        )


@dataclass(frozen=True, slots=True)
class Receipt:
    """The answer to an interchange: where it is kept, the alerts its first screening queued
    and its flight reports (``report_dict``; empty once retention depersonalised them), and
    whether this delivery repeated one already received."""

    id: int
    path: str
    received_at: datetime
    version: int
    alerts: int
    reports: list[dict[str, Any]]
    repeat: bool = False
    depersonalised: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The service's answer: the first answer's alerts and reports, and the interchange."""
        return {
            "alerts": self.alerts,
            "reports": self.reports,
            "interchange": {
                "id": self.id,
                "version": self.version,
                "received_at": self.received_at.isoformat(),
                "repeat": self.repeat,
                "depersonalised": self.depersonalised,
            },
        }


def update_mark(message: TravelMessage) -> str | None:
    """The segment by which the sender marks ``message`` as an update, as written
    (``BGM+745+CP``, ``MSG+:141``); None for an original."""
    for segment in message.segments[1:3]:  # BGM (PAXLST) or MSG (PNRGOV) follows UNH
        if message.kind == "PAXLST" and segment.tag == "BGM":
            name, identifier = segment.get(0), segment.get(1)
            if name in PAXLST_UPDATES:
                allowed = PAXLST_UPDATES[name]
                if allowed is None or identifier in allowed:
                    return f"BGM+{name}+{identifier}".rstrip("+")
            return None
        if message.kind == "PNRGOV" and segment.tag == "MSG":
            return "MSG+:141" if segment.get(0, 1) == PNRGOV_UPDATE else None
    return None


def receive(
    engine: Engine,
    raw: bytes,
    path: str,
    by: Submitter,
    screen: Callable[[list[TravelMessage]], list[FlightReport]],
    now: datetime,
) -> Receipt:
    """Read, screen and keep one interchange, once (see the module's doc). Raises
    ``SourceError`` (kept for replay) when it cannot be read, ``InterchangeConflict``
    when its reference is taken; ``screen`` runs only for an interchange not yet received."""
    again = answer_again(engine, raw, path, by, now)
    if again is not None:
        return again
    try:
        messages = parse_messages(raw, path, strict=False)
    except SourceError as exc:
        keep_failure(engine, raw, path, exc, by, now)
        raise
    interchange = Interchange.of(raw, messages)
    with engine.connect() as conn:
        check(conn, interchange)  # before screening: a refusal costs nothing
    return keep(engine, interchange, path, screen(messages), by, now)


def answer_again(
    engine: Engine, raw: bytes, path: str, by: Submitter, now: datetime
) -> Receipt | None:
    """The first answer to these bytes, if they were received before, with the repeat
    audited in the same transaction; None for bytes not yet received."""
    digest = digest_of(raw)
    with engine.begin() as conn:
        first = _received(conn, digest)
        if first is not None:
            _audit(conn, by, first, now, path=path)
        return first


def check(conn: Connection, interchange: Interchange) -> int:
    """The version ``interchange`` would be stored as: 1 for a new reference, the next one
    for a marked update; ``InterchangeConflict`` for an unmarked reuse of a reference."""
    if interchange.reference is None:
        return 1  # nothing names it but its bytes
    newest = conn.execute(
        select(travel_interchanges)
        .where(
            travel_interchanges.c.sender == interchange.sender,
            travel_interchanges.c.reference == interchange.reference,
        )
        .order_by(travel_interchanges.c.version.desc())
        .limit(1)
    ).first()
    if newest is None:
        return 1
    if interchange.update is None:
        raise InterchangeConflict(
            f"interchange {interchange.reference!r} from {interchange.sender!r} was received "
            f"on {utc(newest.received_at):%Y-%m-%d %H:%M} UTC ({newest.path}) with other "
            "content, and this one is not marked as an update of it (PAXLST BGM CP/XR/RP, "
            "266 or a crew change; PNRGOV MSG+:141): nothing was stored. Send it under a new "
            "UNB control reference, or marked as an update.",
            {
                "interchange": newest.id,
                "sender": interchange.sender,
                "reference": interchange.reference,
                "version": newest.version,
                "received_at": utc(newest.received_at).isoformat(),
                "digest": newest.digest,
            },
        )
    return int(newest.version) + 1


def keep(
    engine: Engine,
    interchange: Interchange,
    path: str,
    reports: list[FlightReport],
    by: Submitter,
    now: datetime,
) -> Receipt:
    """Store the screened interchange, its alerts, its answer and its audit entry in one
    transaction. Receivers take turns here, so of two deliveries of the same bytes at once
    the second is answered as a repeat, and of two versions under one reference the second
    is checked against the first."""
    # As JSON gives it back (tuples become lists), so the first answer and a repeat are equal.
    answer: list[dict[str, Any]] = orjson.loads(orjson.dumps([report_dict(r) for r in reports]))
    with engine.begin() as conn:
        write_lock(conn, TRAVEL_INGEST)  # before the first read: checks see every commit
        first = _received(conn, interchange.digest)
        if first is not None:
            _audit(conn, by, first, now, path=path)
            return first
        version = check(conn, interchange)
        result = conn.execute(
            travel_interchanges.insert().values(
                received_at=now,
                path=path,
                sender=interchange.sender,
                reference=interchange.reference,
                version=version,
                update_code=interchange.update if version > 1 else None,
                digest=interchange.digest,
                alerts=0,
                answer=answer,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        interchange_id = int(key[0])
        alerts = write_reports(conn, path, reports, now, interchange_id)
        conn.execute(
            travel_interchanges.update()
            .where(travel_interchanges.c.id == interchange_id)
            .values(alerts=alerts)
        )
        receipt = Receipt(interchange_id, path, now, version, alerts, answer)
        _audit(conn, by, receipt, now, path=path, messages=len(reports))
        return receipt


def keep_failure(
    engine: Engine, raw: bytes, path: str, error: SourceError, by: Submitter, now: datetime
) -> None:
    """Keep an interchange that cannot be read, for replay, audited in the same transaction."""
    with engine.begin() as conn:
        row_id = write_failure(conn, path, raw.decode("utf-8", errors="replace"), error, now)
        record(
            conn,
            by.name,
            INGEST,
            "travel_message",
            str(row_id),
            {"path": path, "digest": digest_of(raw), "failed": len(error.issues)},
            by.remote,
            now,
        )


def _received(conn: Connection, digest: str) -> Receipt | None:
    row = conn.execute(
        select(travel_interchanges).where(travel_interchanges.c.digest == digest)
    ).first()
    if row is None:
        return None
    return Receipt(
        row.id,
        row.path,
        utc(row.received_at),
        row.version,
        row.alerts,
        row.answer or [],
        repeat=True,
        depersonalised=row.answer is None,
    )


def _audit(
    conn: Connection,
    by: Submitter,
    receipt: Receipt,
    now: datetime,
    *,
    path: str,
    messages: int | None = None,
) -> None:
    """The ingest entry: a first receipt with its message count, a repeat with the path it
    repeats (the answer sent names people either way)."""
    detail: dict[str, Any] = {"path": path, "version": receipt.version, "alerts": receipt.alerts}
    if receipt.repeat:
        detail["repeat_of"] = receipt.path
    if messages is not None:
        detail["messages"] = messages
    record(conn, by.name, INGEST, "travel_interchange", str(receipt.id), detail, by.remote, now)
