"""A flight's page: one travel message's flight (its legs, airports and times as the PAXLST
or PNRGOV gives them) and its travellers, each with the alerts raised on them (watchlist,
document and rule hits) and their summed rule risk."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from watchkeeper.auth import Actor
from watchkeeper.lanes.travel import FlightLeg, Traveller, TravelMessage
from watchkeeper.store.alert_lookup import StoredAlert, alerts_of_source
from watchkeeper.store.schema import travel_interchanges, travel_messages
from watchkeeper.workbench.access import READ_FLIGHT, audit_read
from watchkeeper.workbench.messages import KeptMessage, kept_message
from watchkeeper.workbench.travel_input import traveller_of


@dataclass(frozen=True, slots=True)
class LegView:
    """One flight leg; times are local to the airports, as the message gives them."""

    carrier: str
    flight_number: str
    origin: str | None
    destination: str | None
    departure: datetime | None
    arrival: datetime | None
    operating_carrier: str | None  # a codeshare's operating airline
    operating_flight_number: str | None
    segment: int


@dataclass(frozen=True, slots=True)
class Finding:
    """An alert raised on a traveller (or on a booking as a whole)."""

    alert_id: int
    kind: str  # watchlist, document, rule
    state: str
    list_name: str | None
    entity_id: str | None
    score: float | None
    rule: str | None
    reason: str
    segment: int | None


@dataclass(frozen=True, slots=True)
class TravellerRow:
    """A traveller of the message and what screening found on them. ``risk`` is the sum
    of the weights of their rule hits, from the answer kept with the interchange (None
    once retention has dropped it)."""

    name: str
    role: str
    gender: str
    birth_date: date | None
    nationality: str | None
    documents: tuple[str, ...]
    record_locator: str | None
    seats: tuple[str, ...]
    segment: int
    findings: tuple[Finding, ...]
    risk: float | None


@dataclass(frozen=True, slots=True)
class FlightPage:
    """One screened travel message as a flight."""

    message_id: int
    kind: str  # PAXLST or PNRGOV
    reference: str
    path: str
    received_at: datetime
    flight: str | None  # carrier and number of the first leg
    legs: tuple[LegView, ...]
    travellers: tuple[TravellerRow, ...]
    unattached: tuple[Finding, ...]  # rule hits on a booking with no one to file them under
    depersonalised: bool


def flight_page(
    engine: Engine, actor: Actor, message_id: int, remote: str | None = None
) -> FlightPage:
    """The flight of travel message ``message_id``; the read is audited."""
    audit_read(engine, actor, READ_FLIGHT, ("travel_message", str(message_id)), None, remote)
    kept = kept_message(engine, message_id)
    message = kept.message
    found: dict[int, list[Finding]] = {}
    unattached: list[Finding] = []
    for alert in alerts_of_source(engine, travel_messages.name, message_id):
        person = traveller_of(message, alert)
        place = found.setdefault(person.segment, []) if person else unattached
        place.append(_finding(alert))
    risks = _risks(engine, kept)
    legs = _legs(message)
    return FlightPage(
        message_id=kept.id,
        kind=message.kind,
        reference=message.reference,
        path=kept.path,
        received_at=kept.received_at,
        flight=f"{legs[0].carrier}{legs[0].flight_number}" if legs else None,
        legs=legs,
        travellers=tuple(
            _row(t, tuple(found.get(t.segment, ())), risks) for t in message.all_travellers
        ),
        unattached=tuple(unattached),
        depersonalised=kept.depersonalised,
    )


def _legs(message: TravelMessage) -> tuple[LegView, ...]:
    """The reported flight's legs (PAXLST), or every booking's itinerary, each leg once."""
    legs: dict[tuple[Any, ...], FlightLeg] = {}
    for leg in message.flights or tuple(x for b in message.bookings for x in b.itinerary):
        legs.setdefault((leg.carrier, leg.flight_number, leg.origin, leg.departure), leg)
    return tuple(
        LegView(
            leg.carrier,
            leg.flight_number,
            leg.origin,
            leg.destination,
            leg.departure,
            leg.arrival,
            leg.operating_carrier,
            leg.operating_flight_number,
            leg.segment,
        )
        for leg in legs.values()
    )


def _finding(alert: StoredAlert) -> Finding:
    rule = (alert.explanation or {}).get("rule") if alert.kind == "rule" else None
    return Finding(
        alert.id,
        alert.kind,
        alert.state,
        alert.list_name,
        alert.entity_id,
        alert.score,
        rule,
        alert.reason,
        alert.segment,
    )


def _row(
    person: Traveller, findings: tuple[Finding, ...], risks: dict[int, float] | None
) -> TravellerRow:
    return TravellerRow(
        name=person.full_name,
        role=person.role,
        gender=person.gender,
        birth_date=person.birth_date,
        nationality=person.nationality,
        documents=tuple(d.number for d in person.documents),
        record_locator=person.pnr_reference,
        seats=person.seats,
        segment=person.segment,
        findings=findings,
        risk=None if risks is None else risks.get(person.segment, 0.0),
    )


def _risks(engine: Engine, kept: KeptMessage) -> dict[int, float] | None:
    """Each traveller's summed rule weight by their segment, from the interchange's kept
    answer (``lanes.travel.screening.report_dict``); None when there is none."""
    if kept.interchange_id is None:
        return None
    query = select(travel_interchanges.c.answer).where(
        travel_interchanges.c.id == kept.interchange_id
    )
    with engine.connect() as conn:
        answer = conn.execute(query).scalar()
    if not answer or kept.index >= len(answer):
        return None
    report: dict[str, Any] = answer[kept.index]
    return {int(t["segment"]): float(t["risk"]) for t in report.get("travellers", [])}
