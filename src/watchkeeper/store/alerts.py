"""Alerts: the leads every lane hands to analysts, written where the review workflow reads them.

An alert records what was screened (the subject's facts), what it matched (list, entity and
the checksum of the entity version matched), the score and the reason. ``subject_key`` and
``entity_checksum`` together say "this subject against this version of this entity", which
is what a remembered decision is about: when the listed entity changes, its checksum does.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from watchkeeper.matching.subject import Subject
from watchkeeper.store.schema import alerts, entities, lists

NEW = "new"


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


def insert_alerts(
    conn: Connection,
    found: Iterable[NewAlert],
    source_table: str,
    source_id: int,
    now: datetime,
) -> int:
    """Write alerts inside the caller's transaction; returns how many."""
    rows = []
    for alert in found:
        rows.append(
            {
                "lane": alert.lane,
                "kind": alert.kind,
                "state": NEW,
                "created_at": now,
                "source_table": source_table,
                "source_id": source_id,
                "segment": alert.segment,
                "subject": subject_dict(alert.subject),
                "subject_key": subject_key(alert.subject),
                "list_name": alert.list_name,
                "entity_id": alert.entity_id,
                "entity_checksum": _checksum(conn, alert.list_name, alert.entity_id),
                "score": alert.score,
                "reason": alert.reason,
                "explanation": alert.explanation,
            }
        )
    if rows:
        conn.execute(alerts.insert(), rows)
    return len(rows)


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
