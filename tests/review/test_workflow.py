"""The review workflow: queue, assignment, four-eyes decisions, suppression and audit."""

import pytest
from sqlalchemy import Engine, delete, func, select

from tests.review.conftest import TRAVELLER, add_alert, add_version, last_alert_id
from watchkeeper.auth import Actor, create_user, disable_user
from watchkeeper.errors import ConflictError, ForbiddenError, NotFoundError, UsageError
from watchkeeper.review.workflow import (
    assign,
    comment,
    decide,
    get_alert,
    list_alerts,
    suppressed_count,
)
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alert_events, alerts
from watchkeeper.store.screened import ScreenedSubject

ANNA = Actor("anna", "analyst")
BEN = Actor("ben", "analyst")
SUE = Actor("sue", "supervisor")
SAM = Actor("sam", "supervisor")
ADA = Actor("ada", "admin")
SCREENER = Actor("scan", "screener")


@pytest.fixture
def un_alert(engine: Engine) -> int:
    """A new alert on a UN-listed entity (four-eyes)."""
    add_version(engine, "un", "un-xml", {"un-QDi.325": "c1"})
    add_alert(engine, "un", "un-QDi.325")
    return last_alert_id(engine)


@pytest.fixture
def ofac_alert(engine: Engine) -> int:
    """A new alert on an OFAC entity (one decision)."""
    add_version(engine, "ofac", "ofac-csv", {"ofac-2676": "c1"})
    add_alert(engine, "ofac", "ofac-2676")
    return last_alert_id(engine)


def test_analyst_clearing_un_alert_needs_a_supervisor(engine: Engine, un_alert: int) -> None:
    pending = decide(engine, ANNA, un_alert, "cleared", "namesake, other DOB")
    assert (pending.state, pending.pending_state, pending.pending_by) == (
        "pending",
        "cleared",
        "anna",
    )
    with pytest.raises(ForbiddenError):
        decide(engine, ANNA, un_alert, "cleared", "I am sure")
    with pytest.raises(ForbiddenError):
        decide(engine, BEN, un_alert, "cleared", "agree")
    with pytest.raises(UsageError, match="waits for approval of cleared"):
        decide(engine, SUE, un_alert, "confirmed", "no")
    done = decide(engine, SUE, un_alert, "cleared", "agree: DOB differs")
    assert (done.state, done.pending_state, done.pending_by) == ("cleared", None, None)
    assert [(e.actor, e.action, e.from_state, e.to_state) for e in done.events] == [
        ("anna", "propose", "new", "cleared"),
        ("sue", "approve", "pending", "cleared"),
    ]
    with pytest.raises(ConflictError, match="final"):
        decide(engine, SAM, un_alert, "confirmed", "again")


def test_supervisor_rejects_a_pending_decision(engine: Engine, un_alert: int) -> None:
    decide(engine, ANNA, un_alert, "confirmed", "same passport")
    back = decide(engine, SUE, un_alert, "in_review", "check the second passport first")
    assert (back.state, back.pending_state) == ("in_review", None)
    assert back.events[-1].action == "reject"


def test_a_supervisors_own_decision_needs_another_supervisor(engine: Engine, un_alert: int) -> None:
    assert decide(engine, SUE, un_alert, "confirmed", "match").state == "pending"
    with pytest.raises(ForbiddenError, match="four-eyes"):
        decide(engine, SUE, un_alert, "confirmed", "match")
    assert decide(engine, ADA, un_alert, "confirmed", "agreed").state == "confirmed"


def test_ofac_alert_is_cleared_by_one_analyst(engine: Engine, ofac_alert: int) -> None:
    done = decide(engine, ANNA, ofac_alert, "cleared", "different person")
    assert done.state == "cleared" and done.events[0].action == "state"


def test_profiles_list_needs_four_eyes(engine: Engine) -> None:
    add_version(engine, "agency", "profiles", {"agency-1": "c1"})
    add_alert(engine, "agency", "agency-1")
    assert decide(engine, BEN, last_alert_id(engine), "cleared", "no").state == "pending"


def test_escalation_needs_no_second_person_and_goes_to_supervisors(
    engine: Engine, un_alert: int
) -> None:
    assert decide(engine, ANNA, un_alert, "escalated", "unclear, ask").state == "escalated"
    with pytest.raises(ForbiddenError):
        decide(engine, BEN, un_alert, "cleared", "fine")
    assert decide(engine, SUE, un_alert, "cleared", "fine").state == "pending"


def test_decisions_need_a_reason_and_a_known_state(engine: Engine, ofac_alert: int) -> None:
    with pytest.raises(UsageError, match="why"):
        decide(engine, ANNA, ofac_alert, "cleared", "  ")
    with pytest.raises(UsageError, match="unknown state"):
        decide(engine, ANNA, ofac_alert, "maybe", "hm")
    with pytest.raises(UsageError):
        decide(engine, ANNA, ofac_alert, "in_review", "only rejects a pending decision")
    with pytest.raises(NotFoundError):
        decide(engine, ANNA, 999, "cleared", "x")


def test_screeners_may_not_read_or_work_alerts(engine: Engine, ofac_alert: int) -> None:
    with pytest.raises(ForbiddenError):
        list_alerts(engine, SCREENER)
    with pytest.raises(ForbiddenError):
        get_alert(engine, SCREENER, ofac_alert)
    with pytest.raises(ForbiddenError):
        decide(engine, SCREENER, ofac_alert, "cleared", "x")


def test_assignment_moves_a_new_alert_to_review(engine: Engine, ofac_alert: int) -> None:
    create_user(engine, "ben", "analyst")
    create_user(engine, "scan", "screener")
    create_user(engine, "gone", "analyst")
    disable_user(engine, "gone")
    taken = assign(engine, ANNA, ofac_alert, "ben", remote="10.0.0.1")
    assert (taken.state, taken.assignee) == ("in_review", "ben")
    with pytest.raises(NotFoundError):
        assign(engine, ANNA, ofac_alert, "nobody")
    with pytest.raises(UsageError, match="disabled"):
        assign(engine, ANNA, ofac_alert, "gone")
    with pytest.raises(UsageError, match="may not work alerts"):
        assign(engine, ANNA, ofac_alert, "scan")
    released = assign(engine, ANNA, ofac_alert, None)
    assert (released.state, released.assignee) == ("in_review", None)
    assert [e.comment for e in released.events] == ["assigned to ben", "released"]
    decide(engine, ANNA, ofac_alert, "confirmed", "same person")
    with pytest.raises(ConflictError, match="nothing left"):
        assign(engine, ANNA, ofac_alert, "ben")


def test_comments_and_reads_are_in_history_and_audit(engine: Engine, ofac_alert: int) -> None:
    noted = comment(engine, ANNA, ofac_alert, " called the airline ", remote="10.0.0.2")
    assert noted.events[0].action == "comment"
    assert noted.events[0].comment == "called the airline"
    with pytest.raises(UsageError):
        comment(engine, ANNA, ofac_alert, "")
    seen = get_alert(engine, BEN, ofac_alert, remote="10.0.0.3")
    assert len(seen.events) == 1 and seen.subject["names"] == list(TRAVELLER.names)
    decide(engine, ANNA, ofac_alert, "cleared", "namesake")
    entries = query(engine, target_type="alert", target_id=str(ofac_alert))
    assert [(e.actor, e.action, e.remote) for e in reversed(entries)] == [
        ("anna", "comment", "10.0.0.2"),
        ("ben", "read.alert", "10.0.0.3"),
        ("anna", "decide", None),
    ]
    assert entries[0].detail == {"event": "state", "from": "new", "to": "cleared"}


def test_queue_filters(engine: Engine, ofac_alert: int, un_alert: int) -> None:
    add_alert(engine, None, None, score=None)
    assert len(list_alerts(engine, ANNA).alerts) == 3
    assert [a.id for a in list_alerts(engine, ANNA, list_name="un").alerts] == [un_alert]
    assert len(list_alerts(engine, ANNA, min_score=0.95).alerts) == 0
    assert len(list_alerts(engine, ANNA, max_score=0.95).alerts) == 2
    assert len(list_alerts(engine, ANNA, newer_than_days=1).alerts) == 0  # made on 2026-03-02
    assert len(list_alerts(engine, ANNA, older_than_days=1, lane="travel").alerts) == 3
    assert len(list_alerts(engine, ANNA, limit=1, offset=1).alerts) == 1
    decide(engine, ANNA, ofac_alert, "cleared", "namesake")
    assert [a.id for a in list_alerts(engine, ANNA, state="cleared").alerts] == [ofac_alert]
    assert all(a.events == () for a in list_alerts(engine, ANNA).alerts)
    with pytest.raises(UsageError):
        list_alerts(engine, ANNA, state="open")


def test_cleared_alert_suppresses_its_repeats_until_the_entity_changes(
    engine: Engine, ofac_alert: int
) -> None:
    decide(engine, ANNA, ofac_alert, "cleared", "namesake")
    assert add_alert(engine, "ofac", "ofac-2676") == (1, 1)
    repeat = last_alert_id(engine)
    assert suppressed_count(engine) == 1
    assert repeat not in [a.id for a in list_alerts(engine, ANNA).alerts]
    (shown,) = list_alerts(engine, ANNA, state="suppressed").alerts
    assert shown.suppressed_by == ofac_alert
    # Another traveller is not covered by the decision.
    other = ScreenedSubject("Person", ("OMAR ALRAWI",), birth_dates=("1980-01-01",))
    assert add_alert(engine, "ofac", "ofac-2676", other) == (1, 0)
    # The listed entity changes: its checksum does, and the alert comes back.
    add_version(engine, "ofac", "ofac-csv", {"ofac-2676": "c2"})
    assert add_alert(engine, "ofac", "ofac-2676") == (1, 0)
    assert get_alert(engine, ANNA, last_alert_id(engine)).state == "new"


def test_rule_alerts_are_never_suppressed(engine: Engine) -> None:
    add_alert(engine, None, None)
    decide(engine, ANNA, last_alert_id(engine), "cleared", "ok")
    assert add_alert(engine, None, None) == (1, 0)
    assert suppressed_count(engine) == 0


def test_deleting_an_alert_deletes_its_history(engine: Engine, ofac_alert: int) -> None:
    """Retention deletes old alerts; their events must not block it or stay behind."""
    comment(engine, ANNA, ofac_alert, "note")
    with engine.begin() as conn:
        conn.execute(delete(alerts).where(alerts.c.id == ofac_alert))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alert_events)).scalar() == 0
