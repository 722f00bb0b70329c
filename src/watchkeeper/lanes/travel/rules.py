"""Risk rules for travel messages, kept as data so an agency sets its policy without code.

A YAML rule file (format in docs/travel_rules.md) lists rules; each picks one predicate from
the fixed vocabulary below, gives its parameters, a weight and a reason template. Predicates
are code, tested one by one: each is a function ``(params, subject) -> list[Finding]``. Which
predicates run, with which parameters and weights, is policy and lives in the file. The whole
file is checked when it is loaded and every fault is reported at once, so a bad rule never
surfaces halfway through a flight.
"""

import re
import string
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, partial
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, cast, get_args
from zoneinfo import ZoneInfo

import airportsdata
import yaml

from watchkeeper.countries import country_name
from watchkeeper.countries import iso2 as country_code
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.travel.model import (
    Booking,
    FlightLeg,
    TravelDocument,
    Traveller,
    TravelMessage,
)

Scope = Literal["traveller", "booking"]
Clock = Literal["local", "utc"]
DEFAULT_RULES = "travel_rules.yml"
MAX_WEIGHT = 100.0

# Form-of-payment codes of the PNRGOV FOP segment (IATA); others are shown as the code.
_PAYMENTS = {"CA": "cash", "CC": "card", "CK": "cheque"}
# Document type codes of PAXLST DOC / SSR DOCS (ICAO 9303 first letter).
_DOCUMENTS = {"P": "passport", "I": "identity card", "A": "identity card", "V": "visa"}


# --- reference data ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Airport:
    """What a rule says about an airport: its name, country (ISO-2) and time zone."""

    code: str
    name: str
    city: str
    country: str
    tz: str


@cache
def _airport_table() -> dict[str, airportsdata.Airport]:
    return airportsdata.load("IATA")


def airport(code: str) -> Airport | None:
    """The IATA airport, or None when airportsdata does not know the code."""
    row = _airport_table().get(code.strip().upper())
    if row is None:
        return None
    return Airport(row["iata"], row["name"], row["city"], row["country"], row["tz"])


# --- what predicates see and return ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One fact a predicate found: the segment that shows it and the values for ``reason``."""

    segment: int
    facts: dict[str, object]


@dataclass(frozen=True, slots=True)
class _DocumentUse:
    traveller: Traveller
    document: TravelDocument
    message: TravelMessage


@dataclass(frozen=True, slots=True)
class Batch:
    """What predicates see beyond one traveller, indexed once per evaluation: the document
    numbers in every message evaluated together, and the flagged travellers and contacts."""

    flagged: frozenset[Traveller]
    documents: Mapping[str, tuple[_DocumentUse, ...]]
    contacts: Mapping[tuple[str, str], tuple[Traveller, ...]]

    @classmethod
    def of(cls, messages: Sequence[TravelMessage], flagged: Collection[Traveller] = ()) -> "Batch":
        """Index document numbers of everyone and the phones and e-mails of the flagged."""
        documents: defaultdict[str, list[_DocumentUse]] = defaultdict(list)
        for message in messages:
            for person in message.all_travellers:
                for document in person.documents:
                    key = document_key(document.number)
                    if key:
                        documents[key].append(_DocumentUse(person, document, message))
        contacts: defaultdict[tuple[str, str], list[Traveller]] = defaultdict(list)
        for person in flagged:
            for contact in _contact_keys(person):
                contacts[contact].append(person)
        return cls(
            frozenset(flagged),
            {key: tuple(uses) for key, uses in documents.items()},
            {key: tuple(people) for key, people in contacts.items()},
        )


@dataclass(frozen=True, slots=True)
class Subject:
    """What one predicate call looks at: a traveller (with its booking, if any) or a booking."""

    message: TravelMessage
    booking: Booking | None
    traveller: Traveller | None
    batch: Batch


def document_key(number: str) -> str:
    """Document number as compared: upper-case letters and digits only ("u 290-177" = "U290177")."""
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _phone_key(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit()).lstrip("0")  # 00 = international prefix
    return digits if len(digits) >= 6 else ""


def _contact_keys(person: Traveller) -> list[tuple[str, str]]:
    keys = [("phone", _phone_key(phone)) for phone in person.phones]
    keys += [("email", email.strip().casefold()) for email in person.emails]
    return [key for key in keys if key[1]]


def _name_key(person: Traveller) -> tuple[str, ...]:
    """Name tokens in sorted order: "KARAMAN MEHMET" and "MEHMET KARAMAN" are one name."""
    return tuple(sorted(re.findall(r"\w+", person.full_name.casefold())))


def _same_person(left: Traveller, right: Traveller) -> bool:
    """The same person read twice (API and PNR of one flight), not a companion."""
    return left == right or (
        _name_key(left) == _name_key(right) and left.birth_date == right.birth_date
    )


def _document_word(document: TravelDocument) -> str:
    return _DOCUMENTS.get(document.doc_type.upper(), f"document ({document.doc_type or '?'})")


def _stamp(moment: datetime | date | None) -> str:
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.isoformat() if moment else "date not given"


def _leg_name(leg: FlightLeg) -> str:
    return f"{leg.carrier}{leg.flight_number} {leg.origin or '?'}-{leg.destination or '?'}"


def _reported_legs(subject: Subject) -> tuple[FlightLeg, ...]:
    """The flight the message reports on; a PNR booking without one falls back to its itinerary."""
    if subject.message.flights:
        return subject.message.flights
    return subject.booking.itinerary if subject.booking else ()


# --- the predicates ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RouteTouches:
    """Parameters of ``route_touches``; a set name is kept to say which list matched."""

    days: float
    airports: frozenset[str] = frozenset()
    airport_set: str = ""
    countries: frozenset[str] = frozenset()
    country_set: str = ""


def route_touches(params: RouteTouches, subject: Subject) -> list[Finding]:
    """Airports of the itinerary, within ``days`` of the reported departure, that are in the
    airport set or in a country of the country set; one finding per airport."""
    stops: list[tuple[str, datetime | None, str, int]] = []
    legs = subject.message.flights + (subject.booking.itinerary if subject.booking else ())
    for leg in legs:
        if leg.origin:
            stops.append((leg.origin, leg.departure, f"flight {_leg_name(leg)}", leg.segment))
        if leg.destination:
            arrival = leg.arrival or leg.departure
            stops.append((leg.destination, arrival, f"flight {_leg_name(leg)}", leg.segment))
    person = subject.traveller
    if person is not None:  # API: where this traveller boards and leaves the reported flight
        for code, role in (
            (person.embarkation, "embarkation"),
            (person.debarkation, "debarkation"),
        ):
            if code:
                stops.append((code, None, role, person.segment))
    departures = [leg.departure for leg in _reported_legs(subject) if leg.departure]
    reference = min(departures) if departures else None
    window = timedelta(days=params.days)
    findings: list[Finding] = []
    seen: set[str] = set()
    for code, moment, via, segment in stops:
        code = code.strip().upper()
        if code in seen:
            continue
        if reference is not None and moment is not None and abs(moment - reference) > window:
            continue
        place = airport(code)
        country = place.country if place else ""
        if code in params.airports:
            matched = params.airport_set
        elif country in params.countries:
            matched = params.country_set
        else:
            continue
        seen.add(code)
        facts: dict[str, object] = {
            "airport": code,
            "airport_name": place.name if place else code,
            "city": place.city if place else "",
            "country": country,
            "country_name": country_name(country) if country else "unknown country",
            "via": via,
            "when": _stamp(moment if moment is not None else reference),
            "set": matched,
        }
        findings.append(Finding(segment, facts))
    return findings


@dataclass(frozen=True, slots=True)
class LateOneWayCash:
    """Parameters of ``late_one_way_cash``."""

    hours: float = 48.0
    payment_types: frozenset[str] = frozenset({"CA"})
    booking_clock: Clock = "local"


def hours_before(bought: datetime, departure: datetime, origin: str | None, clock: Clock) -> float:
    """Hours from purchase to departure, counted in real time.

    TVL departure times are local to the departure airport (PNRGOV guide). The PNR creation
    time is read as local to the same airport too (``clock: local``, the default, which is
    what the senders we test against do); ``clock: utc`` reads it as GMT instead. Both are
    placed in the airport's time zone from airportsdata and compared in UTC, so a daylight-
    saving change between booking and flight counts; an unknown airport compares them as given.
    """
    place = airport(origin) if origin else None
    if place is None:
        return (departure - bought).total_seconds() / 3600
    zone = ZoneInfo(place.tz)
    leaving = departure.replace(tzinfo=zone).astimezone(UTC)
    booked = bought.replace(tzinfo=zone if clock == "local" else UTC).astimezone(UTC)
    return (leaving - booked).total_seconds() / 3600


def late_one_way_cash(params: LateOneWayCash, subject: Subject) -> list[Finding]:
    """A one-way booking bought less than ``hours`` before its first departure and paid with
    one of ``payment_types``; the finding points at the first such FOP segment."""
    booking = subject.booking
    if booking is None or booking.ticket_type != "one-way":
        return []
    legs = sorted((leg for leg in booking.itinerary if leg.departure), key=_departure)
    if not legs:
        return []
    first = legs[0]
    assert first.departure is not None  # filtered above
    if booking.booked_at is not None:
        bought, source = booking.booked_at, "PNR creation"
    elif booking.ticketing_date is not None:
        # The earliest moment of the ticketing day: the hours found are the most there can be.
        bought, source = datetime.combine(booking.ticketing_date, time()), "ticket issue date"
    else:
        return []
    paid = [p for p in booking.payments if p.fop_type.upper() in params.payment_types]
    if not paid:
        return []
    hours = hours_before(bought, first.departure, first.origin, params.booking_clock)
    if not 0 <= hours < params.hours:
        return []
    code = paid[0].fop_type.upper()
    facts: dict[str, object] = {
        "hours": hours,
        "payment": _PAYMENTS.get(code, code),
        "payment_code": code,
        "bought": _stamp(bought),
        "bought_from": source,
        "departure": _stamp(first.departure),
        "flight": _leg_name(first),
        "origin": first.origin or "",
        "destination": first.destination or "",
    }
    return [Finding(paid[0].segment, facts)]


def _departure(leg: FlightLeg) -> datetime:
    return leg.departure or datetime.max


@dataclass(frozen=True, slots=True)
class DocumentExpiry:
    """Parameters of ``document_expiry``."""

    margin_days: int = 0


def _flight_dates(subject: Subject) -> tuple[date, date] | None:
    """Departure and arrival day of the traveller's reported flight (to their debarkation)."""
    legs = [leg for leg in _reported_legs(subject) if leg.departure or leg.arrival]
    if not legs:
        return None
    person = subject.traveller
    ending = [leg for leg in legs if person is not None and leg.destination == person.debarkation]
    last = (ending or legs)[-1]
    first = legs[0]
    departure = first.departure or first.arrival
    arrival = last.arrival or last.departure
    assert departure is not None and arrival is not None  # filtered above
    return departure.date(), arrival.date()


def document_expiry(params: DocumentExpiry, subject: Subject) -> list[Finding]:
    """Documents expired, or expiring before arrival plus ``margin_days``."""
    person = subject.traveller
    dates = _flight_dates(subject)
    if person is None or dates is None:
        return []
    departure, arrival = dates
    findings: list[Finding] = []
    for document in person.documents:
        if document.expiry is None:
            continue
        if document.expiry >= arrival + timedelta(days=params.margin_days):
            continue
        facts: dict[str, object] = {
            "document": _document_word(document),
            "number": document.number,
            "issuer": document.issuing_country or "",
            "expiry": document.expiry.isoformat(),
            "arrival": arrival.isoformat(),
            "days_left": (document.expiry - arrival).days,
            "status": "expired" if document.expiry < departure else "expires",
        }
        findings.append(Finding(document.segment, facts))
    return findings


@dataclass(frozen=True, slots=True)
class DocumentCountryMismatch:
    """Parameters of ``document_country_mismatch``: which document types are compared (a
    visa or residence permit is issued by another state by design)."""

    doc_types: frozenset[str] = frozenset({"P", "I"})


def document_country_mismatch(params: DocumentCountryMismatch, subject: Subject) -> list[Finding]:
    """Documents whose issuing country is not the traveller's nationality (the nationality
    in the document's own record when the traveller has none)."""
    person = subject.traveller
    if person is None:
        return []
    findings: list[Finding] = []
    for document in person.documents:
        if document.doc_type.upper() not in params.doc_types:
            continue
        given = person.nationality or document.nationality
        issuer, nationality = country_code(document.issuing_country), country_code(given)
        if issuer is None or nationality is None or issuer == nationality:
            continue
        facts: dict[str, object] = {
            "document": _document_word(document),
            "number": document.number,
            "issuer": document.issuing_country or "",
            "issuer_name": country_name(issuer),
            "nationality": given or "",
            "nationality_name": country_name(nationality),
        }
        findings.append(Finding(document.segment, facts))
    return findings


LINKS = ("booking", "phone", "email")


@dataclass(frozen=True, slots=True)
class CoTraveller:
    """Parameters of ``co_traveller``: which links count."""

    via: frozenset[str] = frozenset(LINKS)


def co_traveller(params: CoTraveller, subject: Subject) -> list[Finding]:
    """A flagged traveller on the same booking, or with the same phone or e-mail anywhere in
    the batch; the same person read twice (same name and birth date) is not a companion."""
    person = subject.traveller
    if person is None or not subject.batch.flagged:
        return []
    links: list[tuple[Traveller, str, str, int]] = []
    booking = subject.booking
    if "booking" in params.via and booking is not None:
        for other in booking.travellers:
            if other in subject.batch.flagged:
                links.append((other, "booking", booking.record_locator, booking.segment))
    for kind, key in _contact_keys(person):
        if kind in params.via:
            for other in subject.batch.contacts.get((kind, key), ()):
                links.append((other, kind, key, person.segment))
    findings: list[Finding] = []
    seen: set[tuple[Traveller, str]] = set()
    for other, kind, value, segment in links:
        if _same_person(other, person) or (other, kind) in seen:
            continue
        seen.add((other, kind))
        facts: dict[str, object] = {
            "flagged": other.full_name,
            "link": kind,
            "value": value,
            "flagged_segment": other.segment,
        }
        findings.append(Finding(segment, facts))
    return findings


@dataclass(frozen=True, slots=True)
class SharedDocument:
    """``shared_document`` takes no parameters."""


def shared_document(params: SharedDocument, subject: Subject) -> list[Finding]:
    """A document number (same issuing country where both are given) that other names use
    anywhere in the batch; one finding per document, naming the first other user and how
    many there are (test data reuses one number for hundreds of people)."""
    person = subject.traveller
    if person is None:
        return []
    findings: list[Finding] = []
    for document in person.documents:
        issuer = country_code(document.issuing_country)
        seen: set[tuple[str, ...]] = {_name_key(person)}
        others: list[_DocumentUse] = []
        for use in subject.batch.documents.get(document_key(document.number), ()):
            other_issuer = country_code(use.document.issuing_country)
            name = _name_key(use.traveller)
            if (issuer and other_issuer and issuer != other_issuer) or name in seen:
                continue
            seen.add(name)
            others.append(use)
        if not others:
            continue
        first = others[0]
        facts: dict[str, object] = {
            "document": _document_word(document),
            "number": document.number,
            "issuer": document.issuing_country or "",
            "other_name": first.traveller.full_name,
            "other_file": Path(first.message.path).name,
            "other_segment": first.traveller.segment,
            "others": len(others),
        }
        findings.append(Finding(document.segment, facts))
    return findings


# --- reading rule files ------------------------------------------------------------------


class _Params:
    """Reads one rule's ``when`` parameters, collecting faults instead of stopping."""

    def __init__(
        self, predicate: str, values: Mapping[str, object], sets: Mapping[str, list[str]]
    ) -> None:
        self.predicate = predicate
        self.values = values
        self.sets = sets
        self.faults: list[str] = []
        self.read: set[str] = set()

    def fault(self, problem: str) -> None:
        self.faults.append(f"{self.predicate}: {problem}")

    def _get(self, key: str) -> object:
        self.read.add(key)
        return self.values.get(key)

    def number(self, key: str, default: float | None) -> float:
        """A number >= 0; without a default the parameter is required."""
        value = self._get(key)
        if value is None:
            if default is None:
                self.fault(f"missing parameter '{key}' (a number)")
                return 0.0
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.fault(f"parameter '{key}' must be a number >= 0, not {value!r}")
            return 0.0
        return float(value)

    def codes(
        self,
        key: str,
        allowed: Collection[str] | None,
        default: Collection[str],
        case: Callable[[str], str] = str.upper,
    ) -> frozenset[str]:
        """A list of short codes in one case; ``allowed`` limits them where the set is closed."""
        value = self._get(key)
        if value is None:
            return frozenset(default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fault(f"parameter '{key}' must be a list of codes, not {value!r}")
            return frozenset(default)
        codes = frozenset(case(v.strip()) for v in value)
        if allowed is not None and not codes <= set(allowed):
            wrong = ", ".join(sorted(codes - set(allowed)))
            self.fault(f"parameter '{key}': unknown value {wrong} (allowed: {', '.join(allowed)})")
        return codes

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self._get(key)
        if value is None:
            return default
        if value not in allowed:
            self.fault(f"parameter '{key}' must be one of {', '.join(allowed)}, not {value!r}")
            return default
        return value

    def places(self, key: str) -> tuple[str, frozenset[str]] | None:
        """A set name or an inline list of airports (IATA) or countries (ISO-2 or ISO-3),
        checked against airportsdata and rigour; None when the parameter is absent."""
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, str):
            if value not in self.sets:
                known = ", ".join(sorted(self.sets)) or "none"
                self.fault(f"parameter '{key}' names unknown set '{value}' (sets: {known})")
                return value, frozenset()
            label, items = value, self.sets[value]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            label, items = "inline list", value
        else:
            self.fault(f"parameter '{key}' must be a set name or a list of codes, not {value!r}")
            return None
        codes: set[str] = set()
        for item in items:
            code = item.strip().upper() if key == "airports" else country_code(item)
            if code is None or (key == "airports" and airport(code) is None):
                kind = "IATA airport" if key == "airports" else "country"
                self.fault(f"'{item}' in {label} is not a known {kind} code")
            else:
                codes.add(code)
        return label, frozenset(codes)

    def unread(self) -> None:
        for key in sorted(set(self.values) - self.read):
            self.fault(f"unknown parameter '{key}'")


def _read_route(p: _Params) -> RouteTouches:
    days = p.number("days", None)
    airports, countries = p.places("airports"), p.places("countries")
    if airports is None and countries is None:
        p.fault("needs 'airports' or 'countries' (a set name or a list)")
    airport_set, airport_codes = airports or ("", frozenset())
    country_set, country_codes = countries or ("", frozenset())
    return RouteTouches(days, airport_codes, airport_set, country_codes, country_set)


def _read_late(p: _Params) -> LateOneWayCash:
    hours = p.number("hours", 48.0)
    payment_types = p.codes("payment_types", None, {"CA"})
    clock = cast(Clock, p.choice("booking_clock", get_args(Clock), "local"))
    return LateOneWayCash(hours, payment_types, clock)


def _read_expiry(p: _Params) -> DocumentExpiry:
    return DocumentExpiry(int(p.number("margin_days", 0)))


def _read_mismatch(p: _Params) -> DocumentCountryMismatch:
    return DocumentCountryMismatch(p.codes("doc_types", None, {"P", "I"}))


def _read_co_traveller(p: _Params) -> CoTraveller:
    return CoTraveller(p.codes("via", LINKS, LINKS, str.lower))


def _read_nothing(p: _Params) -> SharedDocument:
    return SharedDocument()


@dataclass(frozen=True, slots=True)
class Predicate:
    """One word of the vocabulary: how to read its parameters, the function, and an example
    of its findings (to check reason templates at load time, and to document the fields)."""

    name: str
    scopes: tuple[Scope, ...]
    read: Callable[[_Params], object]
    find: Callable[[Any, Subject], list[Finding]]
    example: Mapping[str, object]


PREDICATES: dict[str, Predicate] = {
    p.name: p
    for p in (
        Predicate(
            "route_touches",
            ("traveller", "booking"),
            _read_route,
            route_touches,
            {
                "airport": "GZT",
                "airport_name": "Gaziantep International Airport",
                "city": "Gaziantep",
                "country": "TR",
                "country_name": "Türkiye",
                "via": "flight XY123 IST-GZT",
                "when": "2026-03-02 09:05",
                "set": "risk_airports",
            },
        ),
        Predicate(
            "late_one_way_cash",
            ("booking",),
            _read_late,
            late_one_way_cash,
            {
                "hours": 23.8,
                "payment": "cash",
                "payment_code": "CA",
                "bought": "2026-03-01 09:15",
                "bought_from": "PNR creation",
                "departure": "2026-03-02 09:05",
                "flight": "XY123 IST-LHR",
                "origin": "IST",
                "destination": "LHR",
            },
        ),
        Predicate(
            "document_expiry",
            ("traveller",),
            _read_expiry,
            document_expiry,
            {
                "document": "passport",
                "number": "U29017732",
                "issuer": "TUR",
                "expiry": "2026-03-01",
                "arrival": "2026-03-02",
                "days_left": -1,
                "status": "expired",
            },
        ),
        Predicate(
            "document_country_mismatch",
            ("traveller",),
            _read_mismatch,
            document_country_mismatch,
            {
                "document": "passport",
                "number": "U29017732",
                "issuer": "SYR",
                "issuer_name": "Syria",
                "nationality": "TUR",
                "nationality_name": "Türkiye",
            },
        ),
        Predicate(
            "co_traveller",
            ("traveller",),
            _read_co_traveller,
            co_traveller,
            {
                "flagged": "MEHMET KARAMAN",
                "link": "phone",
                "value": "905321234567",
                "flagged_segment": 12,
            },
        ),
        Predicate(
            "shared_document",
            ("traveller",),
            _read_nothing,
            shared_document,
            {
                "document": "passport",
                "number": "U29017732",
                "issuer": "TUR",
                "other_name": "AYSE KARAMAN",
                "other_file": "pnr.edi",
                "other_segment": 19,
                "others": 1,
            },
        ),
    )
}
# Fields every reason can use, whatever the predicate: who the hit is about.
COMMON_FIELDS: Mapping[str, object] = {"name": "MEHMET KARAMAN", "locator": "Q7WK2M"}
_RULE_KEYS = ("id", "description", "weight", "applies_to", "when", "reason")


@dataclass(frozen=True, slots=True)
class Rule:
    """One loaded rule: its predicate bound to its parameters, ready to run."""

    id: str
    description: str
    weight: float
    applies_to: Scope
    predicate: str
    params: object
    reason: str
    line: int
    find: Callable[[Subject], list[Finding]] = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired for one traveller, with the reason and the segment behind it."""

    rule_id: str
    weight: float
    reason: str
    traveller: Traveller | None  # None only for a booking rule on a booking with no one in it
    booking: Booking | None
    message: TravelMessage
    segment: int


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A checked rule file; ``evaluate`` runs it over messages."""

    path: str
    rules: tuple[Rule, ...]
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "RuleSet":
        """Read and check a rule file; None is the bundled ``watchkeeper/data/travel_rules.yml``.

        Raises ``SourceError`` listing every fault, each naming the file, the rule and line.
        """
        return cls.from_text(*rule_file_text(path, DEFAULT_RULES))

    @classmethod
    def from_text(cls, text: str, path: str) -> "RuleSet":
        """``load`` on text already in hand; ``path`` names it in errors."""
        node, data = _parse_yaml(text, path)
        return _RuleReader(path, node).read(data)

    def evaluate(
        self, messages: Sequence[TravelMessage], flagged: Collection[Traveller] = ()
    ) -> list[RuleHit]:
        """Every hit of every rule on every traveller of ``messages``.

        ``flagged`` are the travellers screening matched to a watchlist (for ``co_traveller``);
        booking rules give one hit per traveller of the booking. Messages are evaluated
        together so cross-message rules (shared documents, contacts) see them all.
        """
        batch = Batch.of(messages, flagged)
        booking_rules = [rule for rule in self.rules if rule.applies_to == "booking"]
        traveller_rules = [rule for rule in self.rules if rule.applies_to == "traveller"]
        hits: list[RuleHit] = []
        for message in messages:
            for person in message.travellers:
                subject = Subject(message, None, person, batch)
                hits += _run(traveller_rules, subject)
            for booking in message.bookings:
                hits += _run(booking_rules, Subject(message, booking, None, batch))
                for person in booking.travellers:
                    hits += _run(traveller_rules, Subject(message, booking, person, batch))
        return hits


def _run(rules: Iterable[Rule], subject: Subject) -> list[RuleHit]:
    """Hits of ``rules`` on one subject; a booking subject gives one hit per traveller."""
    booking, hits = subject.booking, []
    people: Sequence[Traveller | None]
    if subject.traveller is not None:
        people = (subject.traveller,)
    else:
        people = (booking.travellers if booking else ()) or (None,)
    for rule in rules:
        for finding in rule.find(subject):
            for person in people:
                facts = {
                    "name": person.full_name if person else "",
                    "locator": booking.record_locator if booking else "",
                    **finding.facts,
                }
                reason = rule.reason.format_map(facts)
                hit = RuleHit(
                    rule.id, rule.weight, reason, person, booking, subject.message, finding.segment
                )
                hits.append(hit)
    return hits


def risk_scores(hits: Iterable[RuleHit]) -> dict[Traveller, float]:
    """Each traveller's risk: the sum of the weights of the distinct rules that hit them.

    A rule counts once per traveller however many findings it has (two expired documents
    are one fact about the person), so scores grow with independent indicators only.
    """
    weights: dict[Traveller, dict[str, float]] = defaultdict(dict)
    for hit in hits:
        if hit.traveller is not None:
            weights[hit.traveller][hit.rule_id] = hit.weight
    return {person: sum(rules.values()) for person, rules in weights.items()}


def rule_file_text(path: str | Path | None, default: str) -> tuple[str, str]:
    """The text of a rule file and the name errors give it; None is the bundled ``default``
    in ``watchkeeper/data``. An unreadable file is a ``SourceError``."""
    if path is None:
        resource = files("watchkeeper").joinpath("data", default)
        return resource.read_text(encoding="utf-8"), str(resource)
    try:
        return Path(path).read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError.at(str(path), "file", f"cannot read: {error}") from error


def _parse_yaml(text: str, path: str) -> tuple[yaml.Node | None, object]:
    """The YAML node tree (for line numbers) and the plain data, or a ``SourceError``."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        context = error.context or ""
        if context and error.context_mark is not None:  # where the unclosed thing began
            context += f" started on line {error.context_mark.line + 1}"
        problem = ": ".join(filter(None, (context, error.problem)))
        raise SourceError.at(path, position, f"not valid YAML: {problem}") from error
    except yaml.YAMLError as error:
        raise SourceError.at(path, "file", f"not valid YAML: {error}") from error
    finally:
        loader.dispose()
    return node, data


class _RuleReader:
    """Checks a parsed rule file, collecting every fault with its line."""

    def __init__(self, path: str, node: yaml.Node | None) -> None:
        self.path = path
        self.node = node
        self.issues: list[SourceIssue] = []

    def fault(self, position: str, problem: str) -> None:
        issue = SourceIssue(self.path, position, problem)
        if issue not in self.issues:
            self.issues.append(issue)

    def read(self, data: object) -> RuleSet:
        for line, key in _duplicate_keys(self.node):
            self.fault(f"line {line}", f"key '{key}' appears twice in one mapping")
        if not isinstance(data, dict):
            raise SourceError.at(self.path, "file", "a rule file is a mapping with 'rules:'")
        for key in sorted(set(data) - {"sets", "rules"}):
            self.fault(f"line {self._line(key)}", f"unknown top-level key '{key}'")
        sets = self._sets(data.get("sets"))
        entries = data.get("rules")
        if not isinstance(entries, list) or not entries:
            self.fault(f"line {self._line('rules')}", "'rules' must be a non-empty list")
            entries = []
        lines = self._rule_lines()
        rules: list[Rule] = []
        for index, entry in enumerate(entries):
            line = lines[index] if index < len(lines) else 0
            rule = self._rule(entry, index + 1, line, sets, {r.id for r in rules})
            if rule is not None:
                rules.append(rule)
        if self.issues:
            raise SourceError(self.issues)
        return RuleSet(self.path, tuple(rules), {k: tuple(v) for k, v in sets.items()})

    def _sets(self, value: object) -> dict[str, list[str]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fault(f"line {self._line('sets')}", "'sets' must map set names to lists of codes")
            return {}
        sets: dict[str, list[str]] = {}
        for name, items in value.items():
            if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
                self.fault(f"set '{name}'", "a set is a list of codes (strings)")
            else:
                sets[str(name)] = items
        return sets

    @staticmethod
    def _where(entry: dict[str, Any], number: int, line: int) -> str:
        """How faults name a rule: by its id when it has one, else by its place."""
        rule_id = entry.get("id")
        return f"rule '{rule_id}' (line {line})" if rule_id else f"rule #{number} (line {line})"

    def _check_fields(
        self, entry: dict[str, Any], where: str, ids: set[str], keys: tuple[str, ...]
    ) -> None:
        """The checks every rule file makes of a rule: its id (present, unique), its keys
        (none missing, none unknown), its texts and its weight (0 to ``MAX_WEIGHT``)."""
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            self.fault(where, "missing 'id' (a non-empty string)")
        elif rule_id in ids:
            self.fault(where, f"id '{rule_id}' is used by an earlier rule")
        for key in keys:
            if key not in entry:
                self.fault(where, f"missing '{key}'")
        for key in sorted(set(entry) - set(keys)):
            self.fault(where, f"unknown key '{key}' (a rule has: {', '.join(keys)})")
        for key in ("description", "reason"):
            text = entry.get(key)
            if key in entry and (not isinstance(text, str) or not text.strip()):
                self.fault(where, f"'{key}' must be a non-empty string")
        weight = entry.get("weight")
        if "weight" in entry and (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not 0 <= weight <= MAX_WEIGHT
        ):
            self.fault(
                where, f"'weight' must be a number from 0 to {MAX_WEIGHT:.0f}, not {weight!r}"
            )

    def _rule(
        self, entry: object, number: int, line: int, sets: Mapping[str, list[str]], ids: set[str]
    ) -> Rule | None:
        if not isinstance(entry, dict):
            self.fault(f"rule #{number} (line {line})", "a rule is a mapping of id, when, ...")
            return None
        rule_id, where = entry.get("id"), self._where(entry, number, line)
        before = len(self.issues)
        self._check_fields(entry, where, ids, _RULE_KEYS)
        description, reason, weight = (entry.get(k) for k in ("description", "reason", "weight"))
        scope = entry.get("applies_to")
        if "applies_to" in entry and scope not in get_args(Scope):
            self.fault(where, f"'applies_to' must be traveller or booking, not {scope!r}")
        predicate, params = (
            self._when(entry.get("when"), where, sets) if "when" in entry else (None, None)
        )
        if predicate is not None and scope in get_args(Scope) and scope not in predicate.scopes:
            allowed = " or ".join(predicate.scopes)
            self.fault(where, f"{predicate.name} applies to {allowed}, not {scope}")
        if predicate is not None and isinstance(reason, str):
            self._check_reason(reason, predicate, where)
        if len(self.issues) > before or predicate is None:
            return None
        return Rule(
            id=cast(str, rule_id),
            description=cast(str, description),
            weight=float(cast(float, weight)),
            applies_to=cast(Scope, scope),
            predicate=predicate.name,
            params=params,
            reason=cast(str, reason),
            line=line,
            find=partial(predicate.find, params),
        )

    def _when(
        self, when: object, where: str, sets: Mapping[str, list[str]]
    ) -> tuple[Predicate | None, object]:
        if not isinstance(when, dict) or len(when) != 1:
            self.fault(
                where, "'when' must hold exactly one predicate, e.g. when: {shared_document: {}}"
            )
            return None, None
        ((name, values),) = when.items()
        predicate = PREDICATES.get(name)
        if predicate is None:
            known = ", ".join(PREDICATES)
            self.fault(where, f"unknown predicate '{name}' (known: {known})")
            return None, None
        if values is None:
            values = {}
        if not isinstance(values, dict):
            self.fault(where, f"{name}: parameters must be a mapping, not {values!r}")
            return None, None
        reader = _Params(name, values, sets)
        params = predicate.read(reader)
        reader.unread()
        for problem in reader.faults:
            self.fault(where, problem)
        return (predicate, params) if not reader.faults else (None, None)

    def _check_reason(self, reason: str, predicate: Predicate, where: str) -> None:
        """Fill the template with example findings so a typo fails now, not on a flight."""
        example = {**COMMON_FIELDS, **predicate.example}
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(reason) if name]
            unknown = [f for f in fields if re.split(r"[.\[]", f, maxsplit=1)[0] not in example]
            if unknown:
                known = ", ".join(example)
                problem = f"reason uses {{{unknown[0]}}}, which {predicate.name} does not find"
                self.fault(where, f"{problem} (fields: {known})")
                return
            reason.format_map(example)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            self.fault(where, f"reason template does not format: {error}")

    def _line(self, key: str) -> int:
        """Line of a top-level key, for faults outside any rule."""
        if isinstance(self.node, yaml.MappingNode):
            for key_node, _ in self.node.value:
                if key_node.value == key:
                    return int(key_node.start_mark.line) + 1
        return 1

    def _rule_lines(self) -> list[int]:
        if isinstance(self.node, yaml.MappingNode):
            for key_node, value in self.node.value:
                if key_node.value == "rules" and isinstance(value, yaml.SequenceNode):
                    return [int(item.start_mark.line) + 1 for item in value.value]
        return []


def _duplicate_keys(node: yaml.Node | None) -> list[tuple[int, str]]:
    """Keys repeated in one mapping: YAML keeps the last silently, hiding half a rule."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    found.append((int(key_node.start_mark.line) + 1, str(key_node.value)))
                seen.add(key_node.value)
            found += _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item)
    return found
