"""TAXII 2.1 (OASIS) over the service: partners read the lists and hash banks we share with
them as STIX and post theirs to the collections they may write to (docs/sharing.md).

Every call needs a token, as the rest of the service does. A token whose user stands for a
partner (``share partners add --user``) reads the collections that name it or name no one,
and AMBER records only where it is named; our own staff read every collection with the
analyst role. Every read and write is audited.
"""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from watchkeeper.api.auditing import audited
from watchkeeper.api.security import audit, current_actor
from watchkeeper.auth import Actor
from watchkeeper.errors import ConfigError, WatchkeeperError
from watchkeeper.sharing.apply import apply_records, read_objects
from watchkeeper.sharing.bank_apply import apply_entries, read_indicators
from watchkeeper.sharing.config import (
    Collection,
    collections,
    get_collection,
    partner_list,
    partner_of_user,
)
from watchkeeper.sharing.keys import load_agency
from watchkeeper.sharing.mapping import stix_time
from watchkeeper.sharing.objects import Reader, StoredObject, add_objects, page, publish
from watchkeeper.sharing.tlp import DEFAULT_CODE, code_of_markings
from watchkeeper.store.audit import utc
from watchkeeper.store.schema import share_status

TAXII = "application/taxii+json;version=2.1"
STIX = "application/stix+json;version=2.1"
ROOT = "/taxii2/api/"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_POST = 1000  # objects in one POST; a partner sends more in several
router = APIRouter(prefix="/taxii2", tags=["taxii"])


class TaxiiResponse(Response):
    """JSON with the TAXII 2.1 media type, which TAXII clients check."""

    media_type = TAXII

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


Caller = Annotated[Actor, Depends(current_actor)]


def agency_of(request: Request) -> str:
    """Our agency name, read once from the data folder; 503 until ``share keys init``."""
    name: str | None = getattr(request.app.state, "agency", None)
    if name is None:
        try:
            name = load_agency(request.app.state.settings.data_dir).name
        except ConfigError as exc:
            raise HTTPException(status_code=503, detail=exc.detail) from exc
        request.app.state.agency = name
    return name


def access(request: Request, actor: Actor, collection: Collection) -> tuple[str | None, bool, bool]:
    """The caller's partner name (None for our staff), and whether it may read and write."""
    with request.app.state.engine.connect() as conn:
        partner = partner_of_user(conn, actor.username)
    if partner is None:
        return None, actor.can("analyst"), actor.can("admin") and not collection.outbound
    if not collection.outbound:
        return partner, partner in collection.writers, partner in collection.writers
    readable = not collection.partners or partner in collection.partners
    return partner, readable, False


def _collection(request: Request, actor: Actor, collection_id: str, write: bool = False) -> Any:
    try:
        collection = get_collection(request.app.state.engine, collection_id)
    except WatchkeeperError as exc:
        raise HTTPException(status_code=404, detail=exc.detail) from exc
    partner, can_read, can_write = access(request, actor, collection)
    if not (can_write if write else can_read):
        raise HTTPException(status_code=403, detail="this collection is not shared with you")
    return collection, partner


def _resource(request: Request, actor: Actor, collection: Collection) -> dict[str, Any]:
    _partner, can_read, can_write = access(request, actor, collection)
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


@router.get("/", response_class=TaxiiResponse)
def discovery(request: Request, _actor: Caller) -> TaxiiResponse:
    """TAXII server discovery: the one API root."""
    root = str(request.base_url).rstrip("/") + ROOT
    return TaxiiResponse(
        {
            "title": f"watchkeeper of {agency_of(request)}",
            "description": "Watchlist sharing between agencies (STIX 2.1 over TAXII 2.1)",
            "default": root,
            "api_roots": [root],
        }
    )


@router.get("/api/", response_class=TaxiiResponse)
def api_root(request: Request, _actor: Caller) -> TaxiiResponse:
    """The API root: TAXII 2.1 only."""
    return TaxiiResponse(
        {
            "title": f"watchkeeper of {agency_of(request)}",
            "versions": [TAXII],
            "max_content_length": 10 * 1024 * 1024,
        }
    )


@router.get("/api/collections/", response_class=TaxiiResponse)
def list_collections(request: Request, actor: Caller) -> TaxiiResponse:
    """The collections the caller may read or write."""
    found = []
    for collection in collections(request.app.state.engine):
        resource = _resource(request, actor, collection)
        if resource["can_read"] or resource["can_write"]:
            found.append(resource)
    return TaxiiResponse({"collections": found} if found else {})


@router.get("/api/collections/{collection_id}/", response_class=TaxiiResponse)
def one_collection(request: Request, actor: Caller, collection_id: str) -> TaxiiResponse:
    """One collection the caller may read or write."""
    collection = get_collection(request.app.state.engine, collection_id)
    resource = _resource(request, actor, collection)
    if not (resource["can_read"] or resource["can_write"]):
        raise HTTPException(status_code=403, detail="this collection is not shared with you")
    return TaxiiResponse(resource)


def _moment(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name}: not a timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _page(
    request: Request,
    actor: Actor,
    collection_id: str,
    added_after: str | None,
    next_: str | None,
    limit: int,
    ids: list[str] | None,
    types: list[str] | None,
) -> tuple[list[StoredObject], bool]:
    """Publish what changed in the list, then read one page as this caller may see it."""
    collection, partner = _collection(request, actor, collection_id)
    engine = request.app.state.engine
    publish(engine, collection, agency_of(request))
    reader = Reader(collection.tlp, named=partner is None or partner in collection.partners)
    after = _moment(next_, "next") or _moment(added_after, "added_after")
    result = page(
        engine, collection.id, reader, added_after=after, limit=limit, ids=ids, types=types
    )
    detail = {
        "partner": partner,
        "objects": len(result.objects),
        "added_after": stix_time(after) if after else None,
    }
    audit(request, actor, "share.read", ("collection", collection.id), detail)
    return result.objects, result.more


def _headers(objects: list[StoredObject]) -> dict[str, str]:
    if not objects:
        return {}
    return {
        "X-TAXII-Date-Added-First": stix_time(objects[0].date_added),
        "X-TAXII-Date-Added-Last": stix_time(objects[-1].date_added),
    }


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
MatchId = Annotated[str | None, Query(alias="match[id]")]
MatchType = Annotated[str | None, Query(alias="match[type]")]
Next = Annotated[str | None, Query(alias="next")]


@router.get("/api/collections/{collection_id}/objects/", response_class=TaxiiResponse)
def get_objects(
    request: Request,
    actor: Caller,
    collection_id: str,
    added_after: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
    next_: Next = None,
    match_id: MatchId = None,
    match_type: MatchType = None,
) -> TaxiiResponse:
    """The newest version of each object, oldest ``date_added`` first; page with ``next``
    (or ``added_after`` set to the last ``X-TAXII-Date-Added-Last``)."""
    objects, more = _page(
        request,
        actor,
        collection_id,
        added_after,
        next_,
        limit,
        _split(match_id),
        _split(match_type),
    )
    return _listing(objects, more, [o.data for o in objects])


@router.get("/api/collections/{collection_id}/manifest/", response_class=TaxiiResponse)
def get_manifest(
    request: Request,
    actor: Caller,
    collection_id: str,
    added_after: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
    next_: Next = None,
    match_id: MatchId = None,
    match_type: MatchType = None,
) -> TaxiiResponse:
    """What ``objects`` would return, without the objects themselves."""
    objects, more = _page(
        request,
        actor,
        collection_id,
        added_after,
        next_,
        limit,
        _split(match_id),
        _split(match_type),
    )
    entries = [
        {
            "id": o.stix_id,
            "date_added": stix_time(o.date_added),
            "version": o.version,
            "media_type": STIX,
        }
        for o in objects
    ]
    return _listing(objects, more, entries)


def _listing(objects: list[StoredObject], more: bool, items: list[dict[str, Any]]) -> TaxiiResponse:
    """A page of an envelope or a manifest: ``more``, ``next`` and the items, and the
    ``X-TAXII-Date-Added-*`` headers of ``objects``."""
    body: dict[str, Any] = {"more": more}
    if more:
        body["next"] = stix_time(objects[-1].date_added)
    if objects:
        body["objects"] = items
    return TaxiiResponse(body, headers=_headers(objects))


@router.get("/api/collections/{collection_id}/objects/{object_id}/", response_class=TaxiiResponse)
def get_object(
    request: Request, actor: Caller, collection_id: str, object_id: str
) -> TaxiiResponse:
    """The newest version of one object, if the caller may see it."""
    objects, _more = _page(request, actor, collection_id, None, None, 1, [object_id], None)
    if not objects:
        raise HTTPException(status_code=404, detail=f"no object {object_id} for you here")
    return TaxiiResponse({"more": False, "objects": [objects[0].data]}, headers=_headers(objects))


@router.post(
    "/api/collections/{collection_id}/objects/", response_class=TaxiiResponse, status_code=202
)
async def post_objects(request: Request, actor: Caller, collection_id: str) -> TaxiiResponse:
    """Add objects to an inbound collection; identities also become records of the posting
    partner's list, PDQ indicators entries of its banks. Answers with the status resource
    (complete: applied at once)."""
    collection, partner = _collection(request, actor, collection_id, write=True)
    try:
        envelope = orjson.loads(await request.body())
    except orjson.JSONDecodeError as exc:
        raise HTTPException(status_code=400, detail=f"not JSON: {exc}") from None
    objects = envelope.get("objects") if isinstance(envelope, dict) else None
    if not isinstance(objects, list) or len(objects) > MAX_POST:
        raise HTTPException(
            status_code=400, detail=f"expected an envelope with up to {MAX_POST} objects"
        )
    status = _store_posted(request, collection, partner or actor.username, objects)
    await audited(
        request,
        actor,
        "share.write",
        ("collection", collection.id),
        {"partner": partner, "objects": len(objects), "status": status["id"]},
    )
    return TaxiiResponse(status, status_code=202)


def _store_posted(
    request: Request, collection: Collection, partner: str, objects: list[Any]
) -> dict[str, Any]:
    """Keep the valid objects, apply the identities and PDQ indicators, and record the
    status resource."""
    engine = request.app.state.engine
    good: list[tuple[dict[str, Any], str]] = []
    failures: list[dict[str, str]] = []
    for obj in objects:
        if isinstance(obj, dict) and isinstance(obj.get("id"), str) and "--" in obj["id"]:
            code = code_of_markings(list(obj.get("object_marking_refs", [])), DEFAULT_CODE)
            good.append((obj, code))
        else:
            oid = str(obj.get("id")) if isinstance(obj, dict) else ""
            failures.append({"id": oid, "message": "not a STIX object (no type--uuid id)"})
    origin = f"taxii-post:{collection.id}"
    received, issues = read_objects([o for o, _c in good], partner, origin, DEFAULT_CODE)
    if received:
        apply_records(engine, partner_list(partner), partner, received, origin=origin, cursor=None)
    entries, bank_issues = read_indicators([o for o, _c in good], partner, origin, DEFAULT_CODE)
    issues.extend(bank_issues)
    successes = [
        {"id": o["id"], "version": str(o.get("modified", o.get("created")))} for o, _c in good
    ]
    now = datetime.now(UTC)
    status_id = str(uuid.uuid4())
    with engine.begin() as conn:
        apply_entries(conn, partner, entries, now)
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
                    "problems": [str(i) for i in issues],
                },
            )
        )
    return _status(status_id, now, len(objects), successes, failures)


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


@router.get("/api/status/{status_id}/", response_class=TaxiiResponse)
def get_status(request: Request, actor: Caller, status_id: str) -> TaxiiResponse:
    """The status of an earlier POST (always complete: objects are applied at once)."""
    with request.app.state.engine.connect() as conn:
        row = conn.execute(select(share_status).where(share_status.c.id == status_id)).first()
    if row is None:
        raise HTTPException(status_code=404, detail=f"no status {status_id}")
    _collection(request, actor, row.collection_id, write=True)
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
