"""What people decided: decisions per reviewer, time to decision, and how often an alert was
a false positive, per list and per rule.

Each figure is aggregated in the database (window functions for the percentiles, which
SQLite since 3.25 and PostgreSQL both have), so no figure reads the alerts one by one. An
alert counts as decided when it became final (``cleared`` or ``confirmed``): by one
person's decision, or by the approval of the second person of four-eyes. Escalation is a
step, not a decision.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Select, and_, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from watchkeeper.review.states import DECISIONS
from watchkeeper.store.alert_states import CLEARED, CONFIRMED, ESCALATED
from watchkeeper.store.schema import alert_events, alerts
from watchkeeper.store.time_sql import seconds_between
from watchkeeper.store.times import utc

FINAL = (CLEARED, CONFIRMED)
ALL_LANES = "all"
"""The ``lane`` of the decision times over every lane."""
MEDIAN, P90 = 0.5, 0.9


@dataclass(frozen=True, slots=True)
class ReviewerDecisions:
    """One reviewer's decisions: first decisions by the state chosen (a proposal waiting for
    four-eyes counts as the state proposed), and second decisions (approvals, rejections)."""

    reviewer: str
    cleared: int
    confirmed: int
    escalated: int
    approved: int
    rejected: int

    @property
    def total(self) -> int:
        """Every decision the reviewer took, first or second."""
        return self.cleared + self.confirmed + self.escalated + self.approved + self.rejected


@dataclass(frozen=True, slots=True)
class DecisionTime:
    """How long the alerts of one lane (``ALL_LANES``: of every lane) waited for a final
    decision: the median and the 90th percentile (nearest rank), over ``decided`` alerts."""

    lane: str
    decided: int
    median: timedelta
    p90: timedelta


@dataclass(frozen=True, slots=True)
class ClearedShare:
    """Of the decided alerts on one list or rule (``key``; None: alerts of a rule that did not
    record its id), how many were cleared as false positives."""

    key: str | None
    decided: int
    cleared: int

    @property
    def share(self) -> float:
        """The cleared part, from 0 to 1."""
        return self.cleared / self.decided if self.decided else 0.0


def decisions_per_reviewer(
    engine: Engine, since: datetime | None = None
) -> list[ReviewerDecisions]:
    """Each reviewer's decisions (since ``since``), the busiest first, then by name."""
    first = alert_events.c.action.in_(("state", "propose"))
    query = (
        select(alert_events.c.actor, alert_events.c.action, alert_events.c.to_state, func.count())
        .where(
            or_(
                and_(first, alert_events.c.to_state.in_(DECISIONS)),
                alert_events.c.action.in_(("approve", "reject")),
            )
        )
        .group_by(alert_events.c.actor, alert_events.c.action, alert_events.c.to_state)
    )
    if since is not None:
        query = query.where(alert_events.c.at >= utc(since))
    tally: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for actor, action, to_state, count in conn.execute(query):
            key = action if action in ("approve", "reject") else to_state
            mine = tally.setdefault(actor, {})
            mine[key] = mine.get(key, 0) + int(count)
    found = [
        ReviewerDecisions(
            actor,
            counts.get(CLEARED, 0),
            counts.get(CONFIRMED, 0),
            counts.get(ESCALATED, 0),
            counts.get("approve", 0),
            counts.get("reject", 0),
        )
        for actor, counts in tally.items()
    ]
    return sorted(found, key=lambda r: (-r.total, r.reviewer))


def decision_times(engine: Engine, since: datetime | None = None) -> list[DecisionTime]:
    """Time from an alert's arrival to its final decision, per lane and over all lanes
    (``ALL_LANES`` first, then lanes by name), for the alerts decided since ``since``."""
    final = and_(
        alert_events.c.to_state.in_(FINAL),
        alert_events.c.action.in_(("state", "approve")),
    )
    waited = (
        select(
            alerts.c.lane,
            seconds_between(alerts.c.created_at, alert_events.c.at).label("waited"),
        )
        .join(alert_events, alert_events.c.alert_id == alerts.c.id)
        .where(final, alerts.c.state.in_(FINAL))
    )
    if since is not None:
        waited = waited.where(alert_events.c.at >= utc(since))
    durations = waited.subquery()
    found: list[DecisionTime] = []
    with engine.connect() as conn:
        for lane in (None, durations.c.lane):
            query = _percentiles(durations.c.waited, lane)
            for row in conn.execute(query):
                if not row.n:  # no alert decided: the query over all lanes gives one empty row
                    continue
                found.append(
                    DecisionTime(
                        row.lane if lane is not None else ALL_LANES,
                        int(row.n),
                        timedelta(seconds=round(row.median)),
                        timedelta(seconds=round(row.p90)),
                    )
                )
    return found


def cleared_share_by_list(engine: Engine) -> list[ClearedShare]:
    """The decided alerts on each list and the part cleared, by list name."""
    return _cleared_share(engine, alerts.c.list_name, alerts.c.list_name.is_not(None))


def cleared_share_by_rule(engine: Engine) -> list[ClearedShare]:
    """The decided rule alerts of each rule (its id, as the lanes record it in the alert's
    explanation) and the part cleared, by rule id."""
    rule = alerts.c.explanation["rule"].as_string()
    return _cleared_share(engine, rule, alerts.c.kind == "rule")


def _cleared_share(
    engine: Engine, key: ColumnElement[str | None], where: ColumnElement[bool]
) -> list[ClearedShare]:
    cleared = func.sum(case((alerts.c.state == CLEARED, 1), else_=0))
    labelled = key.label("key")
    query = (
        select(labelled, func.count().label("n"), cleared.label("cleared"))
        .where(where, alerts.c.state.in_(FINAL))
        .group_by(labelled)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    found = [ClearedShare(row.key, int(row.n), int(row.cleared)) for row in rows]
    return sorted(found, key=lambda s: (s.key is None, s.key or ""))


def _percentiles(waited: ColumnElement[float], lane: ColumnElement[str] | None) -> Select[Any]:
    """Count, median and 90th percentile of ``waited``, per ``lane`` when given. Nearest
    rank: the p-th percentile is the smallest value whose rank is at least p times the
    count, which both backends compute with ``row_number`` and ``count`` over a window."""
    partition = [lane] if lane is not None else []
    ranked = select(
        *([lane.label("lane")] if lane is not None else []),
        waited.label("waited"),
        func.row_number().over(partition_by=partition, order_by=waited).label("rank"),
        func.count().over(partition_by=partition).label("n"),
    ).subquery()

    def at(p: float) -> ColumnElement[float]:
        return func.min(case((ranked.c.rank >= p * ranked.c.n, ranked.c.waited)))

    columns = [
        func.max(ranked.c.n).label("n"),
        at(MEDIAN).label("median"),
        at(P90).label("p90"),
    ]
    if lane is None:
        return select(*columns)
    return select(ranked.c.lane, *columns).group_by(ranked.c.lane).order_by(ranked.c.lane)
