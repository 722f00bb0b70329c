"""PNRGOV messages read into the model; expected values were read from the files by hand."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from tests.conftest import FIXTURES
from watchkeeper.lanes.travel import Booking, TravelMessage, parse_file

TRAVEL = FIXTURES / "travel"


def only(name: str) -> TravelMessage:
    (message,) = parse_file(TRAVEL / name, strict=False)
    assert message.kind == "PNRGOV"
    return message


def booking(name: str) -> Booking:
    (single,) = only(name).bookings
    return single


def names(pnr: Booking) -> list[tuple[str, str]]:
    return [(t.role, t.full_name) for t in pnr.travellers]


def test_infant_travels_on_an_adult_booking() -> None:
    message = only("infant.edi")
    assert message.version == "11:1"
    (flight,) = message.flights
    assert (flight.carrier, flight.flight_number, flight.origin, flight.destination) == (
        "SQ",
        "602",
        "SIN",
        "ICN",
    )
    assert flight.departure == datetime(2013, 5, 27, 14, 30)
    pnr = message.bookings[0]
    assert pnr.record_locator == "3PGZOV"
    assert pnr.booked_at == datetime(2013, 3, 19, 13, 54)
    assert names(pnr) == [("passenger", "ISABELLE BELT"), ("infant", "SOPHY BELT")]
    mother, baby = pnr.travellers
    assert (mother.gender, mother.birth_date) == ("F", date(1978, 7, 1))
    assert [(d.number, d.issuing_country, d.expiry) for d in mother.documents] == [
        ("509229987", "GBR", date(2022, 11, 12))
    ]
    # The infant's DOCS (gender FI) sits under the mother's TIF and belongs to the baby.
    assert (baby.gender, baby.birth_date) == ("F", date(2012, 9, 20))
    assert [d.number for d in baby.documents] == ["512731999"]
    assert mother.frequent_flyer == ("SQ 8794285757",)


def test_adult_and_infant() -> None:
    pnr = booking("adult_and_infant.edi")
    assert names(pnr) == [
        ("passenger", "TESTNAMEONE TESTSURNAMEONE"),
        ("infant", "TESTNAMETWO TESTSURNAMETWO"),
    ]
    assert pnr.travellers[1].birth_date == date(2011, 8, 10)
    assert pnr.travellers[1].traveller_reference == "2.1"
    route = [(leg.flight_number, leg.origin, leg.destination) for leg in pnr.itinerary]
    assert route == [("709", "BOG", "MEX"), ("445", "MEX", "CUN"), ("718", "CUN", "BOG")]
    assert pnr.ticket_type == "return"


def test_three_pnrs() -> None:
    message = only("3_pnrs.edi")
    assert not message.issues
    assert [b.record_locator for b in message.bookings] == ["W9TEND", "D1RGHI", "GBFKSK"]
    first, second, group = message.bookings
    assert names(first) == [("passenger", "KEVINMICHAELMR VANDENBERG")]
    assert first.booked_at == datetime(2013, 5, 23, 18, 13, 48)
    assert first.payments[0].fop_type == "CA"
    assert first.payments[0].amount == Decimal("1999.99")
    assert first.phones == ("5555555555", "15555555555")
    assert first.addresses == ("123 ANY STREET, LAKE TOWN, MN, US, 55123",)
    assert names(second) == [
        ("passenger", "DOLANMR DYE"),
        ("passenger", "KAYLAMS DYE"),
        ("infant", "ARCHER DYE"),
    ]
    dolan = second.travellers[0]
    assert dolan.addresses == ("13 SHORE AVENUE, BROADBEACH, QLD, 4215, AUS",)
    assert dolan.seats == ("54A",)
    assert second.travellers[2].birth_date == date(2012, 4, 15)
    # TIF+ACME TEAM PARTY:G names the group, not a person.
    assert len(group.travellers) == 9
    assert "ACME TEAM PARTY" not in [t.surname for t in group.travellers]


def test_codeshare() -> None:
    message = only("codeshare.edi")
    first = message.bookings[0]
    assert first.record_locator == "2LS6KP"
    assert first.other_locators == ("KE:EDP2RW",)
    (leg,) = first.itinerary
    assert (leg.carrier, leg.flight_number, leg.operating_carrier) == ("KE", "609", "SQ")
    assert leg.operating_flight_number == "303"
    assert first.codeshare_legs == (leg,)
    park = first.travellers[0]
    assert (park.surname, park.given_names, park.birth_date) == (
        "PARK",
        "SEJOONMR",
        date(1972, 9, 10),
    )
    assert park.seats == ("39G",)
    assert park.bags == ("6181026000001", "6181026000002")


def test_split_pnr() -> None:
    message = only("pnr_split.edi")
    assert not message.issues
    first, second = message.bookings
    assert (first.record_locator, second.record_locator) == ("ICOXXX", "BJOXXX")
    assert second.other_locators == ("AM:ZLMXXX",)
    # SSR+SEAT:DK:2:AM:::MTY:LAS:.03BN03AN packs one seat per traveller.
    assert [t.seats for t in first.travellers] == [("3B",), ("3A",)]
    assert [t.traveller_reference for t in first.travellers] == ["1.1", "2.1"]
    assert "18000025200" in first.phones
    assert second.travellers[0].documents[0].number == "AO589000"


def test_doco_visa_and_cash() -> None:
    pnr = booking("pnrWithDoco.txt")
    assert pnr.record_locator == "06A9FD"
    assert pnr.ticketing_date == date(2018, 5, 9)
    assert pnr.tickets == ("44029044029044",)
    assert pnr.payments[0].fop_type == "CA"
    assert pnr.payments[0].amount == Decimal("250.00")
    assert pnr.travel_agency == "70379193 LON"
    (charles,) = pnr.travellers
    assert charles.emails == ("CHARLES.ACKARY@YAHOO.COM",)
    assert charles.place_of_birth == "HERE VA"
    passport, visa = sorted(charles.documents, key=lambda d: d.doc_type)
    assert (passport.number, passport.issuing_country, passport.expiry) == (
        "602120901",
        "GBR",
        date(2021, 1, 30),
    )
    assert (visa.doc_type, visa.number, visa.issuing_country, visa.expiry) == (
        "V",
        "8675309",
        "OTHER PLACE",
        None,
    )
    route = [(leg.carrier, leg.origin, leg.destination) for leg in pnr.itinerary]
    assert route == [("ET", "WDH", "ADD"), ("ET", "ADD", "FRA"), ("UA", "FRA", "IAD")]
    assert pnr.itinerary[1].arrival == datetime(2018, 5, 12, 5, 31)
    assert pnr.ticket_type == "one-way"


def test_seat_formats() -> None:
    (molly,) = booking("pnrSeatFormats.txt").travellers
    assert molly.seats == ("36K", "74E")  # SSR SEAT 36K, SSR NSST 074E


def test_contacts() -> None:
    (molly,) = booking("pnrPhoneCTCM.txt").travellers
    assert molly.phones == ("123456789",)
    assert molly.emails == ("MOLLY_LOUUNT+50BB@GMAIL.COM",)  # .. is _, // is @, ?+ is +
    assert booking("pnrAddressPhoneCTCM.txt").phones == ("8675309", "5432109876")


def test_bags_and_card_payments() -> None:
    message = only("pnrWithBags.txt")
    assert len(message.bookings) == 127
    assert sum(len(b.travellers) for b in message.bookings) == 268
    first = message.bookings[0]
    assert first.record_locator == "157313"
    (jacki,) = first.travellers
    assert jacki.bags == ("ET0443",)
    assert jacki.seats == ("22J",)
    (payment,) = first.payments
    assert (payment.fop_type, payment.amount, payment.card_vendor) == (
        "CC",
        Decimal("100.00"),
        "VI",
    )
    second = message.bookings[1].travellers[0]
    assert (second.surname, second.bags) == ("HOLCOMBE", ("ET0447", "ET0448"))


def test_synthetic_one_way_cash_late_booking() -> None:
    (message,) = parse_file(TRAVEL / "synthetic_pnr_oneway_cash.edi")  # strict
    pnr = message.bookings[0]
    assert pnr.record_locator == "Q7WK2M"
    assert pnr.ticket_type == "one-way"
    assert pnr.booked_at == datetime(2026, 3, 1, 9, 15)
    (leg,) = pnr.itinerary
    assert leg.departure == datetime(2026, 3, 2, 9, 5)
    assert leg.departure - pnr.booked_at < timedelta(hours=48)
    assert {p.fop_type for p in pnr.payments} == {"CA"}
    assert sum(p.amount or 0 for p in pnr.payments) == Decimal("19600.00")
    mehmet, ayse = pnr.travellers
    assert (mehmet.full_name, ayse.full_name) == ("MEHMET KARAMAN", "AYSE KARAMAN")
    assert mehmet.phones == ayse.phones == ("905321234567",)
    assert (mehmet.seats, ayse.seats) == (("14A",), ("14B",))
    assert (ayse.birth_date, ayse.gender) == (date(1988, 6, 2), "F")
    assert [d.number for d in mehmet.documents] == ["U29017732"]
    assert message.all_travellers == pnr.travellers
