"""The objects of TAXII collections: published from our lists and hash banks, read page by page.

A collection's objects are not computed per request: when its list gets a new version (or
its bank a new revision), the changed records (entries) are published as new object
versions with a ``date_added`` of their own (unique within the collection), those gone (or
become RED) as ``revoked`` versions. A reader then pages through ``share_objects`` by
``date_added``, which is what TAXII's ``added_after`` means, and a follower that stopped
anywhere resumes exactly there.
"""

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, and_, func, or_, select, update

from watchkeeper.errors import NotFoundError
from watchkeeper.sharing.config import Collection
from watchkeeper.sharing.kinds import Coded, Snapshot, SourceRef
from watchkeeper.sharing.mapping import agency_identity
from watchkeeper.sharing.registry import source_of
from watchkeeper.sharing.selection import NEWEST, Selection
from watchkeeper.sharing.tlp import MARKING_IDS, RANK, marking_definition, may_share
from watchkeeper.store.audit import utc
from watchkeeper.store.schema import share_collections, share_objects

STEP = timedelta(microseconds=1)
_publishing = threading.Lock()  # one publisher per process; PostgreSQL rows lock across them


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One version of one object in a collection, with its TAXII ``date_added``."""

    stix_id: str
    version: str
    date_added: datetime
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a collection: objects oldest first, and whether more follow."""

    objects: list[StoredObject]
    more: bool


def content_hash(obj: dict[str, Any]) -> str:
    """A checksum of an object's content, ``modified`` left out: an unchanged record
    published again from a newer list version is not a new version."""
    content = {k: v for k, v in obj.items() if k != "modified"}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def publish(engine: Engine, collection: Collection, agency: str) -> int:
    """Bring an outbound collection up to its source's revision (a list's active version, a
    bank's revision); the objects added.

    ``agency`` owns our own lists and banks; one received from a partner is published under
    the partner's name and, by ``may_share``, only its CLEAR and GREEN records reach a reader.
    """
    found = source_of(collection)
    if found is None:
        return 0
    kind, name = found
    with _publishing, engine.begin() as conn:
        try:
            snapshot = kind.snapshot(engine, conn, SourceRef(name, agency, collection.tlp))
        except NotFoundError:
            return 0
        if _published(conn, collection.id) == snapshot.marker:
            return 0
        return _renew(conn, collection.id, snapshot)


def _published(conn: Connection, collection_id: str) -> int | None:
    """The list version or bank revision a collection last published, its row locked on
    PostgreSQL so that two service processes do not publish it at once."""
    locked = select(share_collections.c.published_version_id).where(
        share_collections.c.id == collection_id
    )
    if conn.dialect.name == "postgresql":
        locked = locked.with_for_update()
    found = conn.execute(locked).scalar()
    return int(found) if found is not None else None


def _renew(conn: Connection, collection_id: str, snapshot: Snapshot) -> int:
    """Insert what changed since the last publication, withdraw what is gone, and record
    the snapshot's marker as published; the objects added."""
    latest = _latest(conn, collection_id)
    new: list[Coded] = []
    if not latest:
        new.extend(_fixed_objects(snapshot.owner, snapshot.extension))
    items = snapshot.items()
    seen = {obj["id"] for obj, _code in items}
    new.extend(items)
    for stix_id, (_sha, data, code) in latest.items():
        listed = data.get("type") == snapshot.stix_type and "extensions" in data
        if listed and stix_id not in seen and not data.get("revoked"):
            new.append(snapshot.withdraw(data, code))
    added = _insert(conn, collection_id, new, latest, snapshot.received)
    conn.execute(
        update(share_collections)
        .where(share_collections.c.id == collection_id)
        .values(published_version_id=snapshot.marker)
    )
    return added


def _fixed_objects(owner: str, extension: dict[str, Any]) -> list[Coded]:
    """What a reader needs to understand the records: the TLP markings, the extension
    definition and the owning agency."""
    fixed = [(marking_definition(code), "CLEAR") for code in MARKING_IDS]
    return [*fixed, (extension, "CLEAR"), (agency_identity(owner), "CLEAR")]


def _latest(conn: Connection, collection_id: str) -> dict[str, tuple[str, dict[str, Any], str]]:
    """The newest version of each object of a collection: its checksum, data and code."""
    rows = conn.execute(
        select(
            share_objects.c.stix_id,
            share_objects.c.sha256,
            share_objects.c.data,
            share_objects.c.tlp,
        )
        .where(share_objects.c.collection_id == collection_id)
        .order_by(share_objects.c.id)
    )
    return {row.stix_id: (row.sha256, orjson.loads(row.data), row.tlp) for row in rows}


def _insert(
    conn: Connection,
    collection_id: str,
    objects: Iterable[Coded],
    latest: dict[str, tuple[str, dict[str, Any], str]],
    received: bool,
) -> int:
    """Insert the objects whose content changed, each with the next ``date_added``."""
    last = conn.execute(
        select(func.max(share_objects.c.date_added)).where(
            share_objects.c.collection_id == collection_id
        )
    ).scalar()
    moment = datetime.now(UTC)
    if last is not None and utc(last) >= moment:
        moment = utc(last) + STEP
    rows = []
    for obj, code in objects:
        sha = content_hash(obj)
        if obj["id"] in latest and latest[obj["id"]][0] == sha:
            continue
        rows.append(
            {
                "collection_id": collection_id,
                "stix_id": obj["id"],
                "version": obj.get("modified", obj.get("created", "")),
                "date_added": moment,
                "tlp": code,
                "received": received,
                "sha256": sha,
                "data": orjson.dumps(obj).decode("utf-8"),
            }
        )
        moment += STEP
    if rows:
        conn.execute(share_objects.insert(), rows)
    return len(rows)


def add_objects(conn: Connection, collection_id: str, objects: list[Coded]) -> int:
    """Keep objects POSTed to an inbound collection (received: passed on CLEAR/GREEN only)."""
    return _insert(conn, collection_id, objects, _latest(conn, collection_id), True)


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads a collection: whether they are named for AMBER, and the collection's ceiling."""

    ceiling: str
    named: bool

    def visible(self) -> Any:
        """The SQL condition on ``share_objects`` rows this reader may see."""
        own = [c for c in RANK if may_share(c, self.ceiling, named=self.named, received=False)]
        passed_on = [c for c in RANK if may_share(c, self.ceiling, named=self.named, received=True)]
        return or_(
            and_(share_objects.c.received.is_(False), share_objects.c.tlp.in_(own)),
            and_(share_objects.c.received.is_(True), share_objects.c.tlp.in_(passed_on)),
        )


def page(
    engine: Engine,
    collection_id: str,
    reader: Reader,
    *,
    added_after: datetime | None,
    limit: int,
    selection: Selection = NEWEST,
) -> Page:
    """The object versions ``selection`` asks for (by default the newest of each object) that
    the reader may see, added after ``added_after``, oldest first, at most ``limit``."""
    query = (
        select(
            share_objects.c.stix_id,
            share_objects.c.version,
            share_objects.c.date_added,
            share_objects.c.data,
        )
        .where(share_objects.c.collection_id == collection_id, reader.visible())
        .where(selection.condition())
        .order_by(share_objects.c.date_added)
        .limit(limit + 1)
    )
    if added_after is not None:
        query = query.where(share_objects.c.date_added > added_after)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    objects = [
        StoredObject(row.stix_id, row.version, utc(row.date_added), orjson.loads(row.data))
        for row in rows[:limit]
    ]
    return Page(objects, len(rows) > limit)
