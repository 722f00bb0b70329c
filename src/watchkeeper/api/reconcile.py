"""The W3C Reconciliation Service API (v0.2), so OpenRefine can reconcile a spreadsheet column
against the lists: the manifest, batches of queries (``reconcile_queries``), suggest services
for entities (prefix search over names and aliases), types and properties, an HTML preview,
and data extension (``reconcile_entities``). Types are FtM schemata; properties are FtM
properties (``birthDate``, ``nationality``...), whose values refine a match as in ``/match``.

The manifest is public, as the specification asks, and declares the security scheme: every
other call needs a screener's token, which OpenRefine sends as ``?api_key=``. A manifest read
with ``api_key`` hands it on in the addresses it gives (suggest, preview, property
proposals), so that clients that only know those addresses send it too. Every endpoint
answers browsers of the origins in ``WATCHKEEPER_CORS_ORIGINS`` (``api.cors``).
"""

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from followthemoney import model
from sqlalchemy import Engine

from watchkeeper import __version__
from watchkeeper.api import reconcile_entities as entities
from watchkeeper.api.answers import as_built, shaped
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.reconcile_models import (
    EntitySuggestions,
    ExtendResponse,
    PropertySuggestions,
    ProposedProperties,
    QueryResults,
    ServiceManifest,
    TypeSuggestions,
)
from watchkeeper.api.reconcile_queries import QueryError, candidates, read_query
from watchkeeper.api.security import actor_of, require, token_of, with_role
from watchkeeper.auth import Actor
from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.service.auditing import Auditor
from watchkeeper.service.deps import AuditDep, CredentialsDep, EngineDep, MatchersDep
from watchkeeper.service.index import Matchers
from watchkeeper.service.refusals import TooLarge
from watchkeeper.service.throttle import Credentials

PREFIX = "/reconcile"
ROLE = "screener"
router = APIRouter(prefix=PREFIX, responses=errors(*AUTHENTICATED, 400, 404, 503))
Screener = Annotated[Actor, Depends(require(ROLE))]
DEFAULT_TYPES = ("Person", "Organization", "LegalEntity", "Vessel")
MAX_QUERIES = 100
SUGGESTIONS = 10
SECURITY_SCHEME = {"type": "apiKey", "name": "api_key", "in": "query"}
"""The manifest's ``authentication``: an OpenAPI security scheme (what OpenRefine asks for)."""
Cursor = Annotated[int, Query(ge=0, le=1_000, description="Suggestions to skip")]
Limit = Annotated[int, Query(ge=1, le=50, description="Suggestions to return")]


def manifest(request: Request, dataset: str) -> dict[str, Any]:
    """The service manifest OpenRefine reads when the service is added."""
    base = str(request.base_url).rstrip("/")
    key = request.query_params.get("api_key")
    passed = f"?{urlencode({'api_key': key})}" if key else ""
    path = f"{PREFIX}/{dataset}"
    return {
        "versions": ["0.2"],
        "name": f"watchkeeper: {dataset}",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "documentation": f"{base}/docs",
        "serviceVersion": __version__,
        "defaultTypes": [{"id": t, "name": model.schemata[t].label} for t in DEFAULT_TYPES],
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "preview": {
            "url": f"{base}{path}/preview/{{{{id}}}}{passed}",
            "width": entities.PREVIEW_WIDTH,
            "height": entities.PREVIEW_HEIGHT,
        },
        "suggest": {
            kind: {"service_url": base, "service_path": f"{path}/suggest/{kind}{passed}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {
                "service_url": base,
                "service_path": f"{path}/extend/property{passed}",
            },
            "property_settings": [entities.LIMIT_SETTING],
        },
        "batchSize": MAX_QUERIES,
        "authentication": SECURITY_SCHEME,
    }


def _json(field: str, text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"{field} is not JSON: {exc}") from exc


def answer(
    matchers: Matchers, audit: Auditor, actor: Actor, dataset: str, queries: str
) -> dict[str, Any]:
    """Results for a batch of reconciliation queries (JSON object of query objects); a
    query that cannot be read gets an ``error`` beside an empty result."""
    batch = _json("queries", queries)
    if not isinstance(batch, dict):
        raise UsageError("queries: an object of query objects")
    if len(batch) > MAX_QUERIES:
        raise TooLarge(f"at most {MAX_QUERIES} queries a batch")
    snapshot = matchers.current()
    snapshot.members(dataset)
    out: dict[str, Any] = {}
    found: list[str] = []
    for key, query in batch.items():
        try:
            result = candidates(snapshot, dataset, read_query(query))
        except QueryError as exc:
            out[key] = {"result": [], "error": str(exc)}
            continue
        out[key] = {"result": result}
        found += [c["id"] for c in result]
    detail = {"queries": len(batch), "via": "reconcile", "results": found}
    audit(actor, "match", ("dataset", dataset), detail)
    return out


def extend(
    engine: Engine, matchers: Matchers, audit: Auditor, actor: Actor, dataset: str, query: str
) -> dict[str, Any]:
    """The data extension response for a query (JSON: ``ids`` and ``properties``)."""
    ids, wanted = entities.read_extend(_json("extend", query))
    snapshot = matchers.current()
    found = {i: entities.listed_entity(snapshot, engine, dataset, i) for i in ids}
    read = [i for i, e in found.items() if e is not None]
    detail = {"via": "reconcile.extend", "entities": read, "properties": [p for p, _ in wanted]}
    audit(actor, "read.entity", ("dataset", dataset), detail)
    return entities.extension(found, wanted)


@dataclass(frozen=True, slots=True)
class Asked:
    """What a request to the service's endpoint brings to answer it once its caller is
    known (the manifest needs none of it)."""

    token: str | None
    credentials: Credentials
    engine: Engine
    matchers: Matchers
    audit: Auditor


async def asked(
    request: Request,
    credentials: CredentialsDep,
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
) -> Asked:
    """``Asked`` as a dependency."""
    return Asked(token_of(request), credentials, engine, matchers, audit)


@router.get(
    "/{dataset}",
    response_model=None,
    responses=shaped(ServiceManifest | QueryResults | ExtendResponse),
)
def reconcile_get(
    request: Request,
    context: Annotated[Asked, Depends(asked)],
    dataset: str,
    queries: str | None = None,
    extend: str | None = None,
) -> JSONResponse:
    """The manifest (public), or the answer to ``?queries=`` or ``?extend=`` (with a
    screener's token)."""
    if queries is None and extend is None:
        return as_built(manifest(request, dataset))
    return as_built(_answer(context, dataset, queries, extend))


@router.post("/{dataset}", response_model=None, responses=shaped(QueryResults | ExtendResponse))
def reconcile_post(
    context: Annotated[Asked, Depends(asked)],
    dataset: str,
    queries: Annotated[str | None, Form()] = None,
    extend: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """A batch of queries, or a data extension query, sent as a form field (``queries``,
    ``extend``), as OpenRefine sends them."""
    if queries is None and extend is None:
        raise UsageError("send a 'queries' or an 'extend' field")
    return as_built(_answer(context, dataset, queries, extend))


def _answer(context: Asked, dataset: str, queries: str | None, query: str | None) -> dict[str, Any]:
    actor = with_role(actor_of(context.credentials, context.token), ROLE)
    if queries is not None:
        return answer(context.matchers, context.audit, actor, dataset, queries)
    assert query is not None
    return extend(context.engine, context.matchers, context.audit, actor, dataset, query)


@router.get("/{dataset}/suggest/entity", response_model=None, responses=shaped(EntitySuggestions))
def suggest_entity(
    matchers: MatchersDep,
    audit: AuditDep,
    dataset: str,
    actor: Screener,
    prefix: Annotated[str, Query(min_length=1, max_length=200)],
    cursor: Cursor = 0,
    limit: Limit = SUGGESTIONS,
) -> JSONResponse:
    """Listed entities with a name, alias or id that starts as typed."""
    snapshot = matchers.current()
    lists = frozenset(snapshot.members(dataset))
    found = snapshot.prefixes.search(prefix, lists, limit, cursor)
    result = []
    for suggestion in found:
        subject = suggestion.subject
        schema = model.schemata[subject.schema]
        name = subject.names[0] if subject.names else suggestion.matched
        description = f"{subject.list_name}: {subject.entity_id}"
        if suggestion.matched not in (name, subject.entity_id):
            description += f" (as {suggestion.matched})"
        result.append(
            {
                "id": subject.entity_id,
                "name": name,
                "description": description,
                "notable": [{"id": schema.name, "name": schema.label}],
            }
        )
    detail = {"via": "reconcile.suggest", "results": [r["id"] for r in result]}
    audit(actor, "search", ("dataset", dataset), detail)
    return as_built({"result": result})


@router.get("/{dataset}/suggest/type", response_model=None, responses=shaped(TypeSuggestions))
def suggest_type(
    dataset: str, actor: Screener, prefix: str = "", cursor: Cursor = 0, limit: Limit = 20
) -> JSONResponse:
    """FtM schemata of things that can be listed, whose name or label starts as typed."""
    found = sorted(
        (s for s in model.schemata.values() if s.is_a("Thing") and not s.abstract),
        key=lambda s: s.name,
    )
    result = [
        {
            "id": s.name,
            "name": s.label,
            "broader": [{"id": b.name, "name": b.label} for b in s.extends],
        }
        for s in found
        if _starts(prefix, s.name, s.label)
    ]
    return as_built({"result": result[cursor : cursor + limit]})


@router.get(
    "/{dataset}/suggest/property",
    response_model=None,
    responses=shaped(PropertySuggestions),
)
def suggest_property(
    dataset: str,
    actor: Screener,
    prefix: str = "",
    type: str | None = None,
    cursor: Cursor = 0,
    limit: Limit = 20,
) -> JSONResponse:
    """Properties that refine a match (dates, countries, identifiers), of ``type`` or of the
    default types, whose id or label starts as typed."""
    schemata = [entities.schema_of(type)] if type else [model.schemata[t] for t in DEFAULT_TYPES]
    found: dict[str, dict[str, str]] = {}
    for schema in schemata:
        for p in schema.properties.values():
            if not p.hidden and p.type.name != "entity" and _starts(prefix, p.name, p.label):
                found.setdefault(p.name, {"id": p.name, "name": p.label})
    ordered = sorted(found.values(), key=lambda p: p["id"])
    return as_built({"result": ordered[cursor : cursor + limit]})


@router.get("/{dataset}/preview/{entity_id}", response_class=HTMLResponse)
def preview(
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
    dataset: str,
    entity_id: str,
    actor: Screener,
) -> HTMLResponse:
    """A small HTML page about one listed entity, for the client's preview frame."""
    entity = entities.listed_entity(matchers.current(), engine, dataset, entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in {dataset!r}")
    audit(actor, "read.entity", ("entity", entity_id), {"via": "reconcile.preview"})
    headers = {"Content-Security-Policy": entities.PREVIEW_POLICY}
    return HTMLResponse(entities.preview_html(entity), headers=headers)


@router.get(
    "/{dataset}/extend/property",
    response_model=None,
    responses=shaped(ProposedProperties),
)
def propose_properties(
    dataset: str,
    actor: Screener,
    type: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> JSONResponse:
    """Properties a client may fetch by data extension for entities of ``type``."""
    return as_built(entities.proposed_properties(type, limit))


def _starts(prefix: str, *texts: str) -> bool:
    """Whether a word of one of ``texts`` starts with ``prefix`` (case aside); an empty
    prefix lists everything."""
    typed = prefix.strip().lower()
    return not typed or any(
        f" {t.lower()}".find(f" {typed}") >= 0 or t.lower().startswith(typed) for t in texts
    )
