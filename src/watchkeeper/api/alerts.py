"""The review queue over HTTP: list and read alerts, assign, comment and decide. Every rule of
the workflow (four-eyes, remembered decisions, audit) lives in ``review.workflow``; this module
only translates."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from watchkeeper.api.bounds import AlertId, Days, Offset, Score
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import remote_of, require
from watchkeeper.auth import Actor
from watchkeeper.review import workflow
from watchkeeper.review.workflow import AlertView

router = APIRouter(prefix="/alerts", responses=errors(*AUTHENTICATED, 400, 404, 409))
Analyst = Annotated[Actor, Depends(require("analyst"))]


class Assignment(BaseModel):
    """Who works the alert (null to release it)."""

    assignee: str | None


class Note(BaseModel):
    """A comment on an alert."""

    text: str


class Decision(BaseModel):
    """A new state and why: cleared, confirmed, escalated, or in_review to send a pending
    decision back."""

    state: str
    comment: str


def view(alert: AlertView) -> dict[str, Any]:
    """An alert as JSON."""
    return asdict(alert)


@router.get("")
def list_alerts(
    request: Request,
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
    """The queue, newest first, with filters."""
    found = workflow.list_alerts(
        request.app.state.engine,
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
    )
    return {"limit": limit, "offset": offset, "results": [view(a) for a in found]}


@router.get("/{alert_id}")
def get_alert(request: Request, alert_id: AlertId, actor: Analyst) -> dict[str, Any]:
    """One alert with its history (the read is audited)."""
    engine = request.app.state.engine
    return view(workflow.get_alert(engine, actor, alert_id, remote=remote_of(request)))


@router.post("/{alert_id}/assign")
def assign(request: Request, alert_id: AlertId, body: Assignment, actor: Analyst) -> dict[str, Any]:
    """Give the alert to someone (or take it back)."""
    engine = request.app.state.engine
    return view(workflow.assign(engine, actor, alert_id, body.assignee, remote=remote_of(request)))


@router.post("/{alert_id}/comment")
def comment(request: Request, alert_id: AlertId, body: Note, actor: Analyst) -> dict[str, Any]:
    """Add a comment to the alert's history."""
    engine = request.app.state.engine
    return view(workflow.comment(engine, actor, alert_id, body.text, remote=remote_of(request)))


@router.post("/{alert_id}/decide")
def decide(request: Request, alert_id: AlertId, body: Decision, actor: Analyst) -> dict[str, Any]:
    """Decide the alert; UN and agency-profile alerts need a second person (four-eyes)."""
    engine = request.app.state.engine
    alert = workflow.decide(
        engine, actor, alert_id, body.state, body.comment, remote=remote_of(request)
    )
    return view(alert)
