"""Rule risk rolled up per traveller or customer, as GTAS does: the sum of the weights of the
distinct rules that hit them, compared with a threshold. Below it, a subject with rule hits
only is "context only" (a weight-15 document-country mismatch is no reason to look by
itself); watchlist, document and image hits never depend on it.

The threshold is ``Settings.risk_threshold``, unless a lane's rule file declares its own
(``risk_threshold:``, read by ``lanes.rulefile``): the rule file is the lane's policy.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Engine, case, func, literal, select

from watchkeeper.lanes.finance.lane import FinanceLane
from watchkeeper.lanes.registry import all_lanes
from watchkeeper.lanes.travel.lane import TravelLane
from watchkeeper.review.grouping import owner
from watchkeeper.settings import Settings
from watchkeeper.store.alert_states import SUPPRESSED
from watchkeeper.store.schema import alerts

RULE = "rule"  # the kind of a rule alert (``review.queue.KINDS``)


@dataclass(frozen=True, slots=True)
class RiskPolicy:
    """From which rolled-up risk a rule-only group is worth a look: ``threshold``, or the
    lane's own in ``by_lane``."""

    threshold: float
    by_lane: Mapping[str, float] = field(default_factory=dict)

    def of(self, lane: str) -> float:
        """The threshold that applies to the rule hits of ``lane``."""
        return self.by_lane.get(lane, self.threshold)

    def column(self, lane: ColumnElement[str]) -> ColumnElement[float]:
        """The threshold of each row's ``lane``, as SQL (one query for every lane)."""
        if not self.by_lane:
            return literal(self.threshold)
        whens = [(lane == name, literal(value)) for name, value in sorted(self.by_lane.items())]
        return case(*whens, else_=literal(self.threshold))


def risk_policy(settings: Settings, declared: Mapping[str, float | None]) -> RiskPolicy:
    """The policy of ``settings``, with the thresholds the lanes' rule files declare
    (``declared``: lane name to the file's ``risk_threshold``, None when it has none)."""
    return RiskPolicy(
        settings.risk_threshold,
        {lane: value for lane, value in declared.items() if value is not None},
    )


def lanes_policy(settings: Settings) -> RiskPolicy:
    """The policy of the registered lanes: the threshold each lane's rule file declares (as
    the lane reads it, once), ``settings``' for the others. What the service and the pages
    pass to ``review.queue``."""
    declared = {
        lane.name: lane.rules.risk_threshold
        for lane in all_lanes()
        if isinstance(lane, TravelLane | FinanceLane)
    }
    return risk_policy(settings, declared)


def subject_risk(engine: Engine, alert_id: int) -> float:
    """The rolled-up rule risk of whom alert ``alert_id`` is about (the traveller in its
    message, the customer in its file): the weights of the distinct rules that hit them,
    whatever their alerts' review state (suppressed repeats aside), as the alert page shows
    it. Weights only, no personal data: not a read to audit."""
    mine = select(owner()).where(alerts.c.id == alert_id).scalar_subquery()
    rule = func.coalesce(alerts.c.explanation["rule"].as_string(), alerts.c.reason)
    weight = func.coalesce(alerts.c.explanation["weight"].as_float(), 0.0)
    per_rule = (
        select(func.max(weight).label("weight"))
        .where(alerts.c.kind == RULE, alerts.c.state != SUPPRESSED, owner() == mine)
        .group_by(rule)
        .subquery()
    )
    with engine.connect() as conn:
        total = conn.execute(select(func.coalesce(func.sum(per_rule.c.weight), 0.0))).scalar()
    return float(total or 0.0)
