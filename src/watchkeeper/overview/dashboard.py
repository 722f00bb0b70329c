"""The dashboard page's data: every figure of ``stats``, ``decisions`` and ``freshness`` at
one moment, and the charts that draw them, so a template only lays them out.

The figures are counts, durations and staff names, no personal data of screened people,
so building the dashboard is not audited; what it shows of reviewers (their decision
counts) is for the page to show to whom it sees fit.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from watchkeeper.overview.charts import (
    Bar,
    Chart,
    Series,
    bar_chart,
    horizontal_bar_chart,
    percent,
    stacked_bar_chart,
)
from watchkeeper.overview.decisions import (
    ClearedShare,
    DecisionTime,
    ReviewerDecisions,
    cleared_share_by_list,
    cleared_share_by_rule,
    decision_times,
    decisions_per_reviewer,
)
from watchkeeper.overview.freshness import ListAge, list_freshness, older_than
from watchkeeper.overview.stats import (
    Backlog,
    DailyAlerts,
    LaneInputs,
    alerts_per_day,
    backlog_by_age,
    day_window,
    inputs_received,
)

NO_RULE_ID = "(rule not recorded)"
"""How a chart names the alerts of rules that did not record their id."""


@dataclass(frozen=True, slots=True)
class DashboardCharts:
    """The dashboard's charts, each with its data table (``Chart.table``)."""

    alerts_per_day: Chart
    backlog: Chart
    reviewers: Chart
    decision_times: Chart
    cleared_by_list: Chart
    cleared_by_rule: Chart


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Every figure of the overview at ``now``; ``stale`` are the lists older than the
    limit (``Settings.list_max_age_days``), the banner's, and ``lists`` all of them."""

    now: datetime
    inputs: tuple[LaneInputs, ...]
    """Inputs received per lane over the days of ``daily``."""
    daily: DailyAlerts
    backlog: Backlog
    reviewers: tuple[ReviewerDecisions, ...]
    times: tuple[DecisionTime, ...]
    cleared_by_list: tuple[ClearedShare, ...]
    cleared_by_rule: tuple[ClearedShare, ...]
    lists: tuple[ListAge, ...]
    stale: tuple[ListAge, ...]
    charts: DashboardCharts


def dashboard(
    engine: Engine,
    now: datetime,
    *,
    days: int = 14,
    max_age_days: int = 7,
    since: datetime | None = None,
) -> Dashboard:
    """The dashboard at ``now``: inputs and alerts of the last ``days`` days, the backlog,
    decisions (since ``since``, else all), and the lists' ages against ``max_age_days``."""
    daily = alerts_per_day(engine, now, days)
    _, start, end = day_window(now, days)
    inputs = tuple(inputs_received(engine, start, end))
    backlog = backlog_by_age(engine, now)
    reviewers = tuple(decisions_per_reviewer(engine, since))
    times = tuple(decision_times(engine, since))
    by_list = tuple(cleared_share_by_list(engine))
    by_rule = tuple(cleared_share_by_rule(engine))
    ages = tuple(list_freshness(engine, now))
    stale = tuple(older_than(ages, max_age_days))
    charts = DashboardCharts(
        daily_chart(daily),
        backlog_chart(backlog),
        reviewers_chart(reviewers),
        times_chart(times),
        cleared_chart("Cleared as false positives, per list", by_list),
        cleared_chart("Cleared as false positives, per rule", by_rule),
    )
    return Dashboard(
        now, inputs, daily, backlog, reviewers, times, by_list, by_rule, ages, stale, charts
    )


def daily_chart(daily: DailyAlerts) -> Chart:
    """Alerts per day, the lanes stacked."""
    days = [f"{day:%d %b}" for day in daily.days]
    series = [Series(s.lane, tuple(float(n) for n in s.counts)) for s in daily.lanes]
    return stacked_bar_chart(
        "Alerts per day",
        f"Alerts raised per lane on each of the last {len(days)} days (UTC), "
        "repeats of cleared alerts left out.",
        days,
        series,
    )


def backlog_chart(backlog: Backlog) -> Chart:
    """The alerts waiting for a person, by age."""
    return bar_chart(
        "Open alerts by age",
        f"{backlog.total} alerts waiting for a decision (open or pending), by time since "
        "they came in.",
        [Bar(b.label, b.count) for b in backlog.buckets],
    )


def reviewers_chart(reviewers: Sequence[ReviewerDecisions]) -> Chart:
    """Decisions per reviewer, first and second decisions together."""
    return horizontal_bar_chart(
        "Decisions per reviewer",
        "Decisions taken by each reviewer: clearing, confirming, escalating, and approving "
        "or rejecting another's proposal (four-eyes).",
        [Bar(r.reviewer, r.total) for r in reviewers],
    )


def times_chart(times: Sequence[DecisionTime]) -> Chart:
    """Median time to decision per lane, in hours."""
    return horizontal_bar_chart(
        "Median time to decision",
        "Hours from an alert's arrival to its final decision (median), per lane and over "
        "all lanes.",
        [Bar(t.lane, t.median / timedelta(hours=1)) for t in times],
        fmt=_hours,
    )


def cleared_chart(title: str, shares: Sequence[ClearedShare]) -> Chart:
    """The part of decided alerts cleared, per list or rule."""
    return horizontal_bar_chart(
        title,
        "Share of the decided alerts (cleared or confirmed) that were cleared as false positives.",
        [Bar(s.key or NO_RULE_ID, s.share) for s in shares],
        fmt=percent,
    )


def _hours(value: float) -> str:
    return f"{value:,.1f} h"
