"""Review fixtures: lists with a few entities written directly, alerts on them, and users;
and the real alerts of the GTAS sample messages screened by the travel lane.

The workflow runs on SQLite and, when ``WATCHKEEPER_TEST_PG_URL`` is set, on PostgreSQL (the
store's ``engine`` fixture)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from tests.conftest import FIXTURES
from tests.store import conftest as store_conftest
from watchkeeper.lanes.travel import parse_file
from watchkeeper.lanes.travel.records import save_reports
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import FlightReport, TravelScreener
from watchkeeper.matching.screener import Screener
from watchkeeper.store.alerts import Inserted, NewAlert, insert_alerts
from watchkeeper.store.schema import alerts, entities, list_versions, lists
from watchkeeper.store.screened import ScreenedSubject

engine = store_conftest.engine  # the two-backend store fixture
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TRAVELLER = ScreenedSubject("Person", ("YASER KHALAF NAZZAL ALRAWI",), birth_dates=("1977-01-01",))


def add_version(engine: Engine, name: str, fmt: str, checksums: dict[str, str]) -> None:
    """A new active version of list ``name`` holding entities with these checksums."""
    with engine.begin() as conn:
        list_id = conn.execute(select(lists.c.id).where(lists.c.name == name)).scalar()
        if list_id is None:
            made = lists.insert().values(name=name, format=fmt, created_at=NOW)
            list_id = conn.execute(made.returning(lists.c.id)).scalar_one()
        number = (
            conn.execute(select(list_versions.c.number).where(list_versions.c.list_id == list_id))
            .scalars()
            .all()
        )
        version_id = conn.execute(
            list_versions.insert()
            .returning(list_versions.c.id)
            .values(
                list_id=list_id,
                number=max(number, default=0) + 1,
                loaded_at=NOW,
                origin="test",
                sha256="0" * 64,
                record_count=len(checksums),
                entity_count=len(checksums),
                schema_counts={},
                skipped=[],
            )
        ).scalar_one()
        for entity_id, checksum in checksums.items():
            conn.execute(
                entities.insert().values(
                    version_id=version_id,
                    entity_id=entity_id,
                    record_id=entity_id,
                    schema="Person",
                    caption=entity_id,
                    checksum=checksum,
                    data="{}",
                )
            )
        conn.execute(
            update(lists).where(lists.c.id == list_id).values(active_version_id=version_id)
        )


def add_alert(
    engine: Engine,
    list_name: str | None,
    entity_id: str | None,
    subject: ScreenedSubject = TRAVELLER,
    score: float | None = 0.9,
) -> Inserted:
    """One watchlist alert (a rule alert without a list) on the traveller."""
    kind = "watchlist" if entity_id else "rule"
    alert = NewAlert("travel", kind, subject, "test", 3, list_name, entity_id, score)
    with engine.begin() as conn:
        return insert_alerts(conn, [alert], "travel_messages", 1, NOW)


def last_alert_id(engine: Engine) -> int:
    """The id of the newest alert."""
    with engine.connect() as conn:
        newest = select(alerts.c.id).order_by(alerts.c.id.desc()).limit(1)
        return int(conn.execute(newest).scalar_one())


TRAVEL = FIXTURES / "travel"
SAMPLES = (
    TRAVEL / "Test1.txt",  # GTAS PAXLST: eight passengers sharing document numbers
    TRAVEL / "Test3.txt",  # GTAS PAXLST, 47 KB
    TRAVEL / "pnrWithBags.txt",  # GTAS PNRGOV, 253 KB, expired documents
    TRAVEL / "3_pnrs.edi",  # GTAS PNRGOV, nothing to find
    TRAVEL / "synthetic_paxlst_listed.edi",  # one UN-listed passenger (QDi.325)
    TRAVEL / "synthetic_pnr_oneway_cash.edi",  # a late one-way ticket paid in cash
)
LISTED = "un-QDi.325"


@pytest.fixture(scope="session")
def travel_screener(un_screener: Screener) -> TravelScreener:
    """The travel lane's screener over the bundled UN list with the bundled rule file."""
    return TravelScreener(un_screener, ["un"], RuleSet.load())


def screen_files(
    screener: TravelScreener, paths: tuple[Path, ...]
) -> list[tuple[str, list[FlightReport]]]:
    """Each file read as the travel lane reads it and screened, file by file."""
    return [(path.name, screener.screen(parse_file(path, strict=False))) for path in paths]


@pytest.fixture(scope="session")
def sample_reports(travel_screener: TravelScreener) -> list[tuple[str, list[FlightReport]]]:
    """The samples screened once a run; each test stores them in its own store."""
    return screen_files(travel_screener, SAMPLES)


def store_reports(engine: Engine, reports: list[tuple[str, list[FlightReport]]]) -> None:
    """The reports' messages and alerts stored by the travel lane, the UN list registered
    (format ``un-xml``: its alerts need four eyes)."""
    add_version(engine, "un", "un-xml", {LISTED: "c" * 40})
    for name, found in reports:
        save_reports(engine, name, found, NOW)


@pytest.fixture
def screened(engine: Engine, sample_reports: list[tuple[str, list[FlightReport]]]) -> Engine:
    """A store holding the real alerts of the samples."""
    store_reports(engine, sample_reports)
    return engine
