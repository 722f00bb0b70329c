"""Risk rules as data: each predicate on its own, the engine, the default file, bad files."""

from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from watchkeeper.errors import SourceError
from watchkeeper.lanes.travel import (
    Booking,
    FlightLeg,
    TravelDocument,
    Traveller,
    TravelMessage,
    parse_file,
    parse_messages,
)
from watchkeeper.lanes.travel.model import MessageKind
from watchkeeper.lanes.travel.rules import (
    Batch,
    CoTraveller,
    DocumentCountryMismatch,
    DocumentExpiry,
    RouteTouches,
    RuleSet,
    SharedDocument,
    Subject,
    co_traveller,
    document_country_mismatch,
    document_expiry,
    hours_before,
    risk_scores,
    route_touches,
    shared_document,
)

TRAVEL = FIXTURES / "travel"
ONE_WAY_CASH = TRAVEL / "synthetic_pnr_oneway_cash.edi"
PAXLST = TRAVEL / "synthetic_paxlst_listed.edi"

LATE_RULE = """
rules:
  - id: late-cash
    description: late one-way cash ticket
    weight: 30
    applies_to: booking
    when:
      late_one_way_cash: {hours: 48, payment_types: [CA]}
    reason: "one-way ticket bought {hours:.1f} h before departure, paid in {payment}"
"""


def pnr(text: str | None = None) -> TravelMessage:
    """The one-way cash PNR, or a variant of its text."""
    data = text if text is not None else ONE_WAY_CASH.read_text()
    (message,) = parse_messages(data, str(ONE_WAY_CASH), strict=False)
    return message


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(text)
    return path


def leg(origin: str, destination: str, day: datetime, segment: int = 5) -> FlightLeg:
    return FlightLeg("XY", "123", origin, destination, day, day, segment)


def message(
    travellers: tuple[Traveller, ...] = (),
    bookings: tuple[Booking, ...] = (),
    flights: tuple[FlightLeg, ...] = (leg("IST", "LHR", datetime(2026, 3, 2, 9, 5)),),
    path: str = "built.edi",
) -> TravelMessage:
    kind: MessageKind = "PNRGOV" if bookings else "PAXLST"
    return TravelMessage(
        kind, "", "1", "XY", path, "", (), None, None, flights, travellers, bookings
    )


def person(name: str, segment: int = 10, **facts: object) -> Traveller:
    given, surname = name.split()
    return Traveller("passenger", surname, given, segment, **facts)  # type: ignore[arg-type]


def passport(number: str, issuer: str | None, expiry: date | None = None) -> TravelDocument:
    return TravelDocument("P", number, issuer, expiry, None, 11)


def subject(
    traveller: Traveller, *others: TravelMessage, flagged: set[Traveller] | None = None
) -> Subject:
    own = message((traveller,))
    return Subject(own, None, traveller, Batch.of([own, *others], flagged or set()))


# --- late_one_way_cash ---------------------------------------------------------------------


def test_default_rules_flag_the_late_one_way_cash_booking_for_both_travellers() -> None:
    msg = pnr()
    hits = [hit for hit in RuleSet.load().evaluate([msg]) if hit.rule_id == "late-one-way-cash"]
    assert [hit.traveller.full_name for hit in hits if hit.traveller] == [
        "MEHMET KARAMAN",
        "AYSE KARAMAN",
    ]
    for hit in hits:
        assert "23.8 h" in hit.reason  # 1 Mar 09:15 -> 2 Mar 09:05 local at IST
        assert "paid in cash" in hit.reason
        assert hit.weight == 30
        assert hit.booking is not None and hit.booking.record_locator == "Q7WK2M"
        assert hit.segment == 18
        assert msg.segment(hit.segment).tag == "FOP"
        assert msg.segment(hit.segment).text.startswith("FOP+CA")


def test_a_rule_file_with_only_the_late_rule(tmp_path: Path) -> None:
    rules = RuleSet.load(write(tmp_path, LATE_RULE))
    assert [rule.id for rule in rules.rules] == ["late-cash"]
    hits = rules.evaluate([pnr()])
    assert [hit.reason for hit in hits] == [
        "one-way ticket bought 23.8 h before departure, paid in cash"
    ] * 2
    text = ONE_WAY_CASH.read_text()
    by_card = text.replace("FOP+CA", "FOP+CC")
    assert rules.evaluate([pnr(by_card)]) == []
    three_days_before = text.replace("RCI+XY:Q7WK2M::010326:0915", "RCI+XY:Q7WK2M::270226:0915")
    assert pnr(three_days_before).bookings[0].booked_at == datetime(2026, 2, 27, 9, 15)
    assert rules.evaluate([pnr(three_days_before)]) == []


def test_booking_clock_and_daylight_saving() -> None:
    # Both times local at IST (UTC+3 all year): 23 h 50 min.
    assert hours_before(
        datetime(2026, 3, 1, 9, 15), datetime(2026, 3, 2, 9, 5), "IST", "local"
    ) == pytest.approx(23 + 50 / 60)
    # The creation time read as GMT: 09:15 UTC is 12:15 in Istanbul, 3 h later.
    assert hours_before(
        datetime(2026, 3, 1, 9, 15), datetime(2026, 3, 2, 9, 5), "IST", "utc"
    ) == pytest.approx(20 + 50 / 60)
    # UK clocks go forward on 29 March 2026: noon to noon local is 23 real hours.
    assert hours_before(
        datetime(2026, 3, 28, 12, 0), datetime(2026, 3, 29, 12, 0), "LHR", "local"
    ) == pytest.approx(23.0)


# --- route_touches -------------------------------------------------------------------------


def test_route_touches_a_custom_airport_set_in_a_fixture(tmp_path: Path) -> None:
    rules = RuleSet.load(
        write(
            tmp_path,
            """
sets:
  watched: [IST, HTY]
rules:
  - id: via-istanbul
    description: departs from a watched airport
    weight: 10
    applies_to: traveller
    when:
      route_touches: {airports: watched, days: 7}
    reason: "{name} touches {airport} ({city}, {country_name}) via {via}, set {set}"
""",
        ),
    )
    (msg,) = parse_file(PAXLST)
    hits = rules.evaluate([msg])
    assert len(hits) == len(msg.travellers) == 10
    assert hits[0].reason == (
        "MARGARET ANNE HOLLOWAY touches IST (Arnavutköy, Istanbul, Türkiye) "
        "via flight XY123 IST-LHR, set watched"
    )
    assert msg.segment(hits[0].segment).tag == "TDT"


def test_route_touches_a_risk_country_only_within_the_window() -> None:
    reported = datetime(2026, 3, 2, 9, 5)
    later = FlightLeg("XY", "9", "IST", "DAM", datetime(2026, 4, 20, 8, 0), None, 33)
    traveller = person("YASER ALRAWI")
    booking = Booking("ABC123", 7, itinerary=(leg("IST", "LHR", reported), later))
    msg = message(bookings=(booking,))
    seen = Subject(msg, booking, traveller, Batch.of([msg]))
    syria = RouteTouches(days=30, countries=frozenset({"SY"}), country_set="risk_countries")
    assert route_touches(syria, seen) == []  # 49 days after the reported flight
    (finding,) = route_touches(RouteTouches(60, frozenset(), "", syria.countries, "risk"), seen)
    assert finding.segment == 33
    assert finding.facts["airport"] == "DAM"
    assert finding.facts["country"] == "SY"
    assert finding.facts["country_name"] == "Syria"
    assert finding.facts["when"] == "2026-04-20 08:00"


def test_route_touches_embarkation_of_an_api_traveller() -> None:
    traveller = person("AIKO NAKAMURA", embarkation="GZT", debarkation="LHR")
    params = RouteTouches(days=1, airports=frozenset({"GZT"}), airport_set="risk_airports")
    (finding,) = route_touches(params, subject(traveller))
    assert (finding.facts["via"], finding.facts["airport_name"]) == (
        "embarkation",
        "Gaziantep International Airport",
    )
    assert finding.segment == traveller.segment


# --- documents -------------------------------------------------------------------------------


def test_document_expiry() -> None:
    expired = passport("U1", "TUR", date(2026, 2, 1))
    on_arrival_day = passport("U2", "TUR", date(2026, 3, 2))
    soon = passport("U3", "TUR", date(2026, 3, 20))
    traveller = person("MEHMET KARAMAN", documents=(expired, on_arrival_day, soon))
    findings = document_expiry(DocumentExpiry(margin_days=0), subject(traveller))
    (finding,) = findings
    assert finding.facts["status"] == "expired"
    assert finding.facts["days_left"] == -29
    assert finding.facts["arrival"] == "2026-03-02"
    with_margin = document_expiry(DocumentExpiry(margin_days=30), subject(traveller))
    assert [f.facts["number"] for f in with_margin] == ["U1", "U2", "U3"]
    assert [f.facts["status"] for f in with_margin] == ["expired", "expires", "expires"]


def test_document_expiry_through_the_default_rules() -> None:
    text = ONE_WAY_CASH.read_text().replace("/M/11OCT31/KARAMAN", "/M/01MAR26/KARAMAN")
    msg = pnr(text)
    (hit,) = [h for h in RuleSet.load().evaluate([msg]) if h.rule_id == "document-expired"]
    assert hit.reason == "passport U29017732 expired on 2026-03-01, arrival 2026-03-02"
    assert msg.segment(hit.segment).text.startswith("SSR+DOCS")


def test_document_country_mismatch() -> None:
    params = DocumentCountryMismatch(doc_types=frozenset({"P", "I"}))
    syrian_passport = passport("N1", "SYR")
    visa = TravelDocument("V", "V1", "GBR", None, None, 12)
    traveller = person("LAYLA HASSAN", nationality="TR", documents=(syrian_passport, visa))
    (finding,) = document_country_mismatch(params, subject(traveller))
    assert finding.facts["issuer_name"] == "Syria"
    assert finding.facts["nationality_name"] == "Türkiye"
    assert finding.segment == 11
    same = person("ERIK LINDQVIST", nationality="DEU", documents=(passport("9", "D"),))
    assert document_country_mismatch(params, subject(same)) == []


# --- co-travellers and shared documents ------------------------------------------------------


def test_co_traveller_on_the_same_booking_and_by_phone() -> None:
    msg = pnr()
    mehmet, ayse = msg.bookings[0].travellers
    hits = [
        h for h in RuleSet.load().evaluate([msg], flagged={mehmet}) if h.rule_id == "co-traveller"
    ]
    assert [(h.traveller, h.reason) for h in hits] == [
        (ayse, "linked to listed traveller MEHMET KARAMAN by booking Q7WK2M"),
        (ayse, "linked to listed traveller MEHMET KARAMAN by phone 905321234567"),
    ]
    assert [msg.segment(h.segment).tag for h in hits] == ["SRC", "TIF"]


def test_co_traveller_by_phone_across_messages() -> None:
    listed = person("YASER ALRAWI", phones=("+90 532 123 45 67",))
    elsewhere = message((listed,), path="other.edi")
    companion = person("AIKO NAKAMURA", phones=("00905321234567",))
    params = CoTraveller(via=frozenset({"phone"}))
    (finding,) = co_traveller(params, subject(companion, elsewhere, flagged={listed}))
    assert (finding.facts["flagged"], finding.facts["link"]) == ("YASER ALRAWI", "phone")
    assert (
        co_traveller(
            CoTraveller(frozenset({"email"})), subject(companion, elsewhere, flagged={listed})
        )
        == []
    )


def test_shared_document_across_two_travellers() -> None:
    first = person("MEHMET KARAMAN", documents=(passport("u2901-7732", "TUR"),))
    second = person("ALI VELI", 40, documents=(passport("U29017732", "TR"),))
    same_name = person("KARAMAN MEHMET", 50, documents=(passport("U29017732", None),))
    other_country = person("JOHN DOE", 60, documents=(passport("U29017732", "GBR"),))
    others = message((second, same_name, other_country), path="api.edi")
    (finding,) = shared_document(SharedDocument(), subject(first, others))
    assert finding.facts["other_name"] == "ALI VELI"
    assert finding.facts["other_file"] == "api.edi"
    assert (finding.facts["other_segment"], finding.facts["others"]) == (40, 1)
    assert shared_document(SharedDocument(), subject(same_name, message((first,)))) == []


def test_risk_scores_add_distinct_rules() -> None:
    msg = pnr(ONE_WAY_CASH.read_text().replace("/M/11OCT31/KARAMAN", "/M/01MAR26/KARAMAN"))
    mehmet, ayse = msg.bookings[0].travellers
    scores = risk_scores(RuleSet.load().evaluate([msg], flagged={mehmet}))
    assert scores == {mehmet: 30 + 20, ayse: 30 + 50}


# --- bad rule files --------------------------------------------------------------------------


def faults(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    path = write(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        RuleSet.load(path)
    assert all(issue.path == str(path) for issue in caught.value.issues)
    return [(i.path, i.position, i.problem) for i in caught.value.issues]


def test_unknown_predicate(tmp_path: Path) -> None:
    text = LATE_RULE.replace("late_one_way_cash", "late_one_way_crypto")
    ((_, position, problem),) = faults(tmp_path, text)
    assert position == "rule 'late-cash' (line 3)"
    assert problem.startswith("unknown predicate 'late_one_way_crypto' (known: route_touches,")


def test_missing_parameter_and_unknown_set_are_all_reported(tmp_path: Path) -> None:
    text = """sets:
  risk_countries: [SY, IQ]
rules:
  - id: no-days
    description: x
    weight: 10
    applies_to: traveller
    when:
      route_touches: {countries: risk_countries}
    reason: "{airport}"
  - id: typo-set
    description: x
    weight: 10
    applies_to: traveller
    when:
      route_touches: {countries: risk_countrys, days: 3}
    reason: "{airport}"
"""
    assert [(p, m) for _, p, m in faults(tmp_path, text)] == [
        ("rule 'no-days' (line 4)", "route_touches: missing parameter 'days' (a number)"),
        (
            "rule 'typo-set' (line 11)",
            "route_touches: parameter 'countries' names unknown set 'risk_countrys' "
            "(sets: risk_countries)",
        ),
    ]


def test_bad_values_in_rules(tmp_path: Path) -> None:
    text = (
        LATE_RULE.replace("weight: 30", "weight: 300")
        .replace("{payment}", "{paymnet}")
        .replace("applies_to: booking", "applies_to: traveller")
    )
    problems = [m for _, _, m in faults(tmp_path, text)]
    assert problems[0] == "'weight' must be a number from 0 to 100, not 300"
    assert problems[1] == "late_one_way_cash applies to booking, not traveller"
    assert problems[2].startswith("reason uses {paymnet}, which late_one_way_cash does not find")


def test_unknown_airport_code_in_a_set(tmp_path: Path) -> None:
    text = """sets:
  airports: [GZT, QQQ]
rules:
  - id: r
    description: x
    weight: 1
    applies_to: traveller
    when: {route_touches: {airports: airports, days: 1}}
    reason: "{airport}"
"""
    ((_, position, problem),) = faults(tmp_path, text)
    assert position == "rule 'r' (line 4)"
    assert problem == "route_touches: 'QQQ' in airports is not a known IATA airport code"


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = LATE_RULE.replace("weight: 30", "weight: [30")
    ((_, position, problem),) = faults(tmp_path, text)
    assert position == "line 6, column 15"  # where the parser gave up: the next key
    assert problem == (
        "not valid YAML: while parsing a flow sequence started on line 5: "
        "expected ',' or ']', but got ':'"
    )


# --- the default file on every fixture -------------------------------------------------------


def test_default_rules_on_every_fixture() -> None:
    rules = RuleSet.load()
    assert {rule.id for rule in rules.rules} == {
        "route-risk-country",
        "route-border-airport",
        "late-one-way-cash",
        "document-expired",
        "document-country-mismatch",
        "co-traveller",
        "shared-document",
    }
    messages = [
        msg
        for path in sorted(TRAVEL.iterdir())
        if path.suffix in (".edi", ".txt") and path.name != "pnrBadFormat.txt"
        for msg in parse_file(path, strict=False)
    ]
    assert len(messages) == 17
    flagged = {messages[0].all_travellers[0]}
    hits = rules.evaluate(messages, flagged=flagged)
    for hit in hits:
        assert hit.reason and "{" not in hit.reason
        assert hit.message.segment(hit.segment).number == hit.segment
    assert {hit.rule_id for hit in hits} >= {"late-one-way-cash", "document-expired"}
