"""A travel alert's input: only its traveller's segments of the message, never the other
passengers'. PAXLST: the traveller's NAD group (NAD, ATT, DTM, LOC, NAT, RFF, DOC...).
PNRGOV: the booking the traveller is in (its SRC, RCI, itinerary, payments), without the
other travellers' TIF groups and without the history (ABI) group, which quotes them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from watchkeeper.lanes.travel import Booking, Segment, Traveller, TravelMessage
from watchkeeper.store.alert_lookup import StoredAlert
from watchkeeper.workbench.messages import KeptMessage

Owner = Literal["traveller", "booking"]
ENDS_TRAVELLERS = frozenset({"CNT", "UNT"})  # PAXLST: what follows the last traveller
BOOKING_GROUPS = frozenset({"SRC", "TVL", "TRI"})  # PNRGOV: groups that are the booking's
HISTORY = "ABI"  # PNRGOV group 12: past states of the booking, other travellers included


@dataclass(frozen=True, slots=True)
class SegmentLine:
    """One segment of the message as sent (``text`` with its terminator; masked "X" once
    depersonalised); ``number`` counts from UNB = 1; ``marked`` is the one the alert points
    at; ``owner`` says whether it is the traveller's own or the booking's they share."""

    number: int
    tag: str
    text: str
    owner: Owner
    marked: bool


@dataclass(frozen=True, slots=True)
class TravelInput:
    """The traveller's part of the travel message an alert came from."""

    message_id: int
    path: str
    received_at: datetime
    kind: str  # PAXLST or PNRGOV
    reference: str
    flight: str | None  # carrier and number of the first leg
    traveller: str | None  # the traveller's name as the message gives it
    role: str | None
    record_locator: str | None  # PNRGOV: the booking
    depersonalised: bool
    marked: int | None
    segments: tuple[SegmentLine, ...]


def travel_input(kept: KeptMessage, alert: StoredAlert) -> TravelInput:
    """The segments of ``alert``'s traveller in ``kept``, the alert's segment marked."""
    message = kept.message
    person = traveller_of(message, alert)
    booking = _booking(message, person)
    if message.kind == "PAXLST" or booking is None:
        lines = _paxlst_lines(message, person, alert.segment)
    else:
        lines = _pnr_lines(message, booking, person, alert.segment)
    legs = message.flights or tuple(leg for b in message.bookings for leg in b.itinerary)
    return TravelInput(
        message_id=kept.id,
        path=kept.path,
        received_at=kept.received_at,
        kind=message.kind,
        reference=message.reference,
        flight=f"{legs[0].carrier}{legs[0].flight_number}" if legs else None,
        traveller=person.full_name if person else None,
        role=person.role if person else None,
        record_locator=booking.record_locator if booking else None,
        depersonalised=kept.depersonalised,
        marked=alert.segment,
        segments=tuple(lines),
    )


def traveller_of(message: TravelMessage, alert: StoredAlert) -> Traveller | None:
    """The traveller an alert is about: the one whose segment (or document's) it points at,
    else the one of the subject's name (rule hits point at the segment behind the rule)."""
    people = message.all_travellers
    for person in people:
        if alert.segment in (person.segment, *(d.segment for d in person.documents)):
            return person
    names = set(alert.subject.get("names") or ())
    named = [p for p in people if p.full_name in names]
    return named[0] if named else None


def _booking(message: TravelMessage, person: Traveller | None) -> Booking | None:
    return next((b for b in message.bookings if person in b.travellers), None)


def _line(segment: Segment, owner: Owner, marked: int | None) -> SegmentLine:
    return SegmentLine(segment.number, segment.tag, segment.text, owner, segment.number == marked)


def _paxlst_lines(
    message: TravelMessage, person: Traveller | None, marked: int | None
) -> list[SegmentLine]:
    """The traveller's NAD group: from its NAD to the next traveller or the CNT."""
    if person is None:
        return [_line(s, "booking", marked) for s in message.segments if s.number == marked]
    starts = {p.segment for p in message.all_travellers}
    lines, inside = [], False
    for segment in message.segments:
        if segment.number == person.segment:
            inside = True
        elif inside and (segment.number in starts or segment.tag in ENDS_TRAVELLERS):
            inside = False
        if inside:
            lines.append(_line(segment, "traveller", marked))
        elif segment.number == marked:
            lines.append(_line(segment, "booking", marked))
    return lines


def _pnr_lines(
    message: TravelMessage, booking: Booking, person: Traveller | None, marked: int | None
) -> list[SegmentLine]:
    """The booking's segments with the traveller's own TIF groups, others' left out."""
    starts = sorted(b.segment for b in message.bookings)
    after = [s for s in starts if s > booking.segment]
    end = after[0] if after else message.segments[-1].number + 1
    own = {person.segment, *(d.segment for d in person.documents)} if person else set()
    lines: list[SegmentLine] = []
    owner: Owner | None = "booking"  # None: another traveller's group, or the history
    history = False
    for segment in message.segments:
        if not booking.segment <= segment.number < end or segment.tag == "UNT":
            continue
        history = history or segment.tag == HISTORY
        if history:
            owner = None
        elif segment.tag == "TIF":
            owner = "traveller" if person and _is_person(segment, person) else None
        elif segment.tag in BOOKING_GROUPS:
            owner = "booking"
        if segment.number in own:
            lines.append(_line(segment, "traveller", marked))
        elif owner is not None or segment.number == marked:
            lines.append(_line(segment, owner or "booking", marked))
    return lines


def _is_person(tif: Segment, person: Traveller) -> bool:
    """Whether a TIF names ``person``: the one that opened them, or (in a check-in group)
    one with their surname and first given name."""
    if tif.number == person.segment:
        return True
    given = tif.get(1).split()
    first = person.given_names.split()
    return tif.get(0) == person.surname and given[:1] == first[:1]
