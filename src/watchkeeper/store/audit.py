"""The append-only audit log: who saw and decided what, when, and from where.

``record`` writes inside the caller's transaction, so an action and its audit row commit or
fail together. There is no update or delete here, and the database refuses both (triggers
of migration 0002). Each entry is chained to the one before it by hash (``audit_chain``),
computed in the same transaction while writers take turns (``store.locks``): the chain never
forks, and ``audit_chain.verify`` finds an entry changed behind the store's back.
``action`` is a free string; the service and the CLI use:

- ``read.entity``, ``read.alert``, ``read.queue``, ``read.group``: a person saw personal data;
- ``match``, ``search``: a screening or search request;
- ``decide``, ``assign``, ``comment``: review of an alert;
- ``bulk.decide``, ``bulk.assign``: one request over many alerts (each alert's own
  ``decide`` or ``assign`` entry is written too);
- ``ingest``: input screened and stored by the service;
- ``user.create``, ``user.role``, ``user.disable``, ``token.create``, ``token.revoke``;
- ``retention``: a retention run.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from watchkeeper.store.audit_chain import entry_hash, head
from watchkeeper.store.locks import AUDIT_CHAIN, write_lock
from watchkeeper.store.schema import audit_log
from watchkeeper.store.times import utc as utc  # read from here by callers that predate times


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the audit log."""

    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str | None
    detail: dict[str, Any] | None
    remote: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "detail": self.detail,
            "remote": self.remote,
        }


def record(
    conn: Connection,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | None,
    detail: dict[str, Any] | None = None,
    remote: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one entry in the caller's transaction, chained to the newest one. The
    caller's transaction holds the chain's lock from here until it ends."""
    append(conn, [entry(actor, action, target_type, target_id, detail, remote, at)])


def entry(
    actor: str,
    action: str,
    target_type: str,
    target_id: str | None,
    detail: dict[str, Any] | None = None,
    remote: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """An entry as ``append`` takes it: stamped now unless ``at`` is given."""
    return {
        "at": utc(at or datetime.now(UTC)),
        "actor": actor,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "detail": detail,
        "remote": remote,
    }


def append(conn: Connection, entries: Sequence[dict[str, Any]]) -> None:
    """Append entries in this order in the caller's transaction, each chained to the one
    before; the transaction holds the chain's lock from here until it ends, so the head
    read here is still the head when it commits."""
    write_lock(conn, AUDIT_CHAIN)
    prev_hash = head(conn)
    rows = []
    for item in entries:
        digest = entry_hash(prev_hash, item)
        rows.append({**item, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    conn.execute(audit_log.insert(), rows)


def query(
    engine: Engine,
    *,
    actor: str | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """The newest entries first, filtered by every criterion given; ``until`` is exclusive."""
    statement = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    for column, value in (
        (audit_log.c.actor, actor),
        (audit_log.c.action, action),
        (audit_log.c.target_type, target_type),
        (audit_log.c.target_id, target_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if since is not None:
        statement = statement.where(audit_log.c.at >= utc(since))
    if until is not None:
        statement = statement.where(audit_log.c.at < utc(until))
    with engine.connect() as conn:
        rows = conn.execute(statement.limit(limit)).all()
    return [
        AuditEntry(
            row.id,
            utc(row.at),
            row.actor,
            row.action,
            row.target_type,
            row.target_id,
            row.detail,
            row.remote,
        )
        for row in rows
    ]
