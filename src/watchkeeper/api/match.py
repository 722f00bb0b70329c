"""The yente-compatible endpoints: match, search, entities, catalogue, algorithms.

Request and response shapes are yente's (``yente/data/common.py``), so OpenSanctions clients
work unchanged: ``POST /match/{dataset}`` takes ``{"queries": {"q1": {"schema": "Person",
"properties": {"name": [...], "birthDate": [...]}}}}`` and answers ``{"responses": {"q1":
{"status": 200, "results": [...], "total": {...}, "query": {...}}}, "matcher": {...},
"limit": 5}``. Each result also carries watchkeeper's ``explanation``. ``algorithm`` accepts
yente's names; the answer always comes from logic-wk, and says so.

A person listed on several lists (``store.links``) is one result: the entity of its best
listing, with ``listings`` (every listing hit: id, list, score, match, explanation),
``also_listed`` and ``links`` (the facts that tie them) added.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from followthemoney import model
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from watchkeeper.api.auditing import audited
from watchkeeper.api.entities import entity_response
from watchkeeper.api.security import require
from watchkeeper.api.state import ALL, Snapshot
from watchkeeper.auth import Actor
from watchkeeper.matching.groups import Group
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS, LogicWK
from watchkeeper.matching.screener import Hit
from watchkeeper.matching.subject import Subject
from watchkeeper.store import find_entity, record_entities

router = APIRouter()
ALGORITHM = LogicWK.NAME
# yente's algorithm names, accepted so its clients need no change; logic-wk answers them all.
ALGORITHMS = frozenset(
    {ALGORITHM, "best", "default", "logic-v1", "logic-v2", "name-based", "name-qualified",
     "regression-v1", "regression-v2", "ofac-249"}
)  # fmt: skip
MAX_QUERIES = 100
Screener = Annotated[Actor, Depends(require("screener"))]


class EntityExample(BaseModel):
    """A query entity: a schema and FtM properties (values as a list or one string)."""

    id: str | None = None
    schema_: str = Field(..., alias="schema")
    properties: dict[str, str | list[Any]]


class EntityMatchQuery(BaseModel):
    """A batch of query entities; ``weights`` override feature weights by name."""

    weights: dict[str, float] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


def snapshot_of(request: Request) -> Snapshot:
    """The current matchers (503 while the first index is built)."""
    matchers = request.app.state.matchers
    if not matchers.ready:
        raise HTTPException(status_code=503, detail="the lists are still being indexed")
    snapshot: Snapshot = matchers.snapshot()
    return snapshot


def subject_of(example: EntityExample) -> Subject:
    """The matcher's subject for a query entity; 400 for an unknown schema."""
    schema = model.get(example.schema_)
    if schema is None:
        raise HTTPException(status_code=400, detail=f"unknown schema {example.schema_!r}")
    properties = {
        name: [str(v) for v in (values if isinstance(values, list) else [values])]
        for name, values in example.properties.items()
        if name in schema.properties
    }
    proxy = model.get_proxy(
        {"id": example.id or "query", "schema": schema.name, "properties": properties},
        cleaned=False,
    )
    return Subject.from_entity(proxy)


def scored(snapshot: Snapshot, engine: Engine, hit: Hit, threshold: float) -> dict[str, Any]:
    """One result in yente's ``ScoredEntityResponse`` shape, with the explanation."""
    data = dict(entity_of(snapshot, engine, hit.entity_id, hit.list_name))
    features = {line.feature: round(line.value, 4) for line in hit.result.features if line.value}
    data.update(
        score=round(hit.score, 4),
        features=features,
        match=hit.score >= threshold,
        explanation=hit.result.as_dict(),
    )
    return data


def person_result(
    snapshot: Snapshot, engine: Engine, group: Group, threshold: float
) -> dict[str, Any]:
    """One person's result: its best listing as yente's result, then every listing hit."""
    data = scored(snapshot, engine, group.best, threshold)
    data.update(
        match=any(h.score >= threshold for h in group.hits),
        listings=[
            {
                "id": h.entity_id,
                "list": h.list_name,
                "caption": h.name,
                "score": round(h.score, 4),
                "match": h.score >= threshold,
                "explanation": h.result.as_dict(),
            }
            for h in group.hits
        ],
        also_listed=[entity_id for _, entity_id in group.also],
        links=group.links_as_dicts(),
    )
    return data


ENTITY_CACHE = 20_000  # entity responses kept per snapshot


def entity_of(
    snapshot: Snapshot, engine: Engine, entity_id: str, list_name: str | None = None
) -> dict[str, Any]:
    """A listed entity with its adjacent entities nested, read once per snapshot."""
    key = f"{list_name}:{entity_id}"
    cached = snapshot.entities.get(key)
    if cached is None:
        first = find_entity(engine, entity_id, list_name)[0]
        cached = entity_response(first, record_entities(engine, first)[1:])
        if len(snapshot.entities) >= ENTITY_CACHE:
            snapshot.entities.clear()
        snapshot.entities[key] = cached
    return cached


def matcher_docs() -> dict[str, dict[str, Any]]:
    """yente's ``FeatureDocs``: each feature's description and weight."""
    return {
        f.name: {
            "description": (f.func.__doc__ or "").split("\n\n")[0].strip(),
            "coefficient": f.weight,
        }
        for f in LogicWK.FEATURES
    }


def _algorithm(algorithm: str) -> None:
    if algorithm not in ALGORITHMS:
        known = ", ".join(sorted(ALGORITHMS))
        raise HTTPException(status_code=400, detail=f"unknown algorithm {algorithm!r}; use {known}")


@router.post("/match/{dataset}")
async def match(
    request: Request,
    dataset: str,
    body: EntityMatchQuery,
    actor: Screener,
    threshold: Annotated[float, Query(gt=0, le=1)] = PRESETS[DEFAULT_PRESET],
    limit: Annotated[int, Query(ge=1, le=500)] = 5,
    cutoff: Annotated[float, Query(ge=0, le=1)] = PRESETS["broad"],
    algorithm: str = ALGORITHM,
) -> dict[str, Any]:
    """Match a batch of query entities against a dataset (a list, or ``default`` for all).
    Results at or above ``threshold`` have ``match: true``; results below ``cutoff`` (by
    default the broad preset) are left out, which spares scoring the hopeless candidates;
    ``cutoff=0`` returns the ``limit`` best whatever their score."""
    _algorithm(algorithm)
    if len(body.queries) > MAX_QUERIES:
        raise HTTPException(status_code=400, detail=f"at most {MAX_QUERIES} queries per request")
    snapshot = snapshot_of(request)
    snapshot.members(dataset)
    engine = request.app.state.engine
    responses = {}
    found_ids: list[str] = []
    for key, example in body.queries.items():
        subject = subject_of(example)
        if body.weights:  # the score bounds hold for the default weights only
            hits = snapshot.candidates(dataset, subject, limit, body.weights)
            hits = [h for h in hits if h.score >= cutoff]
        else:
            hits = snapshot.screen(dataset, subject, cutoff, limit)
        groups = snapshot.linker.group(hits, frozenset(snapshot.members(dataset)))
        results = [person_result(snapshot, engine, g, threshold) for g in groups]
        found_ids += [h.entity_id for h in hits]
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "eq"},
            "query": example.model_dump(by_alias=True),
        }
    detail: dict[str, Any] = {"queries": len(body.queries), "results": found_ids}
    if body.weights:  # custom weights change every score: the record must say which
        detail["weights"] = body.weights
    await audited(request, actor, "match", ("dataset", dataset), detail)
    return {"responses": responses, "matcher": matcher_docs(), "limit": limit}


@router.get("/search/{dataset}")
async def search(
    request: Request,
    dataset: str,
    actor: Screener,
    q: Annotated[str, Query(min_length=1, description="A name, in any script")],
    schema: str = "LegalEntity",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=100)] = 0,
) -> dict[str, Any]:
    """Listed entities by name, ranked by the matcher's score (no threshold)."""
    snapshot = snapshot_of(request)
    if model.get(schema) is None:
        raise HTTPException(status_code=400, detail=f"unknown schema {schema!r}")
    engine = request.app.state.engine
    hits = snapshot.candidates(dataset, Subject(schema, (q,)), limit=offset + limit)
    results = [entity_of(snapshot, engine, h.entity_id, h.list_name) for h in hits[offset:]]
    await audited(
        request,
        actor,
        "search",
        ("dataset", dataset),
        {"results": [h.entity_id for h in hits[offset:]]},
    )
    return {
        "limit": limit,
        "offset": offset,
        "total": {"value": len(hits), "relation": "gte" if len(hits) == offset + limit else "eq"},
        "results": results,
        "facets": {},
    }


@router.get("/entities/{entity_id}")
async def entity(request: Request, entity_id: str, actor: Screener) -> dict[str, Any]:
    """One listed entity with its documents, sanctions and addresses nested."""
    data = entity_of(snapshot_of(request), request.app.state.engine, entity_id)
    await audited(request, actor, "read.entity", ("entity", entity_id))
    return data


@router.get("/catalog")
def catalog(request: Request, actor: Screener) -> dict[str, Any]:
    """The datasets: each loaded list with its active version, and ``default`` for all."""
    snapshot = snapshot_of(request)
    datasets = [
        {
            "name": info.name,
            "title": f"{info.name} ({info.format})",
            "summary": f"{info.entries} entries, loaded {info.loaded_at.isoformat()}",
            "load": True,
            "version": str(info.version),
            "index_version": str(info.version),
            "index_current": info.name in snapshot.matchable,
            "children": [],
        }
        for info in sorted(snapshot.lists.values(), key=lambda i: i.name)
    ]
    children = list(snapshot.matchable)
    datasets.insert(
        0,
        {
            "name": ALL,
            "title": "All loaded lists",
            "load": True,
            "version": ",".join(f"{n}:{snapshot.lists[n].version}" for n in children),
            "index_current": True,
            "children": children,
        },
    )
    return {"datasets": datasets, "current": [ALL, *children], "outdated": [], "index_stale": False}


@router.get("/algorithms")
def algorithms(actor: Screener) -> dict[str, Any]:
    """The one matching algorithm, in yente's shape."""
    description = (LogicWK.__doc__ or "").split("\n\n")[0].strip()
    return {
        "algorithms": [{"name": ALGORITHM, "description": description, "features": matcher_docs()}],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }
