"""TAXII 2.1 (OASIS) over the service: partners read the lists and hash banks we share with
them as STIX and post theirs to the collections they may write to (docs/sharing.md).

Every call needs a token, as the rest of the service does. A token whose user stands for a
partner (``share partners add --user``) reads the collections that name it or name no one,
and AMBER records only where it is named; our own staff read every collection with the
analyst role. Every read and write is audited.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from sqlalchemy import Connection, Engine, select
from starlette.routing import Match

from watchkeeper.api import taxii_models as models
from watchkeeper.api.answers import shaped
from watchkeeper.api.problems import errors
from watchkeeper.api.security import current_actor
from watchkeeper.api.taxii_media import (
    TAXII,
    TaxiiResponse,
    TaxiiRoute,
    error_resource,
    error_responses,
    negotiate,
    taxii_body,
)
from watchkeeper.auth import Actor
from watchkeeper.errors import (
    ConfigError,
    ForbiddenError,
    NotFoundError,
    UsageError,
    WatchkeeperError,
)
from watchkeeper.service.auditing import Auditor
from watchkeeper.service.deps import AuditDep, EngineDep, Services, ServicesDep
from watchkeeper.service.refusals import Unavailable
from watchkeeper.sharing.config import (
    Collection,
    collections,
    get_collection,
    partner_of_user,
)
from watchkeeper.sharing.keys import load_agency
from watchkeeper.sharing.kinds import Inbound
from watchkeeper.sharing.mapping import stix_time
from watchkeeper.sharing.objects import Page, Reader, StoredObject, add_objects, page, publish
from watchkeeper.sharing.receive import Received, receive
from watchkeeper.sharing.selection import ALL, FIRST, LAST, SPEC_VERSION, Selection
from watchkeeper.sharing.tlp import DEFAULT_CODE, code_of_markings
from watchkeeper.store.audit import utc
from watchkeeper.store.schema import share_status

STIX = f"application/stix+json;version={SPEC_VERSION}"
ROOT = "/taxii2/api/"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_POST = 1000  # objects in one POST; a partner sends more in several
router = APIRouter(
    prefix="/taxii2",
    tags=["taxii"],
    route_class=TaxiiRoute,
    dependencies=[Depends(negotiate)],
    # 413 comes from the service's body guard, before any TAXII route runs.
    responses={**errors(413), **error_responses(400, 401, 403, 404, 406, 429, 503)},
)


Caller = Annotated[Actor, Depends(current_actor)]


def agency_of(held: Services) -> str:
    """Our agency name, read once from the data folder; 503 until ``share keys init``."""
    if held.agency is None:
        try:
            held.agency = load_agency(held.settings.data_dir).name
        except ConfigError as exc:
            raise Unavailable(exc.detail) from exc
    return held.agency


def access(engine: Engine, actor: Actor, collection: Collection) -> tuple[str | None, bool, bool]:
    """The caller's partner name (None for our staff), and whether it may read and write."""
    with engine.connect() as conn:
        partner = partner_of_user(conn, actor.username)
    if partner is None:
        return None, actor.can("analyst"), actor.can("admin") and not collection.outbound
    if not collection.outbound:
        return partner, partner in collection.writers, partner in collection.writers
    readable = not collection.partners or partner in collection.partners
    return partner, readable, False


def shared_collection(
    engine: Engine, actor: Actor, collection_id: str, write: bool = False
) -> tuple[Collection, str | None]:
    """The collection and the caller's partner name; 404 for no such collection, 403 when
    the caller may not read it (or write to it, with ``write``)."""
    try:
        collection = get_collection(engine, collection_id)
    except WatchkeeperError as exc:
        raise NotFoundError(exc.detail) from exc
    partner, can_read, can_write = access(engine, actor, collection)
    if not (can_write if write else can_read):
        raise ForbiddenError("this collection is not shared with you")
    return collection, partner


def resource(engine: Engine, actor: Actor, collection: Collection) -> dict[str, Any]:
    """A collection resource as this caller sees it."""
    _partner, can_read, can_write = access(engine, actor, collection)
    held = (
        "STIX indicators of PDQ hashes with the watchkeeper PDQ extension"
        if collection.bank_name is not None
        else "STIX identities with the watchkeeper FtM extension"
    )
    return {
        "id": collection.id,
        "title": collection.title,
        "description": f"TLP ceiling {collection.tlp}; {held}",
        "can_read": can_read,
        "can_write": can_write,
        "media_types": [STIX],
    }


@router.get("/", response_class=TaxiiResponse, responses=shaped(models.Discovery))
def discovery(request: Request, _actor: Caller, held: ServicesDep) -> TaxiiResponse:
    """TAXII server discovery: the one API root."""
    root = str(request.base_url).rstrip("/") + ROOT
    return TaxiiResponse(
        {
            "title": f"watchkeeper of {agency_of(held)}",
            "description": "Watchlist sharing between agencies (STIX 2.1 over TAXII 2.1)",
            "default": root,
            "api_roots": [root],
        }
    )


@router.get("/api/", response_class=TaxiiResponse, responses=shaped(models.ApiRoot))
def api_root(_actor: Caller, held: ServicesDep) -> TaxiiResponse:
    """The API root: TAXII 2.1 only."""
    return TaxiiResponse(
        {
            "title": f"watchkeeper of {agency_of(held)}",
            "versions": [TAXII],
            "max_content_length": 10 * 1024 * 1024,
        }
    )


@router.get("/api/collections/", response_class=TaxiiResponse, responses=shaped(models.Collections))
def list_collections(actor: Caller, engine: EngineDep) -> TaxiiResponse:
    """The collections the caller may read or write."""
    found = []
    for collection in collections(engine):
        shown = resource(engine, actor, collection)
        if shown["can_read"] or shown["can_write"]:
            found.append(shown)
    return TaxiiResponse({"collections": found} if found else {})


@router.get(
    "/api/collections/{collection_id}/",
    response_class=TaxiiResponse,
    responses=shaped(models.Collection),
)
def one_collection(actor: Caller, engine: EngineDep, collection_id: str) -> TaxiiResponse:
    """One collection the caller may read or write."""
    shown = resource(engine, actor, get_collection(engine, collection_id))
    if not (shown["can_read"] or shown["can_write"]):
        raise ForbiddenError("this collection is not shared with you")
    return TaxiiResponse(shown)


def _timestamp(value: str, name: str) -> datetime:
    """A STIX timestamp of a parameter (UTC when it names no zone); 400 when it is none."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{name}: not a timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(value: str | None, name: str) -> datetime | None:
    return _timestamp(value, name) if value is not None else None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else ()


@dataclass(frozen=True, slots=True)
class Window:
    """Where a page starts (``next``, else ``added_after``) and how long it is at most."""

    after: datetime | None
    limit: int


def window(
    added_after: str | None = None,
    limit: Annotated[int, Query(ge=1)] = DEFAULT_LIMIT,
    next_: Annotated[str | None, Query(alias="next")] = None,
) -> Window:
    """The page asked for; a ``limit`` above ours is served as ours, as TAXII allows."""
    after = _moment(next_, "next") or _moment(added_after, "added_after")
    return Window(after, min(limit, MAX_LIMIT))


MatchVersion = Annotated[str | None, Query(alias="match[version]")]
MatchSpecVersion = Annotated[str | None, Query(alias="match[spec_version]")]


def versions(
    match_version: MatchVersion = None, match_spec_version: MatchSpecVersion = None
) -> Selection:
    """``match[version]`` (``first``, ``last``, ``all``, timestamps; ``last`` when absent)
    and ``match[spec_version]``."""
    keywords: set[str] = set()
    moments: list[datetime] = []
    for value in _split(match_version) or (LAST,):
        if value in (FIRST, LAST, ALL):
            keywords.add(value)
        else:
            moments.append(_timestamp(value, "match[version]"))
    return Selection(
        versions=frozenset(keywords),
        moments=tuple(moments),
        spec_versions=_split(match_spec_version),
    )


def matching(
    chosen: Annotated[Selection, Depends(versions)],
    match_id: Annotated[str | None, Query(alias="match[id]")] = None,
    match_type: Annotated[str | None, Query(alias="match[type]")] = None,
) -> Selection:
    """Every ``match[...]`` filter of the objects and manifest endpoints."""
    return replace(chosen, ids=_split(match_id), types=_split(match_type))


Paged = Annotated[Window, Depends(window)]


def _page(
    held: Services,
    audit: Auditor,
    actor: Actor,
    collection_id: str,
    at: Window,
    selection: Selection,
    object_id: str | None = None,
) -> Page:
    """Publish what changed in the list, then read one page as this caller may see it; for
    one object (``object_id``), 404 when the caller may see no version of it at all (one
    filtered out is an empty page)."""
    engine = held.engine
    collection, partner = shared_collection(engine, actor, collection_id)
    publish(engine, collection, agency_of(held))
    reader = Reader(collection.tlp, named=partner is None or partner in collection.partners)
    if object_id is not None:
        selection = replace(selection, ids=(object_id,))
    result = page(
        engine, collection.id, reader, added_after=at.after, limit=at.limit, selection=selection
    )
    detail = {
        "partner": partner,
        "objects": len(result.objects),
        "added_after": stix_time(at.after) if at.after else None,
    }
    audit(actor, "share.read", ("collection", collection.id), detail)
    if object_id is not None and not result.objects:
        anything = Selection(ids=(object_id,), versions=frozenset({ALL}))
        if not page(
            engine, collection.id, reader, added_after=None, limit=1, selection=anything
        ).objects:
            raise NotFoundError(f"no object {object_id} for you here")
    return result


def _headers(objects: list[StoredObject]) -> dict[str, str]:
    if not objects:
        return {}
    return {
        "X-TAXII-Date-Added-First": stix_time(objects[0].date_added),
        "X-TAXII-Date-Added-Last": stix_time(objects[-1].date_added),
    }


@router.get(
    "/api/collections/{collection_id}/objects/",
    response_class=TaxiiResponse,
    responses=shaped(models.Envelope),
)
def get_objects(
    actor: Caller,
    held: ServicesDep,
    audit: AuditDep,
    collection_id: str,
    at: Paged,
    selection: Annotated[Selection, Depends(matching)],
) -> TaxiiResponse:
    """The selected versions (by default the newest of each object), oldest ``date_added``
    first; page with ``next`` (or ``added_after`` set to the last
    ``X-TAXII-Date-Added-Last``)."""
    found = _page(held, audit, actor, collection_id, at, selection)
    return _listing(found, "objects", [o.data for o in found.objects])


@router.get(
    "/api/collections/{collection_id}/manifest/",
    response_class=TaxiiResponse,
    responses=shaped(models.ManifestPage),
)
def get_manifest(
    actor: Caller,
    held: ServicesDep,
    audit: AuditDep,
    collection_id: str,
    at: Paged,
    selection: Annotated[Selection, Depends(matching)],
) -> TaxiiResponse:
    """What ``objects`` would return, without the objects themselves."""
    found = _page(held, audit, actor, collection_id, at, selection)
    entries = [
        {
            "id": o.stix_id,
            "date_added": stix_time(o.date_added),
            "version": o.version,
            "media_type": STIX,
        }
        for o in found.objects
    ]
    return _listing(found, "objects", entries)


def _listing(found: Page, key: str, items: list[Any]) -> TaxiiResponse:
    """A page of an envelope, a manifest or versions: ``more``, ``next`` and the items under
    ``key``, and the ``X-TAXII-Date-Added-*`` headers of the page's objects."""
    body: dict[str, Any] = {"more": found.more}
    if found.more:
        body["next"] = stix_time(found.objects[-1].date_added)
    if found.objects:
        body[key] = items
    return TaxiiResponse(body, headers=_headers(found.objects))


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/",
    response_class=TaxiiResponse,
    responses=shaped(models.Envelope),
)
def get_object(
    actor: Caller,
    held: ServicesDep,
    audit: AuditDep,
    collection_id: str,
    object_id: str,
    at: Paged,
    chosen: Annotated[Selection, Depends(versions)],
) -> TaxiiResponse:
    """The selected versions of one object (by default its newest), if the caller may see
    it; 404 when it may see no version of it."""
    found = _page(held, audit, actor, collection_id, at, chosen, object_id)
    return _listing(found, "objects", [o.data for o in found.objects])


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/versions/",
    response_class=TaxiiResponse,
    responses=shaped(models.Versions),
)
def get_object_versions(
    actor: Caller,
    held: ServicesDep,
    audit: AuditDep,
    collection_id: str,
    object_id: str,
    at: Paged,
    match_spec_version: MatchSpecVersion = None,
) -> TaxiiResponse:
    """The versions (``modified``) of one object the caller may see, oldest first; 404 when
    it may see none."""
    every = Selection(versions=frozenset({ALL}), spec_versions=_split(match_spec_version))
    found = _page(held, audit, actor, collection_id, at, every, object_id)
    return _listing(found, "versions", [o.version for o in found.objects])


@router.post(
    "/api/collections/{collection_id}/objects/",
    response_class=TaxiiResponse,
    status_code=202,
    dependencies=[Depends(taxii_body)],
    responses={**shaped(models.Status, 202), **error_responses(415)},
)
async def post_objects(
    request: Request, actor: Caller, engine: EngineDep, audit: AuditDep, collection_id: str
) -> TaxiiResponse:
    """Add objects to an inbound collection; identities also become records of the posting
    partner's list, PDQ indicators entries of its banks. Answers with the status resource
    (complete: applied at once)."""
    collection, partner = shared_collection(engine, actor, collection_id, write=True)
    try:
        envelope = orjson.loads(await request.body())
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"not JSON: {exc}") from None
    objects = envelope.get("objects") if isinstance(envelope, dict) else None
    if not isinstance(objects, list) or len(objects) > MAX_POST:
        raise UsageError(f"expected an envelope with up to {MAX_POST} objects")
    status = _store_posted(engine, collection, partner or actor.username, objects)
    await audit.durable(
        actor,
        "share.write",
        ("collection", collection.id),
        {"partner": partner, "objects": len(objects), "status": status["id"]},
    )
    return TaxiiResponse(status, status_code=202)


def _store_posted(
    engine: Engine, collection: Collection, partner: str, objects: list[Any]
) -> dict[str, Any]:
    """Keep the valid objects, apply them as a followed page is (``receive``: identities,
    PDQ indicators...), and record the status resource, all in one transaction."""
    good: list[tuple[dict[str, Any], str]] = []
    failures: list[dict[str, str]] = []
    for obj in objects:
        problem = _malformed(obj)
        if problem is None:
            code = code_of_markings(obj.get("object_marking_refs", []), DEFAULT_CODE)
            good.append((obj, code))
        else:
            oid = str(obj.get("id")) if isinstance(obj, dict) else ""
            failures.append({"id": oid, "message": problem})
    successes = [
        {"id": o["id"], "version": str(o.get("modified", o.get("created")))} for o, _c in good
    ]
    now = datetime.now(UTC)
    inbound = Inbound(partner, f"taxii-post:{collection.id}", now)
    status_id = str(uuid.uuid4())

    def keep(conn: Connection, received: Received) -> None:
        add_objects(conn, collection.id, good)
        conn.execute(
            share_status.insert().values(
                id=status_id,
                collection_id=collection.id,
                created_at=now,
                total=len(objects),
                success=len(good),
                failure=len(failures),
                detail={
                    "successes": successes,
                    "failures": failures,
                    "problems": [str(i) for i in received.issues],
                },
            )
        )

    receive(engine, [o for o, _c in good], inbound, keep)
    return _status(status_id, now, len(objects), successes, failures)


# STIX 2.1 common properties the readers rely on, and the JSON type each must have.
_COMMON: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "created": str,
    "modified": str,
    "valid_from": str,
    "name": str,
    "description": str,
    "pattern": str,
    "identity_class": str,
    "revoked": bool,
    "extensions": dict,
}


def _malformed(obj: Any) -> str | None:
    """Why a posted object is not a STIX 2.1 object the readers can take; None when it is. A
    partner's malformed object fails alone, in the status resource, instead of the request.
    The collection serves what it keeps, so it keeps no ``null`` (STIX allows none) and no
    other spec version (every object held is 2.1: ``selection``)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or "--" not in obj["id"]:
        return "not a STIX object (no type--uuid id)"
    if obj.get("spec_version", SPEC_VERSION) != SPEC_VERSION:
        return f"spec_version must be {SPEC_VERSION}: this collection holds STIX {SPEC_VERSION}"
    if _has_null(obj):
        return "null properties are not allowed in STIX"
    refs = obj.get("object_marking_refs", [])
    if not isinstance(refs, list) or not all(isinstance(ref, str) for ref in refs):
        return "object_marking_refs must be a list of marking-definition ids"
    for name, kind in _COMMON.items():
        if name in obj and not isinstance(obj[name], kind):
            return f"{name} has the wrong JSON type"
    return None


def _has_null(value: Any) -> bool:
    """Whether a JSON value holds a ``null`` anywhere."""
    if isinstance(value, dict):
        return any(_has_null(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_null(v) for v in value)
    return value is None


def _status(
    status_id: str,
    at: datetime,
    total: int,
    successes: list[dict[str, str]],
    failures: list[dict[str, str]],
) -> dict[str, Any]:
    """A TAXII status resource; always complete, since objects are applied at once."""
    return {
        "id": status_id,
        "status": "complete",
        "request_timestamp": stix_time(at),
        "total_count": total,
        "success_count": len(successes),
        "failure_count": len(failures),
        "pending_count": 0,
        "successes": successes,
        "failures": failures,
    }


@router.get(
    "/api/status/{status_id}/", response_class=TaxiiResponse, responses=shaped(models.Status)
)
def get_status(actor: Caller, engine: EngineDep, status_id: str) -> TaxiiResponse:
    """The status of an earlier POST (always complete: objects are applied at once)."""
    with engine.connect() as conn:
        row = conn.execute(select(share_status).where(share_status.c.id == status_id)).first()
    if row is None:
        raise NotFoundError(f"no status {status_id}")
    shared_collection(engine, actor, row.collection_id, write=True)
    detail = row.detail or {}
    return TaxiiResponse(
        _status(
            row.id,
            utc(row.created_at),
            row.total,
            detail.get("successes", []),
            detail.get("failures", []),
        )
    )


@router.api_route(
    "/{path:path}",
    methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    include_in_schema=False,
)
def elsewhere(request: Request, path: str) -> Response:
    """No TAXII endpoint here, answered as TAXII: 405 where another method is one, a
    redirect where the path lacks its trailing slash (every TAXII URL ends with one), else
    404."""
    routes = [
        route
        for route in router.routes
        if isinstance(route, APIRoute) and route.endpoint is not elsewhere
    ]
    allowed = sorted(
        method
        for route in routes
        if route.matches(request.scope)[0] is Match.PARTIAL
        for method in route.methods or ()
    )
    if allowed:
        detail = f"{request.method} is not allowed here; {', '.join(allowed)} is"
        return error_resource(405, detail, {"Allow": ", ".join(allowed)})
    slashed = {**request.scope, "path": request.url.path + "/"}
    if any(route.matches(slashed)[0] is not Match.NONE for route in routes):
        return RedirectResponse(request.url.replace(path=slashed["path"]), 307)
    raise NotFoundError(f"no TAXII endpoint at /taxii2/{path}")
