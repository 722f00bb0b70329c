"""Review fixtures: lists with a few entities written directly, alerts on them, and users.

The workflow runs on SQLite and, when ``WATCHKEEPER_TEST_PG_URL`` is set, on PostgreSQL (the
store's ``engine`` fixture)."""

from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from tests.store import conftest as store_conftest
from watchkeeper.matching.subject import Subject
from watchkeeper.store.alerts import Inserted, NewAlert, insert_alerts
from watchkeeper.store.schema import alerts, entities, list_versions, lists

engine = store_conftest.engine  # the two-backend store fixture
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TRAVELLER = Subject("Person", ("YASER KHALAF NAZZAL ALRAWI",), birth_dates=("1977-01-01",))


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
    subject: Subject = TRAVELLER,
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
