"""A flight's page (``workbench.flight``): the synthetic PAXLST manifest and PNRGOV message
screened through the travel lane."""

from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select

from tests.workbench.conftest import ANALYST, NOW, Screened
from watchkeeper.lanes.travel.retention import Retention, run_retention
from watchkeeper.store.schema import audit_log, travel_messages
from watchkeeper.workbench.flight import LegView, flight_page


def message_id(screened: Screened, path: str) -> int:
    query = select(travel_messages.c.id).where(travel_messages.c.path == path)
    with screened.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_a_manifest_shows_its_flight_and_who_was_found(screened: Screened) -> None:
    page = flight_page(screened.engine, ANALYST, message_id(screened, "listed.edi"))
    assert (page.kind, page.flight, page.depersonalised) == ("PAXLST", "XY123", False)
    assert page.legs == (
        LegView(
            "XY",
            "123",
            "IST",
            "LHR",
            datetime(2026, 3, 2, 9, 5),
            datetime(2026, 3, 2, 11, 10),
            None,
            None,
            page.legs[0].segment,
        ),
    )
    assert len(page.travellers) == 10
    flagged = [t for t in page.travellers if t.findings]
    assert [t.name for t in flagged] == ["YASER KHALAF NAZZAL ALRAWI"]
    [alrawi] = flagged
    assert (alrawi.birth_date, alrawi.nationality, alrawi.documents) == (
        date(1977, 1, 1),
        "IRQ",
        ("A7730218",),
    )
    assert {(f.kind, f.list_name, f.entity_id) for f in alrawi.findings} == {
        ("watchlist", "un", "un-QDi.325"),  # OFAC 17066, the same man, in its reason
    }
    assert {t.risk for t in page.travellers} == {0.0}
    assert page.unattached == ()


def test_a_pnr_shows_its_itinerary_and_the_rule_risk_of_each_traveller(
    screened: Screened,
) -> None:
    page = flight_page(screened.engine, ANALYST, message_id(screened, "pnr.edi"))
    assert (page.kind, page.flight) == ("PNRGOV", "XY123")
    assert [(leg.origin, leg.destination, leg.departure) for leg in page.legs] == [
        ("IST", "LHR", datetime(2026, 3, 2, 9, 5))
    ]
    rows = {t.name: t for t in page.travellers}
    assert set(rows) == {"MEHMET KARAMAN", "AYSE KARAMAN"}
    for row in rows.values():
        assert row.record_locator == "Q7WK2M"
        assert [(f.kind, f.rule) for f in row.findings] == [("rule", "late-one-way-cash")]
        assert row.risk is not None and row.risk > 0
    assert rows["AYSE KARAMAN"].seats == ("14B",)


def test_the_read_is_audited(screened: Screened) -> None:
    found = message_id(screened, "pnr.edi")
    flight_page(screened.engine, ANALYST, found, remote="10.1.2.3")
    query = select(audit_log.c.action, audit_log.c.remote).where(
        audit_log.c.target_type == "travel_message", audit_log.c.target_id == str(found)
    )
    with screened.engine.connect() as conn:
        assert ("read.flight", "10.1.2.3") in conn.execute(query).all()


def test_a_depersonalised_flight_keeps_its_findings_but_not_the_risk(screened_copy: Engine) -> None:
    run_retention(screened_copy, Retention(), apply=True, now=NOW + timedelta(days=200))
    with screened_copy.connect() as conn:
        found = conn.execute(
            select(travel_messages.c.id).where(travel_messages.c.path == "listed.edi")
        ).scalar_one()
    page = flight_page(screened_copy, ANALYST, found)
    assert page.depersonalised
    [flagged] = [t for t in page.travellers if t.findings]
    assert flagged.name == "XXXXX XXXXXX XXXXXX XXXXXX"
    [finding] = flagged.findings  # one alert for the man on both lists
    assert finding.reason.endswith("(also listed: ofac ofac-17066)")
    assert {t.risk for t in page.travellers} == {None}  # the answer went with the names
