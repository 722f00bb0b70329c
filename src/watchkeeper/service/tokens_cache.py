"""Tokens checked from memory, and forgotten the moment a credential changes anywhere.

Checking a token against the store (a join of tokens and users) was an eighth of a request's
cost. A worker keeps what each token opened (``auth.Grant``), under the
``auth.CREDENTIALS_VERSION`` it read first; every request reads that version again (one
primary-key read) and, when it moved (a token revoked, a user disabled or given another role,
by any process), drops everything it kept. A revocation therefore refuses the very next
request in every worker. Expiry is checked against the clock on every use; tokens that open
nothing are not kept, so a new token works at once and a wrong one costs a store read.

The version is read on a database connection the cache keeps, through the driver: through
SQLAlchemy's pool and result objects the read cost ten times as much as the query.
"""

import hashlib
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from watchkeeper.auth import CREDENTIALS_VERSION, Actor, Grant, grant, touch

MAX_TOKENS = 10_000  # kept grants; past it the cache starts again (tokens are few)


class TokenCache:
    """The grants of one worker's recently used tokens, by the SHA-256 of their secret."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._query = str(CREDENTIALS_VERSION.compile(dialect=engine.dialect))
        self._conn: Any = None  # the pool's DBAPI connection, kept for the version read
        self._version = -1
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()  # the connection, the version and the grants

    def actor(self, secret: str) -> Actor | None:
        """Whom ``secret`` stands for now; None when it opens nothing."""
        now = datetime.now(UTC)
        key = hashlib.sha256(secret.encode("utf-8")).hexdigest()
        with self._lock:
            version = self._read_version()  # before any grant is read: see the module doc
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
