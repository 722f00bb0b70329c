"""The audit log: written in the caller's transaction, queried by filters, append-only."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import DBAPIError

from watchkeeper.store.audit import query, record
from watchkeeper.store.schema import audit_log

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def fill(engine: Engine) -> None:
    with engine.begin() as conn:
        record(conn, "anna", "read.alert", "alert", "1", remote="10.0.0.1", at=T0)
        record(conn, "anna", "decide", "alert", "1", {"to": "cleared"}, at=T0 + timedelta(1))
        record(conn, "ben", "read.entity", "entity", "un-QDi.325", at=T0 + timedelta(2))


def test_query_filters_newest_first(engine: Engine) -> None:
    fill(engine)
    assert [e.action for e in query(engine)] == ["read.entity", "decide", "read.alert"]
    assert [e.action for e in query(engine, actor="anna")] == ["decide", "read.alert"]
    assert [e.actor for e in query(engine, target_type="entity")] == ["ben"]
    assert [e.action for e in query(engine, target_id="1", action="decide")] == ["decide"]
    window = query(engine, since=T0 + timedelta(hours=1), until=T0 + timedelta(2))
    assert [e.action for e in window] == ["decide"]
    assert len(query(engine, limit=1)) == 1
    first = query(engine, action="read.alert")[0]
    assert (first.at, first.remote, first.detail) == (T0, "10.0.0.1", None)
    assert query(engine, action="decide")[0].detail == {"to": "cleared"}
    # A time in another zone means the same moment; a naive one is UTC.
    paris = T0.astimezone(timezone(timedelta(hours=1)))
    assert [e.action for e in query(engine, until=paris + timedelta(hours=1))] == ["read.alert"]
    naive = T0.replace(tzinfo=None)
    assert [e.action for e in query(engine, until=naive + timedelta(hours=1))] == ["read.alert"]


def test_an_entry_rolls_back_with_its_transaction(engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as conn:
        record(conn, "anna", "decide", "alert", "1")
        raise RuntimeError("the decision failed")
    assert query(engine) == []


@pytest.mark.parametrize(
    "statement",
    [update(audit_log).values(actor="someone else"), delete(audit_log)],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_entries(engine: Engine, statement: object) -> None:
    fill(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(statement)  # type: ignore[call-overload]
    assert len(query(engine)) == 3


def test_postgresql_refuses_truncate(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    fill(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))
    assert len(query(engine)) == 3
