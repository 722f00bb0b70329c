"""The triage queue: alerts grouped per traveller, customer, document or image (or per
input, flight or booking: ``review.grouping``), one row per group with its strongest
finding, so that a watchlist hit is not buried under a flight's low-weight rule alerts.

Groups sort in three bands: any watchlist, document or image hit first; then groups whose
rolled-up rule risk reaches the threshold (``review.risk``); then "context only" groups,
whose rule hits add up to less. Within a band, by the sort asked for. Everything is one SQL
statement (window functions over the alerts considered, no join of aggregates) on SQLite and
PostgreSQL alike; every read is audited, since a queue page names people.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Over, Select, Subquery, case, func, select
from sqlalchemy.sql.functions import FunctionElement

from watchkeeper.auth import Actor, require
from watchkeeper.errors import UsageError
from watchkeeper.review.grouping import SUBJECT, group_key, grouping, joined, label, owner, person
from watchkeeper.review.risk import RiskPolicy
from watchkeeper.review.states import known
from watchkeeper.review.workflow import AlertView, view_of
from watchkeeper.store import audit
from watchkeeper.store.alert_states import OPEN, PENDING
from watchkeeper.store.audit import utc
from watchkeeper.store.schema import alerts

RULE = "rule"
KINDS: dict[str, tuple[str, ...]] = {
    "watchlist": ("watchlist", "mention"),  # a listed name, screened or in a remittance text
    "document": ("document",),  # a travel document on a lost, stolen or wanted list
    "rule": (RULE,),
    "image": ("hash",),  # an image's hash in a hash bank
}
"""The kinds a reviewer filters by, and the kinds the lanes store under each."""

SORTS = ("score", "risk", "age", "listing")
WORKABLE = (*sorted(OPEN), PENDING)
"""The states of alerts still to work, which the queue shows unless asked for a state."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A group's strongest finding: a hit before a rule, then the highest score or weight."""

    alert_id: int
    kind: str
    list_name: str | None
    score: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class QueueGroup:
    """One row of the triage queue.

    ``subject`` is whom the strongest finding is about (a person's or customer's name, a
    document's file, an image's name); ``label`` is what the group is (the same, or the
    flight, booking or input file). ``risk`` is the highest rolled-up rule risk of a
    traveller or customer in the group; ``context_only`` says its only findings are rules
    adding up to less than ``threshold``. ``last_alert`` is the newest alert id in the group:
    a decision on the whole group goes no further (``review.bulk.decide_group``), so an
    alert that arrived after the reviewer looked is not decided unseen.
    """

    key: str
    lane: str
    label: str | None
    subject: str | None
    strongest: Finding
    counts: dict[str, int]  # by KINDS name
    alerts: int
    open: int
    risk: float
    threshold: float
    context_only: bool
    oldest: datetime
    newest: datetime
    last_alert: int


@dataclass(frozen=True, slots=True)
class GroupPage:
    """One page of groups, and whether more follow."""

    groups: list[QueueGroup]
    more: bool


def queue_groups(
    engine: Engine,
    actor: Actor,
    policy: RiskPolicy,
    *,
    by: str = SUBJECT,
    sort: str = "score",
    kind: str | None = None,
    lane: str | None = None,
    state: str | None = None,
    min_risk: float | None = None,
    limit: int = 50,
    offset: int = 0,
    remote: str | None = None,
) -> GroupPage:
    """The queue, one row per group under grouping ``by``, in bands (see the module's doc)
    and within them by ``sort``: ``score`` (best score, then risk), ``risk``, ``age``
    (oldest first) or ``listing`` (the strongest finding's list name). Filters: groups
    with a finding of ``kind`` (``KINDS``), of ``lane``, with a rolled-up risk of at least
    ``min_risk``; ``state`` picks the alerts considered (default: those still to work).
    The read is audited (``read.queue``, with the filters and each group's strongest
    alert)."""
    require(actor, "analyst", "read alerts")
    if limit < 1 or offset < 0:
        raise UsageError("limit must be at least 1 and offset at least 0")
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    base = _base(grouping(by), lane, state)
    query = _groups(base, policy, sort, kind, min_risk)
    with engine.begin() as conn:
        found = [_group(row) for row in conn.execute(query.limit(limit + 1).offset(offset))]
        shown = found[:limit]
        filters = {
            "by": by,
            "sort": sort,
            "kind": kind,
            "lane": lane,
            "state": state,
            "min_risk": min_risk,
        }
        detail = {
            "filters": {k: v for k, v in filters.items() if v is not None},
            "alerts": [g.strongest.alert_id for g in shown],
        }
        audit.record(conn, actor.username, "read.queue", "alert", None, detail, remote)
    return GroupPage(shown, len(found) > limit)


def group_alerts(
    engine: Engine,
    actor: Actor,
    key: str,
    *,
    by: str = SUBJECT,
    state: str | None = None,
    remote: str | None = None,
) -> list[AlertView]:
    """The alerts of one group (``QueueGroup.key`` under the same ``by``), strongest first;
    ``state`` as in ``queue_groups``. The read is audited (``read.group``)."""
    require(actor, "analyst", "read alerts")
    query = (
        select(alerts)
        .select_from(joined())
        .where(group_key(grouping(by)) == key, _states(state))
        .order_by(*_strength(_hit(alerts.c.kind), alerts.c.score, _weight(), alerts.c.id))
    )
    with engine.begin() as conn:
        shown = [view_of(row) for row in conn.execute(query)]
        detail = {"by": by, "key": key, "alerts": [a.id for a in shown]}
        audit.record(conn, actor.username, "read.group", "alert", None, detail, remote)
    return shown


def group_alert_ids(
    engine: Engine, key: str, *, by: str = SUBJECT, through: int | None = None
) -> list[int]:
    """The ids of a group's alerts still to work, oldest first, up to alert ``through`` when
    given: what a bulk action on the group acts on (``review.bulk``). Ids only, so not a
    read of personal data."""
    query = (
        select(alerts.c.id)
        .select_from(joined())
        .where(group_key(grouping(by)) == key, _states(None))
        .order_by(alerts.c.id)
    )
    if through is not None:
        query = query.where(alerts.c.id <= through)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def _states(state: str | None) -> ColumnElement[bool]:
    if state is None:
        return alerts.c.state.in_(WORKABLE)
    return alerts.c.state == known(state)


def _hit(kind: ColumnElement[str]) -> ColumnElement[int]:
    """1 for a watchlist, document or image hit, 0 for a rule hit."""
    return case((kind == RULE, 0), else_=1)


def _weight() -> ColumnElement[float]:
    """A rule alert's weight when it fired (kept in its explanation by the lanes; 0 for
    alerts stored before the weight was kept); NULL for hits."""
    weight = alerts.c.explanation["weight"].as_float()
    return case((alerts.c.kind == RULE, func.coalesce(weight, 0.0)))


def _strength(
    hit: ColumnElement[int],
    score: ColumnElement[Any],
    weight: ColumnElement[Any],
    alert_id: ColumnElement[int],
) -> tuple[ColumnElement[Any], ...]:
    """The order of findings, strongest first (NULLs last on both backends)."""
    return (
        hit.desc(),
        func.coalesce(score, -1.0).desc(),
        func.coalesce(weight, -1.0).desc(),
        alert_id,
    )


def _base(by: str, lane: str | None, state: str | None) -> Subquery:
    """The alerts considered, each with its group key and what the groups are built from."""
    rule_id = alerts.c.explanation["rule"].as_string()
    query = (
        select(
            alerts.c.id,
            alerts.c.lane,
            alerts.c.kind,
            alerts.c.state,
            alerts.c.created_at,
            alerts.c.score,
            alerts.c.list_name,
            alerts.c.reason,
            group_key(by).label("key"),
            label(by).label("label"),
            person().label("person"),
            owner().label("owner"),
            _hit(alerts.c.kind).label("hit"),
            _weight().label("weight"),
            func.coalesce(rule_id, alerts.c.reason).label("rule"),
        )
        .select_from(joined())
        .where(_states(state))
    )
    if lane is not None:
        query = query.where(alerts.c.lane == lane)
    return query.subquery("base")


def _groups(
    base: Subquery, policy: RiskPolicy, sort: str, kind: str | None, min_risk: float | None
) -> Select[Any]:
    """One row per group of ``base``: its strongest finding with the group's aggregates and
    rolled-up risk. Window functions only, layer on layer, and no join: the plan is a few
    sorts of the alerts considered on any backend, whatever the planner knows of them."""
    # Risk: the weights of the distinct rules of each owner added up (a rule firing twice
    # counts once); a group's risk is its highest owner's (one traveller's, not a flight's
    # travellers' summed). Hits have no weight, so add nothing.
    per_rule = (base.c.key, base.c.owner, base.c.rule)
    first_of_rule = select(
        base,
        func.row_number()
        .over(partition_by=per_rule, order_by=base.c.weight.desc())
        .label("rule_rank"),
    ).subquery()
    counted = case((first_of_rule.c.rule_rank == 1, first_of_rule.c.weight))
    owners = select(
        first_of_rule,
        func.sum(counted)
        .over(partition_by=(first_of_rule.c.key, first_of_rule.c.owner))
        .label("owner_risk"),
    ).subquery()
    key = owners.c.key

    def whole(value: FunctionElement[Any]) -> Over[Any]:
        return value.over(partition_by=key)

    strongest = _strength(owners.c.hit, owners.c.score, owners.c.weight, owners.c.id)
    counts = [
        whole(func.sum(case((owners.c.kind.in_(kinds), 1), else_=0))).label(f"n_{name}")
        for name, kinds in KINDS.items()
    ]
    ranked = select(
        owners.c.key,
        owners.c.lane,
        owners.c.id,
        owners.c.kind,
        owners.c.list_name,
        owners.c.score.label("top_score"),
        owners.c.reason,
        owners.c.person,
        whole(func.min(owners.c.label)).label("label"),
        whole(func.count()).label("total"),
        whole(func.sum(case((owners.c.state.in_(sorted(OPEN)), 1), else_=0))).label("open"),
        whole(func.max(owners.c.hit)).label("hit"),
        whole(func.max(owners.c.score)).label("score"),
        whole(func.min(owners.c.created_at)).label("oldest"),
        whole(func.max(owners.c.created_at)).label("newest"),
        whole(func.max(owners.c.id)).label("last_alert"),
        whole(func.max(owners.c.owner_risk)).label("risk"),
        *counts,
        func.row_number().over(partition_by=key, order_by=strongest).label("rank"),
    ).subquery()
    risk = func.coalesce(ranked.c.risk, 0.0)
    threshold = policy.column(ranked.c.lane)
    band = case((ranked.c.hit == 1, 0), (risk >= threshold, 1), else_=2)
    query = (
        select(
            ranked,
            risk.label("rolled_up"),
            threshold.label("threshold"),
            band.label("band"),
        )
        .where(ranked.c.rank == 1)
        .order_by(band, *_order(sort, ranked, risk), ranked.c.key)
    )
    if kind is not None:
        query = query.where(ranked.c[f"n_{kind}"] > 0)
    if min_risk is not None:
        query = query.where(risk >= min_risk)
    return query


def _order(sort: str, ranked: Subquery, risk: ColumnElement[float]) -> list[Any]:
    """The order within a band."""
    score = func.coalesce(ranked.c.score, -1.0).desc()
    if sort == "risk":
        return [risk.desc(), score]
    if sort == "age":
        return [ranked.c.oldest]
    if sort == "listing":
        return [case((ranked.c.list_name.is_(None), 1), else_=0), ranked.c.list_name, score]
    return [score, risk.desc(), ranked.c.newest.desc()]


def _group(row: Any) -> QueueGroup:
    return QueueGroup(
        key=row.key,
        lane=row.lane,
        label=row.label,
        subject=row.person,
        strongest=Finding(row.id, row.kind, row.list_name, row.top_score, row.reason),
        counts={name: int(row._mapping[f"n_{name}"]) for name in KINDS},
        alerts=int(row.total),
        open=int(row.open),
        risk=float(row.rolled_up),
        threshold=float(row.threshold),
        context_only=row.band == 2,
        oldest=utc(row.oldest),
        newest=utc(row.newest),
        last_alert=int(row.last_alert),
    )
