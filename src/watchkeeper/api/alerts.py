"""The review queue over HTTP: list and read alerts, assign, comment and decide. Every rule of
the workflow (four-eyes, remembered decisions, audit) lives in ``review.workflow``; this module
only translates.

Each alert carries a ``version``. A change that sends the version it was made on is refused
with 409 if someone changed the alert since (another reviewer was quicker); so is a change
to an alert whose decision is final. The 409 body holds the alert's current ``state`` and
``version`` beside ``detail``, for the client to show before asking its user again.

Triage: ``/alerts/groups`` is the queue one row per traveller, customer, document or image
(or per input, flight or booking), watchlist hits first (``review.queue``);
``/alerts/groups/{key}`` a group's alerts; ``/alerts/bulk`` assigns or decides many alerts,
or a whole group up to the alert the reviewer saw last, each alert as if alone
(``review.bulk``). A decision may carry a reason code from ``Settings.reason_codes``; an
unknown one is refused (400)."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import require
from watchkeeper.api.triage_models import Bulk, BulkAnswer, GroupPage, bulk_view, group_view
from watchkeeper.auth import Actor
from watchkeeper.errors import UsageError
from watchkeeper.review import bulk, queue, workflow
from watchkeeper.review.grouping import SUBJECT
from watchkeeper.review.risk import lanes_policy
from watchkeeper.review.workflow import AlertView
from watchkeeper.service.bounds import AlertId, Days, Offset, Score
from watchkeeper.service.deps import EngineDep, RemoteDep, SettingsDep

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
    the decision applies to the alert as it is when the request arrives. ``reason_code``:
    one of the agency's codes (``Settings.reason_codes``) saying why, as a code."""

    state: str
    comment: str
    version: int | None = None
    reason_code: str | None = None


class AlertPage(BaseModel):
    """A page of the queue, newest first; ``more``: whether older alerts follow."""

    limit: int
    offset: int
    more: bool
    results: list[AlertView]  # the workflow's dataclass is the response model


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


Limit = Annotated[int, Query(ge=1, le=500)]
Risk = Annotated[float | None, Query(ge=0, le=1e6, allow_inf_nan=False)]


@router.get("/groups", response_model=GroupPage)
def list_groups(
    engine: EngineDep,
    remote: RemoteDep,
    settings: SettingsDep,
    actor: Analyst,
    by: str = SUBJECT,
    sort: str = "score",
    kind: str | None = None,
    lane: str | None = None,
    state: str | None = None,
    min_risk: Risk = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The queue one row per group (``by``: subject, input, flight or booking): watchlist,
    document and image hits first, then rule risk at or over the threshold, then context
    only; within a band by ``sort`` (score, risk, age, listing). Filters: a finding of
    ``kind`` (watchlist, document, rule, image), ``lane``, the alerts' ``state`` (default:
    those still to work), ``min_risk``. The read is audited."""
    page = queue.queue_groups(
        engine,
        actor,
        lanes_policy(settings),
        by=by,
        sort=sort,
        kind=kind,
        lane=lane,
        state=state,
        min_risk=min_risk,
        limit=limit,
        offset=offset,
        remote=remote,
    )
    results = [group_view(g) for g in page.groups]
    return {
        "by": by,
        "sort": sort,
        "limit": limit,
        "offset": offset,
        "more": page.more,
        "results": results,
    }


@router.get("/groups/{key:path}", response_model=list[AlertView])
def group_alerts(
    engine: EngineDep,
    remote: RemoteDep,
    actor: Analyst,
    key: str,
    by: str = SUBJECT,
    state: str | None = None,
) -> list[dict[str, Any]]:
    """The alerts of one group (its ``key`` under the same ``by``), strongest first;
    ``state`` as for the groups. The read is audited."""
    found = queue.group_alerts(engine, actor, key, by=by, state=state, remote=remote)
    return [view(a) for a in found]


@router.post("/bulk", response_model=BulkAnswer)
def bulk_action(
    engine: EngineDep, remote: RemoteDep, settings: SettingsDep, body: Bulk, actor: Analyst
) -> dict[str, Any]:
    """Assign or decide the ``alerts`` listed (with the versions seen) or a ``group`` up to
    alert ``through``. Each alert moves as if alone (four-eyes, versions, audit); one
    refused does not stop the others, and the answer says why each refused one did not
    move. A decision needs a comment and a reason code."""
    if bool(body.alerts) == (body.group is not None):
        raise UsageError("name either alerts or a group")
    ids = [a.id for a in body.alerts]
    versions = {a.id: a.version for a in body.alerts if a.version is not None}
    group = body.group
    if body.action == "assign":
        if group is not None:
            result = bulk.assign_group(
                engine,
                actor,
                group.key,
                body.assignee,
                by=group.by,
                through=group.through,
                remote=remote,
            )
        else:
            result = bulk.bulk_assign(
                engine, actor, ids, body.assignee, versions=versions, remote=remote
            )
        return bulk_view(result)
    if body.state is None or body.reason_code is None:
        raise UsageError("a decision needs a state and a reason code")
    if group is not None:
        result = bulk.decide_group(
            engine,
            actor,
            group.key,
            body.state,
            body.comment,
            through=group.through,
            by=group.by,
            reason_code=body.reason_code,
            reason_codes=settings.reason_codes,
            remote=remote,
        )
    else:
        result = bulk.bulk_decide(
            engine,
            actor,
            ids,
            body.state,
            body.comment,
            reason_code=body.reason_code,
            reason_codes=settings.reason_codes,
            versions=versions,
            remote=remote,
        )
    return bulk_view(result)


@router.get("/{alert_id}", response_model=AlertView)
def get_alert(
    engine: EngineDep, remote: RemoteDep, alert_id: AlertId, actor: Analyst
) -> dict[str, Any]:
    """One alert with its history (the read is audited)."""
    return view(workflow.get_alert(engine, actor, alert_id, remote=remote))


@router.post("/{alert_id}/assign", response_model=AlertView)
def assign(
    engine: EngineDep, remote: RemoteDep, alert_id: AlertId, body: Assignment, actor: Analyst
) -> dict[str, Any]:
    """Give the alert to someone (or take it back); 409 if it changed since ``version``."""
    alert = workflow.assign(engine, actor, alert_id, body.assignee, remote, body.version)
    return view(alert)


@router.post("/{alert_id}/comment", response_model=AlertView)
def comment(
    engine: EngineDep, remote: RemoteDep, alert_id: AlertId, body: Note, actor: Analyst
) -> dict[str, Any]:
    """Add a comment to the alert's history."""
    return view(workflow.comment(engine, actor, alert_id, body.text, remote=remote))


@router.post("/{alert_id}/decide", response_model=AlertView)
def decide(
    engine: EngineDep,
    remote: RemoteDep,
    settings: SettingsDep,
    alert_id: AlertId,
    body: Decision,
    actor: Analyst,
) -> dict[str, Any]:
    """Decide the alert; UN and agency-profile alerts need a second person (four-eyes). 409
    with the alert's current state if it changed since ``version``, or is final; 400 for a
    reason code that is not one of the configured ones."""
    alert = workflow.decide(
        engine,
        actor,
        alert_id,
        body.state,
        body.comment,
        remote,
        version=body.version,
        reason_code=body.reason_code,
        reason_codes=settings.reason_codes,
    )
    return view(alert)
