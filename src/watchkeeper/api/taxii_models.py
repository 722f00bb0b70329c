"""The TAXII 2.1 resources (OASIS, section 4) the server answers with, as pydantic models
for the OpenAPI document; the endpoints send them as built, in TAXII's media type."""

from typing import Any

from pydantic import BaseModel


class Discovery(BaseModel):
    """Server discovery (4.1): the API roots."""

    title: str
    description: str | None = None
    default: str | None = None
    api_roots: list[str]


class ApiRoot(BaseModel):
    """An API root (4.2): its versions and the largest body it takes."""

    title: str
    versions: list[str]
    max_content_length: int


class Collection(BaseModel):
    """A collection (5.2) as the caller may use it."""

    id: str
    title: str
    description: str | None = None
    can_read: bool
    can_write: bool
    media_types: list[str]


class Collections(BaseModel):
    """The collections the caller may read or write (5.1); none is an empty resource."""

    collections: list[Collection] | None = None


class Envelope(BaseModel):
    """A page of STIX objects (3.7)."""

    more: bool
    next: str | None = None
    objects: list[dict[str, Any]] | None = None


class ManifestRecord(BaseModel):
    """What the server holds of one object version (5.4)."""

    id: str
    date_added: str
    version: str
    media_type: str


class ManifestPage(BaseModel):
    """A page of manifest records (5.4)."""

    more: bool
    next: str | None = None
    objects: list[ManifestRecord] | None = None


class Versions(BaseModel):
    """A page of an object's versions (5.8)."""

    more: bool
    next: str | None = None
    versions: list[str] | None = None


class StatusDetail(BaseModel):
    """One object of a POST: applied, or why not."""

    id: str
    version: str | None = None
    message: str | None = None


class Status(BaseModel):
    """The status of a POST (4.3): always complete, since objects are applied at once."""

    id: str
    status: str
    request_timestamp: str | None = None
    total_count: int
    success_count: int
    failure_count: int
    pending_count: int
    successes: list[StatusDetail]
    failures: list[StatusDetail]
