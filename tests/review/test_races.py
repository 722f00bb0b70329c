"""Two reviewers acting on one alert at once: exactly one wins, the other is told what the
alert has become (``ConflictError``), and nothing is overwritten. Each race is run a hundred
times from two threads on the same store, on SQLite and (when configured) PostgreSQL."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial

import pytest
from sqlalchemy import Engine, select

from tests.review.conftest import TRAVELLER, add_version
from watchkeeper.auth import Actor
from watchkeeper.errors import ConflictError
from watchkeeper.review.workflow import AlertView, assign, decide, get_alert
from watchkeeper.store.alerts import NewAlert, insert_alerts
from watchkeeper.store.audit_chain import verify
from watchkeeper.store.schema import alert_events, alerts

ANNA = Actor("anna", "analyst")
BEN = Actor("ben", "analyst")
SUE = Actor("sue", "supervisor")
SAM = Actor("sam", "supervisor")
RACES = 100

Outcome = AlertView | ConflictError


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    """Two threads, one per reviewer."""
    with ThreadPoolExecutor(2) as threads:
        yield threads


def race(pool: ThreadPoolExecutor, *moves: Callable[[], AlertView]) -> list[Outcome]:
    """Run ``moves`` at the same moment, one per thread; what each returned, or its conflict."""
    start = threading.Barrier(len(moves))

    def run(move: Callable[[], AlertView]) -> Outcome:
        start.wait()
        try:
            return move()
        except ConflictError as exc:
            return exc

    return list(pool.map(run, moves))


def un_alerts(engine: Engine, count: int) -> list[int]:
    """``count`` new alerts on a UN-listed entity (four-eyes), oldest first."""
    add_version(engine, "un", "un-xml", {"un-QDi.325": "c1"})
    found = [
        NewAlert("travel", "watchlist", TRAVELLER, "test", n, "un", "un-QDi.325", 0.9)
        for n in range(count)
    ]
    with engine.begin() as conn:
        insert_alerts(conn, found, None, None, datetime.now(UTC))
        return list(conn.execute(select(alerts.c.id).order_by(alerts.c.id)).scalars())


def split(outcomes: list[Outcome]) -> tuple[AlertView, ConflictError]:
    """The winner's alert and the loser's refusal; fails unless exactly one of each."""
    won = [o for o in outcomes if isinstance(o, AlertView)]
    lost = [o for o in outcomes if isinstance(o, ConflictError)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    return won[0], lost[0]


def events_of(engine: Engine, alert_id: int) -> list[tuple[str, str, str | None]]:
    with engine.connect() as conn:
        query = (
            select(alert_events.c.actor, alert_events.c.action, alert_events.c.to_state)
            .where(alert_events.c.alert_id == alert_id)
            .order_by(alert_events.c.id)
        )
        return [(e.actor, e.action, e.to_state) for e in conn.execute(query)]


def test_two_proposers_one_wins(engine: Engine, pool: ThreadPoolExecutor) -> None:
    for alert_id in un_alerts(engine, RACES):
        version = get_alert(engine, ANNA, alert_id).version
        won, lost = split(
            race(
                pool,
                partial(decide, engine, ANNA, alert_id, "cleared", "namesake", version=version),
                partial(decide, engine, BEN, alert_id, "confirmed", "same DOB", version=version),
            )
        )
        assert (won.state, won.version) == ("pending", version + 1)
        assert lost.status == 409
        assert lost.current == {
            "id": alert_id,
            "state": "pending",
            "version": version + 1,
            "pending_state": won.pending_state,
            "pending_by": won.pending_by,
            "assignee": None,
        }
        assert events_of(engine, alert_id) == [(won.pending_by, "propose", won.pending_state)]
    assert verify(engine).broken is None  # the audit writers took turns: no fork


def test_an_approval_and_a_send_back_one_wins(engine: Engine, pool: ThreadPoolExecutor) -> None:
    for alert_id in un_alerts(engine, RACES):
        version = decide(engine, ANNA, alert_id, "cleared", "namesake").version
        won, lost = split(
            race(
                pool,
                partial(decide, engine, SUE, alert_id, "cleared", "agreed", version=version),
                partial(decide, engine, SAM, alert_id, "in_review", "ask again", version=version),
            )
        )
        assert won.state in ("cleared", "in_review") and won.version == version + 1
        assert (lost.current["state"], lost.current["version"]) == (won.state, version + 1)
        stored = get_alert(engine, ANNA, alert_id)
        assert (stored.state, stored.version) == (won.state, won.version)
        winner = "sue" if won.state == "cleared" else "sam"
        assert [(e.actor, e.action) for e in stored.events][1:] == [
            (winner, "approve" if won.state == "cleared" else "reject")
        ]
    assert verify(engine).broken is None


def test_a_decision_on_a_version_overtaken_is_refused(engine: Engine) -> None:
    [alert_id] = un_alerts(engine, 1)
    seen = get_alert(engine, ANNA, alert_id)
    taken = assign(engine, BEN, alert_id, None, version=seen.version)  # released: version 2
    with pytest.raises(ConflictError, match="changed after you read it") as refused:
        decide(engine, ANNA, alert_id, "cleared", "namesake", version=seen.version)
    assert (refused.value.current["state"], refused.value.current["version"]) == (
        taken.state,
        taken.version,
    )
    assert get_alert(engine, ANNA, alert_id).pending_state is None  # nothing was saved


def test_a_late_send_back_without_a_version_cannot_undo_an_approval(engine: Engine) -> None:
    """A client that sends no version still never reverts a final decision: it is told."""
    [alert_id] = un_alerts(engine, 1)
    decide(engine, ANNA, alert_id, "cleared", "namesake")
    decide(engine, SUE, alert_id, "cleared", "agreed")
    with pytest.raises(ConflictError, match="final") as refused:
        decide(engine, SAM, alert_id, "in_review", "ask again")
    assert refused.value.current["state"] == "cleared"
