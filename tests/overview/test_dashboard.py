"""The dashboard page's data on the scenario (conftest): the figures at one moment, and
charts whose data tables say what the figures say."""

import xml.etree.ElementTree as ET
from datetime import timedelta

from sqlalchemy import Engine

from tests.overview.conftest import NOW
from watchkeeper.overview.dashboard import NO_RULE_ID, cleared_chart, dashboard
from watchkeeper.overview.decisions import ClearedShare, decision_times, decisions_per_reviewer
from watchkeeper.overview.freshness import older_than
from watchkeeper.overview.stats import alerts_per_day, backlog_by_age


def test_the_dashboard_gathers_the_figures(scenario: Engine) -> None:
    board = dashboard(scenario, NOW, days=10, max_age_days=7)
    assert board.daily == alerts_per_day(scenario, NOW, 10)
    # Inputs over the same ten days, 03-01 00:00 to 03-11 00:00.
    assert [(i.lane, i.screened, i.failed) for i in board.inputs] == [
        ("documents", 1, 0),
        ("finance", 1, 1),
        ("travel", 2, 1),
    ]
    assert board.backlog == backlog_by_age(scenario, NOW)
    assert list(board.reviewers) == decisions_per_reviewer(scenario)
    assert list(board.times) == decision_times(scenario)
    assert [s.key for s in board.cleared_by_list] == ["un"]
    assert [a.name for a in board.lists] == ["un"]
    assert list(board.stale) == older_than(board.lists, 7)


def test_the_dashboard_charts_and_their_tables(scenario: Engine) -> None:
    charts = dashboard(scenario, NOW, days=10).charts
    for chart in (
        charts.alerts_per_day,
        charts.backlog,
        charts.reviewers,
        charts.decision_times,
        charts.cleared_by_list,
        charts.cleared_by_rule,
    ):
        assert ET.fromstring(chart.svg).get("role") == "img"
    daily = charts.alerts_per_day.table
    assert daily.columns == ("", "documents", "finance", "travel", "Total")
    assert daily.rows[0] == ("01 Mar", "0", "0", "1", "1")
    assert daily.rows[7] == ("08 Mar", "0", "11", "0", "11")
    assert charts.backlog.table.rows == (
        ("< 1 d", "2"),
        ("1-3 d", "6"),
        ("3-7 d", "0"),
        ("7-30 d", "0"),
        ("> 30 d", "0"),
    )
    assert charts.reviewers.table.rows == (("anna", "7"), ("ben", "3"), ("sam", "1"), ("sue", "1"))
    assert charts.decision_times.table.rows == (
        ("all", "6.0 h"),
        ("finance", "6.0 h"),
        ("travel", "24.0 h"),
    )
    assert charts.cleared_by_list.table.rows == (("un", "50 %"),)
    assert charts.cleared_by_rule.table.rows == (
        ("cash-not-traceable", "75 %"),
        ("late-one-way-cash", "50 %"),
    )


def test_decision_times_since(scenario: Engine) -> None:
    board = dashboard(scenario, NOW, since=NOW - timedelta(hours=24))
    assert [(t.lane, t.decided) for t in board.times] == [("all", 2), ("finance", 2)]


def test_a_rule_without_its_id_is_named() -> None:
    chart = cleared_chart("t", [ClearedShare(None, 4, 1)])
    assert chart.table.rows == ((NO_RULE_ID, "25 %"),)
