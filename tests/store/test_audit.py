"""The audit log: written in the caller's transaction, queried by filters, append-only, and
hash-chained so that an entry changed behind the store's back is found."""

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.exc import DBAPIError

from watchkeeper.store.audit import query, record
from watchkeeper.store.audit_chain import GENESIS, entry_hash, verify
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


def tamper(engine: Engine, statement: str) -> None:
    """Run ``statement`` on the log as someone who can write the database would: the
    append-only triggers dropped first, with the backend's own client on SQLite."""
    if engine.dialect.name == "sqlite":
        raw = sqlite3.connect(str(engine.url.database))
        raw.executescript(
            f"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;{statement};"
        )
        raw.close()
        return
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        conn.execute(text(statement))


def ids(engine: Engine) -> list[int]:
    return sorted(e.id for e in query(engine))


def test_each_entry_is_chained_to_the_one_before(engine: Engine) -> None:
    fill(engine)
    report = verify(engine)
    assert (report.entries, report.broken) == (3, None)
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.id)).all()
    assert [r.prev_hash for r in rows] == [GENESIS, rows[0].hash, rows[1].hash]
    assert report.head == rows[2].hash == entry_hash(rows[1].hash, rows[2]._mapping)
    assert verify(engine, anchor=rows[1].hash).broken is None


def test_an_entry_changed_behind_the_stores_back_is_found(engine: Engine) -> None:
    fill(engine)
    _, second, _ = ids(engine)
    tamper(engine, f"UPDATE audit_log SET actor = 'someone else' WHERE id = {second}")
    report = verify(engine)
    assert report.entries == 1 and report.broken is not None
    assert (report.broken.id, report.broken.at) == (second, T0 + timedelta(1))
    assert "content does not match its hash" in report.broken.problem
    assert verify(engine, anchor=report.head).broken == report.broken  # stops at the break


def test_an_entry_removed_or_rehashed_breaks_the_next_link(engine: Engine) -> None:
    fill(engine)
    first, second, third = ids(engine)
    tamper(engine, f"DELETE FROM audit_log WHERE id = {second}")
    report = verify(engine)
    assert report.broken is not None and report.broken.id == third
    assert f"not the hash of the entry before it (entry {first}" in report.broken.problem


def test_a_removed_tail_is_found_by_the_anchor(engine: Engine) -> None:
    fill(engine)
    head = verify(engine).head
    *_, last = ids(engine)
    tamper(engine, f"DELETE FROM audit_log WHERE id = {last}")
    assert verify(engine).broken is None  # a shorter chain holds by itself
    missing = verify(engine, anchor=head).broken
    assert missing is not None and missing.id is None and head in missing.problem


def test_writers_at_once_never_fork_the_chain(engine: Engine) -> None:
    def write(n: int) -> None:
        for i in range(25):
            with engine.begin() as conn:
                record(conn, f"writer{n}", "read.alert", "alert", str(i))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    report = verify(engine)
    assert (report.entries, report.broken) == (100, None)
