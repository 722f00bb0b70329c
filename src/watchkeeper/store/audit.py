"""The append-only audit log: who saw and decided what, when, and from where.

``record`` writes inside the caller's transaction, so an action and its audit row commit or
fail together. There is no update or delete here, and the database refuses both (triggers
of migration 0002). ``action`` is a free string; the service and the CLI use:

- ``read.entity``, ``read.alert``: a person saw personal data;
- ``match``, ``search``: a screening or search request;
- ``decide``, ``assign``, ``comment``: review of an alert;
- ``ingest``: input screened and stored by the service;
- ``user.create``, ``user.role``, ``user.disable``, ``token.create``, ``token.revoke``;
- ``retention``: a retention run.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from watchkeeper.store.schema import audit_log


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
    """Append one entry in the caller's transaction."""
    conn.execute(
        audit_log.insert().values(
            at=at or datetime.now(UTC),
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail,
            remote=remote,
        )
    )


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


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, a naive one taken as UTC: the store keeps every time in UTC, and
    SQLite drops the zone (it returns naive datetimes and compares them as text)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
