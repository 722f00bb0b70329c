"""PNRGOV (IATA 10.1, 11.1, 13.1): bookings with their travellers and itineraries.

The message is read in one pass (``reading``). Which group a segment belongs to follows the PNRGOV
implementation guide as GTAS reads it (``PnrGovParser.java``): SRC opens a PNR; TIF opens a
traveller (group 2) whose FTI/IFT/SSR/ADD/TKT/FOP follow; TVL opens an itinerary leg
(group 5) whose SSR seats and TRI check-in groups (TIF/SSD/TBD) follow; ABI opens the
history (group 12), whose repeated TVL and IFT lines are past states, not the booking.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from watchkeeper.lanes.travel.drafts import TravellerDraft, add_once, gender
from watchkeeper.lanes.travel.edifact import RawMessage, digits, dmmmy, dmy, dmy_hm
from watchkeeper.lanes.travel.model import (
    Booking,
    FlightLeg,
    Payment,
    Segment,
    TravelDocument,
    TravelMessage,
)
from watchkeeper.lanes.travel.reading import Handlers, SegmentReader

# Titles airlines append to given names ("ISABELLE MRS"); dropped so names match lists.
_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "CHD", "INF"})
# Contacts in IFT/SSR/ADD text: CTCE email, CTCM mobile, CTCH home, CTCB business, CTCP/CTCT
# other phones; "CTC M" with a space also occurs (GTAS pnrPhoneCTC_M.txt).
_CONTACT = re.compile(r"CTC ?([EMHBPTA])\b ?(.*)")
_PHONE = re.compile(r"\+?\d[\d \-./()]{4,}\d", re.ASCII)
# Seats: "14A", "074E" (zero-padded, NSST), or packed for several travellers (".03BN03AN").
_SEAT = re.compile(r"(\d{1,3}[A-Z])", re.ASCII)
# Amounts as written (9800.00, or 9800,00 with a comma decimal mark); never NaN or 1E9.
_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,4})?")
_SEAT_SSRS = frozenset({"SEAT", "NSST", "NSSA", "NSSW", "RQST", "SMST", "SMSA", "SMSW"})


@dataclass
class _BookingDraft:
    """A ``Booking`` under construction, with the SSRs that must wait for all its TIFs."""

    src: Segment
    record_locator: str = ""
    main_locator: str = ""
    booked_at: datetime | None = None
    ticketing_date: date | None = None
    travel_agency: str | None = None
    travellers: list[TravellerDraft] = field(default_factory=list)
    legs: list[FlightLeg] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    other_locators: list[str] = field(default_factory=list)
    docs: list[tuple[Segment, TravellerDraft | None]] = field(default_factory=list)
    infant_mentions: list[Segment] = field(default_factory=list)


class _Reader(SegmentReader):
    """State of the one pass: the booking, traveller and group being read. Before the first
    SRC only the reported flight is read (``_HEADER``); in a booking, its groups
    (``_BOOKING``); in its history (ABI), nothing until the next SRC (``_HISTORY``)."""

    def __init__(self, raw: RawMessage) -> None:
        self.handlers = _HEADER
        self.reference = raw.prepared
        self.flights: list[FlightLeg] = []
        self.bookings: list[Booking] = []
        self.booking: _BookingDraft | None = None
        self.person: TravellerDraft | None = None
        self.group = "header"  # header, pnr, traveller, flight, checkin, history

    @property
    def draft(self) -> _BookingDraft:
        """The booking being read: ``_BOOKING`` handlers run only inside one."""
        assert self.booking is not None
        return self.booking

    def close(self) -> None:
        """Freeze the booking being read."""
        booking = self.booking
        if booking is None:
            return
        for ssr, person in booking.docs:
            _docs(booking, ssr, person, self.reference)
        for ssr in booking.infant_mentions:
            _infant(booking, ssr, self.reference)
        self.bookings.append(
            Booking(
                record_locator=booking.record_locator,
                segment=booking.src.number,
                booked_at=booking.booked_at,
                ticketing_date=booking.ticketing_date,
                ticket_type=_ticket_type(booking.legs),
                tickets=tuple(booking.tickets),
                itinerary=tuple(booking.legs),
                travellers=tuple(person.freeze() for person in booking.travellers),
                phones=tuple(booking.phones),
                emails=tuple(booking.emails),
                addresses=tuple(booking.addresses),
                payments=tuple(booking.payments),
                travel_agency=booking.travel_agency,
                other_locators=tuple(booking.other_locators),
            )
        )
        self.booking = None


def parse_pnrgov(raw: RawMessage, text: str, path: str) -> TravelMessage:
    """The bookings of one PNRGOV message and the flight it reports."""
    reader = _Reader(raw)
    reader.read(raw)
    reader.close()
    org = next((segment for segment in raw.segments if segment.tag == "ORG"), None)
    return TravelMessage(
        kind="PNRGOV",
        version=raw.version,
        reference=raw.reference,
        sender=raw.sender,
        interchange=raw.interchange,
        path=path,
        raw=text,
        segments=raw.segments,
        reporting_party=org.get(0) if org else None,
        flights=tuple(reader.flights),
        bookings=tuple(reader.bookings),
    )


def _src(reader: _Reader, src: Segment) -> None:
    """SRC opens a PNR, closing the one before."""
    reader.close()
    reader.booking = _BookingDraft(src)
    reader.person, reader.group = None, "pnr"
    reader.handlers = _BOOKING


def _flight(reader: _Reader, tvl: Segment) -> None:
    """A TVL before the first SRC (level 0): the flight this message reports."""
    leg = _leg(tvl, reader.reference)
    if leg:
        reader.flights.append(leg)


def _abi(reader: _Reader, abi: Segment) -> None:
    """ABI opens the history, whose repeated TVL and IFT lines are past states."""
    reader.group = "history"
    reader.handlers = _HISTORY


def _rci(reader: _Reader, rci: Segment) -> None:
    """RCI+1A:2LS6KP::200513:0439+KE:EDP2RW: the record locator, when the PNR was
    created, and the same booking's locators at other airlines."""
    booking = reader.draft
    for element in rci.elements:
        if len(element) < 2 or not element[1]:
            continue
        locator = f"{element[0]}:{element[1]}"
        if not booking.record_locator:
            booking.record_locator, booking.main_locator = element[1], locator
            dates = [part for part in element[2:] if len(part) == 6 and digits(part)]
            if dates:
                times = element[element.index(dates[0]) + 1 : element.index(dates[0]) + 2]
                booking.booked_at = dmy_hm(dates[0], (times or [""])[0], reader.reference)
        elif locator != booking.main_locator:
            add_once(booking.other_locators, locator)


def _tif(reader: _Reader, tif: Segment) -> None:
    """TIF+SURNAME:I+GIVEN NAMES TITLE:type:reference:infant-indicator."""
    booking = reader.draft
    surname, given = tif.get(0).strip(), _given_names(tif.get(1))
    reference = _reference(tif.get(1, 2))
    if reader.group in ("flight", "checkin"):  # a check-in group names a known traveller
        reader.person = _find(booking, reference, surname, given)
        return
    if tif.get(0, 1) == "G":  # TIF+ACME TEAM PARTY:G names a group booking, not a person
        reader.person, reader.group = None, "pnr"
        return
    person = TravellerDraft(
        role="infant" if tif.get(1, 1) in ("IN", "INF") else "passenger",
        surname=surname,
        given_names=given,
        segment=tif.number,
        pnr_reference=booking.record_locator or None,
        traveller_reference=reference or None,
    )
    booking.travellers.append(person)
    reader.person, reader.group = person, "traveller"


def _tvl(reader: _Reader, tvl: Segment) -> None:
    """An itinerary leg; a TVL with only a flight number gives the operating flight of
    the codeshare leg before it (GTAS ``processGroup5_Flight``)."""
    booking = reader.draft
    reader.group, reader.person = "flight", None
    if not tvl.get(1) and tvl.get(4) and booking.legs:
        last = booking.legs[-1]
        booking.legs[-1] = FlightLeg(
            carrier=last.carrier,
            flight_number=last.flight_number,
            origin=last.origin,
            destination=last.destination,
            departure=last.departure,
            arrival=last.arrival,
            segment=last.segment,
            operating_carrier=last.operating_carrier,
            operating_flight_number=tvl.get(4),
        )
        return
    leg = _leg(tvl, reader.reference)
    if leg:
        booking.legs.append(leg)


def _leg(tvl: Segment, reference: date) -> FlightLeg | None:
    """TVL+DDMMYY:HHMM:DDMMYY:HHMM+FROM+TO+CARRIER:OPERATING+NUMBER:CLASS.

    The arrival date is often left out: ``280918:1220:1505`` (13.1 samples) and
    ``110518:1420::2120`` both mean an arrival on the departure day.
    """
    if not tvl.get(1) or not tvl.get(3):
        return None
    day, departs = tvl.get(0, 0), tvl.get(0, 1)
    arrival_day, arrives = tvl.get(0, 2), tvl.get(0, 3)
    if len(arrival_day) == 4 and not arrives:
        arrival_day, arrives = "", arrival_day
    operating = tvl.get(3, 1)
    return FlightLeg(
        carrier=tvl.get(3),
        flight_number=tvl.get(4),
        origin=tvl.get(1),
        destination=tvl.get(2) or None,
        departure=dmy_hm(day, departs, reference),
        arrival=dmy_hm(arrival_day or day, arrives, reference) if arrives else None,
        segment=tvl.number,
        operating_carrier=operating if operating and operating != tvl.get(3) else None,
    )


def _tri(reader: _Reader, tri: Segment) -> None:
    """TRI opens a check-in group: its TIF names a known traveller, SSD and TBD follow."""
    reader.group = "checkin"


def _ssr(reader: _Reader, ssr: Segment) -> None:
    """Special service requests: documents, contacts, infants and seats."""
    booking = reader.draft
    kind = ssr.get(0)
    text = ":".join(ssr.elements[0][8:]) if ssr.elements else ""
    person = reader.person if reader.group == "traveller" else None
    if kind == "DOCS":
        booking.docs.append((ssr, person))
    elif kind == "INFT":
        booking.infant_mentions.append(ssr)
    elif kind in _SEAT_SSRS:
        _seats(booking, ssr, text)
    elif person is None:
        return
    elif kind == "DOCO":
        _doco(person, ssr, text)
    elif kind == "DOCA":
        _doca(person, text)
    elif kind.startswith("CTC"):
        _contacts(kind + " " + text, person.phones, person.emails)


def _seats(booking: _BookingDraft, ssr: Segment, text: str) -> None:
    """SSR+SEAT:...+14A::1+15B::2 gives a seat per traveller reference; a packed free
    text (.03BN03AN) gives one seat per traveller in booking order."""
    assigned = False
    for element in ssr.elements[1:]:
        seat = element[0] if element else ""
        reference = _reference(element[2]) if len(element) > 2 else ""
        person = _find(booking, reference, "", "") if reference else None
        if seat and person is not None:
            _add_seat(person, seat)
            assigned = True
    if not assigned and text:
        adults = [person for person in booking.travellers if person.role != "infant"]
        for person, seat in zip(adults, _SEAT.findall(text), strict=False):
            _add_seat(person, seat)


def _contact(reader: _Reader, segment: Segment) -> None:
    """IFT free text and ADD addresses: contacts of the traveller being read, else of
    the booking. IFT+4:43 (card holder details) and history text are skipped."""
    booking = reader.draft
    person = reader.person if reader.group == "traveller" else None
    phones = person.phones if person else booking.phones
    emails = person.emails if person else booking.emails
    if segment.tag == "IFT":
        if segment.get(0, 1) != "43":
            for element in segment.elements[1:]:
                _contacts(" ".join(element), phones, emails)
        return
    for element in segment.elements[1:]:
        add_once(person.addresses if person else booking.addresses, _address(element))
        if len(element) > 7:
            _contacts(element[7], phones, emails, bare_phone=True)


def _dat(reader: _Reader, dat: Segment) -> None:
    """DAT+710:DDMMYY in the PNR or a traveller group: the ticket issue date."""
    if reader.group not in ("pnr", "traveller"):
        return
    booking = reader.draft
    for element in dat.elements:
        if element[0] == "710" and len(element) > 1:
            booking.ticketing_date = booking.ticketing_date or dmy(element[1], reader.reference)


def _org(reader: _Reader, org: Segment) -> None:
    """ORG+DL:IAD+70379193:LON in the PNR: the booking office, IATA agency number and its
    location."""
    booking = reader.draft
    if reader.group != "pnr" or booking.travel_agency is not None:
        return
    booking.travel_agency = " ".join(filter(None, (org.get(1), org.get(1, 1))))
    booking.travel_agency = booking.travel_agency or org.get(0, 1) or None


def _tkt(reader: _Reader, tkt: Segment) -> None:
    add_once(reader.draft.tickets, tkt.get(0))


def _fop(reader: _Reader, fop: Segment) -> None:
    """Forms of payment, one per element."""
    for element in fop.elements:
        if element and element[0]:
            reader.draft.payments.append(_payment(element, fop.number))


def _fti(reader: _Reader, fti: Segment) -> None:
    """The traveller's frequent flyer numbers (airline and number)."""
    if reader.person is not None:
        for element in fti.elements:
            add_once(reader.person.frequent_flyer, " ".join(filter(None, element[:2])))


def _ssd(reader: _Reader, ssd: Segment) -> None:
    """The seat of the traveller of a check-in group."""
    if reader.person is not None and reader.group == "checkin":
        _add_seat(reader.person, ssd.get(0))


def _tbd(reader: _Reader, tbd: Segment) -> None:
    """The bag tags of the traveller of a check-in group."""
    if reader.person is not None and reader.group == "checkin":
        declared = tbd.get(1)  # bags checked in, bounding the tag runs below
        limit = min(int(declared), 20) if digits(declared) else 1
        for element in tbd.elements[4:]:
            for bag in _bag_tags(element, limit):
                add_once(reader.person.bags, bag)


_HEADER: Handlers[_Reader] = {"SRC": _src, "TVL": _flight}
_BOOKING: Handlers[_Reader] = {
    "SRC": _src,
    "ABI": _abi,
    "RCI": _rci,
    "TIF": _tif,
    "TVL": _tvl,
    "TRI": _tri,
    "SSR": _ssr,
    "IFT": _contact,
    "ADD": _contact,
    "DAT": _dat,
    "ORG": _org,
    "TKT": _tkt,
    "FOP": _fop,
    "FTI": _fti,
    "SSD": _ssd,
    "TBD": _tbd,
}
_HISTORY: Handlers[_Reader] = {"SRC": _src}


def _given_names(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[-1] in _TITLES:
        words.pop()
    return " ".join(words)


def _reference(text: str) -> str:
    """Traveller references are matched without zero padding: "002" is "2", "1.1" stays."""
    return ".".join(part.lstrip("0") or "0" for part in text.split(".")) if text else ""


def _find(
    booking: _BookingDraft, reference: str, surname: str, given: str
) -> TravellerDraft | None:
    for person in booking.travellers:
        if reference and person.traveller_reference == reference:
            return person
    for person in booking.travellers:
        if surname and _same(person.surname, surname) and _same(person.given_names, given):
            return person
    return None


def _same(name: str, other: str) -> bool:
    """Names equal but for spaces: SSR free text is wrapped at fixed widths ("BEL T")."""
    return name.replace(" ", "") == other.replace(" ", "")


def _add_seat(person: TravellerDraft, seat: str) -> None:
    """Seats as printed on a boarding pass: "074E" is 74E; "XXX" means none assigned."""
    if _SEAT.fullmatch(seat.strip()):
        add_once(person.seats, seat.strip().lstrip("0"))


def _bag_tags(element: tuple[str, ...], limit: int) -> list[str]:
    """TBD tag details carrier:number:count:destination; a count of n means n consecutive
    numbers from the one given (GTAS infers them the same way). A count above the bags the
    TBD declares is text run in from elsewhere, so only the given tag is kept then."""
    carrier = element[0].strip()
    number = element[1].strip() if len(element) > 1 else ""
    if not number:
        return []
    count = int(element[2]) if len(element) > 2 and digits(element[2]) else 1
    if not digits(number) or not 1 < count <= limit:
        return [carrier + number]
    width = len(number)
    return [f"{carrier}{int(number) + step:0{width}d}" for step in range(count)]


def _payment(element: tuple[str, ...], index: int) -> Payment:
    """FOP+type:data-indicator:amount:vendor:account:expiry (CA cash, CC card, ...)."""
    text = element[2].replace(",", ".") if len(element) > 2 else ""
    amount = Decimal(text) if _AMOUNT.fullmatch(text) else None
    vendor = element[3] if len(element) > 3 and element[3] else None
    return Payment(fop_type=element[0], amount=amount, segment=index, card_vendor=vendor)


def _contacts(text: str, phones: list[str], emails: list[str], bare_phone: bool = False) -> None:
    """Phones and emails in contact text; IATA writes @ as // and _ as .. in emails."""
    match = _CONTACT.search(text)
    if match is None:
        if bare_phone:
            for number in _PHONE.findall(text):
                add_once(phones, re.sub(r"\D", "", number))
        return
    kind, rest = match.groups()
    if kind == "E":
        address = rest.split()[0] if rest.split() else ""
        add_once(emails, address.replace("//", "@").replace("..", "_").replace("./", "-"))
    else:
        for number in _PHONE.findall(rest):
            add_once(phones, re.sub(r"\D", "", number))


def _address(element: tuple[str, ...]) -> str:
    """ADD+purpose:street:city:state:?:country:postcode as one line."""
    return ", ".join(part.strip() for part in element[1:7] if part.strip())


def _docs(
    booking: _BookingDraft, ssr: Segment, person: TravellerDraft | None, reference: date
) -> None:
    """SSR DOCS free text /type/issuer/number/nationality/birth/gender/expiry/surname/given/
    middle. An infant's DOCS (gender MI/FI) sits under the adult carrying it, so it goes to
    the infant of that surname, and creates one when the PNR has no TIF for it."""
    text = ":".join(ssr.elements[0][8:]) if ssr.elements else ""
    parts = [part.strip() for part in text.split("/")] + [""] * 12
    doc_type, issuer, number, nationality = parts[1], parts[2], parts[3], parts[4]
    birth, sex, expiry, surname = parts[5], parts[6], parts[7], parts[8]
    given = " ".join(filter(None, parts[9:11]))
    if sex.endswith("I"):
        person = next(
            (
                traveller
                for traveller in booking.travellers
                if traveller.role == "infant" and _same(traveller.surname, surname)
            ),
            None,
        )
        if person is None:
            person = TravellerDraft("infant", surname, given, ssr.number)
            person.pnr_reference = booking.record_locator or None
            booking.travellers.append(person)
    person = person or _find(booking, _reference(ssr.get(1, 2)), surname, given)
    if person is None:
        return
    person.birth_date = person.birth_date or dmmmy(birth, reference, past=True)
    person.gender = gender(sex) if person.gender == "U" else person.gender
    person.nationality = person.nationality or nationality or None
    if number:
        document = TravelDocument(
            doc_type=doc_type,
            number=number,
            issuing_country=issuer or None,
            expiry=dmmmy(expiry, reference),
            nationality=nationality or None,
            segment=ssr.number,
        )
        # DOCS is repeated per itinerary leg; keep the first of each document.
        if all((d.doc_type, d.number) != (doc_type, number) for d in person.documents):
            person.documents.append(document)


def _doco(person: TravellerDraft, ssr: Segment, text: str) -> None:
    """SSR DOCO: place of birth/type/number/place of issue/issue date/country applicable
    (a visa, usually); it has no expiry."""
    parts = [part.strip() for part in text.split("/")] + [""] * 6
    person.place_of_birth = person.place_of_birth or parts[0] or None
    if parts[2]:
        person.documents.append(
            TravelDocument(
                doc_type=parts[1],
                number=parts[2],
                issuing_country=parts[3] or None,
                expiry=None,
                nationality=None,
                segment=ssr.number,
            )
        )


def _doca(person: TravellerDraft, text: str) -> None:
    """SSR DOCA: /R(esidence) or D(estination)/country/street/city/state/postcode."""
    parts = [part.strip() for part in text.split("/")] + [""] * 7
    if parts[1] == "R" and parts[2]:
        person.residence_country = parts[2]
    add_once(person.addresses, ", ".join(filter(None, [*parts[3:7], parts[2]])))


def _infant(booking: _BookingDraft, ssr: Segment, reference: date) -> None:
    """SSR INFT SURNAME/GIVEN/DDMMMYY (or GIVEN DDMMMYY): an infant on an adult's seat,
    added when the PNR carries no TIF for it."""
    text = ":".join(ssr.elements[0][8:]) if ssr.elements else ""
    parts = text.replace(" ", "/").split("/")
    if len(parts) < 2 or not parts[0]:
        return
    surname, given = parts[0], parts[1]
    if any(p.role == "infant" and _same(p.surname, surname) for p in booking.travellers):
        return
    person = TravellerDraft("infant", surname, given, ssr.number)
    person.birth_date = dmmmy(parts[-1], reference, past=True)
    person.pnr_reference = booking.record_locator or None
    booking.travellers.append(person)


def _ticket_type(legs: list[FlightLeg]) -> str | None:
    """ "return" when the itinerary ends where it began, else "one-way"."""
    if not legs:
        return None
    if len(legs) > 1 and legs[-1].destination == legs[0].origin:
        return "return"
    return "one-way"
