"""Decisions per reviewer, time to decision and the part cleared, on the scenario (conftest)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from watchkeeper.overview.decisions import (
    ALL_LANES,
    ClearedShare,
    DecisionTime,
    ReviewerDecisions,
    cleared_share_by_list,
    cleared_share_by_rule,
    decision_times,
    decisions_per_reviewer,
)

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def test_decisions_per_reviewer(scenario: Engine) -> None:
    # anna: proposed clearing the travel UN alert and a documents one, proposed confirming
    # a finance UN alert, cleared 3 cash rule alerts, escalated 1; ben: cleared 1 and
    # confirmed 2 rule alerts; sue and sam each approved one proposal.
    assert decisions_per_reviewer(scenario) == [
        ReviewerDecisions("anna", cleared=5, confirmed=1, escalated=1, approved=0, rejected=0),
        ReviewerDecisions("ben", cleared=1, confirmed=2, escalated=0, approved=0, rejected=0),
        ReviewerDecisions("sam", cleared=0, confirmed=0, escalated=0, approved=1, rejected=0),
        ReviewerDecisions("sue", cleared=0, confirmed=0, escalated=0, approved=1, rejected=0),
    ]
    assert decisions_per_reviewer(scenario)[0].total == 7


def test_decisions_since(scenario: Engine) -> None:
    since = decisions_per_reviewer(scenario, since=datetime(2026, 3, 9, 12, tzinfo=UTC))
    # From 03-09 12:00: anna's third cash clearing and her finance UN proposal, sam's
    # approval, anna's documents proposal.
    assert [(r.reviewer, r.cleared, r.confirmed, r.approved) for r in since] == [
        ("anna", 2, 1, 0),
        ("sam", 0, 0, 1),
    ]


def test_time_to_decision_per_lane(scenario: Engine) -> None:
    # Travel: 1 d (four-eyes, approved the next day), 6 h, 1 d. Finance: 2 d (four-eyes),
    # 1 h, 2 h, 1 d, 6 h. Nearest rank: the median of 3 is the 2nd, of 5 the 3rd, of 8 the
    # 4th; the 90th percentile is the last of each.
    assert decision_times(scenario) == [
        DecisionTime(ALL_LANES, 8, median=6 * HOUR, p90=2 * DAY),
        DecisionTime("finance", 5, median=6 * HOUR, p90=2 * DAY),
        DecisionTime("travel", 3, median=DAY, p90=DAY),
    ]


def test_time_to_decision_since(scenario: Engine) -> None:
    since = decision_times(scenario, since=datetime(2026, 3, 9, 12, tzinfo=UTC))
    # Decided from 03-09 12:00: the third cash clearing (1 d) and the finance UN alert (2 d).
    assert since == [
        DecisionTime(ALL_LANES, 2, median=DAY, p90=2 * DAY),
        DecisionTime("finance", 2, median=DAY, p90=2 * DAY),
    ]


def test_no_decision_no_figure(un_store: Engine) -> None:
    assert decision_times(un_store) == []
    assert decisions_per_reviewer(un_store) == []
    assert cleared_share_by_list(un_store) == []


def test_cleared_share_per_list(scenario: Engine) -> None:
    # The UN list: the travel alert cleared, a finance alert confirmed; the documents alert
    # is pending, not decided.
    (un,) = cleared_share_by_list(scenario)
    assert un == ClearedShare("un", decided=2, cleared=1)
    assert un.share == 0.5


def test_cleared_share_per_rule(scenario: Engine) -> None:
    shares = cleared_share_by_rule(scenario)
    assert shares == [
        ClearedShare("cash-not-traceable", decided=4, cleared=3),
        ClearedShare("late-one-way-cash", decided=2, cleared=1),
    ]
    assert [s.share for s in shares] == [0.75, 0.5]
