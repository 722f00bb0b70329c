"""PAXLST (UN/EDIFACT D:02B and D:05B API): the people on one flight, read into the model.

Segment meanings follow the WCO/IATA/ICAO API implementation guide as GTAS reads them
(``PaxlstParserUNedifact.java``): the message is read in one pass, each segment applying
to the flight, traveller or document group it appears in.
"""

import re

from watchkeeper.lanes.travel.drafts import TravellerDraft, add_once, gender
from watchkeeper.lanes.travel.edifact import Envelope, RawMessage, digits, ymd, ymd_hm
from watchkeeper.lanes.travel.model import FlightLeg, Segment, TravelDocument, TravelMessage

# NAD party codes: FL passenger, FM crew; DDU/DDT are passengers/crew in transit.
_ROLES = {"FL": "passenger", "DDU": "passenger", "FM": "crew", "DDT": "crew"}
_IN_TRANSIT = {"DDU", "DDT"}
# CNT qualifiers: 42 total passengers, 41 total crew.
_COUNTED = {"42": ("passenger", "passengers"), "41": ("crew", "crew members")}
# The conveyance reference is carrier + number ("UA0989", "TN506"): 2-character IATA codes
# are tried first, then 3-letter ICAO ones.
_FLIGHT = re.compile(r"([A-Z0-9]{2}|[A-Z]{3})([0-9]{1,4}[A-Z]?)")


class _Leg:
    """Airports and times of the leg being read: LOC+DTM pairs until both ends are known."""

    def __init__(self, tdt: Segment) -> None:
        self.tdt = tdt
        reference = tdt.get(1)
        self.carrier = tdt.get(4)
        self.number = reference
        if self.carrier and reference.startswith(self.carrier):
            self.number = reference[len(self.carrier) :]
        elif match := _FLIGHT.fullmatch(reference):
            self.carrier, self.number = match.groups()
        self.origin: str | None = None
        self.destination: str | None = None
        self.departure_text = ""
        self.arrival_text = ""


def parse_paxlst(raw: RawMessage, text: str, path: str, envelope: Envelope) -> TravelMessage:
    """The travellers, flights and reporting party of one PAXLST message."""
    reference = raw.prepared
    legs: list[FlightLeg] = []
    drafts: list[TravellerDraft] = []
    person: TravellerDraft | None = None
    document: Segment | None = None  # the DOC being read, with its LOC+91 and DTM+36
    issuer = expiry = ""
    leg: _Leg | None = None
    document_code: str | None = None
    reporting_party: str | None = None
    counts: list[Segment] = []

    def close_leg() -> None:
        nonlocal leg
        if leg is not None and leg.origin and leg.destination:
            legs.append(
                FlightLeg(
                    carrier=leg.carrier,
                    flight_number=leg.number,
                    origin=leg.origin,
                    destination=leg.destination,
                    departure=ymd_hm(leg.departure_text, reference),
                    arrival=ymd_hm(leg.arrival_text, reference),
                    segment=leg.tdt.number,
                )
            )
            leg = _Leg(leg.tdt)  # a TDT may carry several legs (LOC+92 routing)

    def close_document() -> None:
        nonlocal document
        if document is not None and person is not None and document.get(1):
            person.documents.append(
                TravelDocument(
                    doc_type=document.get(0),
                    number=document.get(1),
                    issuing_country=issuer or None,
                    expiry=ymd(expiry, reference),
                    nationality=None,
                    segment=document.number,
                )
            )
        document = None

    for segment in raw.segments[1:-1]:
        tag, elements = segment.tag, segment.elements
        first = elements[0] if elements else ("",)
        qualifier = first[0]
        if tag == "NAD":
            code = qualifier
            close_leg()
            leg = None
            close_document()
            if code in _ROLES:
                person = _traveller(segment, code)
                drafts.append(person)
            elif person is None:
                reporting_party = _party_name(segment)
        elif tag == "TDT":
            close_leg()
            leg = _Leg(segment)
        elif tag == "LOC":
            place = segment.get(1) or segment.get(1, 3)  # LOC+180+:::HARTFORD USA
            if leg is not None:
                if leg.origin and leg.destination:
                    close_leg()
                _leg_place(leg, qualifier, place)
            elif document is not None:
                if qualifier == "91":
                    issuer = place
            elif person is not None:
                _traveller_place(person, qualifier, place)
        elif tag == "DTM":
            value = first[1] if len(first) > 1 else ""
            if leg is not None:
                if qualifier == "189":
                    leg.departure_text = value
                elif qualifier == "232":
                    leg.arrival_text = value
            elif document is not None:
                if qualifier == "36":
                    expiry = value
            elif person is not None and qualifier == "329":
                person.birth_date = ymd(value, reference, past=True)
        elif tag == "BGM":
            document_code = qualifier
        elif person is None:
            continue  # reporting-party COM/CTA and other header detail
        elif tag == "DOC":
            close_document()
            document, issuer, expiry = segment, "", ""
        elif tag == "ATT" and qualifier == "2":
            person.gender = gender(segment.get(2))
        elif tag == "NAT":
            person.nationality = segment.get(1) or None
        elif tag == "RFF":
            _reference(person, segment)
        elif tag == "FTX" and qualifier == "BAG":
            add_once(person.bags, segment.get(3))
        elif tag == "COM":
            for element in segment.elements:
                kind = element[1] if len(element) > 1 else ""
                if kind == "TE":
                    add_once(person.phones, element[0])
                elif kind == "EM":
                    add_once(person.emails, element[0])
        elif tag == "CNT":
            close_document()
            counts.append(segment)
    close_leg()
    close_document()
    travellers = tuple(draft.freeze() for draft in drafts)
    for count in counts:
        counted = _COUNTED.get(count.get(0))
        if counted:
            role, label = counted
            found = sum(1 for traveller in travellers if traveller.role == role)
            # CNT+42:10 per the guide; GTAS's Test1.txt writes CNT+41+8, read the same way.
            declared = count.get(0, 1) or count.get(1)
            if not (digits(declared) and int(declared) == found):
                problem = f"CNT+{count.get(0)} says {declared!r} {label}, found {found}"
                envelope.report(count, problem)
    return TravelMessage(
        kind="PAXLST",
        version=raw.version,
        reference=raw.reference,
        sender=raw.sender,
        interchange=raw.interchange,
        path=path,
        raw=text,
        segments=raw.segments,
        document_code=document_code,
        reporting_party=reporting_party,
        flights=tuple(legs),
        travellers=travellers,
    )


def _party_name(nad: Segment) -> str | None:
    """The reporting party: a contact name (NAD+MS+++JOHN SMITH) or a profile id (NAD+MS+ID)."""
    name = " ".join(part for part in (nad.elements[3] if len(nad.elements) > 3 else ()) if part)
    return name or nad.get(1) or None


def _traveller(nad: Segment, code: str) -> TravellerDraft:
    """A traveller from NAD+FL+++SURNAME:GIVEN:MIDDLE+street+city+subdivision+postcode+country."""
    names = nad.elements[3] if len(nad.elements) > 3 else ("",)
    person = TravellerDraft(
        role="crew" if _ROLES[code] == "crew" else "passenger",
        surname=names[0].strip(),
        given_names=" ".join(name.strip() for name in names[1:] if name.strip()),
        segment=nad.number,
        in_transit=code in _IN_TRANSIT,
    )
    if len(nad.elements) > 4:
        add_once(person.addresses, ", ".join(part[0] for part in nad.elements[4:9] if part[0]))
    return person


def _leg_place(leg: _Leg, qualifier: str, place: str) -> None:
    """LOC+125 departure, +87 arrival; +92 (routing) is origin then destination in turn;
    +130 (final destination) ends a +92 pair, as in GTAS."""
    if qualifier == "125":
        leg.origin = place
    elif qualifier == "87":
        leg.destination = place
    elif qualifier in ("92", "130"):
        if leg.origin and not leg.destination:
            leg.destination = place
        elif qualifier == "92":
            leg.origin = place


def _traveller_place(person: TravellerDraft, qualifier: str, place: str) -> None:
    """LOC+178 embarkation, +179 debarkation, +174 country of residence, +180 place of birth
    (+22, the first arrival airport in the destination country, is not the traveller's)."""
    if qualifier == "178":
        person.embarkation = place or None
    elif qualifier == "179":
        person.debarkation = place or None
    elif qualifier == "174":
        person.residence_country = place or None
    elif qualifier == "180":
        person.place_of_birth = place or None


def _reference(person: TravellerDraft, rff: Segment) -> None:
    """RFF+AVF booking reference (PNR locator), +ABO unique passenger reference, +SEA seat,
    +CR customer reference (frequent flyer number)."""
    qualifier, value = rff.get(0), rff.get(0, 1)
    if qualifier == "AVF":
        person.pnr_reference = value or None
    elif qualifier == "ABO":
        person.traveller_reference = value or None
    elif qualifier == "SEA":
        add_once(person.seats, value.lstrip("0"))
    elif qualifier == "CR":
        add_once(person.frequent_flyer, value)
