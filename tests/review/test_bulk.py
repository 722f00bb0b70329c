"""Bulk assignment and decision over the real alerts of the GTAS samples: each alert goes
through the per-alert path (four eyes, versions, states, audit), one refusal does not stop
the rest, and a refused alert is left exactly as it was."""

import pytest
from sqlalchemy import Engine, func, select

from tests.review.conftest import LISTED, NOW
from watchkeeper.auth import Actor, create_user
from watchkeeper.errors import ForbiddenError, UsageError
from watchkeeper.lanes.travel.records import save_reports
from watchkeeper.lanes.travel.screening import FlightReport
from watchkeeper.review.bulk import (
    MAX_ALERTS,
    assign_group,
    bulk_assign,
    bulk_decide,
    decide_group,
)
from watchkeeper.review.queue import QueueGroup, group_alerts, queue_groups
from watchkeeper.review.risk import RiskPolicy
from watchkeeper.review.workflow import get_alert
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alert_events

ANNA = Actor("anna", "analyst")
SUE = Actor("sue", "supervisor")
CODE = "false-positive-name-only"


def group(engine: Engine, by: str, label: str) -> QueueGroup:
    page = queue_groups(engine, ANNA, RiskPolicy(50.0), by=by, limit=1000)
    (found,) = [g for g in page.groups if g.label == label]
    return found


def events(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(alert_events)).scalar_one())


def test_bulk_decide_respects_four_eyes(screened: Engine) -> None:
    flight = group(screened, "flight", "XY123")
    listed, *rules = [a.id for a in group_alerts(screened, ANNA, flight.key, by="flight")]
    first = decide_group(
        screened,
        ANNA,
        flight.key,
        "cleared",
        "namesake",
        through=flight.last_alert,
        by="flight",
        reason_code=CODE,
    )
    assert [(o.alert_id, o.ok, o.state) for o in first.outcomes] == [
        (listed, True, "pending"),  # UN list: a supervisor approves
        *[(r, True, "cleared") for r in rules],  # rule hits: one decision
    ]
    before = events(screened)
    again = bulk_decide(screened, ANNA, [listed, rules[0]], "cleared", "sure", reason_code=CODE)
    assert again.done == ()
    assert [(o.alert_id, o.status) for o in again.failed] == [(listed, 403), (rules[0], 409)]
    assert "supervisor" in (again.failed[0].error or "")
    assert again.failed[1].current is not None and again.failed[1].current["state"] == "cleared"
    assert events(screened) == before  # nothing written for a refused alert
    approved = bulk_decide(screened, SUE, [listed], "cleared", "agree", reason_code=CODE)
    assert approved.done == (listed,)
    view = get_alert(screened, SUE, listed)
    assert view.state == "cleared"
    assert [(e.actor, e.action, e.reason_code) for e in view.events] == [
        ("anna", "propose", CODE),
        ("sue", "approve", CODE),
    ]


def test_one_refusal_does_not_stop_the_rest(screened: Engine) -> None:
    create_user(screened, "ben", "analyst")
    booking = group(screened, "booking", "Q7WK2M")
    ids = [a.id for a in group_alerts(screened, ANNA, booking.key, by="booking")]
    result = bulk_assign(screened, ANNA, [*ids, 999_999], "ben", versions={ids[0]: 7})
    assert [(o.alert_id, o.ok, o.status) for o in result.outcomes] == [
        (ids[0], False, 409),  # the reviewer saw another version
        (ids[1], True, None),
        (999_999, False, 404),
    ]
    assert (result.outcomes[1].state, result.outcomes[1].version) == ("in_review", 2)
    assert "changed after you read it (version 7)" in (result.failed[0].error or "")
    assert get_alert(screened, ANNA, ids[0]).version == 1
    whole = assign_group(screened, ANNA, booking.key, None, by="booking")
    assert whole.done == tuple(ids)  # released, both
    (entry, _) = query(screened, action="bulk.assign")
    assert entry.detail == {"assignee": None, "done": ids, "failed": {}}
    assert len(query(screened, action="assign")) == 3


def test_bad_requests_are_refused_whole(screened: Engine) -> None:
    flight = group(screened, "flight", "XY123")
    ids = [a.id for a in group_alerts(screened, ANNA, flight.key, by="flight")]
    with pytest.raises(UsageError, match="unknown reason code 'looks-fine': use one of"):
        bulk_decide(screened, ANNA, ids, "cleared", "fine", reason_code="looks-fine")
    with pytest.raises(UsageError, match="needs a comment"):
        bulk_decide(screened, ANNA, ids, "cleared", "  ")
    with pytest.raises(UsageError, match="unknown state 'closed'"):
        bulk_decide(screened, ANNA, ids, "closed", "done")
    with pytest.raises(UsageError, match="at least one alert"):
        bulk_decide(screened, ANNA, [], "cleared", "done")
    with pytest.raises(UsageError, match=f"at most {MAX_ALERTS}"):
        bulk_assign(screened, ANNA, list(range(1, MAX_ALERTS + 2)), None)
    with pytest.raises(ForbiddenError):
        bulk_decide(screened, Actor("scan", "screener"), ids, "cleared", "done")
    assert events(screened) == 0
    last = flight.last_alert
    decide_group(screened, ANNA, flight.key, "escalated", "look", through=last, by="flight")
    confirmed = decide_group(
        screened, SUE, flight.key, "confirmed", "match", through=last, by="flight"
    )
    assert [o.state for o in confirmed.outcomes] == ["pending", "confirmed", "confirmed"]
    sam = Actor("sam", "supervisor")
    assert decide_group(
        screened, sam, flight.key, "confirmed", "agree", through=last, by="flight"
    ).done == (ids[0],)
    with pytest.raises(UsageError, match="no alert left to work"):
        decide_group(screened, SUE, flight.key, "cleared", "again", through=last, by="flight")


def test_a_group_decision_leaves_the_alerts_that_joined_it_since(
    screened: Engine, sample_reports: list[tuple[str, list[FlightReport]]]
) -> None:
    flight = group(screened, "flight", "XY123")
    (listed,) = [found for name, found in sample_reports if name.startswith("synthetic_paxlst")]
    save_reports(screened, "resent.edi", listed, NOW)  # the same flight reported again
    result = decide_group(
        screened, SUE, flight.key, "escalated", "look", through=flight.last_alert, by="flight"
    )
    assert len(result.done) == 3
    later = group(screened, "flight", "XY123")
    assert (later.alerts, later.last_alert) == (4, flight.last_alert + 1)
    unseen = get_alert(screened, SUE, later.last_alert)
    assert (unseen.state, unseen.entity_id) == ("new", LISTED)
