"""Receiving an interchange once: resends answered from the first receipt, references not
reused, and messages, alerts, answer and audit entry stored together or not at all."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import store_copy
from tests.lanes.travel.conftest import LISTED_FLIGHT, ONE_WAY_CASH, TRAVEL
from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Submitter
from watchkeeper.lanes.travel import TravelMessage, parse_messages
from watchkeeper.lanes.travel.ingest import (
    InterchangeConflict,
    Receipt,
    receive,
    update_mark,
)
from watchkeeper.lanes.travel.retention import Retention, run_retention
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import FlightReport, TravelScreener
from watchkeeper.matching.screener import Screener
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alerts, audit_log, travel_interchanges, travel_messages

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
AIRLINE = Submitter("airline-gw", "192.0.2.7")
TABLES = (travel_messages, alerts, travel_interchanges, audit_log)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store holding the bundled UN list as 'un', on each backend (a copy of the one built
    once a run)."""
    with store_copy(request, tmp_path) as engine:
        yield engine


@pytest.fixture
def screen(un_screener: Screener) -> Callable[[list[TravelMessage]], list[FlightReport]]:
    """Screening as the service does it: the UN list and the bundled rules."""
    return TravelScreener(un_screener, ["un"], RuleSet.load(None)).screen


def counts(engine: Engine) -> dict[str, int]:
    """The rows of every table an interchange writes to."""
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES
        }


def test_a_resend_is_answered_from_the_first_receipt(store: Engine, screen: Callable) -> None:
    raw = LISTED_FLIGHT.read_bytes()
    first = receive(store, raw, "first.edi", AIRLINE, screen, NOW)
    assert (first.alerts, first.version, first.repeat) == (1, 1, False)
    stored = counts(store)
    assert stored[travel_messages.name] == 1 and stored[alerts.name] == 1

    def never(messages: list[TravelMessage]) -> list[FlightReport]:
        raise AssertionError("a resend is not screened again")

    again = receive(store, raw, "resent.edi", AIRLINE, never, NOW + timedelta(minutes=5))
    assert again.repeat and (again.id, again.path, again.alerts) == (first.id, "first.edi", 1)
    assert again.reports == first.reports
    assert counts(store) == {**stored, audit_log.name: stored[audit_log.name] + 1}
    entries = query(store, action="ingest")
    assert [e.detail.get("repeat_of") for e in entries if e.detail] == ["first.edi", None]
    assert {(e.actor, e.remote, e.target_id) for e in entries} == {
        ("airline-gw", "192.0.2.7", str(first.id))
    }


def test_other_content_under_a_taken_reference_is_refused(store: Engine, screen: Callable) -> None:
    # Two GTAS samples that share one sender and UNB control reference (UA, 491873609401).
    receive(store, (TRAVEL / "pnrPhoneCTCM.txt").read_bytes(), "a.txt", AIRLINE, screen, NOW)
    stored = counts(store)
    other = (TRAVEL / "pnrSeatFormats.txt").read_bytes()
    with pytest.raises(InterchangeConflict) as refused:
        receive(store, other, "b.txt", AIRLINE, screen, NOW)
    assert refused.value.status == 409 and refused.value.exit_code == 65
    expected = "interchange '491873609401' from 'UA' was received on 2026-03-02 12:00 UTC (a.txt)"
    assert expected in refused.value.detail
    assert "not marked as an update" in refused.value.detail
    assert refused.value.current["reference"] == "491873609401"
    assert counts(store) == stored


@pytest.mark.parametrize(
    ("fixture", "original", "update", "mark"),
    [
        (ONE_WAY_CASH, "MSG+:22'", "MSG+:141'", "MSG+:141"),
        (LISTED_FLIGHT, "BGM+745'", "BGM+745+CP'", "BGM+745+CP"),
    ],
)
def test_an_update_the_sender_marks_is_a_new_version(
    store: Engine, screen: Callable, fixture: Path, original: str, update: str, mark: str
) -> None:
    raw = fixture.read_bytes()
    first = receive(store, raw, "push.edi", AIRLINE, screen, NOW)
    changed = raw.replace(original.encode(), update.encode(), 1)
    [message] = parse_messages(changed, "update.edi")
    assert update_mark(message) == mark
    second = receive(store, changed, "update.edi", AIRLINE, screen, NOW)
    assert (second.version, second.repeat) == (2, False) and second.id != first.id
    with store.connect() as conn:
        versions = conn.execute(
            select(travel_interchanges.c.version, travel_interchanges.c.update_code).order_by(
                travel_interchanges.c.version
            )
        ).all()
    assert [tuple(v) for v in versions] == [(1, None), (2, mark)]


def test_originals_carry_no_update_mark() -> None:
    for name in ("Test1.txt", "Test3.txt", "synthetic_paxlst_listed.edi", "3_pnrs.edi"):
        messages = parse_messages((TRAVEL / name).read_bytes(), name, strict=False)
        assert [update_mark(m) for m in messages] == [None] * len(messages), name


def _fail_inserts_into(engine: Engine, table: str) -> None:
    """A real fault in the store: every insert into ``table`` fails, as a disk or a killed
    connection would make it fail, in the middle of the interchange's transaction."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE TRIGGER power_cut BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'power cut'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION power_cut() RETURNS trigger AS "
                    "$$ BEGIN RAISE EXCEPTION 'power cut'; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    f"CREATE TRIGGER power_cut BEFORE INSERT ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION power_cut()"
                )
            )


def _restore_power(engine: Engine, table: str) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER power_cut"))
        else:
            conn.execute(text(f"DROP TRIGGER power_cut ON {table}"))
            conn.execute(text("DROP FUNCTION power_cut()"))


@pytest.mark.parametrize("table", ["alerts", "audit_log"])  # after the message insert; the last
def test_a_crash_inside_the_transaction_leaves_nothing(
    store: Engine, screen: Callable, table: str
) -> None:
    raw = LISTED_FLIGHT.read_bytes()
    before = counts(store)
    _fail_inserts_into(store, table)
    with pytest.raises(DBAPIError, match="power cut"):
        receive(store, raw, "flight.edi", AIRLINE, screen, NOW)
    assert counts(store) == before
    _restore_power(store, table)
    retried = receive(store, raw, "flight.edi", AIRLINE, screen, NOW)  # the sender's retry
    assert (retried.repeat, retried.alerts) == (False, 1)
    after = counts(store)
    assert after[travel_messages.name] == 1 and after[travel_interchanges.name] == 1


def test_an_unreadable_interchange_is_kept_with_its_audit_entry(
    store: Engine, screen: Callable
) -> None:
    raw = (TRAVEL / "pnrBadFormat.txt").read_bytes()
    with pytest.raises(SourceError, match="segment 28"):
        receive(store, raw, "bad.txt", AIRLINE, screen, NOW)
    with store.connect() as conn:
        [kept] = conn.execute(select(travel_messages)).all()
    assert kept.status == "failed" and kept.raw == raw.decode()
    [entry] = query(store, action="ingest")
    assert (entry.target_type, entry.target_id) == ("travel_message", str(kept.id))
    assert entry.detail is not None and entry.detail["failed"] == 1


def test_retention_drops_the_kept_answer_then_the_interchange(
    store: Engine, screen: Callable
) -> None:
    raw = LISTED_FLIGHT.read_bytes()
    receive(store, raw, "flight.edi", AIRLINE, screen, NOW)
    run_retention(store, Retention(), apply=True, now=NOW + timedelta(days=200))
    again = receive(store, raw, "again.edi", AIRLINE, screen, NOW + timedelta(days=201))
    assert again.repeat and again.reports == [] and again.as_dict()["interchange"]["depersonalised"]
    run_retention(store, Retention(), apply=True, now=NOW + timedelta(days=6 * 365))
    assert counts(store)[travel_interchanges.name] == 0
    anew: Receipt = receive(store, raw, "anew.edi", AIRLINE, screen, NOW + timedelta(days=6 * 365))
    assert not anew.repeat and anew.alerts == 1
