"""Reading one listed entity across time and lists: the newest copy of it, its entry in
each version that held it, and the entries of other lists linked to it (``store.links``)."""

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, Row, and_, or_, select
from sqlalchemy.orm import aliased

from watchkeeper.store.models import EntityLink, StoredEntity
from watchkeeper.store.schema import entities, entity_links, list_versions, lists


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
    newest = active or rows
    return _stored(newest[0], list_name) if newest else None


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
        rows = conn.execute(query).all()
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


@dataclass(frozen=True, slots=True)
class RecordVersion:
    """One list entry's entities (FtM data by entity id) in one version of its list."""

    number: int
    entities: dict[str, dict[str, Any]]


def record_versions(engine: Engine, list_name: str, record_id: str) -> list[RecordVersion]:
    """Every version of ``list_name`` that held entry ``record_id``, oldest first, with the
    entry's entities as that version stored them."""
    query = (
        select(list_versions.c.number, entities.c.entity_id, entities.c.data)
        .join(lists, lists.c.id == list_versions.c.list_id)
        .join(entities, entities.c.version_id == list_versions.c.id)
        .where(lists.c.name == list_name, entities.c.record_id == record_id)
        .order_by(list_versions.c.number, entities.c.entity_id)
    )
    found: dict[int, dict[str, dict[str, Any]]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            found.setdefault(row.number, {})[row.entity_id] = orjson.loads(row.data)
    return [RecordVersion(number, held) for number, held in found.items()]
