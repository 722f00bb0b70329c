"""yente's response shapes (``yente/data/common.py``), as pydantic models for the OpenAPI
document. The yente-compatible endpoints declare them for ``/docs`` and keep answering with
the plain data they build (byte for byte yente's, and without a second validation on the
match path); the schemathesis test checks every answer against them."""

from typing import Any

from pydantic import BaseModel, Field


class Total(BaseModel):
    """How many results there are: ``eq`` exactly, ``gte`` at least."""

    value: int
    relation: str


class Entity(BaseModel):
    """A listed entity: FtM properties, with adjacent entities nested under the property that
    links them; times in yente's format (UTC, seconds, no zone)."""

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None


class FeatureExplanation(BaseModel):
    """One feature's contribution to a score, and the values it compared."""

    score: float
    detail: str | None
    query: str | None
    candidate: str | None


class Listing(BaseModel):
    """One listing of a person that the query hit."""

    id: str
    list: str
    dataset: str
    caption: str
    score: float
    match: bool
    explanations: dict[str, FeatureExplanation]
    explanation: dict[str, Any] | None = None
    """watchkeeper's fuller explanation, when logic-wk scored the listing."""


class Link(BaseModel):
    """The facts that tie two listings of one person."""

    entity_a: str
    entity_b: str
    facts: list[dict[str, str]]


class ScoredEntity(Entity):
    """A result of ``/match``: the best listing of a person, its score and explanations,
    and every listing hit."""

    score: float
    match: bool
    explanations: dict[str, FeatureExplanation]
    explanation: dict[str, Any] | None = None
    listings: list[Listing]
    also_listed: list[str]
    links: list[Link]


class EntityMatches(BaseModel):
    """The results of one query of a batch."""

    status: int
    results: list[ScoredEntity]
    total: Total
    query: dict[str, Any]


class EntityMatchResponse(BaseModel):
    """The answer of ``/match``: the results of each query by its key."""

    responses: dict[str, EntityMatches]
    limit: int
    algorithm: str


class FacetValue(BaseModel):
    """One value of a facet and how many results have it."""

    name: str
    label: str
    count: int


class Facet(BaseModel):
    """A facet's values, most frequent first."""

    label: str
    values: list[FacetValue]


class SearchResponse(BaseModel):
    """The answer of ``/search``: a page of entities, the total and the facets."""

    limit: int
    offset: int
    total: Total
    results: list[Entity]
    facets: dict[str, Facet]


class EntityPage(BaseModel):
    """A page of entities adjacent to one entity through one property."""

    results: list[Entity]
    total: Total
    limit: int
    offset: int


class EntityAdjacentResponse(BaseModel):
    """An entity (not nested) and, per property, a page of the entities adjacent to it."""

    entity: Entity
    adjacent: dict[str, EntityPage]


class Dataset(BaseModel):
    """A dataset of the catalogue: one list, or ``default`` for all of them."""

    name: str
    title: str
    summary: str | None = None
    updated_at: str
    entity_count: int
    thing_count: int
    load: bool
    version: str
    index_version: str | None = None
    index_current: bool
    children: list[str]


class Catalog(BaseModel):
    """The answer of ``/catalog``."""

    datasets: list[Dataset]
    current: list[str]
    outdated: list[str]
    index_stale: bool


class AlgorithmInfo(BaseModel):
    """One scoring algorithm: its features and configuration."""

    name: str
    description: str
    features: dict[str, dict[str, Any]]
    docs: dict[str, Any]


class Algorithms(BaseModel):
    """The answer of ``/algorithms``."""

    algorithms: list[AlgorithmInfo]
    default: str
    best: str
