"""Tokens checked from memory, and forgotten the moment a credential changes anywhere.

Checking a token against the store (a join of tokens and users) was an eighth of a request's
cost. A worker keeps what each token opened (``auth.Grant``), under the
``auth.CREDENTIALS_VERSION`` it read first; every request makes sure that version has not
moved (a token revoked, a user disabled or given another role, by any process), and when it
has, drops everything it kept. A revocation therefore refuses the very next request in every
worker. Expiry is checked against the clock on every use; tokens that open nothing are not
kept, so a new token works at once and a wrong one costs a store read.

On a SQLite store every change grows a file beside it once committed
(``auth.credentials_signal``): a request looks at the file's size and reads the version only
when it changed, or when the version was last read ``RECHECK`` seconds ago (so that a change
whose signal was lost, its process killed between commit and signal, still takes effect).
Reading the version on every request cost a twentieth of a match request: the read
transaction, and the pages the audit writers' commits had made stale. Elsewhere the version
is read on every request, on a database connection the cache keeps, through the driver:
through SQLAlchemy's pool and result objects the read cost ten times as much as the query.
"""

import hashlib
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from watchkeeper.auth import CREDENTIALS_VERSION, Actor, Grant, credentials_signal, grant, touch

MAX_TOKENS = 10_000  # kept grants; past it the cache starts again (tokens are few)
RECHECK = 1.0  # seconds after which the version is read whatever the signal says
_Mark = tuple[int, int, int]  # the signal file's inode, size and modification time


class TokenCache:
    """The grants of one worker's recently used tokens, by the SHA-256 of their secret."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.clock = clock
        self._query = str(CREDENTIALS_VERSION.compile(dialect=engine.dialect))
        self._conn: Any = None  # the pool's DBAPI connection, kept for the version read
        self._version = -1
        self._signal = credentials_signal(engine)
        if self._signal is not None:
            self._signal.touch()
        self._mark: _Mark | None = None  # the signal when the version was last read
        self._read_at = 0.0  # the clock then
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()  # the connection, the version, its mark, the grants

    def actor(self, secret: str) -> Actor | None:
        """Whom ``secret`` stands for now; None when it opens nothing."""
        now = datetime.now(UTC)
        key = hashlib.sha256(secret.encode("utf-8")).hexdigest()
        with self._lock:
            version = self._current_version()  # before any grant is read: see the module doc
            if version > self._version:
                self._grants, self._version = {}, version
            found = self._grants.get(key) if version == self._version else None
        if found is None:
            found = grant(self.engine, secret, now)
            if found is None:
                return None
        elif not found.usable(now):
            return None
        found = touch(self.engine, found, now)
        with self._lock:
            if self._version == version:
                if len(self._grants) >= MAX_TOKENS:
                    self._grants.clear()
                self._grants[key] = found
        return found.actor

    def close(self) -> None:
        """Give the connection back to the pool."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _current_version(self) -> int:
        """The credentials' version now: the one last read while the signal says it has not
        moved since, else read again. The signal is looked at before the read, so a change
        that commits meanwhile leaves a mark that differs from the one kept."""
        mark = self._look() if self._signal is not None else None
        now = self.clock()
        if mark is not None and mark == self._mark and now - self._read_at < RECHECK:
            return self._version
        version = self._read_version()
        self._mark, self._read_at = mark, now
        return version

    def _look(self) -> _Mark | None:
        assert self._signal is not None
        try:
            found = os.stat(self._signal)
        except OSError:  # removed: the version is read every time until it is back
            return None
        return found.st_ino, found.st_size, found.st_mtime_ns

    def _read_version(self) -> int:
        if self._conn is None:
            self._conn = self.engine.raw_connection()
        try:
            cursor = self._conn.cursor()
            cursor.execute(self._query)
            newest = cursor.fetchone()[0]
            cursor.close()
            self._conn.rollback()  # PostgreSQL: not left idle in a transaction
        except Exception:  # a broken connection is dropped; the next request opens another
            self._conn.invalidate()
            self._conn = None
            raise
        return int(newest or 0)
