"""One typed model for both travel-message kinds, so screening code never cares which it read.

PAXLST (API) lists the people on a flight; PNRGOV lists bookings, each with travellers and an
itinerary. Both end up as ``Traveller`` and ``FlightLeg`` values; the ``segment`` numbers on
every value let an alert point back at the line of the message it came from.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, NamedTuple

from watchkeeper.errors import SourceIssue

MessageKind = Literal["PAXLST", "PNRGOV"]
Role = Literal["passenger", "crew", "infant"]
Gender = Literal["M", "F", "U"]


class Segment(NamedTuple):
    """One EDIFACT segment as read: its number in the file, tag, elements and text.

    ``number`` counts segments from UNB = 1 (UNA is a service string advice, not a segment);
    ``elements[e][c]`` is component ``c`` of data element ``e`` after the tag, unescaped.
    A named tuple rather than a dataclass: a big message holds thousands of segments, and
    tuples are built several times faster than frozen dataclasses.
    """

    number: int
    tag: str
    elements: tuple[tuple[str, ...], ...]
    text: str

    def get(self, element: int, component: int = 0) -> str:
        """The component, or "" when the segment does not have it (EDIFACT omits trailing ones)."""
        try:
            return self.elements[element][component]
        except IndexError:
            return ""

    @property
    def position(self) -> str:
        """Where a person finds it: ``segment 14 (NAD+FL+++DOE:JOHN')``."""
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"segment {self.number} ({text})"


@dataclass(frozen=True, slots=True)
class TravelDocument:
    """A passport, identity card or visa; country codes are kept as the message gives them."""

    doc_type: str
    number: str
    issuing_country: str | None
    expiry: date | None
    nationality: str | None
    segment: int


@dataclass(frozen=True, slots=True)
class FlightLeg:
    """One flight between two airports; a multi-leg flight or an itinerary gives several."""

    carrier: str
    flight_number: str
    origin: str | None
    destination: str | None
    departure: datetime | None
    arrival: datetime | None
    segment: int
    # Set on codeshares: the airline that flies the leg, and its own flight number.
    operating_carrier: str | None = None
    operating_flight_number: str | None = None


@dataclass(frozen=True, slots=True)
class Traveller:
    """A person in a message: everything screening matches on, plus where it was read."""

    role: Role
    surname: str
    given_names: str
    segment: int
    gender: Gender = "U"
    birth_date: date | None = None
    nationality: str | None = None
    residence_country: str | None = None
    place_of_birth: str | None = None
    documents: tuple[TravelDocument, ...] = ()
    in_transit: bool = False
    embarkation: str | None = None
    debarkation: str | None = None
    seats: tuple[str, ...] = ()
    bags: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    frequent_flyer: tuple[str, ...] = ()
    pnr_reference: str | None = None
    traveller_reference: str | None = None

    @property
    def full_name(self) -> str:
        """Name in "GIVEN SURNAME" order, the order list entries are written in."""
        return f"{self.given_names} {self.surname}".strip()


@dataclass(frozen=True, slots=True)
class Payment:
    """A form of payment: IATA type code (CA cash, CC card, ...) and the amount if given."""

    fop_type: str
    amount: Decimal | None
    segment: int
    card_vendor: str | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    """One PNR of a PNRGOV message: who booked what, when, and how it was paid."""

    record_locator: str
    segment: int
    booked_at: datetime | None = None  # when the PNR was created (RCI), for late-booking rules
    ticketing_date: date | None = None
    ticket_type: str | None = None  # "one-way" or "return" when the itinerary shows it
    tickets: tuple[str, ...] = ()
    itinerary: tuple[FlightLeg, ...] = ()
    travellers: tuple[Traveller, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    payments: tuple[Payment, ...] = ()
    travel_agency: str | None = None
    # Cross-references ("KE:EDP2RW"): the same booking at a codeshare partner, or the PNR it
    # was split from or into; PNRGOV repeats them in RCI and the samples mark no difference.
    other_locators: tuple[str, ...] = ()

    @property
    def booking_date(self) -> date | None:
        """Day the PNR was created."""
        return self.booked_at.date() if self.booked_at else None

    @property
    def codeshare_legs(self) -> tuple[FlightLeg, ...]:
        """Legs sold by one carrier and flown by another."""
        return tuple(leg for leg in self.itinerary if leg.operating_carrier)


@dataclass(frozen=True, slots=True)
class TravelMessage:
    """One UNH..UNT message with the envelope facts needed to trust and trace it."""

    kind: MessageKind
    version: str  # "D:02B" for PAXLST, "13:1" for PNRGOV
    reference: str
    sender: str
    path: str
    raw: str = field(repr=False)  # the whole decoded file, shared by its messages
    segments: tuple[Segment, ...] = field(repr=False)
    document_code: str | None = None  # PAXLST BGM: 745 passengers, 250 crew, ...
    reporting_party: str | None = None
    flights: tuple[FlightLeg, ...] = ()
    travellers: tuple[Traveller, ...] = ()
    bookings: tuple[Booking, ...] = ()
    # The UNB control reference: with ``sender``, what names the interchange (ISO 9735).
    interchange: str = ""
    # Bookkeeping faults a lenient parse kept instead of raising (see edifact.Envelope).
    issues: tuple[SourceIssue, ...] = ()

    @property
    def all_travellers(self) -> tuple[Traveller, ...]:
        """Everyone in the message, whichever kind: what a screening pass iterates over."""
        return self.travellers + tuple(t for booking in self.bookings for t in booking.travellers)

    def segment(self, index: int) -> Segment:
        """The segment with this file number, to show an alert's source line."""
        first = self.segments[0].number
        return self.segments[index - first]
