"""Group commit of the audit log: many requests' entries in one transaction.

A read of personal data may be answered only once its audit entry is durable, and one
transaction per request made the commit most of a request's cost. Here requests hand their
entries to one writer thread and wait on a future; the writer takes whatever is queued (up to
``max_batch``, and for at most ``linger`` seconds after the first), appends it to the chain in
one transaction (``audit.append``: hashes in order, under the chain's lock, so writers in
other processes take turns with it) and resolves every future once it has committed. If the
transaction fails, every future of the batch gets the error: none of those requests is
answered as if its read were recorded.

Only entries that stand alone belong here: an action that writes its own data records its
entry in that transaction (``audit.record``), so that both commit or neither does.
"""

import queue
import threading
import time
from concurrent.futures import Future
from typing import Any

import structlog
from sqlalchemy import Engine

from watchkeeper.store.audit import append

MAX_BATCH = 256  # entries per transaction: enough for any burst of a few milliseconds
LINGER = 0.002  # seconds a batch stays open for more entries after its first
log = structlog.get_logger(__name__)

_Item = tuple[dict[str, Any], "Future[None]"]


class AuditWriter:
    """One thread writing the queued entries of this process in groups."""

    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH, linger: float = LINGER) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.linger = linger
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # starts the thread once

    def submit(self, entry: dict[str, Any]) -> "Future[None]":
        """Queue an entry (``audit.entry``); the future resolves once it has committed."""
        future: Future[None] = Future()
        self._start()
        self._queue.put((entry, future))
        return future

    def write(self, entry: dict[str, Any]) -> None:
        """Queue an entry and wait until it has committed (raises what the commit raised)."""
        self.submit(entry).result()

    def stop(self) -> None:
        """Write what is queued, then end the thread; a later ``submit`` starts it again."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._queue.put(None)
                thread.join()

    def _start(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="watchkeeper-audit", daemon=True
                    )
                    self._thread.start()

    def _run(self) -> None:
        running = True
        while running:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            deadline = time.monotonic() + self.linger
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if item is None:  # stop: write this batch, then end
                    running = False
                    break
                batch.append(item)
            self._commit(batch)

    def _commit(self, batch: list[_Item]) -> None:
        try:
            with self.engine.begin() as conn:
                append(conn, [entry for entry, _ in batch])
        except Exception as exc:  # every waiting request must hear of it, not hang
            log.exception("audit_write_failed", entries=len(batch))
            for _, future in batch:
                future.set_exception(exc)
            return
        for _, future in batch:
            future.set_result(None)
