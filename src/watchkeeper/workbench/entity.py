"""A listed entity's page: every FtM property of the entry and of the entities that belong to
it (sanctions, addresses, documents), labelled as followthemoney names them; each version of
its list and what changed in the entry from one to the next; the entries of other lists
linked to it; and the alerts raised on it."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from followthemoney import model
from sqlalchemy import Engine

from watchkeeper.auth import Actor
from watchkeeper.errors import NotFoundError
from watchkeeper.store.alert_lookup import alerts_on
from watchkeeper.store.diff import property_changes
from watchkeeper.store.entity_history import RecordVersion, newest_entity, record_versions
from watchkeeper.store.models import StoredEntity
from watchkeeper.store.reading import list_versions_of, record_entities
from watchkeeper.workbench.access import READ_ENTITY, audit_read
from watchkeeper.workbench.context import LinkedListing, linked_listings
from watchkeeper.workbench.listing import Listing, listing_of


@dataclass(frozen=True, slots=True)
class PropertyView:
    """One property: its FtM name and label, its values as stored and as a person reads
    them (a country's name, the caption of an entity it points at)."""

    name: str
    label: str
    type: str  # FtM type: name, date, country, entity...
    values: tuple[str, ...]
    shown: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityView:
    """One FtM entity of the entry, every property it has."""

    entity_id: str
    schema: str
    schema_label: str
    caption: str
    properties: tuple[PropertyView, ...]


@dataclass(frozen=True, slots=True)
class ChangeView:
    """Values of one property of one entity of the entry that differ from the version
    before (``prop`` "schema" when the entity's schema changed)."""

    entity_id: str
    schema: str
    prop: str
    label: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


VersionStatus = Literal["first", "unchanged", "changed", "absent", "returned"]
"""How the entry stands in a version: first held, held as before, held with changes, not
held, or held again after versions without it."""


@dataclass(frozen=True, slots=True)
class VersionView:
    """One version of the list, whether it held the entry and how the entry changed since
    the version before that held it (nothing for its first)."""

    number: int
    loaded_at: datetime
    source_date: str | None
    active: bool
    held: bool
    status: VersionStatus
    changes: tuple[ChangeView, ...]
    entities_added: tuple[str, ...]
    entities_removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """An alert raised on the entity."""

    id: int
    state: str
    lane: str
    kind: str
    created_at: datetime
    score: float | None


@dataclass(frozen=True, slots=True)
class EntityPage:
    """Everything about one listed entry. ``listed`` says whether the list's active version
    holds it; when it does not, ``version`` is the newest that did."""

    list_name: str
    entity_id: str
    version: int
    listed: bool
    listing: Listing
    main: EntityView
    related: tuple[EntityView, ...]
    versions: tuple[VersionView, ...]
    linked: tuple[LinkedListing, ...]
    alerts: tuple[AlertSummary, ...]


def entity_page(
    engine: Engine, actor: Actor, list_name: str, entity_id: str, remote: str | None = None
) -> EntityPage:
    """The page of ``entity_id`` in ``list_name``; a ``NotFoundError`` when no version of the
    list held it. The read is audited."""
    audit_read(engine, actor, READ_ENTITY, ("entity", entity_id), {"list": list_name}, remote)
    entity = newest_entity(engine, list_name, entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in any version of list {list_name!r}")
    record = record_entities(engine, entity)
    captions = {e.entity_id: e.caption for e in record}
    held = record_versions(engine, list_name, entity.record_id)
    versions = tuple(_versions(engine, list_name, held))
    linked = linked_listings(engine, list_name, entity_id)
    on_person = alerts_on(
        engine, list_name, entity_id, [(x.list_name, x.entity_id) for x in linked]
    )
    return EntityPage(
        list_name=list_name,
        entity_id=entity_id,
        version=entity.version,
        listed=any(v.active and v.held for v in versions),
        listing=listing_of(record),
        main=entity_view(record[0], captions),
        related=tuple(entity_view(e, captions) for e in record[1:]),
        versions=versions,
        linked=linked,
        alerts=tuple(
            AlertSummary(a.id, a.state, a.lane, a.kind, a.created_at, a.score) for a in on_person
        ),
    )


def entity_view(entity: StoredEntity, captions: dict[str, str]) -> EntityView:
    """Every property of ``entity`` in its schema's order, labelled."""
    schema = model.get(entity.schema)
    props = entity.properties
    order = list(schema.properties) if schema is not None else []
    names = [p for p in order if p in props] + sorted(set(props) - set(order))
    return EntityView(
        entity.entity_id,
        entity.schema,
        schema.label if schema is not None else entity.schema,
        entity.caption,
        tuple(_property(entity.schema, name, props[name], captions) for name in names),
    )


def _property(
    schema_name: str, name: str, values: list[str], captions: dict[str, str]
) -> PropertyView:
    schema = model.get(schema_name)
    prop = schema.get(name) if schema is not None else None
    if prop is None:
        return PropertyView(name, name, "", tuple(values), tuple(values))
    kind = prop.type
    if kind.name == "entity":
        shown = tuple(captions.get(v, v) for v in values)
    else:
        shown = tuple(kind.caption(v) or v for v in values)
    return PropertyView(name, prop.label, kind.name, tuple(values), shown)


def _versions(engine: Engine, list_name: str, held: list[RecordVersion]) -> Iterator[VersionView]:
    """Each version of the list, and the entry's changes since it was last held."""
    by_number = {v.number: v.entities for v in held}
    before: dict[str, dict[str, Any]] | None = None
    gap = False
    for version in list_versions_of(engine, list_name):
        now = by_number.get(version.number)
        if now is None:
            gap = before is not None
            yield VersionView(
                version.number,
                version.loaded_at,
                version.source_date,
                version.active,
                False,
                "absent",
                (),
                (),
                (),
            )
            continue
        changes = _changes(before, now) if before is not None else ()
        added = tuple(sorted(now.keys() - before.keys())) if before is not None else ()
        removed = tuple(sorted(before.keys() - now.keys())) if before is not None else ()
        if before is None:
            status: VersionStatus = "first"
        elif gap:
            status = "returned"
        else:
            status = "changed" if changes or added or removed else "unchanged"
        yield VersionView(
            version.number,
            version.loaded_at,
            version.source_date,
            version.active,
            True,
            status,
            changes,
            added,
            removed,
        )
        before, gap = now, False


def _changes(
    before: dict[str, dict[str, Any]], now: dict[str, dict[str, Any]]
) -> tuple[ChangeView, ...]:
    found = []
    for entity_id in sorted(before.keys() & now.keys()):
        if before[entity_id] == now[entity_id]:
            continue
        for change in property_changes(entity_id, before[entity_id], now[entity_id]):
            schema = model.get(change.schema)
            prop = schema.get(change.prop) if schema is not None else None
            found.append(
                ChangeView(
                    change.entity_id,
                    change.schema,
                    change.prop,
                    prop.label if prop is not None else change.prop,
                    tuple(change.added),
                    tuple(change.removed),
                )
            )
    return tuple(found)
