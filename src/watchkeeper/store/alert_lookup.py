"""Reading alerts as plain data, for the pages beside an alert: one alert, the alerts on a
listed entity, the alerts of one kept input. Nothing here writes or audits; callers audit
the read (``workbench.access``)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, or_, select

from watchkeeper.errors import NotFoundError
from watchkeeper.store.schema import alerts
from watchkeeper.store.times import utc


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """An alert's row, as the workbench needs it."""

    id: int
    lane: str
    kind: str
    state: str
    created_at: datetime
    source_table: str | None
    source_id: int | None
    segment: int | None
    subject: dict[str, Any]
    list_name: str | None
    entity_id: str | None
    entity_checksum: str | None
    score: float | None
    reason: str
    explanation: dict[str, Any] | None


def _alert(row: Row[Any]) -> StoredAlert:
    return StoredAlert(
        id=row.id,
        lane=row.lane,
        kind=row.kind,
        state=row.state,
        created_at=utc(row.created_at),
        source_table=row.source_table,
        source_id=row.source_id,
        segment=row.segment,
        subject=dict(row.subject or {}),
        list_name=row.list_name,
        entity_id=row.entity_id,
        entity_checksum=row.entity_checksum,
        score=row.score,
        reason=row.reason,
        explanation=row.explanation,
    )


def stored_alert(engine: Engine, alert_id: int) -> StoredAlert:
    """Alert ``alert_id``; a ``NotFoundError`` when there is none."""
    with engine.connect() as conn:
        row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}")
    return _alert(row)


def alerts_on(
    engine: Engine, list_name: str, entity_id: str, linked: Iterable[tuple[str, str]] = ()
) -> list[StoredAlert]:
    """Every alert that matched ``entity_id`` of ``list_name`` or one of the ``linked``
    listings (list, entity id) of the same person, newest first: one alert stands for all
    the listings of one person (``store.alerts.one_per_person``)."""
    listings = [(list_name, entity_id), *linked]
    query = (
        select(alerts)
        .where(or_(*(and_(alerts.c.list_name == n, alerts.c.entity_id == e) for n, e in listings)))
        .order_by(alerts.c.created_at.desc(), alerts.c.id.desc())
    )
    with engine.connect() as conn:
        return [_alert(row) for row in conn.execute(query)]


def alerts_of_source(engine: Engine, source_table: str, source_id: int) -> list[StoredAlert]:
    """Every alert raised by one kept input (a travel message, a lane input), oldest first."""
    query = (
        select(alerts)
        .where(alerts.c.source_table == source_table, alerts.c.source_id == source_id)
        .order_by(alerts.c.id)
    )
    with engine.connect() as conn:
        return [_alert(row) for row in conn.execute(query)]
