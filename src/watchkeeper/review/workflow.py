"""The alert workflow: every hit is a lead for a person, and people decide.

The states and the moves between them are ``review.states``; this module applies them to
stored alerts. Every change is a compare-and-set on the alert's version: a caller that says
which version it read (``version``) is refused with a ``ConflictError`` if someone changed
the alert since, and a change on a final alert is refused the same way. Every change writes
an ``alert_events`` row and an audit record in one transaction, and so does every read.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select

from watchkeeper.auth import Actor, require
from watchkeeper.errors import ConflictError, NotFoundError, UsageError
from watchkeeper.review.reasons import checked_code
from watchkeeper.review.states import (
    after_assignment,
    decision,
    known,
    workable,
)
from watchkeeper.settings import REASON_CODES
from watchkeeper.sources import needs_four_eyes
from watchkeeper.store import audit
from watchkeeper.store.alert_states import SUPPRESSED
from watchkeeper.store.alerts import current_state, locked, stale, transition
from watchkeeper.store.audit import utc
from watchkeeper.store.schema import alert_events, alerts, lists, users


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One step of an alert's history. For ``propose``, ``to_state`` is the state proposed;
    a decision may carry a ``reason_code`` (``review.reasons``) beside its comment."""

    at: datetime
    actor: str
    action: str  # assign, comment, state, propose, approve, reject
    from_state: str | None
    to_state: str | None
    comment: str | None
    reason_code: str | None = None


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
    version: int  # moves on with every change; a decision may name the one it was made on
    events: tuple[AlertEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the queue, and whether older alerts follow it."""

    alerts: list[AlertView]
    more: bool


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
    remote: str | None = None,
) -> QueuePage:
    """The queue, newest first; without ``state``, every alert but the suppressed ones. The
    read is audited (``read.queue``, with the filters and the alerts shown): a page of the
    queue shows the personal data of up to ``limit`` people."""
    require(actor, "analyst", "read alerts")
    if limit < 1 or offset < 0:
        raise UsageError("limit must be at least 1 and offset at least 0")
    query = select(alerts).order_by(alerts.c.created_at.desc(), alerts.c.id.desc())
    if state is None:
        query = query.where(alerts.c.state != SUPPRESSED)
    else:
        query = query.where(alerts.c.state == known(state))
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
    filters = {
        "lane": lane,
        "list": list_name,
        "state": state,
        "min_score": min_score,
        "max_score": max_score,
        "older_than_days": older_than_days,
        "newer_than_days": newer_than_days,
        "assignee": assignee,
    }
    with engine.begin() as conn:
        # One row past the page says whether another page follows.
        found = [view_of(row) for row in conn.execute(query.limit(limit + 1).offset(offset))]
        shown = found[:limit]
        detail = {
            "filters": {k: v for k, v in filters.items() if v is not None},
            "alerts": [a.id for a in shown],
        }
        audit.record(conn, actor.username, "read.queue", "alert", None, detail, remote)
    return QueuePage(shown, len(found) > limit)


def get_alert(engine: Engine, actor: Actor, alert_id: int, remote: str | None = None) -> AlertView:
    """One alert with its history; the read is audited (it shows personal data)."""
    require(actor, "analyst", "read alerts")
    with engine.begin() as conn:
        view = _full(conn, alert_id)
        audit.record(conn, actor.username, "read.alert", "alert", str(alert_id), remote=remote)
    return view


def assign(
    engine: Engine,
    actor: Actor,
    alert_id: int,
    assignee: str | None,
    remote: str | None = None,
    version: int | None = None,
) -> AlertView:
    """Give the alert to an analyst (a new alert goes to ``in_review``), or release it.
    With ``version``, only if the alert is still at that version."""
    require(actor, "analyst", "assign alerts")
    with engine.begin() as conn:
        row = _current(conn, alert_id, version)
        if not workable(row.state):
            raise _closed(row, "there is nothing left to work")
        if assignee is not None:
            _check_assignee(conn, assignee)
        to_state = after_assignment(row.state, assignee)
        transition(conn, row, assignee=assignee, state=to_state)
        note = f"assigned to {assignee}" if assignee else "released"
        _event(conn, alert_id, actor, "assign", row.state, to_state, note)
        detail = {"assignee": assignee, "from": row.state, "to": to_state}
        audit.record(conn, actor.username, "assign", "alert", str(alert_id), detail, remote)
        return _full(conn, alert_id)


def comment(
    engine: Engine, actor: Actor, alert_id: int, text: str, remote: str | None = None
) -> AlertView:
    """Add a note to the alert's history, in any state (the alert's version stays: a note
    changes no decision, so it does not make anyone's open form stale)."""
    require(actor, "analyst", "comment on alerts")
    text = _reason(text, "a comment")
    with engine.begin() as conn:
        row = locked(conn, alert_id)
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
    version: int | None = None,
    reason_code: str | None = None,
    reason_codes: Collection[str] = REASON_CODES,
) -> AlertView:
    """Decide an alert, or approve or reject a pending decision; ``comment`` says why, and
    ``reason_code``, one of ``reason_codes`` (``Settings.reason_codes``), says it as a code.
    With ``version`` (the one the reviewer looked at), only if nobody changed the alert
    since."""
    require(actor, "analyst", "decide alerts")
    reason = _reason(comment, "a decision")
    code = checked_code(reason_code, reason_codes)
    known(state)
    with engine.begin() as conn:
        row = _current(conn, alert_id, version)
        if not workable(row.state):
            raise _closed(row, "its decision is final")
        four_eyes = _four_eyes(conn, row.list_name)
        step = decision(row.state, row.pending_state, row.pending_by, actor, state, four_eyes)
        transition(
            conn,
            row,
            state=step.state,
            pending_state=step.pending_state,
            pending_by=step.pending_by,
        )
        _event(conn, alert_id, actor, step.action, row.state, step.to_state, reason, code)
        detail = {"event": step.action, "from": row.state, "to": step.to_state}
        if code is not None:
            detail["reason_code"] = code
        audit.record(conn, actor.username, "decide", "alert", str(alert_id), detail, remote)
        return _full(conn, alert_id)


def suppressed_count(engine: Engine, *, since: datetime | None = None) -> int:
    """How many alerts a remembered decision kept from the queue (since ``since``)."""
    query = select(func.count()).where(alerts.c.state == SUPPRESSED)
    if since is not None:
        query = query.where(alerts.c.created_at >= utc(since))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _current(conn: Connection, alert_id: int, version: int | None) -> Row[Any]:
    """The alert's row, locked for change, if it is still at ``version`` (when given)."""
    row = locked(conn, alert_id)
    if version is not None and row.version != version:
        raise stale(row, version)
    return row


def _closed(row: Row[Any], why: str) -> ConflictError:
    """The refusal of a change to an alert whose state allows none: a conflict with what it
    is now, which is what a reviewer who read it before the last decision is told."""
    return ConflictError(f"alert {row.id} is {row.state}: {why}", current_state(row))


def _four_eyes(conn: Connection, list_name: str | None) -> bool:
    if list_name is None:
        return False
    fmt = conn.execute(select(lists.c.format).where(lists.c.name == list_name)).scalar()
    return needs_four_eyes(fmt)


def _check_assignee(conn: Connection, username: str) -> None:
    """Only an active user who may work alerts can be given one."""
    user = conn.execute(select(users).where(users.c.username == username)).first()
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    if user.disabled_at is not None:
        raise UsageError(f"user {username!r} is disabled")
    if not Actor(username, user.role).can("analyst"):
        raise UsageError(f"user {username!r} ({user.role}) may not work alerts")


def _reason(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise UsageError(f"{what} needs a comment saying why")
    return text


def _event(
    conn: Connection,
    alert_id: int,
    actor: Actor,
    action: str,
    from_state: str | None,
    to_state: str | None,
    text: str | None,
    reason_code: str | None = None,
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
            reason_code=reason_code,
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
        AlertEvent(utc(e.at), e.actor, e.action, e.from_state, e.to_state, e.comment, e.reason_code)
        for e in conn.execute(query)
    )
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}")
    return view_of(row, events)


def view_of(row: Row[Any], events: tuple[AlertEvent, ...] = ()) -> AlertView:
    """The reviewer's view of an ``alerts`` row (``review.queue`` reads rows too)."""
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
        version=row.version,
        events=events,
    )
