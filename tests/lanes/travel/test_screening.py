"""Screening a flight: watchlist hits with reasons, flagged documents, rule hits."""

from datetime import date

from followthemoney import model

from tests.lanes.travel.conftest import ONE_WAY_CASH
from watchkeeper.lanes.travel import TravelMessage, parse_file
from watchkeeper.lanes.travel.documents import DocumentList
from watchkeeper.lanes.travel.model import TravelDocument, Traveller
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import (
    TravelScreener,
    traveller_subject,
)
from watchkeeper.matching.screener import Screener


def test_traveller_subject() -> None:
    traveller = Traveller(
        role="passenger",
        surname="ALRAWI",
        given_names="YASER KHALAF",
        segment=22,
        gender="M",
        birth_date=date(1977, 1, 1),
        nationality="IRQ",
        documents=(TravelDocument("P", "A7730218", "IRQ", None, "SYR", 26),),
    )
    subject = traveller_subject(traveller)
    assert subject.names == ("YASER KHALAF ALRAWI",)
    assert subject.birth_dates == ("1977-01-01",)
    assert subject.countries == ("iq", "sy")
    assert subject.gender == "male"
    assert subject.identifiers == ("A7730218",)
    assert subject.identifier_kinds == ("passport",)
    assert (subject.given_names, subject.family_names) == (("YASER KHALAF",), ("ALRAWI",))


def test_a_listed_passport_under_another_name_is_said_to_be_a_passport(
    un_screener: Screener,
) -> None:
    # D00002264 is a passport of UN-listed un-CFi.001; the traveller's name is another.
    traveller = Traveller(
        role="passenger",
        surname="DURAND",
        given_names="PAUL",
        segment=5,
        documents=(TravelDocument("P", "D00002264", "CAF", None, None, 6),),
    )
    [hit] = [h for h in un_screener.screen(traveller_subject(traveller)) if h.alert]
    assert hit.entity_id == "un-CFi.001"
    assert hit.reason.startswith("same passport number match un-CFi.001")


def test_listed_traveller_is_flagged_with_reason(
    un_screener: Screener, listed_flight: list[TravelMessage]
) -> None:
    [report] = TravelScreener(un_screener, ["un"]).screen(listed_flight)
    assert len(report.travellers) == 10
    assert report.flight is not None and report.flight.flight_number == "123"
    [flagged] = report.flagged
    assert flagged.traveller.surname == "ALRAWI"
    assert flagged.hits[0].entity_id == "un-QDi.325"
    assert flagged.hits[0].reason.startswith(
        "name + DOB + nationality match un-QDi.325 (ABOU MOHAMED AL ADNANI)"
    )
    segment = listed_flight[0].segment(flagged.traveller.segment)
    assert segment.text.startswith("NAD+FL+++ALRAWI")


def test_stolen_document_is_flagged(
    un_screener: Screener, listed_flight: list[TravelMessage]
) -> None:
    stolen = model.make_entity("Passport")
    stolen.id = "sltd-jp-TR4410987"
    stolen.add("number", "TR 4410987")
    stolen.add("country", "jp")
    stolen.add("type", "stolen")
    stolen.add("authority", "JP-NCB")
    documents = DocumentList.from_entities("sltd", [stolen])
    [report] = TravelScreener(un_screener, ["un"], documents=documents).screen(listed_flight)
    flagged = {t.traveller.surname: t for t in report.flagged}
    assert set(flagged) == {"ALRAWI", "NAKAMURA"}
    [hit] = flagged["NAKAMURA"].documents
    assert (hit.status, hit.reported_by) == ("stolen", "JP-NCB")


def test_rules_flag_the_one_way_cash_booking(un_screener: Screener) -> None:
    messages = parse_file(ONE_WAY_CASH)
    [report] = TravelScreener(un_screener, ["un"], RuleSet.load(None)).screen(messages)
    assert len(report.travellers) == 2
    for item in report.travellers:
        assert not item.hits
        rules = [r.rule_id for r in item.rules]
        assert any("cash" in rule for rule in rules), rules
        assert item.risk > 0
