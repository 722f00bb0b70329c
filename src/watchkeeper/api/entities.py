"""Entities in the shape yente returns them: FtM properties, with the entities that hang off a
listed entry (documents, sanctions, addresses) nested under the property that links them."""

from typing import Any

from followthemoney import model

from watchkeeper.store.models import StoredEntity


def entity_response(main: StoredEntity, others: list[StoredEntity]) -> dict[str, Any]:
    """The main entity with ``others`` nested: an adjacent entity pointing at it goes under
    the reverse property (a Passport's ``holder`` -> ``identification`` on the person), an
    entity it points at replaces the id in its own property (``addressEntity``)."""
    data = _plain(main, target=True)
    properties: dict[str, list[Any]] = data["properties"]
    by_id = {o.entity_id: o for o in others}
    for name, values in list(properties.items()):
        prop = _property(main.schema, name)
        if prop is not None and prop.type.name == "entity":
            properties[name] = [_plain(by_id[v]) if v in by_id else v for v in values]
    for other in others:
        for name, values in other.properties.items():
            prop = _property(other.schema, name)
            if prop is None or prop.reverse is None or main.entity_id not in values:
                continue
            properties.setdefault(prop.reverse.name, []).append(_plain(other))
    return data


def _property(schema_name: str, name: str) -> Any:
    schema = model.get(schema_name)
    return schema.get(name) if schema is not None else None


def _plain(entity: StoredEntity, target: bool = False) -> dict[str, Any]:
    return {
        "id": entity.entity_id,
        "caption": entity.caption,
        "schema": entity.schema,
        "properties": {k: list(v) for k, v in entity.properties.items()},
        "datasets": [entity.list_name],
        "referents": [],
        "target": target,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
    }
