"""The audit writers of one SQLite store take turns through a file lock, not SQLite's wait.

SQLite keeps no queue for its write lock: a connection that finds it taken sleeps 1, 2, 5,
10, 15, 20, 25 ms and so on between tries, whoever else comes and goes meanwhile. With
``serve --workers 2`` each worker's audit writer commits every few milliseconds, so each
often found the other's lock taken and slept 10 to 25 ms at a time while its requests
waited for their records (a p99 of half a second at 32 connections). An exclusive ``flock``
on a file beside the database queues them in the kernel instead: the next writer wakes the
moment the lock is let go, and then finds SQLite's lock free. PostgreSQL queues its advisory
lock itself, and an in-memory store has one process, so both go straight on.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from sqlalchemy import Engine

from watchkeeper.store.engine import beside

try:
    import fcntl
except ImportError:  # Windows: SQLite's own waiting only
    fcntl = None  # type: ignore[assignment]


class Turns:
    """The turns of one process's audit writer at a store."""

    def __init__(self, engine: Engine) -> None:
        self.path = beside(engine, "-audit.lock") if fcntl else None
        self._file: IO[bytes] | None = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this writer's turn; it lasts until the block ends."""
        if self.path is None:
            yield
            return
        if self._file is None:
            self._file = self.path.open("ab")
        fcntl.flock(self._file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._file, fcntl.LOCK_UN)

    def close(self) -> None:
        """Let the file go (a later turn opens it again)."""
        if self._file is not None:
            self._file.close()
            self._file = None
