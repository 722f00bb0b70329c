"""Bulk triage from the queue page: assign to oneself, or decide with a reason code and a
comment, the alerts and whole groups ticked (``review.bulk``). A ticked group is decided up
to its newest alert as the page showed it (``through``), so an alert that arrived since is
not decided unseen. The answer is the same queue with a line saying which alerts moved and
why each other one did not."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from watchkeeper.auth import Actor
from watchkeeper.errors import UsageError, WatchkeeperError
from watchkeeper.review import bulk
from watchkeeper.review.bulk import BulkResult, Outcome
from watchkeeper.review.grouping import SUBJECT
from watchkeeper.service.deps import EngineDep, RemoteDep, SettingsDep
from watchkeeper.settings import Settings
from watchkeeper.web.common import User
from watchkeeper.web.queue import form_of, queue_page

router = APIRouter()
Many = Annotated[list[str] | None, Form()]
Field = Annotated[str, Form()]


def _alerts(ticked: list[str]) -> tuple[list[int], dict[int, int]]:
    """Ticked alerts, each ``id:version`` as the page drew it."""
    ids, versions = [], {}
    for value in ticked:
        alert_id, _, version = value.partition(":")
        if not alert_id.isdigit() or not version.isdigit():
            raise UsageError(f"not an alert of this page: {value!r}")
        ids.append(int(alert_id))
        versions[int(alert_id)] = int(version)
    return ids, versions


def _groups(ticked: list[str]) -> list[tuple[int, str]]:
    """Ticked groups, each ``through:key`` (the group's newest alert as the page showed it)."""
    found = []
    for value in ticked:
        through, _, key = value.partition(":")
        if not through.isdigit() or not key:
            raise UsageError(f"not a group of this page: {value!r}")
        found.append((int(through), key))
    return found


def _act(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    remote: str | None,
    action: str,
    ticked: tuple[list[str], list[str]],
    by: str,
    decision: tuple[str, str, str],
) -> BulkResult:
    """Every ticked alert and group assigned to ``actor`` or decided, in one result."""
    ids, versions = _alerts(ticked[0])
    groups = _groups(ticked[1])
    if not ids and not groups:
        raise UsageError("tick at least one alert or group")
    state, code, comment = decision
    if action == "decide" and not (state and code):
        raise UsageError("choose a decision and a reason code")
    outcomes: list[Outcome] = []
    if ids and action == "assign":
        outcomes += bulk.bulk_assign(
            engine, actor, ids, actor.username, versions=versions, remote=remote
        ).outcomes
    elif ids:
        outcomes += bulk.bulk_decide(
            engine,
            actor,
            ids,
            state,
            comment,
            reason_code=code,
            reason_codes=settings.reason_codes,
            versions=versions,
            remote=remote,
        ).outcomes
    for through, key in groups:
        if action == "assign":
            done = bulk.assign_group(
                engine, actor, key, actor.username, by=by, through=through, remote=remote
            )
        else:
            done = bulk.decide_group(
                engine,
                actor,
                key,
                state,
                comment,
                through=through,
                by=by,
                reason_code=code,
                reason_codes=settings.reason_codes,
                remote=remote,
            )
        outcomes += done.outcomes
    return BulkResult(tuple(outcomes))


@router.post("/alerts/bulk")
def bulk_action(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    actor: User,
    action: Field,
    alert: Many = None,
    group: Many = None,
    decision: Field = "",
    reason_code: Field = "",
    comment: Field = "",
    by: Field = SUBJECT,
    sort: Field = "",
    kind: Field = "",
    lane: Field = "",
    state: Field = "",
    min_risk: Field = "",
) -> Response:
    """Assign (``action`` assign) or decide (``action`` decide) the ticked alerts and
    groups; the queue again, with the outcome of each alert above it."""
    form = form_of(
        {"by": by, "sort": sort, "kind": kind, "lane": lane, "state": state, "min_risk": min_risk}
    )
    if action not in ("assign", "decide"):
        error = f"unknown action {action!r}: assign or decide"
        return queue_page(request, engine, settings, remote, actor, form, error=error, status=400)
    try:
        result = _act(
            engine,
            settings,
            actor,
            remote,
            action,
            (alert or [], group or []),
            form["by"],
            (decision, reason_code, comment),
        )
    except WatchkeeperError as exc:
        return queue_page(
            request, engine, settings, remote, actor, form, error=exc.detail, status=exc.status
        )
    return queue_page(request, engine, settings, remote, actor, form, result=result)
