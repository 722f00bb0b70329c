"""Bulk assignment and decision: one request over a list of alerts or a whole queue group.

Each alert goes through the per-alert path of ``review.workflow`` in a transaction of its
own, so four-eyes, versions, states and the audit hold for every alert exactly as when it
is decided alone: an alert is changed whole or not at all, and one refused alert (decided
meanwhile, waiting for another supervisor, gone) does not stop the rest. The answer says
which alerts moved and why each other one did not. What is wrong for every alert alike (no
comment, an unknown reason code or state, a role that may not act) is refused up front.
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from watchkeeper.auth import Actor, require
from watchkeeper.errors import ConflictError, UsageError, WatchkeeperError
from watchkeeper.review import workflow
from watchkeeper.review.grouping import SUBJECT
from watchkeeper.review.queue import group_alert_ids
from watchkeeper.review.reasons import checked_code
from watchkeeper.review.states import known
from watchkeeper.review.workflow import AlertView
from watchkeeper.settings import REASON_CODES
from watchkeeper.store import audit

MAX_ALERTS = 1000
"""The most alerts one bulk request acts on: a larger one is a mistake or a job for a rule."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a bulk action did to one alert: its state and version after, or the refusal
    (``error``, as a person reads it; ``status``, its class: 409 changed or final, 403 not
    this person's to do, 404 no such alert, 400 not a move this alert can make) and, for a
    conflict, the alert as it is now (``current``)."""

    alert_id: int
    ok: bool
    state: str | None = None
    version: int | None = None
    error: str | None = None
    status: int | None = None
    current: Mapping[str, object] | None = None


@dataclass(frozen=True, slots=True)
class BulkResult:
    """Every alert's outcome, in the order asked."""

    outcomes: tuple[Outcome, ...]

    @property
    def done(self) -> tuple[int, ...]:
        """The alerts changed."""
        return tuple(o.alert_id for o in self.outcomes if o.ok)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The alerts left as they were, each with why."""
        return tuple(o for o in self.outcomes if not o.ok)


def bulk_decide(
    engine: Engine,
    actor: Actor,
    alert_ids: Sequence[int],
    state: str,
    comment: str,
    *,
    reason_code: str | None = None,
    reason_codes: Collection[str] = REASON_CODES,
    versions: Mapping[int, int] | None = None,
    remote: str | None = None,
) -> BulkResult:
    """Decide each alert as ``workflow.decide`` would (a first decision, or a four-eyes
    approval or rejection), with the same comment and reason code; ``versions`` maps an
    alert id to the version the reviewer saw, when known."""
    require(actor, "analyst", "decide alerts")
    if not comment.strip():
        raise UsageError("a decision needs a comment saying why")
    code = checked_code(reason_code, reason_codes)
    known(state)
    ids = _ids(alert_ids)
    seen = versions or {}

    def one(alert_id: int) -> AlertView:
        return workflow.decide(
            engine,
            actor,
            alert_id,
            state,
            comment,
            remote,
            seen.get(alert_id),
            reason_code=code,
            reason_codes=reason_codes,
        )

    result = _each(ids, one)
    detail = {"state": state, "reason_code": code, **_summary(result)}
    _audit(engine, actor, "bulk.decide", detail, remote)
    return result


def bulk_assign(
    engine: Engine,
    actor: Actor,
    alert_ids: Sequence[int],
    assignee: str | None,
    *,
    versions: Mapping[int, int] | None = None,
    remote: str | None = None,
) -> BulkResult:
    """Give each alert to ``assignee`` (None releases them) as ``workflow.assign`` would."""
    require(actor, "analyst", "assign alerts")
    ids = _ids(alert_ids)
    seen = versions or {}
    result = _each(
        ids,
        lambda alert_id: workflow.assign(
            engine, actor, alert_id, assignee, remote, seen.get(alert_id)
        ),
    )
    _audit(engine, actor, "bulk.assign", {"assignee": assignee, **_summary(result)}, remote)
    return result


def decide_group(
    engine: Engine,
    actor: Actor,
    key: str,
    state: str,
    comment: str,
    *,
    through: int,
    by: str = SUBJECT,
    reason_code: str | None = None,
    reason_codes: Collection[str] = REASON_CODES,
    remote: str | None = None,
) -> BulkResult:
    """``bulk_decide`` over the alerts of one queue group (``QueueGroup.key`` under ``by``)
    still to work, up to alert ``through`` (the group's ``last_alert`` as the reviewer saw
    it): an alert that joined the group since is left for someone to look at."""
    ids = _group(engine, key, by, through)
    return bulk_decide(
        engine,
        actor,
        ids,
        state,
        comment,
        reason_code=reason_code,
        reason_codes=reason_codes,
        remote=remote,
    )


def assign_group(
    engine: Engine,
    actor: Actor,
    key: str,
    assignee: str | None,
    *,
    by: str = SUBJECT,
    through: int | None = None,
    remote: str | None = None,
) -> BulkResult:
    """``bulk_assign`` over the alerts of one queue group still to work (up to alert
    ``through`` when given)."""
    ids = _group(engine, key, by, through)
    return bulk_assign(engine, actor, ids, assignee, remote=remote)


def _group(engine: Engine, key: str, by: str, through: int | None) -> list[int]:
    ids = group_alert_ids(engine, key, by=by, through=through)
    if not ids:
        raise UsageError(f"group {key!r} has no alert left to work")
    return ids


def _ids(alert_ids: Sequence[int]) -> list[int]:
    """The ids asked for, each once, in order; refused when none or too many."""
    ids = list(dict.fromkeys(alert_ids))
    if not ids:
        raise UsageError("name at least one alert")
    if len(ids) > MAX_ALERTS:
        raise UsageError(f"{len(ids)} alerts in one request: at most {MAX_ALERTS}")
    return ids


def _each(ids: list[int], act: Callable[[int], AlertView]) -> BulkResult:
    """``act`` on every alert, each in its own transaction, a refusal recorded and passed."""
    outcomes = []
    for alert_id in ids:
        try:
            view = act(alert_id)
        except WatchkeeperError as exc:
            current = exc.current if isinstance(exc, ConflictError) else None
            refused = Outcome(alert_id, False, error=exc.detail, status=exc.status, current=current)
            outcomes.append(refused)
        else:
            outcomes.append(Outcome(alert_id, True, view.state, view.version))
    return BulkResult(tuple(outcomes))


def _summary(result: BulkResult) -> dict[str, object]:
    return {
        "done": list(result.done),
        "failed": {str(o.alert_id): o.status for o in result.failed},
    }


def _audit(
    engine: Engine, actor: Actor, action: str, detail: dict[str, object], remote: str | None
) -> None:
    with engine.begin() as conn:
        audit.record(conn, actor.username, action, "alert", None, detail, remote)
