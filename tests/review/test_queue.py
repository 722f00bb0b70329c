"""The triage queue on the real alerts of the GTAS samples and two synthetic flights: one
group per traveller, the watchlist hit first, rule hits rolled up to one risk per traveller,
groupings per input, flight and booking, filters, sorts and the audit of every read."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from tests.conftest import SHARED, requires_shared
from tests.review.conftest import (
    LISTED,
    NOW,
    screen_files,
    store_reports,
)
from watchkeeper.auth import Actor
from watchkeeper.errors import ForbiddenError, UsageError
from watchkeeper.lanes.travel.records import save_reports
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import FlightReport, TravelScreener
from watchkeeper.review.queue import SORTS, QueueGroup, group_alerts, queue_groups
from watchkeeper.review.risk import RiskPolicy, lanes_policy, risk_policy
from watchkeeper.settings import get_settings
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alerts

ANNA = Actor("anna", "analyst")
POLICY = RiskPolicy(50.0)
GTAS = SHARED / "travel" / "gtas"


def everything(engine: Engine, policy: RiskPolicy = POLICY, **filters: Any) -> list[QueueGroup]:
    page = queue_groups(engine, ANNA, policy, limit=1000, **filters)
    assert not page.more
    return page.groups


def named(groups: list[QueueGroup], subject: str) -> QueueGroup:
    (group,) = [g for g in groups if g.subject == subject]
    return group


def test_each_traveller_is_one_group(screened: Engine) -> None:
    groups = everything(screened)
    with screened.connect() as conn:
        travellers = conn.execute(
            select(func.count()).select_from(
                select(alerts.c.source_id, alerts.c.subject_key).distinct().subquery()
            )
        ).scalar_one()
        total = conn.execute(select(func.count()).select_from(alerts)).scalar_one()
    assert (len(groups), sum(g.alerts for g in groups)) == (travellers, total) == (314, 314)
    for group in groups[:3] + groups[-3:]:
        members = group_alerts(screened, ANNA, group.key)
        assert len(members) == group.alerts
        assert len({(a.source_id, a.subject["names"][0]) for a in members}) == 1
        assert members[0].id == group.strongest.alert_id


def test_the_watchlist_hit_sorts_first_then_risk_then_context(screened: Engine) -> None:
    for sort in SORTS:
        groups = everything(screened, sort=sort)
        first = groups[0]
        assert first.subject == "YASER KHALAF NAZZAL ALRAWI", sort
        assert (first.strongest.kind, first.strongest.list_name) == ("watchlist", "un")
        assert first.counts == {"watchlist": 1, "document": 0, "rule": 0, "image": 0}
        bands = [g.context_only for g in groups[1:]]
        assert bands == sorted(bands), sort  # every group worth a look before the context
    groups = everything(screened)
    assert [g.risk for g in groups[1:]] == sorted((g.risk for g in groups[1:]), reverse=True)
    assert all(g.risk < 50 for g in groups if g.context_only)
    assert sum(g.context_only for g in groups) == 45  # 43 expired documents, 2 cash tickets


def test_rule_only_travellers_roll_up_to_one_risk(screened: Engine) -> None:
    groups = everything(screened)
    # Test1.txt: travellers sharing a document number with another name (weight 60).
    shared = named(groups, "Andrea Pat Steur")
    assert (shared.risk, shared.context_only, shared.counts["rule"]) == (60.0, False, 1)
    assert shared.label == "Andrea Pat Steur" and shared.lane == "travel"
    # The synthetic PNR: a late one-way ticket paid in cash (weight 30) is context alone.
    cash = named(groups, "MEHMET KARAMAN")
    assert (cash.risk, cash.threshold, cash.context_only) == (30.0, 50.0, True)
    assert cash.strongest.reason.startswith("one-way ticket")


@requires_shared
def test_distinct_rules_add_up_per_traveller(
    engine: Engine, travel_screener: TravelScreener
) -> None:
    """GTAS flight1 and pnr3 from the shared data: a traveller whose document expired and
    was issued by another country than their nationality scores 20 + 15; two expired
    documents of one traveller are one rule, 20."""
    paths = (
        GTAS / "gtas-job-scheduler-war" / "tamr-integration-data" / "flight1.txt",
        GTAS / "gtas-loader" / "pnr-messages" / "pnr3.txt",
    )
    store_reports(engine, screen_files(travel_screener, paths))
    groups = everything(engine)
    two = named(groups, "PETER DOOLIN")
    assert (two.risk, two.counts["rule"], two.context_only) == (35.0, 2, True)
    twice = named(groups, "EMMA MAISIE O GRADY")
    assert (twice.risk, twice.counts["rule"]) == (20.0, 2)
    assert everything(engine, RiskPolicy(50.0, {"travel": 35.0}))[0].subject in {
        "PETER DOOLIN",
        "ABBY FENWICK",
    }


def test_the_threshold_comes_from_the_rule_file_or_the_settings(screened: Engine) -> None:
    assert RuleSet.load().risk_threshold == 50.0
    assert lanes_policy(get_settings(risk_threshold=20.0)) == RiskPolicy(
        20.0, {"travel": 50.0, "finance": 50.0}
    )
    settings = get_settings(risk_threshold=25.0)
    by_file = risk_policy(settings, {"travel": RuleSet.load().risk_threshold})
    assert named(everything(screened, by_file), "MEHMET KARAMAN").context_only
    by_settings = risk_policy(settings, {"travel": None})
    cash = named(everything(screened, by_settings), "MEHMET KARAMAN")
    assert (cash.threshold, cash.context_only) == (25.0, False)


def test_filters(screened: Engine) -> None:
    assert [g.subject for g in everything(screened, kind="watchlist")] == [
        "YASER KHALAF NAZZAL ALRAWI"
    ]
    assert len(everything(screened, kind="rule")) == 313
    assert everything(screened, kind="image") == []
    assert everything(screened, lane="finance") == []
    assert {g.risk for g in everything(screened, min_risk=60)} == {60.0}
    assert everything(screened, state="cleared") == []
    assert len(everything(screened, state="new")) == 314


def test_groups_per_flight_booking_and_input(screened: Engine) -> None:
    flights = everything(screened, by="flight")
    assert [(g.label, g.alerts, g.counts["watchlist"]) for g in flights] == [
        ("XY123", 3, 1),  # the PAXLST with the listed passenger and the PNR of the cash ticket
        ("UA0989", 268, 0),
        ("UA988", 43, 0),
    ]
    assert flights[0].subject == "YASER KHALAF NAZZAL ALRAWI"
    assert flights[1].risk == 60.0  # the highest traveller's, not the flight's sum
    members = group_alerts(screened, ANNA, flights[0].key, by="flight")
    assert [a.kind for a in members] == ["watchlist", "rule", "rule"]
    bookings = {g.label: g for g in everything(screened, by="booking")}
    assert (bookings["Q7WK2M"].alerts, bookings["Q7WK2M"].risk) == (2, 30.0)
    assert bookings["SYN001"].subject == "YASER KHALAF NAZZAL ALRAWI"
    inputs = everything(screened, by="input")
    assert len(inputs) == 5 and sum(g.alerts for g in inputs) == 314


def test_sort_by_age_puts_the_oldest_first_within_a_band(
    screened: Engine, sample_reports: list[tuple[str, list[FlightReport]]]
) -> None:
    (cash,) = [found for name, found in sample_reports if name.startswith("synthetic_pnr")]
    save_reports(screened, "earlier.edi", cash, NOW - timedelta(days=3))
    groups = everything(screened, sort="age")
    context = [g for g in groups if g.context_only]
    assert [g.oldest for g in context[:2]] == [NOW - timedelta(days=3)] * 2
    assert context[0].newest == context[0].oldest


def test_reads_are_audited_and_bad_requests_refused(screened: Engine) -> None:
    page = queue_groups(screened, ANNA, POLICY, kind="watchlist", limit=5)
    (entry,) = query(screened, action="read.queue")
    assert entry.detail == {
        "filters": {"by": "subject", "sort": "score", "kind": "watchlist"},
        "alerts": [page.groups[0].strongest.alert_id],
    }
    group_alerts(screened, ANNA, page.groups[0].key)
    (read,) = query(screened, action="read.group")
    assert read.detail is not None and read.detail["alerts"] == [page.groups[0].strongest.alert_id]
    with pytest.raises(UsageError, match="unknown sort 'name': use one of score, risk"):
        queue_groups(screened, ANNA, POLICY, sort="name")
    with pytest.raises(UsageError, match="unknown kind 'hash'"):
        queue_groups(screened, ANNA, POLICY, kind="hash")
    with pytest.raises(UsageError, match="unknown grouping 'person'"):
        queue_groups(screened, ANNA, POLICY, by="person")
    with pytest.raises(ForbiddenError):
        queue_groups(screened, Actor("scan", "screener"), POLICY)


def test_thousands_of_alerts_in_a_constant_number_of_statements(
    screened: Engine, sample_reports: list[tuple[str, list[FlightReport]]]
) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(screened, "before_cursor_execute", count)
    first = queue_groups(screened, ANNA, POLICY, limit=50)
    once = len(statements)
    big = [found for name, found in sample_reports if name == "Test3.txt"]
    for copy in range(10):
        save_reports(screened, f"copy-{copy}.txt", big[0], NOW)
    statements.clear()
    page = queue_groups(screened, ANNA, POLICY, limit=50)
    event.remove(screened, "before_cursor_execute", count)
    assert len(statements) == once
    assert page.more and len(page.groups) == 50
    assert page.groups[0].key == first.groups[0].key
    with screened.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alerts)).scalar_one() == 2914
    assert LISTED in {a.entity_id for a in group_alerts(screened, ANNA, page.groups[0].key)}
