"""Keeping what the travel lane screened: each message raw and parsed, and its alerts.

One file is written in one transaction, so a report is stored whole or not at all; a file
that could not be read is stored as "failed" with its error, so nothing the airline sent is
lost and it can be replayed once the fault is understood.
"""

from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from watchkeeper.errors import SourceError
from watchkeeper.lanes.travel.model import TravelMessage
from watchkeeper.lanes.travel.rules import RuleHit
from watchkeeper.lanes.travel.screening import FlightReport, TravellerReport
from watchkeeper.matching.subject import Subject
from watchkeeper.store.alerts import NewAlert, insert_alerts
from watchkeeper.store.schema import travel_messages

LANE = "travel"
SCREENED = "screened"
FAILED = "failed"
_NOT_STORED = {"raw", "segments"}  # the raw text has its own column; segments are re-read


def parsed_of(message: TravelMessage) -> dict[str, Any]:
    """The parse result as plain JSON data (dates as ISO strings, amounts as strings)."""
    data = {f.name: getattr(message, f.name) for f in fields(message) if f.name not in _NOT_STORED}
    loaded: dict[str, Any] = orjson.loads(orjson.dumps(data, default=_plain))
    return loaded


def _plain(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def save_reports(engine: Engine, path: str, reports: list[FlightReport], now: datetime) -> int:
    """Store the messages of one file and their alerts in one transaction; returns the
    number of alerts for review (those a remembered decision suppressed are not counted)."""
    with engine.begin() as conn:
        return write_reports(conn, path, reports, now)


def write_reports(
    conn: Connection,
    path: str,
    reports: list[FlightReport],
    now: datetime,
    interchange_id: int | None = None,
) -> int:
    """``save_reports`` inside the caller's transaction, the messages linked to the
    interchange they arrived in when it is known (``ingest``)."""
    count = 0
    for report in reports:
        message_id = _insert_message(conn, report.message, path, now, interchange_id)
        inserted = insert_alerts(
            conn, message_alerts(report), travel_messages.name, message_id, now
        )
        count += inserted.written - inserted.suppressed
    return count


def write_failure(conn: Connection, path: str, raw: str, error: SourceError, now: datetime) -> int:
    """Keep an unreadable file with its error, for replay, inside the caller's transaction
    (``ingest`` writes its audit entry in the same one); returns its row id."""
    result = conn.execute(
        travel_messages.insert().values(
            received_at=now, path=path, status=FAILED, error=error.detail, raw=raw
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def message_alerts(report: FlightReport) -> list[NewAlert]:
    """The alerts of one message: its travellers', and its rule hits on a booking as a
    whole."""
    found = [a for t in report.travellers for a in traveller_alerts(t)]
    found += [
        NewAlert(
            LANE, "rule", _booking_subject(report), r.reason, r.segment, explanation=_rule_detail(r)
        )
        for r in report.unattached_rules
    ]
    return found


def traveller_alerts(report: TravellerReport) -> list[NewAlert]:
    """One alert per watchlist hit, flagged document and rule hit of a traveller."""
    traveller, subject = report.traveller, report.subject
    found = [
        NewAlert(
            LANE,
            "watchlist",
            subject,
            hit.reason,
            traveller.segment,
            hit.list_name,
            hit.entity_id,
            hit.score,
            {**hit.result.as_dict(), **_booking(traveller.pnr_reference)},
        )
        for hit in report.hits
    ]
    for doc in report.documents:
        reason = (
            f"document {doc.number} ({doc.country or 'country unknown'}) reported {doc.status}"
            f" by {doc.reported_by or 'unknown'} in list {doc.list_name}"
        )
        segment = next(
            (d.segment for d in traveller.documents if _same_number(d.number, doc.number)),
            traveller.segment,
        )
        found.append(
            NewAlert(
                LANE,
                "document",
                subject,
                reason,
                segment,
                doc.list_name,
                doc.entity_id,
                explanation=_booking(traveller.pnr_reference) or None,
            )
        )
    found += [
        NewAlert(LANE, "rule", subject, rule.reason, rule.segment, explanation=_rule_detail(rule))
        for rule in report.rules
    ]
    return found


def _rule_detail(rule: RuleHit) -> dict[str, object]:
    """What the review queue rolls up (``review.risk``): the rule, its weight when it fired,
    and the booking (PNR record locator) it fired on, when there is one."""
    person = rule.traveller.pnr_reference if rule.traveller else None
    locator = rule.booking.record_locator if rule.booking else person
    return {"rule": rule.rule_id, "weight": rule.weight, **_booking(locator)}


def _booking(locator: str | None) -> dict[str, object]:
    """The booking an alert belongs to (its PNR record locator), for grouping in the queue."""
    return {"booking": locator} if locator else {}


def _same_number(a: str, b: str) -> bool:
    return "".join(filter(str.isalnum, a)).upper() == "".join(filter(str.isalnum, b)).upper()


def _booking_subject(report: FlightReport) -> Subject:
    """Rule hits on a booking with no single traveller are filed under its first traveller,
    or an empty subject when it has none."""
    first = next(iter(report.travellers), None)
    return first.subject if first else Subject("Person", ())


def _insert_message(
    conn: Connection,
    message: TravelMessage,
    path: str,
    now: datetime,
    interchange_id: int | None,
) -> int:
    flight = message.flights[0] if message.flights else None
    issues = "\n".join(str(issue) for issue in message.issues) or None
    result = conn.execute(
        travel_messages.insert().values(
            received_at=now,
            path=path,
            kind=message.kind,
            reference=message.reference,
            flight=f"{flight.carrier}{flight.flight_number}" if flight else None,
            status=SCREENED,
            error=issues,
            raw=message.raw,
            parsed=parsed_of(message),
            interchange_id=interchange_id,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
