"""The yente-compatible matching endpoint: ``POST /match/{dataset}``.

Request and response shapes are yente's (``yente/data/common.py``), so OpenSanctions clients
work unchanged: ``POST /match/{dataset}`` takes ``{"queries": {"q1": {"schema": "Person",
"properties": {"name": [...], "birthDate": [...]}}}, "weights": {}, "config": {}}`` and
answers ``{"responses": {"q1": {"status": 200, "results": [...], "total": {...}, "query":
{...}}}, "limit": 5, "algorithm": "logic-wk"}``. Every yente parameter is honoured with
yente's meaning (``api.filters``) or refused with a 400 that names it. Each result carries
yente's per-feature ``explanations`` and, from logic-wk, watchkeeper's fuller
``explanation``; ``algorithm`` names the algorithm that ran (``api.algorithms``).

A person listed on several lists (``store.links``) is one result: the entity of its best
listing, with ``referents`` (its other listings' ids), ``listings`` (every listing hit: id,
list, score, match, explanation), ``also_listed`` and ``links`` (the facts that tie them).
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from followthemoney import EntityProxy, model
from followthemoney.schema import Schema
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Engine

from watchkeeper.api.algorithms import (
    BEST,
    Algorithm,
    Config,
    Explanations,
    algorithm_named,
    explanations,
    installed_algorithms,
    refusal,
)
from watchkeeper.api.answers import as_built, shaped
from watchkeeper.api.entities import entity_of
from watchkeeper.api.filters import MAX_EXCLUDED, TS_PATTERN, Filters, refuse
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.query_model import QueryModel, documented, reader
from watchkeeper.api.security import require
from watchkeeper.api.yente_models import EntityMatchResponse
from watchkeeper.auth import Actor
from watchkeeper.errors import UsageError
from watchkeeper.matching.groups import Group
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS
from watchkeeper.matching.screener import CANDIDATES, Hit
from watchkeeper.matching.subject import Subject
from watchkeeper.service.auditing import Auditor
from watchkeeper.service.bounds import Weight
from watchkeeper.service.deps import address_of, services_of
from watchkeeper.service.index import Matchers, Snapshot

MAX_QUERIES = 100
FILTERS = {
    "include_dataset",
    "exclude_dataset",
    "exclude_schema",
    "topics",
    "changed_since",
    "exclude_entity_ids",
}
"""The parameters that leave entries out of the screening: the audit record names them."""


class EntityExample(BaseModel):
    """A query entity: a schema and FtM properties (values as a list or one string)."""

    id: str | None = None
    schema_: str = Field(..., alias="schema")
    properties: dict[str, str | list[Any]]


class MatchParams(QueryModel):
    """yente's query parameters of ``/match``."""

    threshold: float = Field(PRESETS[DEFAULT_PRESET], gt=0, le=1)
    limit: int = Field(5, ge=1, le=500)
    cutoff: float = Field(PRESETS["broad"], ge=0, le=1)
    algorithm: str = BEST
    include_dataset: tuple[str, ...] = ()
    exclude_schema: tuple[str, ...] = ()
    exclude_dataset: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    changed_since: str | None = Field(None, pattern=TS_PATTERN)
    exclude_entity_ids: tuple[str, ...] = Field((), max_length=MAX_EXCLUDED)


@dataclass(frozen=True, slots=True)
class Matching:
    """What a match request brings besides its body, read by one dependency (``matching``)."""

    actor: Actor
    params: MatchParams
    engine: Engine
    matchers: Matchers
    audit: Auditor


_screener = require("screener")
_params = reader(MatchParams)


async def matching(request: Request) -> Matching:
    """The caller (401/403 first, as its own dependency would answer), the query parameters
    (422) and the service's parts: one dependency, not five, since FastAPI's bookkeeping per
    dependency solved cost more than what each did (a tenth of a match request)."""
    actor = await _screener(request)
    params = await _params(request)
    held = services_of(request.app)
    audit = Auditor(held.audit_writer, address_of(request))
    return Matching(actor, params, held.engine, held.matchers, audit)


class EntityMatchQuery(BaseModel):
    """A batch of query entities; ``weights`` override feature weights by name (finite,
    within ``bounds.MAX_WEIGHT``), ``config`` sets the algorithm's variables."""

    weights: dict[str, Weight] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


class MatchRoute(APIRoute):
    """The match route, with a short way through for what it mostly gets, a JSON body that
    validates: the body validated from its bytes in one call, then the caller and the
    parameters (``matching``), then the endpoint. FastAPI's way (its JSON reading, its
    solving of the endpoint's signature, its handling of the answer) cost a tenth of a match
    request. Any other request (another content type, a body that does not validate) goes
    FastAPI's way, so that it is refused exactly as before: 401/403 before a 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler behind the short way."""
        standard = super().get_route_handler()

        async def handle(request: Request) -> Response:
            body = await _valid_json(request)
            if body is None:
                return await standard(request)
            context = await matching(request)
            return await match(request.path_params["dataset"], body, context)

        return handle


async def _valid_json(request: Request) -> EntityMatchQuery | None:
    """The body of a request that sends ``application/json`` which validates; None for any
    other (FastAPI reads the body again: ``request`` keeps it)."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media != "application/json":
        return None
    try:
        return EntityMatchQuery.model_validate_json(await request.body())
    except ValidationError:  # not JSON to pydantic, or not a match query: FastAPI says why
        return None


router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503), route_class=MatchRoute)


def example_subject(example: EntityExample) -> tuple[Subject, EntityProxy]:
    """The matcher's subject and the FtM entity of a query; 400 for an unknown schema."""
    schema = model.get(example.schema_)
    if schema is None:
        raise UsageError(f"unknown schema {example.schema_!r}")
    properties = {
        name: [str(v) for v in (values if isinstance(values, list) else [values])]
        for name, values in example.properties.items()
        if name in schema.properties
    }
    proxy = model.get_proxy(
        {"id": example.id or "query", "schema": schema.name, "properties": properties},
        cleaned=False,
    )
    return Subject.from_entity(proxy), proxy


def schemata(schema: Schema) -> tuple[str, ...]:
    """The schemata a query of ``schema`` may match, as yente's ``filter_query`` has them."""
    found = set(schema.matchable_schemata)
    if not schema.matchable:
        found.update(schema.descendants)
    return tuple(sorted(s.name for s in found))


@dataclass(frozen=True)
class Scored:
    """A hit and yente's explanations of its score, with logic-wk's own ``explanation``
    (``MatchResult.as_dict``) when logic-wk scored it: written once, though the answer
    carries it twice for a person's best listing."""

    hit: Hit
    explanations: Explanations
    explanation: dict[str, Any] | None = None


def by_logic_wk(hits: list[Hit]) -> list[Scored]:
    """logic-wk's hits, explained."""
    scored = []
    for hit in hits:
        explanation = hit.result.as_dict()
        scored.append(Scored(hit, explanations(explanation), explanation))
    return scored


def by_nomenklatura(
    snapshot: Snapshot,
    engine: Engine,
    algorithm: Algorithm,
    query: EntityProxy,
    hits: list[Hit],
    body: EntityMatchQuery,
) -> list[Scored]:
    """watchkeeper's candidates rescored by one of nomenklatura's algorithms, best first."""
    config: Config = body.config
    scored = []
    for hit in hits:
        data = entity_of(snapshot, engine, hit.entity_id, hit.list_name, nested=False)
        listed = model.get_proxy(
            {"id": data["id"], "schema": data["schema"], "properties": data["properties"]},
            cleaned=False,
        )
        score, found = algorithm.compare(query, listed, body.weights, config)
        scored.append(Scored(replace(hit, score=score), found))
    scored.sort(key=lambda s: (-s.hit.score, s.hit.entity_id))
    return scored


def person_result(
    snapshot: Snapshot,
    engine: Engine,
    group: Group,
    explained: dict[str, Scored],
    threshold: float,
    watchkeeper: bool,
) -> dict[str, Any]:
    """One person's result: its best listing as yente's result, then every listing hit
    (with watchkeeper's explanation when logic-wk scored them)."""
    best = group.best
    data = dict(entity_of(snapshot, engine, best.entity_id, best.list_name))
    others = [h.entity_id for h in group.hits[1:]] + [e for _, e in group.also]
    data.update(
        referents=others,
        score=round(best.score, 4),
        match=any(h.score >= threshold for h in group.hits),
        explanations=explained[best.entity_id].explanations,
    )
    if watchkeeper:
        data["explanation"] = explained[best.entity_id].explanation
    listings = []
    for h in group.hits:
        listing = {
            "id": h.entity_id,
            "list": h.list_name,
            "dataset": snapshot.names.dataset(h.list_name),
            "caption": h.name,
            "score": round(h.score, 4),
            "match": h.score >= threshold,
            "explanations": explained[h.entity_id].explanations,
        }
        if watchkeeper:
            listing["explanation"] = explained[h.entity_id].explanation
        listings.append(listing)
    data.update(
        listings=listings,
        also_listed=[entity_id for _, entity_id in group.also],
        links=group.links_as_dicts(),
    )
    return data


def algorithm_of(name: str, body: EntityMatchQuery) -> Algorithm:
    """The named algorithm, if installed and able to take the request's weights and config;
    400 otherwise."""
    algorithm = algorithm_named(name)
    if algorithm is None:
        known = ", ".join([BEST, *installed_algorithms()])
        why = f"{name!r} is not installed here; use {known}"
        if name.lower().strip() in ("logic-v1", "logic-v2", "name-based", "name-qualified"):
            why += " (yente's algorithms come with pip install watchkeeper[nomenklatura])"
        raise refuse("algorithm", why)
    why_not = refusal(algorithm, body.weights, body.config)
    if why_not is not None:
        raise UsageError(why_not)
    return algorithm


@router.post(
    "/match/{dataset}",
    response_model=None,
    responses=shaped(EntityMatchResponse),
    openapi_extra=documented(MatchParams),
)
async def match(
    dataset: str, body: EntityMatchQuery, context: Annotated[Matching, Depends(matching)]
) -> JSONResponse:
    """Match a batch of query entities against a dataset (a list, or ``default`` for all).
    Results at or above ``threshold`` have ``match: true``; results below ``cutoff`` (by
    default the broad preset) are left out, which spares scoring the hopeless candidates;
    ``cutoff=0`` returns the ``limit`` best whatever their score. ``include_dataset``,
    ``exclude_dataset``, ``exclude_schema``, ``topics`` (any of), ``changed_since`` and
    ``exclude_entity_ids`` (with the listings linked to them) filter the candidates before
    they are scored, as in yente. ``total`` counts the results that match, as yente's does."""
    params, engine = context.params, context.engine
    chosen = algorithm_of(params.algorithm, body)
    threshold, limit, cutoff = params.threshold, params.limit, params.cutoff
    if len(body.queries) > MAX_QUERIES:
        raise UsageError(f"at most {MAX_QUERIES} queries per request")
    snapshot = context.matchers.current()
    members = frozenset(snapshot.members(dataset))
    filters = Filters(snapshot, dataset)
    filters.include_dataset(params.include_dataset)
    filters.exclude_dataset(params.exclude_dataset)
    filters.exclude_schema(params.exclude_schema)
    filters.changed_since(params.changed_since)
    filters.exclude_entity_ids(params.exclude_entity_ids)
    for topic in params.topics:
        filters.term("topics", "topics", topic)
    filters.apply_terms("OR")
    watchkeeper = chosen.nomenklatura is None
    responses = {}
    found_ids: list[str] = []
    for key, example in body.queries.items():
        subject, proxy = example_subject(example)
        allowed = snapshot.facts.of_schemata(schemata(proxy.schema))
        if filters.mask is not None:
            allowed = allowed & filters.mask
        if not watchkeeper:
            pool = snapshot.candidates(dataset, subject, max(CANDIDATES, limit), None, allowed)
            scored = by_nomenklatura(snapshot, engine, chosen, proxy, pool, body)
            scored = [s for s in scored if s.hit.score >= cutoff][:limit]
        elif body.weights:  # the score bounds hold for the default weights only
            hits = snapshot.candidates(dataset, subject, limit, body.weights, allowed)
            scored = by_logic_wk([h for h in hits if h.score >= cutoff])
        else:
            scored = by_logic_wk(snapshot.screen(dataset, subject, cutoff, limit, allowed))
        hits = [s.hit for s in scored]
        groups = snapshot.linker.group(hits, members)
        explained = {s.hit.entity_id: s for s in scored}
        results = [
            person_result(snapshot, engine, g, explained, threshold, watchkeeper) for g in groups
        ]
        found_ids += [h.entity_id for h in hits]
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": sum(r["match"] for r in results), "relation": "eq"},
            "query": example.model_dump(by_alias=True),
        }
    detail: dict[str, Any] = {"queries": len(body.queries), "results": found_ids}
    detail["algorithm"] = chosen.name
    if body.weights:  # custom weights change every score: the record must say which
        detail["weights"] = body.weights
    if body.config:
        detail["config"] = body.config
    given = params.model_dump(include=FILTERS)
    if any(given.values()):  # what was left out of the screening, and by whose request
        detail["filters"] = {k: v for k, v in given.items() if v}
    await context.audit.durable(context.actor, "match", ("dataset", dataset), detail)
    return as_built({"responses": responses, "limit": limit, "algorithm": chosen.name})
