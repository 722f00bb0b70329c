"""Audit records for ``async`` endpoints: awaited, so that the event loop serves other
requests while the record waits for its group's commit (``store.audit_writer``)."""

import asyncio
from typing import Any

from fastapi import Request

from watchkeeper.api.security import remote_of
from watchkeeper.auth import Actor
from watchkeeper.store.audit import entry


async def audited(
    request: Request,
    actor: Actor,
    action: str,
    target: tuple[str, str | None],
    detail: dict[str, Any] | None = None,
) -> None:
    """Record who did what to which target, from where; returns once the record is durable
    (the answer may go out only then)."""
    item = entry(actor.username, action, target[0], target[1], detail, remote_of(request))
    await asyncio.wrap_future(request.app.state.audit_writer.submit(item))
