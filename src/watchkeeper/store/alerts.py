"""Alerts: the leads every lane hands to analysts, written where the review workflow reads them.

An alert records what was screened (the subject's facts), what it matched (list, entity and
the checksum of the entity version matched), the score and the reason. ``subject_key`` and
``entity_checksum`` together say "this subject against this version of this entity", which
is what a remembered decision is about: when the listed entity changes, its checksum does.

Every change of an alert's state is a compare-and-set on its ``version`` (``transition``),
made on a row read with ``locked``: of two reviewers acting at once, one wins and the other
is told what the alert has become (``ConflictError``), never silently overwritten.
"""

import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, select, update

from watchkeeper.errors import ConflictError, NotFoundError
from watchkeeper.matching.subject import Subject
from watchkeeper.store.alert_states import CLEARED, NEW, SUPPRESSED
from watchkeeper.store.links import Persons, links_of
from watchkeeper.store.locks import begin_immediate
from watchkeeper.store.schema import alerts, entities, lists


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert about to be stored."""

    lane: str
    kind: str  # watchlist, document, rule
    subject: Subject
    reason: str
    segment: int | None = None
    list_name: str | None = None
    entity_id: str | None = None
    score: float | None = None
    explanation: dict[str, Any] | None = field(default=None)


def subject_key(subject: Subject) -> str:
    """A stable digest of who was screened: names, birth dates and document numbers,
    normalised for case and spacing, so the same traveller next week has the same key."""
    parts = [
        "|".join(sorted(" ".join(n.lower().split()) for n in subject.names)),
        "|".join(sorted(subject.birth_dates)),
        "|".join(sorted(i.upper().replace(" ", "") for i in subject.identifiers)),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def subject_dict(subject: Subject) -> dict[str, Any]:
    """The subject's facts as stored with the alert."""
    return {
        "schema": subject.schema,
        "names": list(subject.names),
        "birth_dates": list(subject.birth_dates),
        "countries": list(subject.countries),
        "gender": subject.gender,
        "identifiers": list(subject.identifiers),
    }


def subject_from_dict(data: dict[str, Any]) -> Subject:
    """A subject back from ``subject_dict`` (stored alerts and screened subjects)."""
    return Subject(
        schema=str(data.get("schema") or "LegalEntity"),
        names=tuple(data.get("names") or ()),
        birth_dates=tuple(data.get("birth_dates") or ()),
        countries=tuple(data.get("countries") or ()),
        gender=data.get("gender"),
        identifiers=tuple(data.get("identifiers") or ()),
    )


class Inserted(NamedTuple):
    """What ``insert_alerts`` wrote: every alert, of which ``suppressed`` repeat a cleared one."""

    written: int
    suppressed: int


def insert_alerts(
    conn: Connection,
    found: Iterable[NewAlert],
    source_table: str | None,
    source_id: int | None,
    now: datetime,
) -> Inserted:
    """Write alerts inside the caller's transaction (``source_table`` and ``source_id`` say
    where the screened input is kept, when it is). Decisions are remembered: an alert on
    the same subject and the same version of the same entity as a cleared one is stored
    ``suppressed``, pointing at it, and stays out of the queue until the entity changes.
    Hits on linked listings of one person are one alert (``one_per_person``)."""
    rows = []
    suppressed = 0
    for alert in one_per_person(conn, list(found)):
        key = subject_key(alert.subject)
        checksum = _checksum(conn, alert.list_name, alert.entity_id)
        cleared = _cleared(conn, key, alert.entity_id, checksum)
        suppressed += cleared is not None
        rows.append(
            {
                "lane": alert.lane,
                "kind": alert.kind,
                "state": NEW if cleared is None else SUPPRESSED,
                "created_at": now,
                "source_table": source_table,
                "source_id": source_id,
                "segment": alert.segment,
                "subject": subject_dict(alert.subject),
                "subject_key": key,
                "list_name": alert.list_name,
                "entity_id": alert.entity_id,
                "entity_checksum": checksum,
                "score": alert.score,
                "reason": alert.reason,
                "explanation": alert.explanation,
                "suppressed_by": cleared,
            }
        )
    if rows:
        conn.execute(alerts.insert(), rows)
    return Inserted(len(rows), suppressed)


def locked(conn: Connection, alert_id: int) -> Row[Any]:
    """The alert's row, read to be changed in this transaction: no other transaction changes
    it before this one ends (SQLite: the write lock, taken before the read; PostgreSQL: the
    row's lock)."""
    begin_immediate(conn)
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id).with_for_update()).first()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}")
    return row


def transition(conn: Connection, row: Row[Any], **values: Any) -> None:
    """Write ``values`` to the alert of ``row`` only if it is still at the version ``row``
    was read at, and move it to the next version; a ``ConflictError`` with the alert as it
    is now otherwise."""
    changed = conn.execute(
        update(alerts)
        .where(alerts.c.id == row.id, alerts.c.version == row.version)
        .values(version=alerts.c.version + 1, **values)
    )
    if changed.rowcount != 1:
        now = conn.execute(select(alerts).where(alerts.c.id == row.id)).first()
        raise stale(now or row, row.version)


def stale(row: Row[Any], read: int) -> ConflictError:
    """The answer to someone who acted on version ``read`` of an alert that has moved on."""
    return ConflictError(
        f"alert {row.id} changed after you read it (version {read}): it is now {row.state}, "
        f"version {row.version}. Nothing was saved; look at it again before acting.",
        current_state(row),
    )


def current_state(row: Row[Any]) -> dict[str, object]:
    """What a refused reviewer needs to see to act again: state, version and who holds it."""
    return {
        "id": row.id,
        "state": row.state,
        "version": row.version,
        "pending_state": row.pending_state,
        "pending_by": row.pending_by,
        "assignee": row.assignee,
    }


def _cleared(conn: Connection, key: str, entity_id: str | None, checksum: str | None) -> int | None:
    """The newest cleared alert on this subject and entity version; never for rule alerts."""
    if entity_id is None or checksum is None:
        return None
    query = (
        select(alerts.c.id)
        .where(
            alerts.c.subject_key == key,
            alerts.c.entity_id == entity_id,
            alerts.c.state == CLEARED,
            alerts.c.entity_checksum == checksum,
        )
        .order_by(alerts.c.id.desc())
        .limit(1)
    )
    return conn.execute(query).scalar()


def _checksum(conn: Connection, list_name: str | None, entity_id: str | None) -> str | None:
    """The checksum of the entity in the list's active version, i.e. the version matched."""
    if list_name is None or entity_id is None:
        return None
    query = (
        select(entities.c.checksum)
        .join(lists, lists.c.active_version_id == entities.c.version_id)
        .where(lists.c.name == list_name, entities.c.entity_id == entity_id)
    )
    return conn.execute(query).scalar()


# One alert per listed person: a traveller who matches UN QDi.325 and OFAC 17066 (one man,
# ``store.links``) is one lead, reviewed once with both listings before the analyst. The
# alert is the best-scored listing's; the others ride in its explanation (``other_listings``)
# with their own scores and reasons. A listing linked to nothing keeps its own alert.


def one_per_person(conn: Connection, found: list[NewAlert]) -> list[NewAlert]:
    """``found`` with the alerts of one kind on linked listings of one person, raised by the
    same screened subject at the same place (a traveller's segment, a payment's remittance
    text), merged into the best-scored one."""
    listed = [a for a in found if a.list_name and a.entity_id]
    if len(listed) < 2:
        return found
    persons = Persons(links_of(conn, entity_ids={str(a.entity_id) for a in listed}))
    if not persons.links:
        return found
    merged: dict[Hashable, list[NewAlert]] = {}
    order: list[NewAlert | Hashable] = []
    for alert in found:
        if not alert.list_name or not alert.entity_id:
            order.append(alert)
            continue
        person = persons.root((alert.list_name, alert.entity_id))
        key = (alert.kind, subject_key(alert.subject), alert.segment, person)
        if key not in merged:
            order.append(key)
        merged.setdefault(key, []).append(alert)
    return [_merged(merged[item]) if not isinstance(item, NewAlert) else item for item in order]


def _merged(hits: list[NewAlert]) -> NewAlert:
    """The best-scored alert of one person, the others listed in its explanation."""
    if len(hits) == 1:
        return hits[0]
    ranked = sorted(hits, key=lambda a: -(a.score or 0.0))
    best, others = ranked[0], ranked[1:]
    explanation: dict[str, Any] = dict(best.explanation or {})
    explanation["other_listings"] = [
        {
            "list": other.list_name,
            "entity_id": other.entity_id,
            "score": other.score,
            "reason": other.reason,
        }
        for other in others
    ]
    also = ", ".join(f"{o.list_name} {o.entity_id}" for o in others)
    return replace(best, reason=f"{best.reason} (also listed: {also})", explanation=explanation)
