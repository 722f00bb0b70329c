"""The one door of the workbench's reads: the reader must be an analyst, and every read is
audited before anything is handed out (``store.audit``'s ``read.*`` actions)."""

from typing import Any

from sqlalchemy import Engine

from watchkeeper.auth import Actor, require
from watchkeeper.store.audit import record

READ_ALERT_CONTEXT = "read.alert"
READ_ENTITY = "read.entity"
READ_INPUT = "read.input"
READ_FLIGHT = "read.flight"


def audit_read(
    engine: Engine,
    actor: Actor,
    action: str,
    target: tuple[str, str],
    detail: dict[str, Any] | None = None,
    remote: str | None = None,
) -> None:
    """Refuse a reader below analyst, then write the audit entry of the read."""
    require(actor, "analyst", f"{action.removeprefix('read.')} pages")
    with engine.begin() as conn:
        record(conn, actor.username, action, target[0], target[1], detail, remote)
