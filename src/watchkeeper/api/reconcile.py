"""The W3C Reconciliation Service API (v0.2), so OpenRefine can reconcile a spreadsheet column
against the lists: a manifest, batches of queries, and suggest services for entities, types
and properties. Types are FtM schemata; properties are FtM properties (``birthDate``,
``nationality``...), whose values refine the match as in ``/match``."""

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from followthemoney import model

from watchkeeper.api.match import snapshot_of
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import audit, require
from watchkeeper.auth import Actor
from watchkeeper.matching.subject import Subject

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))
Screener = Annotated[Actor, Depends(require("screener"))]
DEFAULT_TYPES = ("Person", "Organization", "LegalEntity", "Vessel")
MAX_QUERIES = 100


def manifest(request: Request, dataset: str) -> dict[str, Any]:
    """The service manifest OpenRefine reads when the service is added."""
    base = str(request.base_url).rstrip("/")
    prefix = f"/reconcile/{dataset}/suggest"
    return {
        "versions": ["0.2"],
        "name": f"watchkeeper: {dataset}",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "defaultTypes": [{"id": t, "name": model.schemata[t].label} for t in DEFAULT_TYPES],
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "suggest": {
            kind: {"service_url": base, "service_path": f"{prefix}/{kind}"}
            for kind in ("entity", "type", "property")
        },
    }


def answer(request: Request, actor: Actor, dataset: str, queries: str) -> dict[str, Any]:
    """Results for a batch of reconciliation queries (JSON object of query objects)."""
    try:
        batch = orjson.loads(queries)
    except orjson.JSONDecodeError as exc:
        raise HTTPException(status_code=400, detail=f"queries is not JSON: {exc}") from exc
    if not isinstance(batch, dict) or len(batch) > MAX_QUERIES:
        raise HTTPException(status_code=400, detail=f"queries: an object of at most {MAX_QUERIES}")
    snapshot = snapshot_of(request)
    snapshot.members(dataset)
    out: dict[str, Any] = {}
    for key, query in batch.items():
        subject, limit = _subject(query)
        hits = snapshot.candidates(dataset, subject, limit)
        out[key] = {
            "result": [
                {
                    "id": hit.entity_id,
                    "name": hit.name,
                    "type": [{"id": subject.schema, "name": subject.schema}],
                    "score": round(hit.score * 100, 1),
                    "match": hit.alert,
                    "description": f"{hit.list_name}: {hit.reference}",
                }
                for hit in hits
            ]
        }
    audit(
        request, actor, "match", ("dataset", dataset), {"queries": len(batch), "via": "reconcile"}
    )
    return out


def _subject(query: Any) -> tuple[Subject, int]:
    if not isinstance(query, dict) or not isinstance(query.get("query"), str):
        raise HTTPException(status_code=400, detail="each query needs a 'query' string")
    schema = model.get(str(query.get("type") or "LegalEntity"))
    if schema is None:
        raise HTTPException(status_code=400, detail=f"unknown type {query.get('type')!r}")
    proxy = model.make_entity(schema)
    proxy.id = "query"
    proxy.add("name", query["query"], cleaned=False)
    for pid, value in _properties(query.get("properties")):
        prop = schema.get(pid)
        if prop is not None:
            proxy.add(prop, value, cleaned=False, quiet=True)
    limit = query.get("limit", 5)
    return Subject.from_entity(proxy), max(1, min(int(limit) if isinstance(limit, int) else 5, 50))


PROPERTIES = (
    'properties: a list of objects {"pid": a property id, "v": a value or a list of values}, '
    "a value being a string, a number, a boolean or an object with an 'id'"
)


def _properties(given: Any) -> list[tuple[str, str]]:
    """The (property, value) pairs of a query's ``properties``, in the reconciliation API's
    shape; 400 for any other shape."""
    if given is None:
        return []
    if not isinstance(given, list):
        raise HTTPException(status_code=400, detail=PROPERTIES)
    pairs = []
    for item in given:
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str):
            raise HTTPException(status_code=400, detail=PROPERTIES)
        values = item.get("v")
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                value = value["id"]
            if not isinstance(value, str | int | float | bool):
                raise HTTPException(status_code=400, detail=PROPERTIES)
            pairs.append((item["pid"], str(value)))
    return pairs


@router.get("/reconcile/{dataset}")
def reconcile_get(
    request: Request, dataset: str, actor: Screener, queries: str | None = None
) -> dict[str, Any]:
    """The manifest, or the answer to ``?queries=`` when given."""
    if queries is None:
        return manifest(request, dataset)
    return answer(request, actor, dataset, queries)


@router.post("/reconcile/{dataset}")
def reconcile_post(
    request: Request, dataset: str, actor: Screener, queries: Annotated[str, Form()]
) -> dict[str, Any]:
    """A batch of queries sent as a form field, as OpenRefine sends them."""
    return answer(request, actor, dataset, queries)


@router.get("/reconcile/{dataset}/suggest/entity")
def suggest_entity(
    request: Request, dataset: str, actor: Screener, prefix: Annotated[str, Query(min_length=1)]
) -> dict[str, Any]:
    """Listed entities whose names match what has been typed so far."""
    hits = snapshot_of(request).candidates(dataset, Subject("LegalEntity", (prefix,)), 10)
    return {
        "result": [
            {"id": h.entity_id, "name": h.name, "description": f"{h.list_name}: {h.reference}"}
            for h in hits
        ]
    }


@router.get("/reconcile/{dataset}/suggest/type")
def suggest_type(dataset: str, actor: Screener, prefix: str = "") -> dict[str, Any]:
    """FtM schemata of things that can be listed, by name or label."""
    found = [
        {"id": s.name, "name": s.label}
        for s in model.schemata.values()
        if s.is_a("Thing") and not s.abstract and prefix.lower() in f"{s.name} {s.label}".lower()
    ]
    return {"result": sorted(found, key=lambda t: t["id"])[:20]}


@router.get("/reconcile/{dataset}/suggest/property")
def suggest_property(
    dataset: str, actor: Screener, prefix: str = "", type: str = "Person"
) -> dict[str, Any]:
    """Properties of a type that refine a match (dates, countries, identifiers)."""
    schema = model.get(type) or model.get("LegalEntity")
    assert schema is not None
    found = [
        {"id": p.name, "name": p.label}
        for p in schema.properties.values()
        if not p.hidden and p.type.name != "entity" and prefix.lower() in p.label.lower()
    ]
    return {"result": sorted(found, key=lambda p: p["id"])[:20]}
