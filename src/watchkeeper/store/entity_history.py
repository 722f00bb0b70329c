"""Reading one listed entity across time and lists: the newest copy of it, its entry in
each version that held it, and the entries of other lists linked to it (``store.links``)."""

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, Row, select

from watchkeeper.store.links import links_of
from watchkeeper.store.models import EntityLink, StoredEntity
from watchkeeper.store.schema import entities, list_versions, lists


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


def links_from(engine: Engine, list_name: str, entity_id: str) -> list[EntityLink]:
    """The links between the active versions that name this entity, each turned so that
    ``list_a`` and ``entity_a`` are this entity; ordered by the other list and entry."""
    this = (list_name, entity_id)
    with engine.connect() as conn:
        found = links_of(conn, entity_ids=[entity_id])
    turned = {
        link if (link.list_a, link.entity_a) == this else _turned(link)
        for link in found
        if this in ((link.list_a, link.entity_a), (link.list_b, link.entity_b))
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


def _turned(link: EntityLink) -> EntityLink:
    return EntityLink(link.list_b, link.entity_b, link.list_a, link.entity_a, link.kind, link.value)


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
