"""Keeping screened messages and their alerts; unreadable files kept for replay."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from tests.lanes.travel.conftest import TRAVEL
from watchkeeper.lanes.travel import TravelMessage, TravelMessageError, parse_file
from watchkeeper.lanes.travel.records import parsed_of, save_reports, write_failure
from watchkeeper.lanes.travel.screening import TravelScreener
from watchkeeper.matching.screener import Screener
from watchkeeper.store.schema import alerts, entities, travel_messages

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_parse_result_is_plain_json(listed_flight: list[TravelMessage]) -> None:
    parsed = parsed_of(listed_flight[0])
    assert "raw" not in parsed and "segments" not in parsed
    assert parsed["travellers"][1]["surname"] == "ALRAWI"
    assert parsed["travellers"][1]["birth_date"] == "1977-01-01"
    assert parsed["flights"][0]["departure"] == "2026-03-02T09:05:00"


def test_alerts_are_stored_with_their_source(
    un_engine: Engine, un_screener: Screener, listed_flight: list[TravelMessage]
) -> None:
    reports = TravelScreener(un_screener, ["un"]).screen(listed_flight)
    assert save_reports(un_engine, "flight.edi", reports, NOW) == 1
    with un_engine.connect() as conn:
        message = conn.execute(select(travel_messages)).one()
        alert = conn.execute(select(alerts)).one()
        checksum = conn.execute(
            select(entities.c.checksum).where(entities.c.entity_id == "un-QDi.325")
        ).scalar()
    assert (message.kind, message.status, message.flight) == ("PAXLST", "screened", "XY123")
    assert "ALRAWI:YASER" in message.raw
    assert (alert.lane, alert.kind, alert.state) == ("travel", "watchlist", "new")
    assert (alert.list_name, alert.entity_id) == ("un", "un-QDi.325")
    assert alert.entity_checksum == checksum
    assert alert.subject["names"] == ["YASER KHALAF NAZZAL ALRAWI"]
    assert alert.reason.startswith(
        "name + DOB + nationality match un-QDi.325 (ABOU MOHAMED AL ADNANI)"
    )
    assert listed_flight[0].segment(alert.segment).text.startswith("NAD+FL+++ALRAWI")
    assert alert.source_id == message.id and alert.explanation["score"] == alert.score


def test_unreadable_file_is_kept_for_replay(engine: Engine) -> None:
    path = TRAVEL / "pnrBadFormat.txt"
    with pytest.raises(TravelMessageError) as caught:
        parse_file(path, strict=False)
    with engine.begin() as conn:
        row_id = write_failure(conn, str(path), path.read_text(), caught.value, NOW)
    with engine.connect() as conn:
        row = conn.execute(select(travel_messages).where(travel_messages.c.id == row_id)).one()
    assert row.status == "failed"
    assert "segment 28" in row.error
    assert row.raw == path.read_text()
