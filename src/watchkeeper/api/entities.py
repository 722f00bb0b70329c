"""Entities in the shape yente returns them, and the endpoints that read one.

FtM properties, with the entities that hang off a listed entry (documents, sanctions,
addresses) nested under the property that links them; ``datasets`` the FtM-valid dataset
name of the list (``service.datasets``); ``first_seen``, ``last_seen``, ``last_change`` from the
list versions that held it (``service.facts``), in yente's format (UTC, seconds, no zone).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from followthemoney import model
from sqlalchemy import Engine

from watchkeeper.api.answers import as_built, shaped
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import require
from watchkeeper.api.yente_models import Entity, EntityAdjacentResponse, EntityPage
from watchkeeper.auth import Actor
from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.service.deps import AuditDep, EngineDep, MatchersDep
from watchkeeper.service.facts import Times
from watchkeeper.service.index import Snapshot
from watchkeeper.store import find_entity, record_entities
from watchkeeper.store.models import StoredEntity

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))
Screener = Annotated[Actor, Depends(require("screener"))]
ENTITY_CACHE = 20_000  # entity responses kept per snapshot
MAX_PAGE = 500  # yente's bound on a page of results
MAX_OFFSET = 9_499  # yente's bound on an offset (its MAX_RESULTS less MAX_PAGE)


def entity_of(
    snapshot: Snapshot,
    engine: Engine,
    entity_id: str,
    list_name: str | None = None,
    nested: bool = True,
) -> dict[str, Any]:
    """A listed entity, its adjacent entities nested unless ``nested`` is False; read once
    per snapshot."""
    key = f"{list_name}:{entity_id}:{nested}"
    cached = snapshot.entities.get(key)
    if cached is None:
        first = find_entity(engine, entity_id, list_name)[0]
        others = record_entities(engine, first)[1:] if nested else []
        cached = entity_response(snapshot, first, others)
        if len(snapshot.entities) >= ENTITY_CACHE:
            snapshot.entities.clear()
        snapshot.entities[key] = cached
    return cached


def entity_response(
    snapshot: Snapshot, main: StoredEntity, others: list[StoredEntity]
) -> dict[str, Any]:
    """The main entity with ``others`` nested: an adjacent entity pointing at it goes under
    the reverse property (a Passport's ``holder`` -> ``identification`` on the person), an
    entity it points at replaces the id in its own property (``addressEntity``)."""
    data = _plain(snapshot, main, target=True)
    properties: dict[str, list[Any]] = data["properties"]
    by_id = {o.entity_id: o for o in others}
    for name, values in list(properties.items()):
        prop = _property(main.schema, name)
        if prop is not None and prop.type.name == "entity":
            properties[name] = [_plain(snapshot, by_id[v]) if v in by_id else v for v in values]
    for other in others:
        for name, values in other.properties.items():
            prop = _property(other.schema, name)
            if prop is None or prop.reverse is None or main.entity_id not in values:
                continue
            properties.setdefault(prop.reverse.name, []).append(_plain(snapshot, other))
    return data


def _property(schema_name: str, name: str) -> Any:
    schema = model.get(schema_name)
    return schema.get(name) if schema is not None else None


def _plain(snapshot: Snapshot, entity: StoredEntity, target: bool = False) -> dict[str, Any]:
    times = snapshot.facts.times.get((entity.list_name, entity.entity_id))
    return {
        "id": entity.entity_id,
        "caption": entity.caption,
        "schema": entity.schema,
        "properties": {k: list(v) for k, v in entity.properties.items()},
        "datasets": [snapshot.names.dataset(entity.list_name)],
        "referents": [],
        "target": target,
        "first_seen": _when(times, "first_seen"),
        "last_seen": _when(times, "last_seen"),
        "last_change": _when(times, "last_change"),
    }


def _when(times: Times | None, name: str) -> str | None:
    if times is None:
        return None
    moment = getattr(times, name)
    return str(moment.replace(tzinfo=None).isoformat(timespec="seconds"))


@router.get("/entities/{entity_id}", response_model=None, responses=shaped(Entity))
def entity(
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
    entity_id: str,
    actor: Screener,
    nested: bool = True,
) -> JSONResponse:
    """One listed entity with its documents, sanctions and addresses nested (their ids
    only with ``nested=false``)."""
    data = entity_of(matchers.current(), engine, entity_id, nested=nested)
    audit(actor, "read.entity", ("entity", entity_id))
    return as_built(data)


Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Results per property")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
NoSort = Annotated[
    list[str], Query(description="Refused: adjacent entities come in the order the list has")
]


def _unsorted(sort: list[str]) -> None:
    if sort:
        raise UsageError("sort: adjacent entities come in the list's order; sorting is not offered")


def _adjacent(data: dict[str, Any], name: str, limit: int, offset: int) -> dict[str, Any]:
    values = [v for v in data["properties"].get(name, []) if isinstance(v, dict)]
    page = values[offset : offset + limit]
    total = {"value": len(values), "relation": "eq"}
    return {"results": page, "total": total, "limit": limit, "offset": offset}


def _entity_properties(schema_name: str) -> list[str]:
    schema = model.get(schema_name)
    names = schema.properties.items() if schema is not None else []
    return [name for name, prop in names if prop.type.name == "entity"]


@router.get(
    "/entities/{entity_id}/adjacent",
    response_model=None,
    responses=shaped(EntityAdjacentResponse),
)
def adjacent(
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
    entity_id: str,
    actor: Screener,
    limit: Page = 10,
    offset: Offset = 0,
    sort: NoSort = [],  # noqa: B006 - FastAPI copies the default
) -> JSONResponse:
    """The entity (not nested) and, per property, a page of the entities adjacent to it
    (its documents, sanctions, addresses): yente's ``EntityAdjacentResponse``."""
    _unsorted(sort)
    snapshot = matchers.current()
    data = entity_of(snapshot, engine, entity_id)
    pages = {
        name: _adjacent(data, name, limit, offset) for name in _entity_properties(data["schema"])
    }
    audit(actor, "read.entity", ("entity", entity_id), {"adjacent": True})
    return as_built(
        {
            "entity": entity_of(snapshot, engine, entity_id, nested=False),
            "adjacent": {name: page for name, page in pages.items() if page["total"]["value"]},
        }
    )


@router.get(
    "/entities/{entity_id}/adjacent/{property_name}",
    response_model=None,
    responses=shaped(EntityPage),
)
def adjacent_by_property(
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
    entity_id: str,
    property_name: str,
    actor: Screener,
    limit: Page = 10,
    offset: Offset = 0,
    sort: NoSort = [],  # noqa: B006 - FastAPI copies the default
) -> JSONResponse:
    """A page of the entities adjacent to an entity through one property (404 for a
    property of its schema that does not link entities)."""
    _unsorted(sort)
    data = entity_of(matchers.current(), engine, entity_id)
    if property_name not in _entity_properties(data["schema"]):
        raise NotFoundError(f"no entity property {property_name!r}")
    audit(actor, "read.entity", ("entity", entity_id), {"adjacent": property_name})
    return as_built(_adjacent(data, property_name, limit, offset))
