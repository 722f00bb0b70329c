"""Overview fixtures: a store with the bundled UN list, alerts raised by the real lanes from
the fixtures' inputs, and decisions taken through the review workflow, at fixed moments.

The scenario (times UTC; ``NOW`` is 2026-03-10 12:00):

- 03-01 12:00 travel, ``synthetic_paxlst_listed.edi``: 1 watchlist alert (un-QDi.325);
- 03-05 12:00 travel, ``synthetic_pnr_oneway_cash.edi``: 2 rule alerts (late-one-way-cash);
- 03-08 12:00 finance, ``transactions_sample.csv``: 3 watchlist alerts on the UN list and 8
  rule alerts (cash-not-traceable 6, monthly-cash-threshold 1, fatf-increased-monitoring 1);
- 03-10 09:00 documents, ``news_listed.txt``: 2 watchlist alerts;
- 03-09 06:00 and 07:00, ``UNREADABLE``: a travel message cut short and a customer file given
  to the finance lane as payments, both kept as failed inputs (no alert).

``DECISIONS`` are then taken in order; the last leaves a documents alert pending (four-eyes).
The workflow stamps its events with the wall clock; each event is moved to the moment the
scenario gives it, so that no figure depends on when the tests run. The store is built once
a session per backend (SQLite, and PostgreSQL when ``WATCHKEEPER_TEST_PG_URL`` is set) and
only read by the tests that use it.
"""

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from tests.conftest import FIXTURES, store_copy
from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Screening, Submitter
from watchkeeper.lanes.ingest import ingest
from watchkeeper.lanes.registry import get_lane
from watchkeeper.matching.screener import Screener
from watchkeeper.review.workflow import decide
from watchkeeper.store import open_engine
from watchkeeper.store.schema import alert_events, alerts

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ANNA = Actor("anna", "analyst")
BEN = Actor("ben", "analyst")
SUE = Actor("sue", "supervisor")
SAM = Actor("sam", "supervisor")

INPUTS = (
    ("travel", FIXTURES / "travel" / "synthetic_paxlst_listed.edi", datetime(2026, 3, 1, 12)),
    ("travel", FIXTURES / "travel" / "synthetic_pnr_oneway_cash.edi", datetime(2026, 3, 5, 12)),
    ("finance", FIXTURES / "payments" / "transactions_sample.csv", datetime(2026, 3, 8, 12)),
    ("documents", FIXTURES / "documents" / "news_listed.txt", datetime(2026, 3, 10, 9)),
)

UNREADABLE = (
    ("travel", FIXTURES / "travel" / "pnrBadFormat.txt", datetime(2026, 3, 9, 6)),
    ("finance", FIXTURES / "payments" / "customers_sample.csv", datetime(2026, 3, 9, 7)),
)

# (which alert, who, what, when): alerts are named by lane, kind and list or rule, and the
# how-manieth of those (0-based, in the order stored).
Which = tuple[str, str, str, int]
DECISIONS: tuple[tuple[Which, Actor, str, datetime], ...] = (
    (("travel", "watchlist", "un", 0), ANNA, "cleared", datetime(2026, 3, 1, 18)),
    (("travel", "watchlist", "un", 0), SUE, "cleared", datetime(2026, 3, 2, 12)),
    (("travel", "rule", "late-one-way-cash", 0), BEN, "cleared", datetime(2026, 3, 5, 18)),
    (("travel", "rule", "late-one-way-cash", 1), BEN, "confirmed", datetime(2026, 3, 6, 12)),
    (("finance", "watchlist", "un", 0), ANNA, "confirmed", datetime(2026, 3, 9, 12)),
    (("finance", "watchlist", "un", 0), SAM, "confirmed", datetime(2026, 3, 10, 12)),
    (("finance", "rule", "cash-not-traceable", 0), ANNA, "cleared", datetime(2026, 3, 8, 13)),
    (("finance", "rule", "cash-not-traceable", 1), ANNA, "cleared", datetime(2026, 3, 8, 14)),
    (("finance", "rule", "cash-not-traceable", 2), ANNA, "cleared", datetime(2026, 3, 9, 12)),
    (("finance", "rule", "cash-not-traceable", 3), BEN, "confirmed", datetime(2026, 3, 8, 18)),
    (("finance", "rule", "monthly-cash-threshold", 0), ANNA, "escalated", datetime(2026, 3, 9)),
    (("documents", "watchlist", "un", 0), ANNA, "cleared", datetime(2026, 3, 10, 10)),
)


def alert_id(engine: Engine, which: Which) -> int:
    """The id of the alert ``which`` names."""
    lane, kind, key, nth = which
    column = alerts.c.list_name if kind != "rule" else alerts.c.explanation["rule"].as_string()
    query = (
        select(alerts.c.id)
        .where(alerts.c.lane == lane, alerts.c.kind == kind, column == key)
        .order_by(alerts.c.id)
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalars().all()[nth])


def build_scenario(engine: Engine) -> None:
    """Raise the scenario's alerts and take its decisions (the store holds the UN list)."""
    matcher = Screener.from_store(engine, ["un"])
    screening = Screening(engine, matcher, ["un"], lambda: matcher, {})
    by = Submitter("scenario", None)
    for lane, path, at in INPUTS:
        ingest(engine, get_lane(lane), path.read_bytes(), path.name, screening, by, _utc(at))
    for lane, path, at in UNREADABLE:
        with pytest.raises(SourceError):
            ingest(engine, get_lane(lane), path.read_bytes(), path.name, screening, by, _utc(at))
    for which, actor, state, at in DECISIONS:
        found = alert_id(engine, which)
        decide(engine, actor, found, state, f"scenario: {state}")
        with engine.begin() as conn:
            newest = select(alert_events.c.id).where(alert_events.c.alert_id == found)
            newest = newest.order_by(alert_events.c.id.desc()).limit(1)
            event = conn.execute(newest).scalar_one()
            conn.execute(update(alert_events).where(alert_events.c.id == event).values(at=_utc(at)))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


@pytest.fixture(scope="session")
def scenario_sqlite(tmp_path_factory: pytest.TempPathFactory, un_sqlite: Path) -> Path:
    """The scenario on SQLite, built once a session."""
    path = tmp_path_factory.mktemp("overview") / "watchkeeper.db"
    shutil.copyfile(un_sqlite, path)
    engine = open_engine(f"sqlite:///{path}")
    build_scenario(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def scenario(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The scenario's store on each backend, shared by the tests that only read it."""
    if request.param == "sqlite":
        engine = open_engine(f"sqlite:///{request.getfixturevalue('scenario_sqlite')}")
        yield engine
        engine.dispose()
        return
    with store_copy(request, request.getfixturevalue("tmp_path_factory").mktemp("pg")) as engine:
        build_scenario(engine)
        yield engine
