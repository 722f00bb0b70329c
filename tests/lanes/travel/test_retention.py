"""Retention: dry runs change nothing, applied runs mask then delete, every run is logged."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from tests.lanes.travel.conftest import LISTED_FLIGHT
from watchkeeper.errors import UsageError
from watchkeeper.lanes.travel import TravelMessage, parse_messages
from watchkeeper.lanes.travel.records import save_reports
from watchkeeper.lanes.travel.retention import Retention, mask_raw, run_retention
from watchkeeper.lanes.travel.screening import TravelScreener
from watchkeeper.matching.screener import Screener
from watchkeeper.store.schema import alerts, retention_runs, travel_messages

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _store(engine: Engine, screener: Screener, messages: list[TravelMessage], age: int) -> None:
    reports = TravelScreener(screener, ["un"]).screen(messages)
    save_reports(engine, f"{age}.edi", reports, NOW - timedelta(days=age))


@pytest.fixture
def aged(engine: Engine, un_screener: Screener, listed_flight: list[TravelMessage]) -> Engine:
    """Three copies of the listed flight: received today, 200 days and 6 years ago."""
    for age in (0, 200, 6 * 365):
        _store(engine, un_screener, listed_flight, age)
    return engine


def _rows(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return {r.path: r for r in conn.execute(select(travel_messages))}


def test_dry_run_changes_nothing_but_is_logged(aged: Engine) -> None:
    result = run_retention(aged, Retention(), apply=False, now=NOW)
    assert (result.depersonalised, result.deleted, result.applied) == (1, 1, False)
    assert len(_rows(aged)) == 3
    with aged.connect() as conn:
        run = conn.execute(select(retention_runs)).one()
        assert conn.execute(select(func.count()).select_from(alerts)).scalar() == 3
    assert (run.applied, run.depersonalised, run.deleted) == (False, 1, 1)


def test_apply_masks_the_old_and_deletes_the_oldest(aged: Engine) -> None:
    result = run_retention(aged, Retention(), apply=True, now=NOW)
    assert (result.depersonalised, result.deleted) == (1, 1)
    rows = _rows(aged)
    assert set(rows) == {"0.edi", "200.edi"}
    old, new = rows["200.edi"], rows["0.edi"]
    assert old.depersonalised_at is not None and new.depersonalised_at is None  # type: ignore[attr-defined]
    assert "ALRAWI" not in old.raw and "A7730218" not in old.raw  # type: ignore[attr-defined]
    assert "ALRAWI" in new.raw  # type: ignore[attr-defined]
    traveller = old.parsed["travellers"][1]  # type: ignore[attr-defined]
    assert traveller["surname"] == "***" and traveller["documents"][0]["number"] == "***"
    assert traveller["nationality"] == "IRQ"  # kept for statistics
    with aged.connect() as conn:
        subjects = {r.source_id: r.subject for r in conn.execute(select(alerts))}
    assert subjects[old.id]["names"] == ["***"]  # type: ignore[attr-defined]
    assert subjects[new.id]["names"] == ["YASER KHALAF NAZZAL ALRAWI"]  # type: ignore[attr-defined]
    assert len(subjects) == 2  # the deleted message's alert went with it
    again = run_retention(aged, Retention(), apply=True, now=NOW)
    assert (again.depersonalised, again.deleted) == (0, 0)


def test_masked_message_still_parses() -> None:
    masked = mask_raw(LISTED_FLIGHT.read_text(), "flight.edi")
    [message] = parse_messages(masked, "masked.edi")
    assert len(message.travellers) == 10
    assert {t.surname.strip("X") for t in message.travellers} == {""}
    assert message.flights[0].origin == "IST"


def test_limits_are_checked(engine: Engine) -> None:
    with pytest.raises(UsageError):
        run_retention(engine, Retention(200, 100), apply=False, now=NOW)
    with pytest.raises(UsageError):
        run_retention(engine, Retention(0, 100), apply=False, now=NOW)
