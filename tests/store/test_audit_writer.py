"""Group commit: many entries in one transaction, the chain unbroken, nobody told an entry
is written before it has committed."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine

from watchkeeper.store.audit import entry, query, record
from watchkeeper.store.audit_chain import verify
from watchkeeper.store.audit_writer import AuditWriter


def test_entries_from_many_threads_chain_in_one_log(engine: Engine) -> None:
    writer = AuditWriter(engine, max_batch=16)

    def read(n: int) -> None:
        writer.write(entry("anna", "read.entity", "entity", f"e{n}", {"n": n}, "10.0.0.1"))

    def decide(n: int) -> None:  # an action writing its own entry in its own transaction
        with engine.begin() as conn:
            record(conn, "ben", "decide", "alert", str(n))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: decide(n) if n % 10 == 0 else read(n), range(200)))
    writer.stop()
    entries = query(engine, limit=1000)
    assert sorted(e.target_id or "" for e in entries if e.action == "read.entity") == sorted(
        f"e{n}" for n in range(200) if n % 10
    )
    assert len([e for e in entries if e.action == "decide"]) == 20
    report = verify(engine)
    assert report.broken is None and report.entries == 200


def test_stop_writes_what_is_queued(engine: Engine) -> None:
    writer = AuditWriter(engine, linger=1.0)  # the batch would stay open long
    futures = [writer.submit(entry("anna", "search", "dataset", "un")) for _ in range(5)]
    writer.stop()
    assert all(f.done() and f.exception() is None for f in futures)
    assert len(query(engine)) == 5


def test_a_failed_commit_reaches_every_request_of_its_batch(engine: Engine) -> None:
    writer = AuditWriter(engine, max_batch=2, linger=60.0)  # the batch closes on its size
    bad = writer.submit(entry("anna", "match", "dataset", "un", {"x": object()}))  # not JSON
    good = writer.submit(entry("anna", "match", "dataset", "un"))
    assert isinstance(bad.exception(), TypeError) and isinstance(good.exception(), TypeError)
    assert query(engine) == []  # neither was written: the batch is one transaction
    after = [writer.submit(entry("anna", "match", "dataset", "un")) for _ in range(2)]
    assert [f.result() for f in after] == [None, None]  # the writer carries on
    writer.stop()
    assert [e.action for e in query(engine)] == ["match", "match"]
    assert verify(engine).broken is None


def test_a_writer_stopped_starts_again_on_the_next_entry(engine: Engine) -> None:
    writer = AuditWriter(engine)
    writer.write(entry("anna", "search", "dataset", "un"))
    writer.stop()
    writer.write(entry("anna", "search", "dataset", "un"))
    writer.stop()
    assert len(query(engine)) == 2


@pytest.mark.parametrize("size", [1, 3])
def test_batches_of_any_size_keep_the_chain(engine: Engine, size: int) -> None:
    writer = AuditWriter(engine, max_batch=size)
    futures = [writer.submit(entry("anna", "search", "dataset", str(n))) for n in range(10)]
    for future in futures:
        future.result()
    writer.stop()
    assert verify(engine).entries == 10 and verify(engine).broken is None


def test_requests_on_an_event_loop_wait_for_their_commit(engine: Engine) -> None:
    writer = AuditWriter(engine, max_batch=8)

    async def requests() -> None:
        reads = [entry("anna", "match", "dataset", str(n)) for n in range(20)]
        await asyncio.gather(*(writer.durable(e) for e in reads))
        assert len(query(engine, limit=100)) == 20  # all committed once answered

    asyncio.run(requests())
    writer.stop()
    assert verify(engine).entries == 20 and verify(engine).broken is None


def test_a_failed_commit_reaches_the_requests_on_an_event_loop(engine: Engine) -> None:
    writer = AuditWriter(engine, max_batch=2, linger=60.0)

    async def requests() -> list[BaseException | None]:
        bad = entry("anna", "match", "dataset", "un", {"x": object()})  # not JSON
        found = await asyncio.gather(
            writer.durable(bad),
            writer.durable(entry("anna", "match", "dataset", "un")),
            return_exceptions=True,
        )
        return [f if isinstance(f, BaseException) else None for f in found]

    assert [type(f) for f in asyncio.run(requests())] == [TypeError, TypeError]
    writer.stop()
    assert query(engine) == []


def test_a_request_that_went_away_does_not_stop_the_others(engine: Engine) -> None:
    writer = AuditWriter(engine, linger=0.2)

    async def requests() -> None:
        gone = asyncio.ensure_future(writer.durable(entry("anna", "match", "dataset", "gone")))
        stays = asyncio.ensure_future(writer.durable(entry("anna", "match", "dataset", "stays")))
        await asyncio.sleep(0)
        gone.cancel()
        await stays

    asyncio.run(requests())
    writer.stop()
    assert sorted(e.target_id or "" for e in query(engine)) == ["gone", "stays"]
