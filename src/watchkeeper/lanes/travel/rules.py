"""Risk rules for travel messages: the predicates a travel rule file can use.

A YAML rule file (format in docs/travel_rules.md) lists rules; each picks one predicate from
the vocabulary below, gives its parameters, a weight and a reason template; the file is read
and checked by ``watchkeeper.lanes.rulefile``. Predicates are code, tested one by one: each
is a function ``(params, subject) -> list[Finding]``, where the subject is one traveller or
one booking of a message, with the batch of messages evaluated together.
"""

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from watchkeeper.countries import country_name
from watchkeeper.countries import iso2 as country_code
from watchkeeper.lanes.rulefile import (
    SETS,
    Choice,
    Codes,
    Listed,
    Number,
    Predicate,
    Rule,
    SetOrList,
    Vocabulary,
    read_rules,
    rule_file_text,
)
from watchkeeper.lanes.travel.airports import airport, airport_code
from watchkeeper.lanes.travel.codes import document_word, payment_word
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
        "payment": payment_word(code),
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
            "document": document_word(document),
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
            "document": document_word(document),
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
            "document": document_word(document),
            "number": document.number,
            "issuer": document.issuing_country or "",
            "other_name": first.traveller.full_name,
            "other_file": Path(first.message.path).name,
            "other_segment": first.traveller.segment,
            "others": len(others),
        }
        findings.append(Finding(document.segment, facts))
    return findings


# --- the vocabulary ------------------------------------------------------------------------


def _route(days: float, airports: Listed | None, countries: Listed | None) -> RouteTouches:
    airport_set, airport_codes = airports or ("", frozenset())
    country_set, country_codes = countries or ("", frozenset())
    return RouteTouches(days, airport_codes, airport_set, country_codes, country_set)


def _route_check(params: RouteTouches) -> list[str]:
    if not params.airport_set and not params.country_set:
        return ["needs 'airports' or 'countries' (a set name or a list)"]
    return []


def _expiry(margin_days: float) -> DocumentExpiry:
    return DocumentExpiry(int(margin_days))


_COUNTRIES = SetOrList("countries", "country", country_code)

VOCABULARY: Vocabulary[Subject, Finding] = Vocabulary.of(
    [
        Predicate(
            "route_touches",
            (Number("days"), SetOrList("airports", "IATA airport", airport_code), _COUNTRIES),
            _route,
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
            check=_route_check,
            scopes=("traveller", "booking"),
        ),
        Predicate(
            "late_one_way_cash",
            (
                Number("hours", 48.0),
                Codes("payment_types", {"CA"}),
                Choice("booking_clock", get_args(Clock), "local"),
            ),
            LateOneWayCash,
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
            scopes=("booking",),
        ),
        Predicate(
            "document_expiry",
            (Number("margin_days", 0),),
            _expiry,
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
            scopes=("traveller",),
        ),
        Predicate(
            "document_country_mismatch",
            (Codes("doc_types", {"P", "I"}),),
            DocumentCountryMismatch,
            document_country_mismatch,
            {
                "document": "passport",
                "number": "U29017732",
                "issuer": "SYR",
                "issuer_name": "Syria",
                "nationality": "TUR",
                "nationality_name": "Türkiye",
            },
            scopes=("traveller",),
        ),
        Predicate(
            "co_traveller",
            (Codes("via", LINKS, LINKS, str.lower),),
            CoTraveller,
            co_traveller,
            {
                "flagged": "MEHMET KARAMAN",
                "link": "phone",
                "value": "905321234567",
                "flagged_segment": 12,
            },
            scopes=("traveller",),
        ),
        Predicate(
            "shared_document",
            (),
            SharedDocument,
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
            scopes=("traveller",),
        ),
    ],
    # Fields every reason can use, whatever the predicate: who the hit is about.
    common={"name": "MEHMET KARAMAN", "locator": "Q7WK2M"},
    example="shared_document",
    sections=(SETS,),
    scopes=get_args(Scope),
)


# --- running a rule file -------------------------------------------------------------------


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
    rules: tuple[Rule[Subject, Finding], ...]
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    risk_threshold: float | None = None  # the file's, for the review queue (review.risk)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "RuleSet":
        """Read and check a rule file; None is the bundled ``watchkeeper/data/travel_rules.yml``.

        Raises ``SourceError`` listing every fault, each naming the file, the rule and line.
        """
        return cls.from_text(*rule_file_text(path, DEFAULT_RULES))

    @classmethod
    def from_text(cls, text: str, path: str) -> "RuleSet":
        """``load`` on text already in hand; ``path`` names it in errors."""
        loaded = read_rules(text, path, VOCABULARY)
        return cls(loaded.path, loaded.rules, SETS.of(loaded.context), loaded.risk_threshold)

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


def _run(rules: Iterable[Rule[Subject, Finding]], subject: Subject) -> list[RuleHit]:
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
