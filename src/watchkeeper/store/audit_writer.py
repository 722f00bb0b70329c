"""Group commit of the audit log: many requests' entries in one transaction.

A read of personal data may be answered only once its audit entry is durable, and one
transaction per request made the commit most of a request's cost. Here requests hand their
entries to one writer thread and wait on a future; the writer takes whatever is queued (up to
``max_batch``, and for at most ``linger`` seconds after the first), appends it to the chain in
one transaction (``audit.append``: hashes in order, under the chain's lock, for which the
writers of other processes wait their turn: ``audit_turns``) and resolves every future once
it has committed. If the transaction fails, every future of the batch gets the error: none
of those requests is answered as if its read were recorded.

Only entries that stand alone belong here: an action that writes its own data records its
entry in that transaction (``audit.record``), so that both commit or neither does.
"""

import asyncio
import threading
import time
from concurrent.futures import Future
from typing import Any

import structlog
from sqlalchemy import Connection, Engine

from watchkeeper.store.audit import append
from watchkeeper.store.audit_turns import Turns

MAX_BATCH = 256  # entries per transaction: enough for any burst of a few milliseconds
LINGER = 0.002  # seconds a batch stays open for more entries after its first
POLL = 0.05  # seconds the thread looks for entries on its own after its last batch
log = structlog.get_logger(__name__)

_Waiter = Future[None] | asyncio.Future[None]
_Item = tuple[dict[str, Any], _Waiter]


class AuditWriter:
    """One thread writing the queued entries of this process in groups."""

    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH, linger: float = LINGER) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.linger = linger
        self._pending: list[_Item] = []
        self._stopping = False
        self._idle = False  # the thread waits for an entry
        self._thread: threading.Thread | None = None
        self._ready = threading.Condition()  # guards the four above
        self._conn: Connection | None = None  # the thread's own
        self._turns = Turns(engine)  # with the other processes' writers

    def submit(self, entry: dict[str, Any]) -> "Future[None]":
        """Queue an entry (``audit.entry``); the future resolves once it has committed."""
        future: Future[None] = Future()
        self._put((entry, future))
        return future

    def write(self, entry: dict[str, Any]) -> None:
        """Queue an entry and wait until it has committed (raises what the commit raised)."""
        self.submit(entry).result()

    async def durable(self, entry: dict[str, Any]) -> None:
        """Queue an entry and wait on the event loop until it has committed (raises what the
        commit raised), so that the loop serves other requests meanwhile."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._put((entry, waiter))
        await waiter

    def stop(self) -> None:
        """Write what is queued, then end the thread; a later entry starts it again."""
        with self._ready:
            thread = self._thread
            if thread is None:
                return
            self._stopping = True
            self._ready.notify()
        thread.join()

    def _put(self, item: _Item) -> None:
        """Queue ``item``, waking the thread only when it is idle or a batch fills: a busy
        thread finds the entry on its own after its commit. Woken by every entry, it took
        the interpreter from the requests' thread once per request."""
        with self._ready:
            self._pending.append(item)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="watchkeeper-audit", daemon=True
                )
                self._thread.start()
            elif self._idle or len(self._pending) == self.max_batch:
                self._idle = False
                self._ready.notify()

    def _run(self) -> None:
        while True:
            if not self._poll():  # quiet: the connection goes back to the pool meanwhile
                self._release()
            with self._ready:
                while not self._pending and not self._stopping:
                    self._idle = True
                    self._ready.wait()
                self._idle = False
                if not self._pending:  # stopped, and everything written
                    self._thread, self._stopping = None, False
                    return
                deadline = time.monotonic() + self.linger
                while len(self._pending) < self.max_batch and not self._stopping:
                    left = deadline - time.monotonic()
                    if left <= 0 or not self._ready.wait(left):
                        break
                batch = self._pending[: self.max_batch]
                del self._pending[: self.max_batch]
            self._commit(batch)

    def _poll(self) -> bool:
        """Look for entries every ``linger`` for ``POLL`` seconds before waiting to be
        woken; whether one came. Under load the thread never waits, so requests never wake
        it (a wake cost a request as much as the rest of its audit)."""
        with self._ready:
            until = time.monotonic() + POLL
            while not self._pending and not self._stopping and time.monotonic() < until:
                self._ready.wait(self.linger)
            return bool(self._pending)

    def _commit(self, batch: list[_Item]) -> None:
        """One transaction on a connection kept while entries keep coming: taking one from
        the pool for every batch (and PostgreSQL's check that it is alive) cost more than
        appending the entries."""
        try:
            if self._conn is None:
                self._conn = self.engine.connect()
            with self._turns.turn(), self._conn.begin():
                append(self._conn, [entry for entry, _ in batch])
        except Exception as exc:  # every waiting request must hear of it, not hang
            log.exception("audit_write_failed", entries=len(batch))
            self._release()  # the next batch starts on a fresh connection
            _settle(batch, exc)
            return
        _settle(batch, None)

    def _release(self) -> None:
        self._turns.close()
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _settle(batch: list[_Item], error: Exception | None) -> None:
    """Tell the batch's waiters that their entries committed, or why not: futures at once,
    the waiters of each event loop in one call into that loop (a call for each of them woke
    the loop once per request)."""
    loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for _, waiter in batch:
        if isinstance(waiter, asyncio.Future):
            loops.setdefault(waiter.get_loop(), []).append(waiter)
        elif error is None:
            waiter.set_result(None)
        else:
            waiter.set_exception(error)
    for loop, waiters in loops.items():
        try:
            loop.call_soon_threadsafe(_resolve, waiters, error)
        except RuntimeError:  # the loop has closed: nobody waits on it any more
            continue


def _resolve(waiters: list[asyncio.Future[None]], error: Exception | None) -> None:
    """In the waiters' event loop: each one resolved, unless its request was cancelled."""
    for waiter in waiters:
        if waiter.done():
            continue
        if error is None:
            waiter.set_result(None)
        else:
            waiter.set_exception(error)
