"""yente's ``GET /search/{dataset}``: listed entities by name, filtered and faceted.

With ``q``, the name index retrieves and logic-wk ranks the entries (no threshold); without
it, every entry the filters leave, by entity id, as yente's ``match_all``. Filters and sorts
are yente's (``api.filters``); facets count the values of the results found: every entry
the filters leave without ``q``, the retrieved window (``offset + limit`` best, at least
``WINDOW``) with it, and then ``total`` says ``gte`` when the window was full.
``fuzzy=true`` is refused: ``q`` is read as a name, never as Lucene syntax, and names are
always compared fuzzily; ``simple=true`` asks for exactly that reading.
"""

import enum
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from followthemoney import model

from watchkeeper.api.answers import as_built, shaped
from watchkeeper.api.entities import MAX_OFFSET, MAX_PAGE, entity_of
from watchkeeper.api.filters import (
    TS_PATTERN,
    Filters,
    facets,
    in_scope,
    numbers_of,
    refuse,
    sort_keys,
    sorted_numbers,
)
from watchkeeper.api.match import schemata
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import require
from watchkeeper.api.yente_models import SearchResponse
from watchkeeper.auth import Actor
from watchkeeper.errors import UsageError
from watchkeeper.matching.subject import Subject
from watchkeeper.service.deps import AuditDep, EngineDep, MatchersDep

router = APIRouter(responses=errors(*AUTHENTICATED, 400, 404, 503))
Screener = Annotated[Actor, Depends(require("screener"))]
Names = Annotated[list[str], Query()]
WINDOW = 100  # candidates retrieved for a name at the least, for facets and totals


class Facet(enum.StrEnum):
    """yente's facets."""

    DATASETS = "datasets"
    SCHEMA = "schema"
    COUNTRIES = "countries"
    IDENTIFIERS = "identifiers"
    TOPICS = "topics"
    GENDERS = "genders"


class Operator(enum.StrEnum):
    """How several values of one filter field combine."""

    AND = "AND"
    OR = "OR"


DEFAULT_FACETS = [Facet.COUNTRIES, Facet.TOPICS, Facet.DATASETS]


@router.get("/search/{dataset}", response_model=None, responses=shaped(SearchResponse))
def search(
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
    dataset: str,
    actor: Screener,
    q: Annotated[str, Query(description="A name, in any script; empty for every entry")] = "",
    schema: str = "Thing",
    include_dataset: Names = [],  # noqa: B006 - FastAPI copies the default
    exclude_dataset: Names = [],  # noqa: B006
    exclude_schema: Names = [],  # noqa: B006
    changed_since: Annotated[str | None, Query(pattern=TS_PATTERN)] = None,
    countries: Names = [],  # noqa: B006
    topics: Names = [],  # noqa: B006
    datasets: Names = [],  # noqa: B006
    filter: Names = [],  # noqa: B006 - yente's parameter name
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    sort: Names = [],  # noqa: B006
    target: Annotated[bool | None, Query(deprecated=True)] = None,
    fuzzy: bool = False,
    simple: bool = False,
    facets_: Annotated[list[Facet], Query(alias="facets")] = DEFAULT_FACETS,
    filter_op: Operator = Operator.OR,
) -> JSONResponse:
    """Listed entities by name (or all of them), filtered as yente filters, with facets."""
    if fuzzy:
        raise refuse("fuzzy", "q is read as a name, not query syntax; names match fuzzily")
    schema_obj = model.get(schema)
    if schema_obj is None:
        raise UsageError(f"schema: unknown schema {schema!r}")
    keys = sort_keys(sort)
    snapshot = matchers.current()
    filters = Filters(snapshot, dataset)
    filters.include_dataset(include_dataset)
    filters.exclude_dataset(exclude_dataset)
    filters.exclude_schema(exclude_schema)
    filters.changed_since(changed_since)
    filters.schemata(schemata(schema_obj))
    for parameter, name, values in (
        ("countries", "countries", countries),
        ("topics", "topics", topics),
        ("datasets", "datasets", datasets),
    ):
        for value in values:
            filters.term(parameter, name, value)
    for spec in filter:
        name, colon, value = spec.partition(":")
        if not colon:
            raise refuse("filter", f"{spec!r} is not field:value")
        filters.term("filter", name, value)
    if target is not None:
        filters.term("target", "target", str(target).lower())
    filters.apply_terms(filter_op.value)
    allowed = in_scope(snapshot, dataset)
    if filters.mask is not None:
        allowed &= filters.mask
    scores: dict[int, float] = {}
    if q.strip():
        window = max(WINDOW, offset + limit)
        subject = Subject(schema_obj.name, (q.strip(),))
        hits = snapshot.candidates(dataset, subject, window, None, allowed)
        scores = {snapshot.facts.number[h.entity_id]: h.score for h in hits}
        found = list(scores)
        relation = "gte" if len(hits) >= window else "eq"
    else:
        found = numbers_of(allowed)
        relation = "eq"
    ordered = sorted_numbers(snapshot, found, scores, keys)
    page = ordered[offset : offset + limit]
    ids = [snapshot.facts.ids[n] for n in page]
    results = [entity_of(snapshot, engine, e, list_name) for e, list_name in ids]
    audit(actor, "search", ("dataset", dataset), {"results": [e for e, _ in ids]})
    return as_built(
        {
            "limit": limit,
            "offset": offset,
            "total": {"value": len(found), "relation": relation},
            "results": results,
            "facets": facets(snapshot, found, [f.value for f in facets_]),
        }
    )
