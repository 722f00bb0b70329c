"""What the reconciliation API tells of listed entities once a column is reconciled: an HTML
preview of one (shown by OpenRefine in a frame beside a candidate) and data extension, the
values of some FtM properties of many (``birthDate``, ``nationality``...), one column each.

Both read personal data, so the routes that call them audit the read."""

from html import escape
from typing import Any

from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema
from sqlalchemy import Engine

from watchkeeper.api.entities import entity_of
from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.service.index import Snapshot

MAX_IDS = 100
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 300
PREVIEW_PROPERTIES = (
    "alias", "birthDate", "birthPlace", "nationality", "citizenship", "country", "gender",
    "jurisdiction", "registrationNumber", "imoNumber", "flag", "programId",
)  # fmt: skip
PREVIEW_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'"
"""The preview is text only: nothing it holds may load, run or submit anything."""
LIMIT_SETTING = {
    "name": "limit",
    "label": "Values per cell",
    "type": "number",
    "default": 0,
    "help_text": "At most this many values of the property per entity (0: all of them)",
}
EXTEND = (
    f'extend: {{"ids": [entity ids, at most {MAX_IDS}], "properties": [{{"id": an FtM '
    'property, "settings": {"limit": a number}}]}'
)


def listed_entity(
    snapshot: Snapshot, engine: Engine, dataset: str, entity_id: str
) -> dict[str, Any] | None:
    """The entity with ``entity_id`` in a list of the dataset, or None."""
    for list_name in snapshot.members(dataset):
        try:
            return entity_of(snapshot, engine, entity_id, list_name)
        except NotFoundError:
            continue
    return None


def preview_html(entity: dict[str, Any]) -> str:
    """A small HTML page about one listed entity: its name, type, list, and the facts that
    tell namesakes apart. Every value is escaped."""
    schema = model.schemata[entity["schema"]]
    rows = []
    for name in PREVIEW_PROPERTIES:
        prop = schema.get(name)
        values = entity["properties"].get(name, [])
        if prop is None or not values:
            continue
        shown = "; ".join(escape(_caption(prop, v)) for v in values)
        rows.append(f"<tr><th>{escape(prop.label)}</th><td>{shown}</td></tr>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(entity['caption'])}</title></head><body>"
        f"<h3>{escape(entity['caption'])}</h3>"
        f"<p>{escape(schema.label)} listed on {escape(', '.join(entity['datasets']))} "
        f"as {escape(entity['id'])}</p>"
        f"<table>{''.join(rows)}</table></body></html>"
    )


def proposed_properties(type_id: str, limit: int) -> dict[str, Any]:
    """The properties worth a column for entities of a type: those with plain values
    (dates, countries, numbers), the schema's featured ones first."""
    schema = schema_of(type_id)
    plain = [p for p in schema.properties.values() if not p.hidden and p.type.name != "entity"]
    featured = set(schema.featured)
    plain.sort(key=lambda p: (p.name not in featured, p.label))
    return {
        "type": schema.name,
        "limit": limit,
        "properties": [{"id": p.name, "name": p.label} for p in plain[:limit]],
    }


def read_extend(query: Any) -> tuple[list[str], list[tuple[str, int]]]:
    """The entity ids and the (property, values per cell) of a data extension query; 400
    for anything else."""
    if not isinstance(query, dict):
        raise UsageError(EXTEND)
    ids, properties = query.get("ids"), query.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > MAX_IDS:
        raise UsageError(EXTEND)
    if not isinstance(properties, list):
        raise UsageError(EXTEND)
    wanted = []
    for item in properties:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise UsageError(EXTEND)
        settings = item.get("settings") or {}
        limit = settings.get("limit", 0) if isinstance(settings, dict) else None
        if isinstance(limit, str) and limit.isdigit():  # OpenRefine sends form values
            limit = int(limit)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise UsageError(f"{EXTEND}: limit is a number >= 0")
        wanted.append((item["id"], limit))
    return list(dict.fromkeys(ids)), wanted


def extension(
    entities: dict[str, dict[str, Any] | None], wanted: list[tuple[str, int]]
) -> dict[str, Any]:
    """The data extension response: a column per property, a row per id asked for (empty
    for an id not listed); an entity value comes as its id and caption."""
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for entity_id, entity in entities.items():
        row: dict[str, list[dict[str, Any]]] = {}
        schema = model.get(entity["schema"]) if entity else None
        for pid, limit in wanted:
            prop = schema.get(pid) if schema is not None else None
            if entity is None or prop is None:
                row[pid] = []
                continue
            values = entity["properties"].get(pid, [])
            row[pid] = [_cell(v) for v in (values[:limit] if limit else values)]
        rows[entity_id] = row
    meta = [{"id": pid, "name": _label(pid)} for pid, _ in wanted]
    return {"meta": meta, "rows": rows}


def _cell(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):  # an adjacent entity, nested (an address, a passport)
        return {"id": str(value["id"]), "name": str(value.get("caption") or value["id"])}
    return {"str": str(value)}


def _label(pid: str) -> str:
    for schema in model.schemata.values():
        prop = schema.get(pid)
        if prop is not None:
            return prop.label
    return pid


def _caption(prop: Property, value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("caption") or value.get("id") or "")
    return prop.type.caption(str(value)) or str(value)


def schema_of(type_id: str) -> Schema:
    """The FtM schema a type id names; 400 for an unknown one."""
    schema = model.get(type_id)
    if schema is None:
        raise UsageError(f"unknown type {type_id!r}")
    return schema
