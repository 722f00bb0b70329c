"""PAXLST (UN/EDIFACT D:02B and D:05B API): the people on one flight, read into the model.

Segment meanings follow the WCO/IATA/ICAO API implementation guide as GTAS reads them
(``PaxlstParserUNedifact.java``): the message is read in one pass (``reading``), each
segment applying to the flight, traveller or document group it appears in.
"""

import re

from watchkeeper.lanes.travel.drafts import TravellerDraft, add_once, gender
from watchkeeper.lanes.travel.edifact import Envelope, RawMessage, digits, ymd, ymd_hm
from watchkeeper.lanes.travel.model import FlightLeg, Segment, TravelDocument, TravelMessage
from watchkeeper.lanes.travel.reading import Handlers, SegmentReader

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


class _Reader(SegmentReader):
    """State of the one pass: the leg, traveller and document being read. Until the first
    traveller only the flight and header segments mean something (``_HEADER``); from
    then on the traveller's too (``_TRAVELLER``)."""

    def __init__(self, raw: RawMessage) -> None:
        self.handlers = _HEADER
        self.reference = raw.prepared
        self.legs: list[FlightLeg] = []
        self.drafts: list[TravellerDraft] = []
        self.person: TravellerDraft | None = None
        self.document: Segment | None = None  # the DOC being read, with its LOC+91 and DTM+36
        self.issuer = self.expiry = ""
        self.leg: _Leg | None = None
        self.document_code: str | None = None
        self.reporting_party: str | None = None
        self.counts: list[Segment] = []

    @property
    def traveller(self) -> TravellerDraft:
        """The traveller being read: ``_TRAVELLER`` handlers run only once there is one."""
        assert self.person is not None
        return self.person

    def close_leg(self) -> None:
        leg = self.leg
        if leg is not None and leg.origin and leg.destination:
            self.legs.append(
                FlightLeg(
                    carrier=leg.carrier,
                    flight_number=leg.number,
                    origin=leg.origin,
                    destination=leg.destination,
                    departure=ymd_hm(leg.departure_text, self.reference),
                    arrival=ymd_hm(leg.arrival_text, self.reference),
                    segment=leg.tdt.number,
                )
            )
            self.leg = _Leg(leg.tdt)  # a TDT may carry several legs (LOC+92 routing)

    def close_document(self) -> None:
        document, person = self.document, self.person
        if document is not None and person is not None and document.get(1):
            person.documents.append(
                TravelDocument(
                    doc_type=document.get(0),
                    number=document.get(1),
                    issuing_country=self.issuer or None,
                    expiry=ymd(self.expiry, self.reference),
                    nationality=None,
                    segment=document.number,
                )
            )
        self.document = None


def parse_paxlst(raw: RawMessage, text: str, path: str, envelope: Envelope) -> TravelMessage:
    """The travellers, flights and reporting party of one PAXLST message."""
    reader = _Reader(raw)
    reader.read(raw)
    reader.close_leg()
    reader.close_document()
    travellers = tuple(draft.freeze() for draft in reader.drafts)
    for count in reader.counts:
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
        document_code=reader.document_code,
        reporting_party=reader.reporting_party,
        flights=tuple(reader.legs),
        travellers=travellers,
    )


def _nad(reader: _Reader, nad: Segment) -> None:
    """A traveller (NAD+FL, +FM, +DDU, +DDT) or, before the first, the reporting party;
    either ends the leg and the document being read."""
    code = nad.get(0)
    reader.close_leg()
    reader.leg = None
    reader.close_document()
    if code in _ROLES:
        reader.person = _traveller(nad, code)
        reader.drafts.append(reader.person)
        reader.handlers = _TRAVELLER
    elif reader.person is None:
        reader.reporting_party = _party_name(nad)


def _tdt(reader: _Reader, tdt: Segment) -> None:
    """A flight: its LOC and DTM segments follow."""
    reader.close_leg()
    reader.leg = _Leg(tdt)


def _loc(reader: _Reader, loc: Segment) -> None:
    """A place of the leg, else of the document (LOC+91 issuer), else of the traveller."""
    qualifier = loc.get(0)
    place = loc.get(1) or loc.get(1, 3)  # LOC+180+:::HARTFORD USA
    leg = reader.leg
    if leg is not None:
        if leg.origin and leg.destination:
            reader.close_leg()
            leg = reader.leg
            assert leg is not None  # close_leg opens the TDT's next leg
        _leg_place(leg, qualifier, place)
    elif reader.document is not None:
        if qualifier == "91":
            reader.issuer = place
    elif reader.person is not None:
        _traveller_place(reader.person, qualifier, place)


def _dtm(reader: _Reader, dtm: Segment) -> None:
    """A time of the leg (189 departure, 232 arrival), else the document's expiry (36),
    else the traveller's birth date (329)."""
    qualifier, value = dtm.get(0), dtm.get(0, 1)
    leg = reader.leg
    if leg is not None:
        if qualifier == "189":
            leg.departure_text = value
        elif qualifier == "232":
            leg.arrival_text = value
    elif reader.document is not None:
        if qualifier == "36":
            reader.expiry = value
    elif reader.person is not None and qualifier == "329":
        reader.person.birth_date = ymd(value, reader.reference, past=True)


def _bgm(reader: _Reader, bgm: Segment) -> None:
    """The document code: which kind of list this is."""
    reader.document_code = bgm.get(0)


def _doc(reader: _Reader, doc: Segment) -> None:
    """A travel document of the traveller; its LOC+91 and DTM+36 follow."""
    reader.close_document()
    reader.document, reader.issuer, reader.expiry = doc, "", ""


def _att(reader: _Reader, att: Segment) -> None:
    """ATT+2 gender."""
    if att.get(0) == "2":
        reader.traveller.gender = gender(att.get(2))


def _nat(reader: _Reader, nat: Segment) -> None:
    reader.traveller.nationality = nat.get(1) or None


def _rff(reader: _Reader, rff: Segment) -> None:
    _reference(reader.traveller, rff)


def _ftx(reader: _Reader, ftx: Segment) -> None:
    """FTX+BAG bag tag numbers."""
    if ftx.get(0) == "BAG":
        add_once(reader.traveller.bags, ftx.get(3))


def _com(reader: _Reader, com: Segment) -> None:
    """The traveller's phone numbers (TE) and emails (EM)."""
    person = reader.traveller
    for element in com.elements:
        kind = element[1] if len(element) > 1 else ""
        if kind == "TE":
            add_once(person.phones, element[0])
        elif kind == "EM":
            add_once(person.emails, element[0])


def _cnt(reader: _Reader, cnt: Segment) -> None:
    """A control total, checked once every traveller is read (``parse_paxlst``)."""
    reader.close_document()
    reader.counts.append(cnt)


_HEADER: Handlers[_Reader] = {
    "NAD": _nad,
    "TDT": _tdt,
    "LOC": _loc,
    "DTM": _dtm,
    "BGM": _bgm,
}
"""Before the first traveller: the reporting party's COM/CTA and other header detail are
not read."""
_TRAVELLER: Handlers[_Reader] = {
    **_HEADER,
    "DOC": _doc,
    "ATT": _att,
    "NAT": _nat,
    "RFF": _rff,
    "FTX": _ftx,
    "COM": _com,
    "CNT": _cnt,
}


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
