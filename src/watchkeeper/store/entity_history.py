"""Reading one listed entity across time and lists: the versions that held it, the newest
copy of it, and the entries of other lists linked to it (``store.links``)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine, Row, and_, or_, select
from sqlalchemy.orm import aliased

from watchkeeper.store.models import EntityLink, StoredEntity
from watchkeeper.store.schema import entities, entity_links, list_versions, lists
from watchkeeper.store.times import utc


@dataclass(frozen=True, slots=True)
class EntityVersion:
    """One version of a list that held the entity, with the entity's checksum there (equal
    checksums in two versions: the entity did not change between them)."""

    list_name: str
    number: int
    loaded_at: datetime
    source_date: str | None
    active: bool
    checksum: str


def entity_versions(engine: Engine, list_name: str, entity_id: str) -> list[EntityVersion]:
    """Every version of ``list_name`` that held ``entity_id``, oldest first."""
    query = (
        select(
            list_versions.c.id,
            list_versions.c.number,
            list_versions.c.loaded_at,
            list_versions.c.source_date,
            lists.c.active_version_id,
            entities.c.checksum,
        )
        .join(lists, lists.c.id == list_versions.c.list_id)
        .join(entities, entities.c.version_id == list_versions.c.id)
        .where(lists.c.name == list_name, entities.c.entity_id == entity_id)
        .order_by(list_versions.c.number)
    )
    with engine.connect() as conn:
        return [
            EntityVersion(
                list_name,
                row.number,
                utc(row.loaded_at),
                row.source_date,
                row.id == row.active_version_id,
                row.checksum,
            )
            for row in conn.execute(query)
        ]


def newest_entity(engine: Engine, list_name: str, entity_id: str) -> StoredEntity | None:
    """The entity in the active version of ``list_name``, else in the newest version that
    held it (an entry since removed still has a page); None when no version held it."""
    query = (
        select(entities, list_versions.c.number, lists.c.active_version_id)
        .join(list_versions, list_versions.c.id == entities.c.version_id)
        .join(lists, lists.c.id == list_versions.c.list_id)
        .where(lists.c.name == list_name, entities.c.entity_id == entity_id)
        .order_by(list_versions.c.number.desc())
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    active = [row for row in rows if row.version_id == row.active_version_id]
    row = (active or rows or [None])[0]
    if row is None:
        return None
    return _stored(row, list_name)


def links_of(engine: Engine, list_name: str, entity_id: str) -> list[EntityLink]:
    """The links between the active versions that name this entity, each turned so that
    ``list_a`` and ``entity_a`` are this entity; ordered by the other list and entry."""
    la, lb = aliased(lists), aliased(lists)
    query = (
        select(
            la.c.name,
            entity_links.c.entity_a,
            lb.c.name,
            entity_links.c.entity_b,
            entity_links.c.kind,
            entity_links.c.value,
        )
        .join(la, la.c.active_version_id == entity_links.c.version_a)
        .join(lb, lb.c.active_version_id == entity_links.c.version_b)
        .where(
            or_(
                and_(la.c.name == list_name, entity_links.c.entity_a == entity_id),
                and_(lb.c.name == list_name, entity_links.c.entity_b == entity_id),
            )
        )
    )
    with engine.connect() as conn:
        rows: list[Any] = conn.execute(query).all()
    turned = {
        EntityLink(*row) if row[0] == list_name and row[1] == entity_id else _turned(row)
        for row in rows
    }
    return sorted(turned, key=lambda k: (k.list_b, k.entity_b, k.kind, k.value))


def _stored(row: Row[Any], list_name: str) -> StoredEntity:
    return StoredEntity(
        list_name=list_name,
        version=row.number,
        entity_id=row.entity_id,
        record_id=row.record_id,
        schema=row.schema,
        caption=row.caption,
        data=orjson.loads(row.data),
    )


def _turned(row: Any) -> EntityLink:
    return EntityLink(row[2], row[3], row[0], row[1], row[4], row[5])
