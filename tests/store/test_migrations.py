"""Migrations: every revision replayed gives the schema of ``schema.metadata``, the fast path
for empty stores gives the same, and a store made before migrations is adopted, not broken."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from tests.conftest import pg_database
from watchkeeper.errors import ConfigError
from watchkeeper.settings import Settings
from watchkeeper.store import open_engine
from watchkeeper.store.audit import record
from watchkeeper.store.audit_chain import verify
from watchkeeper.store.migrations import HEAD, config, current_revision, scripts
from watchkeeper.store.schema import (
    alert_events,
    alerts,
    image_banks,
    lists,
    metadata,
    share_collections,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def blank(request: pytest.FixtureRequest, settings: Settings) -> Iterator[str]:
    """The URL of an empty database on each backend, before ``open_engine`` touches it."""
    if request.param == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        yield settings.db_url
        return
    with pg_database() as url:
        yield url


def differences(engine: Engine) -> list[object]:
    """What autogenerate would change to make the database match ``schema.metadata``."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def triggers(engine: Engine) -> set[str]:
    """The names of the triggers on ``audit_log``."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            found = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        return set(conn.execute(text(found)).scalars())


def upgrade(engine: Engine, revision: str) -> None:
    """Replay the revisions up to ``revision``, as ``migrate`` does for an old store."""
    with engine.begin() as conn:
        command.upgrade(config(conn), revision)


def test_head_names_the_newest_revision() -> None:
    assert scripts().get_current_head() == HEAD


def raw_engine(url: str) -> Engine:
    """An engine on ``url`` that, unlike ``open_engine``, migrates nothing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed)


EXPECTED_TRIGGERS = {
    "sqlite": {"audit_log_no_update", "audit_log_no_delete"},
    "postgresql": {"audit_log_no_change", "audit_log_no_truncate"},
}


def test_every_revision_replayed_gives_the_schema(blank: str) -> None:
    engine = raw_engine(blank)
    upgrade(engine, "head")
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD
    assert differences(engine) == []
    assert triggers(engine) == EXPECTED_TRIGGERS[engine.dialect.name]
    engine.dispose()


def test_a_fresh_store_is_built_at_once_to_the_same_schema(blank: str) -> None:
    engine = open_engine(blank)
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD
    assert differences(engine) == []
    assert triggers(engine) == EXPECTED_TRIGGERS[engine.dialect.name]
    open_engine(blank).dispose()  # at HEAD already: nothing to do
    engine.dispose()


def test_a_store_made_before_migrations_is_stamped_and_upgraded(blank: str) -> None:
    old = raw_engine(blank)
    upgrade(old, "0001")  # the tables create_all made before migrations existed
    with old.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(lists.insert().values(name="un", format="un-xml", created_at=NOW))
        conn.execute(
            text(
                "INSERT INTO alerts (lane, kind, state, created_at, subject, subject_key, reason)"
                " VALUES ('travel', 'rule', 'new', :now, '{}', 'k', 'r')"
            ),
            {"now": NOW},
        )
    assert not inspect(old).has_table("alembic_version")
    old.dispose()
    engine = open_engine(blank)
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD
        assert conn.execute(select(lists.c.name)).scalars().all() == ["un"]
        alert = conn.execute(select(alerts)).one()
    assert (alert.state, alert.assignee, alert.suppressed_by) == ("new", None, None)
    assert differences(engine) == []
    assert triggers(engine) == EXPECTED_TRIGGERS[engine.dialect.name]
    engine.dispose()


def test_downgrade_to_nothing_and_back(blank: str) -> None:
    engine = open_engine(blank)
    with engine.begin() as conn:
        command.downgrade(config(conn), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine, "head")
    assert differences(engine) == []
    engine.dispose()


def test_a_store_from_a_newer_watchkeeper_is_refused(blank: str) -> None:
    engine = open_engine(blank)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(ConfigError, match="9999"):
        open_engine(blank)


def test_0007_keeps_banks_and_collections_made_before_it(blank: str) -> None:
    old = raw_engine(blank)
    upgrade(old, "0006")
    with old.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO image_banks (name, negative, max_distance, created_at)"
                " VALUES ('tv', false, 31, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO share_collections (id, title, list_name, tlp, partners, writers,"
                " created_at) VALUES ('c1', 'watchlist un', 'un', 'GREEN', '[]', '[]', :now)"
            ),
            {"now": NOW},
        )
    old.dispose()
    engine = open_engine(blank)
    with engine.connect() as conn:
        bank = conn.execute(select(image_banks)).one()
        collection = conn.execute(select(share_collections)).one()
    assert (bank.name, bank.revision, bank.partner) == ("tv", 0, None)
    assert (collection.list_name, collection.bank_name) == ("un", None)
    assert differences(engine) == []
    engine.dispose()


def test_0009_chains_the_audit_entries_and_versions_the_alerts_made_before_it(
    blank: str,
) -> None:
    old = raw_engine(blank)
    upgrade(old, "0008")
    with old.begin() as conn:
        for n, action in enumerate(("read.alert", "decide", "read.entity")):
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, target_type, target_id, detail)"
                    " VALUES (:at, 'anna', :action, 'alert', '7', :detail)"
                ),
                {"at": NOW + timedelta(minutes=n), "action": action, "detail": '{"n": 1}'},
            )
        conn.execute(
            text(
                "INSERT INTO alerts (lane, kind, state, created_at, subject, subject_key, reason)"
                " VALUES ('travel', 'rule', 'new', :now, '{}', 'k', 'r')"
            ),
            {"now": NOW},
        )
    old.dispose()
    engine = open_engine(blank)
    report = verify(engine)
    assert (report.entries, report.broken) == (3, None)
    with engine.connect() as conn:
        assert conn.execute(select(alerts.c.version)).scalar_one() == 1
    with engine.begin() as conn:  # the triggers are back, and new entries join the chain
        record(conn, "ben", "read.alert", "alert", "7")
    assert verify(engine).entries == 4
    assert triggers(engine) == EXPECTED_TRIGGERS[engine.dialect.name]
    assert differences(engine) == []
    engine.dispose()


def test_0013_adds_reason_codes_to_the_events_made_before_it(blank: str) -> None:
    old = raw_engine(blank)
    upgrade(old, "0012")
    with old.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO alerts (lane, kind, state, created_at, subject, subject_key, reason)"
                " VALUES ('travel', 'rule', 'cleared', :now, '{}', 'k', 'r')"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO alert_events (alert_id, at, actor, action, to_state, comment)"
                " VALUES (1, :now, 'anna', 'state', 'cleared', 'namesake')"
            ),
            {"now": NOW},
        )
    old.dispose()
    engine = open_engine(blank)
    with engine.connect() as conn:
        event = conn.execute(select(alert_events)).one()
    assert (event.comment, event.reason_code) == ("namesake", None)
    assert differences(engine) == []
    with engine.begin() as conn:
        command.downgrade(config(conn), "0012")
    assert "reason_code" not in {c["name"] for c in inspect(engine).get_columns("alert_events")}
    engine.dispose()
