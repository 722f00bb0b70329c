"""The review queue over HTTP: list and read alerts, assign, comment and decide. Every rule of
the workflow (four-eyes, remembered decisions, audit) lives in ``review.workflow``; this module
only translates.

Each alert carries a ``version``. A change that sends the version it was made on is refused
with 409 if someone changed the alert since (another reviewer was quicker); so is a change
to an alert whose decision is final. The 409 body holds the alert's current ``state`` and
``version`` beside ``detail``, for the client to show before asking its user again."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import require
from watchkeeper.auth import Actor
from watchkeeper.review import workflow
from watchkeeper.review.workflow import AlertView
from watchkeeper.service.bounds import AlertId, Days, Offset, Score
from watchkeeper.service.deps import EngineDep, RemoteDep

router = APIRouter(prefix="/alerts", responses=errors(*AUTHENTICATED, 400, 404, 409))
Analyst = Annotated[Actor, Depends(require("analyst"))]


class Assignment(BaseModel):
    """Who works the alert (null to release it); ``version``: the one read, if checked."""

    assignee: str | None
    version: int | None = None


class Note(BaseModel):
    """A comment on an alert."""

    text: str


class Decision(BaseModel):
    """A new state and why: cleared, confirmed, escalated, or in_review to send a pending
    decision back. ``version``: the alert's version the decision was made on; without it,
    the decision applies to the alert as it is when the request arrives."""

    state: str
    comment: str
    version: int | None = None


class Event(BaseModel):
    """One step of an alert's history; for ``propose``, ``to_state`` is the state proposed."""

    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    comment: str | None


class Alert(BaseModel):
    """An alert as a reviewer sees it (``review.workflow.AlertView``): the screened subject,
    the listing it hit and why, where it came from, its state and, read alone, its
    history (``events``, empty in the queue)."""

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
    version: int
    events: list[Event]


class AlertPage(BaseModel):
    """A page of the queue, newest first; ``more``: whether older alerts follow."""

    limit: int
    offset: int
    more: bool
    results: list[Alert]


def view(alert: AlertView) -> dict[str, Any]:
    """An alert as JSON."""
    return asdict(alert)


@router.get("", response_model=AlertPage)
def list_alerts(
    engine: EngineDep,
    remote: RemoteDep,
    actor: Analyst,
    lane: str | None = None,
    list_name: Annotated[str | None, Query(alias="list")] = None,
    state: str | None = None,
    min_score: Score = None,
    max_score: Score = None,
    older_than_days: Days = None,
    newer_than_days: Days = None,
    assignee: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The queue, newest first, with filters; ``more`` says whether older alerts follow. The
    read is audited (``read.queue``): a page shows the personal data of up to 500 people."""
    page = workflow.list_alerts(
        engine,
        actor,
        lane=lane,
        list_name=list_name,
        state=state,
        min_score=min_score,
        max_score=max_score,
        older_than_days=older_than_days,
        newer_than_days=newer_than_days,
        assignee=assignee,
        limit=limit,
        offset=offset,
        remote=remote,
    )
    results = [view(a) for a in page.alerts]
    return {"limit": limit, "offset": offset, "more": page.more, "results": results}


@router.get("/{alert_id}", response_model=Alert)
def get_alert(
    engine: EngineDep, remote: RemoteDep, alert_id: AlertId, actor: Analyst
) -> dict[str, Any]:
    """One alert with its history (the read is audited)."""
    return view(workflow.get_alert(engine, actor, alert_id, remote=remote))


@router.post("/{alert_id}/assign", response_model=Alert)
def assign(
    engine: EngineDep, remote: RemoteDep, alert_id: AlertId, body: Assignment, actor: Analyst
) -> dict[str, Any]:
    """Give the alert to someone (or take it back); 409 if it changed since ``version``."""
    alert = workflow.assign(engine, actor, alert_id, body.assignee, remote, body.version)
    return view(alert)


@router.post("/{alert_id}/comment", response_model=Alert)
def comment(
    engine: EngineDep, remote: RemoteDep, alert_id: AlertId, body: Note, actor: Analyst
) -> dict[str, Any]:
    """Add a comment to the alert's history."""
    return view(workflow.comment(engine, actor, alert_id, body.text, remote=remote))


@router.post("/{alert_id}/decide", response_model=Alert)
def decide(
    engine: EngineDep, remote: RemoteDep, alert_id: AlertId, body: Decision, actor: Analyst
) -> dict[str, Any]:
    """Decide the alert; UN and agency-profile alerts need a second person (four-eyes). 409
    with the alert's current state if it changed since ``version``, or is final."""
    alert = workflow.decide(
        engine, actor, alert_id, body.state, body.comment, remote, version=body.version
    )
    return view(alert)
