"""PAXLST messages read into the model; expected values were read from the files by hand."""

from datetime import date, datetime

import pytest

from tests.conftest import FIXTURES
from watchkeeper.lanes.travel import TravelMessage, TravelMessageError, parse_file, parse_messages

TRAVEL = FIXTURES / "travel"


def only(name: str) -> TravelMessage:
    (message,) = parse_file(TRAVEL / name, strict=False)
    assert message.kind == "PAXLST"
    return message


def test_test3_many_passengers() -> None:
    message = only("Test3.txt")
    assert (message.version, message.reference, message.document_code) == ("D:02B", "WSPDLA", "745")
    assert message.reporting_party == "DELTA GLOBAL ASSISTANCE"
    assert len(message.travellers) == 260
    assert {t.role for t in message.travellers} == {"passenger"}
    (leg,) = message.flights
    assert (leg.carrier, leg.flight_number, leg.origin, leg.destination) == (
        "UA",
        "0989",
        "FRA",
        "IAD",
    )
    assert leg.departure == datetime(2017, 1, 27, 17, 25)
    assert leg.arrival == datetime(2017, 1, 28, 7, 10)
    first, last = message.travellers[0], message.travellers[-1]
    assert (first.surname, first.given_names, first.full_name) == (
        "Kuchel",
        "Rachel Pat",
        "Rachel Pat Kuchel",
    )
    assert (first.gender, first.birth_date) == ("F", date(1977, 10, 19))
    assert (first.nationality, first.residence_country) == ("USA", "USA")
    assert (first.embarkation, first.debarkation, first.place_of_birth) == (
        "FRA",
        "IAD",
        "Hartford USA",
    )
    (document,) = first.documents
    assert (document.doc_type, document.number, document.issuing_country) == (
        "P",
        "12345678",
        "USA",
    )
    assert document.expiry == date(2019, 12, 18)
    assert message.segment(first.segment).text == "NAD+FL+++Kuchel:Rachel:Pat'"
    assert message.segment(document.segment).text == "DOC+P:43817+12345678'"
    assert (last.surname, last.birth_date, last.documents[0].issuing_country) == (
        "Pfaffelhuber",
        date(1978, 7, 5),
        "GBR",
    )


def test_test3_counts_that_do_not_add_up() -> None:
    # CNT+41:206 claims 206 crew on a list of 260 passengers; the UNT count is off too.
    problems = [issue.problem for issue in only("Test3.txt").issues]
    assert problems == [
        "UNT says '099' segments from UNH to UNT, found 3131",
        "CNT+41 says '206' crew members, found 0",
    ]
    with pytest.raises(TravelMessageError, match=r"segment 3133 \(UNT\+099\+WSPDLA'\)"):
        parse_file(TRAVEL / "Test3.txt")


def test_airline2_custom_separators() -> None:
    message = only("airline2.edi")
    assert message.reporting_party == "SABRE CENTRAL"
    assert len(message.travellers) == 10
    (leg,) = message.flights
    assert (leg.carrier, leg.flight_number, leg.origin, leg.destination) == (
        "TN",
        "506",
        "BRE",
        "YEU",
    )
    assert leg.departure == datetime(2014, 5, 11, 13, 40)
    betton = message.travellers[0]
    assert (betton.surname, betton.given_names, betton.gender) == ("BETTON", "DAVID", "M")
    assert betton.birth_date == date(1954, 10, 16)
    assert betton.pnr_reference == "QXGYLO"
    assert [(d.number, d.expiry) for d in betton.documents] == [("178556534", date(2018, 2, 21))]
    tribble = message.travellers[1]
    assert (tribble.surname, tribble.birth_date, tribble.nationality) == (
        "TRIBBLE",
        date(1954, 10, 16),
        "USA",
    )
    assert tribble.documents[0].number == "130906000"
    assert "CNT+42 says '136' passengers, found 10" in [i.problem for i in message.issues]


def test_multiple_flight_legs() -> None:
    message = only("multiple_flight_leg_apis.txt")
    route = [(leg.flight_number, leg.origin, leg.destination) for leg in message.flights]
    assert route == [("877", "MIA", "IAD"), ("827", "IAD", "JFK"), ("827", "JFK", "CDG")]
    assert message.flights[2].departure == datetime(2008, 8, 10, 20, 0)
    assert message.flights[2].arrival == datetime(2008, 8, 11, 6, 30)
    barrett, lang = message.travellers
    assert (barrett.full_name, barrett.birth_date) == ("TODD BARRETT", date(1968, 2, 23))
    assert (barrett.residence_country, barrett.nationality) == ("FRA", "FRA")
    assert (barrett.pnr_reference, barrett.traveller_reference) == ("GJIO3RT", "UUI34T543")
    assert [(d.number, d.expiry, d.issuing_country) for d in barrett.documents] == [
        ("YY3478621G", date(2008, 12, 30), "FRA")
    ]
    assert (lang.full_name, lang.gender, lang.residence_country) == ("KRISTIN LANG", "F", "ESP")


def test_routing_locations_pair_up() -> None:
    (message,) = parse_file(TRAVEL / "apisMessage.txt")  # counts add up: strict parse
    assert [(leg.flight_number, leg.origin, leg.destination) for leg in message.flights] == [
        ("123", "ATL", "ORD"),
        ("124", "ORD", "JFK"),
    ]
    assert message.flights[1].arrival == datetime(2007, 2, 19, 19, 55)
    michael = message.travellers[0]
    assert michael.frequent_flyer == ("20060907NY123",)
    assert (michael.embarkation, michael.debarkation) == ("ATL", "JFK")


def test_crew_list() -> None:
    message = only("Test1.txt")
    assert message.document_code == "250"
    assert message.reporting_party == "CREW SCHEDULING"
    assert len(message.travellers) == 8
    assert {t.role for t in message.travellers} == {"crew"}
    steur = message.travellers[0]
    assert (steur.full_name, steur.gender, steur.birth_date) == (
        "Andrea Pat Steur",
        "F",
        date(1978, 7, 6),
    )
    # CNT+41+8 (count in the wrong element) still matches the 8 crew.
    assert not [i for i in message.issues if i.problem.startswith("CNT")]


def test_in_transit_and_crew_variants() -> None:
    body = (TRAVEL / "synthetic_paxlst_listed.edi").read_text()
    body = body.replace("NAD+FL+++DUBOIS", "NAD+DDU+++DUBOIS").replace(
        "NAD+FL+++MURPHY", "NAD+DDT+++MURPHY"
    )
    (message,) = parse_messages(body, "edited.edi", strict=False)
    dubois = next(t for t in message.travellers if t.surname == "DUBOIS")
    murphy = next(t for t in message.travellers if t.surname == "MURPHY")
    assert (dubois.role, dubois.in_transit) == ("passenger", True)
    assert (murphy.role, murphy.in_transit) == ("crew", True)
    assert [i.problem for i in message.issues] == ["CNT+42 says '10' passengers, found 9"]


def test_synthetic_listed_alias() -> None:
    (message,) = parse_file(TRAVEL / "synthetic_paxlst_listed.edi")  # strict: counts add up
    assert (message.version, message.sender, message.reference) == ("D:05B", "XYAIR", "SYN0001")
    assert message.reporting_party == "WATCHKEEPER TEST DESK"
    assert len(message.travellers) == 10
    (leg,) = message.flights
    assert (leg.carrier, leg.flight_number, leg.origin, leg.destination) == (
        "XY",
        "123",
        "IST",
        "LHR",
    )
    assert leg.departure == datetime(2026, 3, 2, 9, 5)
    listed = message.travellers[1]
    # UN QDi.325 alias "Yaser Khalaf Nazzal Alrawi", born (about) 1977.
    assert listed.full_name == "YASER KHALAF NAZZAL ALRAWI"
    assert (listed.birth_date, listed.gender, listed.nationality) == (date(1977, 1, 1), "M", "IRQ")
    assert listed.place_of_birth == "BINNISH SYR"
    assert [(d.doc_type, d.number, d.issuing_country) for d in listed.documents] == [
        ("P", "A7730218", "IRQ")
    ]
    assert message.segment(listed.segment).text == "NAD+FL+++ALRAWI:YASER:KHALAF:NAZZAL'"
    ferreira = message.travellers[6]
    assert (ferreira.birth_date, ferreira.documents[0].doc_type) == (date(2001, 2, 15), "I")
