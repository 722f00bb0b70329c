"""The W3C Reconciliation Service API's response shapes (v0.2), as pydantic models for the
OpenAPI document; the endpoints answer with the plain data they build, which the tests
check against the specification's own JSON schemas."""

from typing import Any

from pydantic import BaseModel, Field, RootModel


class Named(BaseModel):
    """An id and a label: a type, a property, a column."""

    id: str
    name: str


class Service(BaseModel):
    """Where a client finds one of the manifest's services."""

    service_url: str
    service_path: str


class Url(BaseModel):
    """An address template with ``{{id}}`` in it."""

    url: str


class Preview(Url):
    """The preview service and the size of its frame."""

    width: int
    height: int


class Extend(BaseModel):
    """The data extension service: where properties are proposed, and their settings."""

    propose_properties: Service
    property_settings: list[dict[str, Any]]


class ServiceManifest(BaseModel):
    """The service manifest a client reads when the service is added."""

    versions: list[str]
    name: str
    identifierSpace: str
    schemaSpace: str
    documentation: str
    serviceVersion: str
    defaultTypes: list[Named]
    view: Url
    preview: Preview
    suggest: dict[str, Service]
    extend: Extend
    batchSize: int
    authentication: dict[str, str]


class Feature(BaseModel):
    """One feature of a candidate's score."""

    id: str
    value: float


class Candidate(BaseModel):
    """A candidate for a query: a person's best listing, its score out of 100."""

    id: str
    name: str
    description: str
    type: list[Named]
    score: float
    match: bool
    features: list[Feature]


class QueryResult(BaseModel):
    """The candidates of one query; ``error`` says why a query could not be read."""

    result: list[Candidate]
    error: str | None = None


class QueryResults(RootModel[dict[str, QueryResult]]):
    """The results of a batch of queries, by the queries' keys."""


class Cell(BaseModel):
    """A value of a data extension cell: text, or an entity's id and name."""

    str_: str | None = Field(None, alias="str")
    id: str | None = None
    name: str | None = None


class ExtendResponse(BaseModel):
    """The data extension answer: a column per property, a row per id asked for."""

    meta: list[Named]
    rows: dict[str, dict[str, list[Cell]]]


class EntitySuggestion(BaseModel):
    """A listed entity whose name, alias or id starts as typed."""

    id: str
    name: str
    description: str
    notable: list[Named]


class EntitySuggestions(BaseModel):
    """The answer of the entity suggest service."""

    result: list[EntitySuggestion]


class TypeSuggestion(Named):
    """An FtM schema and the ones it extends."""

    broader: list[Named]


class TypeSuggestions(BaseModel):
    """The answer of the type suggest service."""

    result: list[TypeSuggestion]


class PropertySuggestions(BaseModel):
    """The answer of the property suggest service."""

    result: list[Named]


class ProposedProperties(BaseModel):
    """The properties a client may fetch for entities of ``type``."""

    type: str
    limit: int
    properties: list[Named]
