"""The alert workflow: every hit is a lead for a person, and people decide.

States: ``new`` → ``in_review`` (assigned) → ``cleared`` (false positive), ``confirmed`` or
``escalated``. Grave decisions need two people (four-eyes): clearing or confirming an alert
on the UN list or an agency's profiles (list formats ``un-xml`` and ``profiles``) first
makes it ``pending``; a different supervisor (or admin) then approves it (deciding the
pending state) or rejects it (deciding ``in_review``). An escalated alert is for a
supervisor to decide. ``cleared`` and ``confirmed`` are final. ``suppressed`` alerts repeat a
cleared one (``store.alerts.insert_alerts``) and stay out of the default queue.

Every change writes an ``alert_events`` row and an audit record in one transaction, and so
does every read of one alert.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select, update

from watchkeeper.auth import Actor, require
from watchkeeper.errors import ForbiddenError, NotFoundError, UsageError
from watchkeeper.store import audit
from watchkeeper.store.audit import utc
from watchkeeper.store.schema import alert_events, alerts, lists, users

STATES = ("new", "in_review", "pending", "cleared", "confirmed", "escalated", "suppressed")
# What a first decision may set; ``in_review`` only sends a pending decision back.
DECISIONS = ("cleared", "confirmed", "escalated")
# Decisions on these lists' alerts need a second person.
FOUR_EYES_FORMATS = frozenset({"un-xml", "profiles"})
FOUR_EYES_STATES = frozenset({"cleared", "confirmed"})
OPEN = frozenset({"new", "in_review", "escalated"})


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One step of an alert's history. For ``propose``, ``to_state`` is the state proposed."""

    at: datetime
    actor: str
    action: str  # assign, comment, state, propose, approve, reject
    from_state: str | None
    to_state: str | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class AlertView:
    """An alert as a reviewer sees it; ``events`` is empty in listings."""

    id: int
    lane: str
    kind: str
    state: str
    created_at: datetime
    list_name: str | None
    entity_id: str | None
    score: float | None
    reason: str
    subject: dict[str, Any]
    explanation: dict[str, Any] | None
    segment: int | None
    source_table: str | None
    source_id: int | None
    assignee: str | None
    pending_state: str | None
    pending_by: str | None
    suppressed_by: int | None
    events: tuple[AlertEvent, ...] = ()


def list_alerts(
    engine: Engine,
    actor: Actor,
    *,
    lane: str | None = None,
    list_name: str | None = None,
    state: str | None = None,
    min_score: float | None = None,
    max_score: float | None = None,
    older_than_days: int | None = None,
    newer_than_days: int | None = None,
    assignee: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[AlertView]:
    """The queue, newest first; without ``state``, every alert but the suppressed ones."""
    require(actor, "analyst", "read alerts")
    if limit < 1 or offset < 0:
        raise UsageError("limit must be at least 1 and offset at least 0")
    query = select(alerts).order_by(alerts.c.created_at.desc(), alerts.c.id.desc())
    if state is None:
        query = query.where(alerts.c.state != "suppressed")
    else:
        query = query.where(alerts.c.state == _state(state))
    for column, value in (
        (alerts.c.lane, lane),
        (alerts.c.list_name, list_name),
        (alerts.c.assignee, assignee),
    ):
        if value is not None:
            query = query.where(column == value)
    if min_score is not None:
        query = query.where(alerts.c.score >= min_score)
    if max_score is not None:
        query = query.where(alerts.c.score <= max_score)
    now = datetime.now(UTC)
    if older_than_days is not None:
        query = query.where(alerts.c.created_at < now - timedelta(days=older_than_days))
    if newer_than_days is not None:
        query = query.where(alerts.c.created_at >= now - timedelta(days=newer_than_days))
    with engine.connect() as conn:
        return [_view(row) for row in conn.execute(query.limit(limit).offset(offset))]


def get_alert(engine: Engine, actor: Actor, alert_id: int, remote: str | None = None) -> AlertView:
    """One alert with its history; the read is audited (it shows personal data)."""
    require(actor, "analyst", "read alerts")
    with engine.begin() as conn:
        view = _full(conn, alert_id)
        audit.record(conn, actor.username, "read.alert", "alert", str(alert_id), remote=remote)
    return view


def assign(
    engine: Engine, actor: Actor, alert_id: int, assignee: str | None, remote: str | None = None
) -> AlertView:
    """Give the alert to an analyst (a new alert goes to ``in_review``), or release it."""
    require(actor, "analyst", "assign alerts")
    with engine.begin() as conn:
        row = _row(conn, alert_id, lock=True)
        if row.state not in OPEN and row.state != "pending":
            raise UsageError(f"alert {alert_id} is {row.state}: there is nothing left to work")
        if assignee is not None:
            _check_assignee(conn, assignee)
        to_state = "in_review" if assignee is not None and row.state == "new" else row.state
        conn.execute(
            update(alerts).where(alerts.c.id == alert_id).values(assignee=assignee, state=to_state)
        )
        note = f"assigned to {assignee}" if assignee else "released"
        _event(conn, alert_id, actor, "assign", row.state, to_state, note)
        detail = {"assignee": assignee, "from": row.state, "to": to_state}
        audit.record(conn, actor.username, "assign", "alert", str(alert_id), detail, remote)
        return _full(conn, alert_id)


def comment(
    engine: Engine, actor: Actor, alert_id: int, text: str, remote: str | None = None
) -> AlertView:
    """Add a note to the alert's history, in any state."""
    require(actor, "analyst", "comment on alerts")
    text = _reason(text, "a comment")
    with engine.begin() as conn:
        row = _row(conn, alert_id, lock=True)
        _event(conn, alert_id, actor, "comment", None, None, text)
        detail = {"state": row.state, "length": len(text)}
        audit.record(conn, actor.username, "comment", "alert", str(alert_id), detail, remote)
        return _full(conn, alert_id)


def decide(
    engine: Engine,
    actor: Actor,
    alert_id: int,
    state: str,
    comment: str,
    remote: str | None = None,
) -> AlertView:
    """Decide an alert, or approve or reject a pending decision; ``comment`` says why."""
    require(actor, "analyst", "decide alerts")
    reason = _reason(comment, "a decision")
    _state(state)
    with engine.begin() as conn:
        row = _row(conn, alert_id, lock=True)
        if row.state == "pending":
            action, to_state = _second(row, actor, state)
        elif row.state in OPEN:
            action, to_state = _first(conn, row, actor, state)
        else:
            raise UsageError(f"alert {alert_id} is {row.state}: its decision is final")
        proposed = action == "propose"
        conn.execute(
            update(alerts)
            .where(alerts.c.id == alert_id)
            .values(
                state="pending" if proposed else to_state,
                pending_state=to_state if proposed else None,
                pending_by=actor.username if proposed else None,
            )
        )
        _event(conn, alert_id, actor, action, row.state, to_state, reason)
        detail = {"event": action, "from": row.state, "to": to_state}
        audit.record(conn, actor.username, "decide", "alert", str(alert_id), detail, remote)
        return _full(conn, alert_id)


def suppressed_count(engine: Engine, *, since: datetime | None = None) -> int:
    """How many alerts a remembered decision kept from the queue (since ``since``)."""
    query = select(func.count()).where(alerts.c.state == "suppressed")
    if since is not None:
        query = query.where(alerts.c.created_at >= utc(since))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _first(conn: Connection, row: Row[Any], actor: Actor, state: str) -> tuple[str, str]:
    """A first decision: final at once, or proposed when four-eyes applies."""
    if state not in DECISIONS:
        raise UsageError(f"an alert in {row.state} can be {', '.join(DECISIONS)}, not {state}")
    if state == row.state:
        raise UsageError(f"alert {row.id} is {state} already")
    if row.state == "escalated":
        require(actor, "supervisor", "decide escalated alerts")
    if state in FOUR_EYES_STATES and _four_eyes(conn, row.list_name):
        return "propose", state
    return "state", state


def _second(row: Row[Any], actor: Actor, state: str) -> tuple[str, str]:
    """The second person of four-eyes: approve the pending state or send it back."""
    require(actor, "supervisor", "approve or reject a pending decision")
    if actor.username == row.pending_by:
        raise ForbiddenError(
            f"four-eyes: {actor.username} proposed this decision; another supervisor decides"
        )
    if state == row.pending_state:
        return "approve", state
    if state == "in_review":
        return "reject", state
    raise UsageError(
        f"alert {row.id} waits for approval of {row.pending_state}: decide "
        f"{row.pending_state} to approve or in_review to reject"
    )


def _four_eyes(conn: Connection, list_name: str | None) -> bool:
    if list_name is None:
        return False
    fmt = conn.execute(select(lists.c.format).where(lists.c.name == list_name)).scalar()
    return fmt in FOUR_EYES_FORMATS


def _check_assignee(conn: Connection, username: str) -> None:
    """Only an active user who may work alerts can be given one."""
    user = conn.execute(select(users).where(users.c.username == username)).first()
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    if user.disabled_at is not None:
        raise UsageError(f"user {username!r} is disabled")
    if not Actor(username, user.role).can("analyst"):
        raise UsageError(f"user {username!r} ({user.role}) may not work alerts")


def _state(state: str) -> str:
    if state not in STATES:
        raise UsageError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
    return state


def _reason(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise UsageError(f"{what} needs a comment saying why")
    return text


def _row(conn: Connection, alert_id: int, *, lock: bool = False) -> Row[Any]:
    """The alert's row, locked on PostgreSQL when about to change it (two reviewers at once)."""
    query = select(alerts).where(alerts.c.id == alert_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}")
    return row


def _event(
    conn: Connection,
    alert_id: int,
    actor: Actor,
    action: str,
    from_state: str | None,
    to_state: str | None,
    text: str | None,
) -> None:
    conn.execute(
        alert_events.insert().values(
            alert_id=alert_id,
            at=datetime.now(UTC),
            actor=actor.username,
            action=action,
            from_state=from_state,
            to_state=to_state,
            comment=text,
        )
    )


def _full(conn: Connection, alert_id: int) -> AlertView:
    """The alert with its events, read in the caller's transaction."""
    query = (
        select(alert_events)
        .where(alert_events.c.alert_id == alert_id)
        .order_by(alert_events.c.at, alert_events.c.id)
    )
    events = tuple(
        AlertEvent(utc(e.at), e.actor, e.action, e.from_state, e.to_state, e.comment)
        for e in conn.execute(query)
    )
    return _view(_row(conn, alert_id), events)


def _view(row: Row[Any], events: tuple[AlertEvent, ...] = ()) -> AlertView:
    return AlertView(
        id=row.id,
        lane=row.lane,
        kind=row.kind,
        state=row.state,
        created_at=utc(row.created_at),
        list_name=row.list_name,
        entity_id=row.entity_id,
        score=row.score,
        reason=row.reason,
        subject=row.subject,
        explanation=row.explanation,
        segment=row.segment,
        source_table=row.source_table,
        source_id=row.source_id,
        assignee=row.assignee,
        pending_state=row.pending_state,
        pending_by=row.pending_by,
        suppressed_by=row.suppressed_by,
        events=events,
    )
