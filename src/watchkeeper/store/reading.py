"""Reading the store: lists and their versions, entities, and the entries they form."""

from collections.abc import Iterator
from typing import Any

import orjson
from followthemoney import model
from sqlalchemy import Engine, Row, select

from watchkeeper.errors import NotFoundError
from watchkeeper.store.models import ListVersion, StoredEntity
from watchkeeper.store.schema import entities, list_versions, lists


def _version(row: Row[Any]) -> ListVersion:
    return ListVersion(
        list_name=row.name,
        format=row.format,
        number=row.number,
        loaded_at=row.loaded_at,
        origin=row.origin,
        source_date=row.source_date,
        sha256=row.sha256,
        record_count=row.record_count,
        entity_count=row.entity_count,
        schema_counts=dict(row.schema_counts or {}),
        skipped=list(row.skipped or []),
        active=row.id == row.active_version_id,
        raw_path=row.raw_path,
    )


def _versions_query() -> Any:
    return (
        select(
            list_versions,
            lists.c.name,
            lists.c.format,
            lists.c.active_version_id,
        )
        .join(lists, lists.c.id == list_versions.c.list_id)
        .order_by(lists.c.name, list_versions.c.number)
    )


def list_versions_of(engine: Engine, name: str | None = None) -> list[ListVersion]:
    """Every committed version, oldest first; only ``name``'s when given.

    A version is committed when its load finished; a failed load leaves no row behind.
    """
    query = _versions_query()
    if name is not None:
        query = query.where(lists.c.name == name)
    with engine.connect() as conn:
        versions = [_version(row) for row in conn.execute(query)]
    if name is not None and not versions:
        raise NotFoundError(f"no list named {name!r}; see 'watchkeeper lists ls'")
    return versions


def version_id(engine: Engine, name: str, number: int | None) -> tuple[int, int]:
    """The row id and number of version ``number`` of list ``name`` (active one when None)."""
    with engine.connect() as conn:
        lst = conn.execute(select(lists).where(lists.c.name == name)).first()
        if lst is None:
            raise NotFoundError(f"no list named {name!r}; see 'watchkeeper lists ls'")
        if number is None:
            if lst.active_version_id is None:
                raise NotFoundError(f"list {name!r} has no loaded version")
            num = conn.execute(
                select(list_versions.c.number).where(list_versions.c.id == lst.active_version_id)
            ).scalar_one()
            return int(lst.active_version_id), int(num)
        vid = conn.execute(
            select(list_versions.c.id).where(
                list_versions.c.list_id == lst.id, list_versions.c.number == number
            )
        ).scalar()
    if vid is None:
        raise NotFoundError(f"list {name!r} has no version {number}")
    return int(vid), number


def _stored(row: Row[Any], list_name: str, number: int) -> StoredEntity:
    return StoredEntity(
        list_name=list_name,
        version=number,
        entity_id=row.entity_id,
        record_id=row.record_id,
        schema=row.schema,
        caption=row.caption,
        data=orjson.loads(row.data),
    )


def find_entity(engine: Engine, entity_id: str, list_name: str | None = None) -> list[StoredEntity]:
    """The entity with ``entity_id`` in the active version of every list that holds it."""
    query = (
        select(entities, lists.c.name, list_versions.c.number)
        .join(list_versions, list_versions.c.id == entities.c.version_id)
        .join(lists, lists.c.active_version_id == entities.c.version_id)
        .where(entities.c.entity_id == entity_id)
        .order_by(lists.c.name)
    )
    if list_name is not None:
        query = query.where(lists.c.name == list_name)
    with engine.connect() as conn:
        found = [_stored(row, row.name, row.number) for row in conn.execute(query)]
    if not found:
        where = f" in list {list_name!r}" if list_name else " in any active list"
        raise NotFoundError(f"no entity {entity_id!r}{where}")
    return found


def record_entities(engine: Engine, entity: StoredEntity) -> list[StoredEntity]:
    """Every entity of the entry ``entity`` belongs to, main entity first, plus the entities
    its properties point at (an Address kept as its own record, say)."""
    vid, _ = version_id(engine, entity.list_name, entity.version)
    with engine.connect() as conn:
        rows = conn.execute(
            select(entities)
            .where(entities.c.version_id == vid, entities.c.record_id == entity.record_id)
            .order_by(entities.c.entity_id)
        ).all()
        found = {r.entity_id: _stored(r, entity.list_name, entity.version) for r in rows}
        refs = {v for e in found.values() for v in _entity_refs(e)} - set(found)
        if refs:
            more = conn.execute(
                select(entities).where(
                    entities.c.version_id == vid, entities.c.entity_id.in_(sorted(refs))
                )
            ).all()
            found.update({r.entity_id: _stored(r, entity.list_name, entity.version) for r in more})
    main = found.pop(entity.record_id, None)
    ordered = sorted(found.values(), key=lambda e: (e.schema, e.entity_id))
    return ([main] if main else []) + ordered


def _entity_refs(entity: StoredEntity) -> Iterator[str]:
    schema = model.get(entity.schema)
    if schema is None:
        return
    for prop_name, values in entity.properties.items():
        prop = schema.get(prop_name)
        if prop is not None and prop.type.name == "entity":
            yield from values


def iter_version_rows(engine: Engine, vid: int) -> Iterator[Any]:
    """Every entity row of one version, ordered by entry then entity (for diffs)."""
    query = (
        select(
            entities.c.record_id,
            entities.c.entity_id,
            entities.c.schema,
            entities.c.caption,
            entities.c.checksum,
        )
        .where(entities.c.version_id == vid)
        .order_by(entities.c.record_id, entities.c.entity_id)
    )
    with engine.connect() as conn:
        yield from conn.execution_options(stream_results=True).execute(query)


def entity_data(engine: Engine, vid: int, entity_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored FtM data of some entities of one version."""
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for start in range(0, len(entity_ids), 500):
            chunk = entity_ids[start : start + 500]
            for row in conn.execute(
                select(entities.c.entity_id, entities.c.data).where(
                    entities.c.version_id == vid, entities.c.entity_id.in_(chunk)
                )
            ):
                out[row.entity_id] = orjson.loads(row.data)
    return out
