"""Audit records of what callers read and decide, written through the service's batching
writer (``store.audit_writer``) with the caller's address."""

from dataclasses import dataclass
from typing import Any

from watchkeeper.auth import Actor
from watchkeeper.store.audit import entry
from watchkeeper.store.audit_writer import AuditWriter

Target = tuple[str, str | None]
"""What was acted on: a kind (``entity``, ``dataset``, ``alert``...) and its id."""


@dataclass(frozen=True, slots=True)
class Auditor:
    """Records for one request: who did what to which target, from ``remote``."""

    writer: AuditWriter
    remote: str | None

    def __call__(
        self, actor: Actor, action: str, target: Target, detail: dict[str, Any] | None = None
    ) -> None:
        """Record and return once the record is durable (committed with other requests'
        records); for handlers that run in the thread pool."""
        self.writer.write(self._entry(actor, action, target, detail))

    async def durable(
        self, actor: Actor, action: str, target: Target, detail: dict[str, Any] | None = None
    ) -> None:
        """Record, awaited, so that the event loop serves other requests while the record
        waits for its group's commit (the answer may go out only then)."""
        await self.writer.durable(self._entry(actor, action, target, detail))

    def _entry(
        self, actor: Actor, action: str, target: Target, detail: dict[str, Any] | None
    ) -> dict[str, Any]:
        return entry(actor.username, action, target[0], target[1], detail, self.remote)
