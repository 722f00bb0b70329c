"""The shapes of the triage endpoints (``api.alerts``): queue groups, and bulk actions over
a list of alerts or a whole group with what each alert's outcome was."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from watchkeeper.review.bulk import MAX_ALERTS, BulkResult
from watchkeeper.review.grouping import SUBJECT
from watchkeeper.review.queue import QueueGroup
from watchkeeper.service.bounds import MAX_ID

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=MAX_ID)]


class Finding(BaseModel):
    """A group's strongest finding: a hit before a rule, then the highest score or weight."""

    alert_id: int
    kind: str
    list_name: str | None
    score: float | None
    reason: str


class Group(BaseModel):
    """One row of the triage queue (``review.queue.QueueGroup``): whom or what it is about,
    its strongest finding, its alerts counted by kind, the rolled-up rule risk against the
    threshold (``context_only``: rule hits adding up to less), and ``last_alert``, the
    newest alert id, to send back as ``through`` when deciding the whole group."""

    key: str
    lane: str
    label: str | None
    subject: str | None
    strongest: Finding
    counts: dict[str, int]
    alerts: int
    open: int
    risk: float
    threshold: float
    context_only: bool
    oldest: datetime
    newest: datetime
    last_alert: int


class GroupPage(BaseModel):
    """A page of queue groups: watchlist, document and image hits first, then rule risk at
    or over the threshold, then context only; ``more``: whether further groups follow."""

    by: str
    sort: str
    limit: int
    offset: int
    more: bool
    results: list[Group]


class BulkAlert(BaseModel):
    """One alert of a bulk action; ``version``: the one the reviewer saw, if checked."""

    id: RowId
    version: Version | None = None


class GroupRef(BaseModel):
    """A queue group (``key`` under grouping ``by``) up to alert ``through``, its
    ``last_alert`` as the reviewer saw it: an alert that joined it since is left alone."""

    key: str
    by: str = SUBJECT
    through: RowId


class Bulk(BaseModel):
    """Assign (``assignee``; null releases) or decide (``state``, ``comment`` and
    ``reason_code``) either the ``alerts`` listed or a ``group``, never both."""

    action: Literal["assign", "decide"]
    alerts: list[BulkAlert] = Field(default_factory=list, max_length=MAX_ALERTS)
    group: GroupRef | None = None
    assignee: str | None = None
    state: str | None = None
    comment: str = ""
    reason_code: str | None = None


class Outcome(BaseModel):
    """What the action did to one alert: its state and version after, or why not
    (``error``; ``status`` 409 changed or final, 403 not this caller's to do, 404 gone, 400
    not a move it can make; ``current``: the alert as it is now, after a 409)."""

    alert_id: int
    ok: bool
    state: str | None
    version: int | None
    error: str | None
    status: int | None
    current: dict[str, Any] | None


class BulkAnswer(BaseModel):
    """Every alert's outcome, in the order asked; ``done`` and ``failed`` list their ids."""

    done: list[int]
    failed: list[int]
    outcomes: list[Outcome]


def group_view(group: QueueGroup) -> dict[str, Any]:
    """A queue group as JSON."""
    return asdict(group)


def bulk_view(result: BulkResult) -> dict[str, Any]:
    """A bulk result as JSON."""
    outcomes = []
    for outcome in result.outcomes:
        data = asdict(outcome)
        data["current"] = dict(outcome.current) if outcome.current is not None else None
        outcomes.append(data)
    return {
        "done": list(result.done),
        "failed": [o.alert_id for o in result.failed],
        "outcomes": outcomes,
    }
