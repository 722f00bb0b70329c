"""The list versions page: each load of each list with what it changed, and one version's
changes entry by entry.

The counts come from ``store.version_changes`` (aggregated in the database), a few queries
per version shown, so the page asks for the newest ``limit`` versions of each list rather
than a list's whole history. One version's entries come from ``store.diff``.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.store.diff import diff_versions
from watchkeeper.store.models import ListDiff, RecordRef
from watchkeeper.store.reading import version_id
from watchkeeper.store.schema import entities, list_versions, lists
from watchkeeper.store.times import utc
from watchkeeper.store.version_changes import change_counts

MAX_VERSIONS = 200


@dataclass(frozen=True, slots=True)
class VersionSummary:
    """One version of one list: when and from where it was loaded, its size, whether it is
    the active one, the faults a ``--skip-bad`` load skipped, and the entries it added,
    removed and changed against the version before (version 1 adds every entry)."""

    list_name: str
    number: int
    loaded_at: datetime
    source_date: str | None
    origin: str
    entries: int
    entities: int
    active: bool
    skipped: int
    added: int
    removed: int
    changed: int


def version_history(
    engine: Engine, list_name: str | None = None, limit: int = 20
) -> list[VersionSummary]:
    """The newest ``limit`` versions of each list (or of ``list_name``), by list name, newest
    version first; ``NotFoundError`` for a list that does not exist."""
    if not 1 <= limit <= MAX_VERSIONS:
        raise UsageError(f"limit: {limit} is not from 1 to {MAX_VERSIONS}")
    newest = (
        func.row_number()
        .over(partition_by=list_versions.c.list_id, order_by=list_versions.c.number.desc())
        .label("newest")
    )
    ranked = (
        select(list_versions, lists.c.name, lists.c.active_version_id, newest)
        .join(lists, lists.c.id == list_versions.c.list_id)
        .subquery()
    )
    query = (
        select(ranked)
        .where(ranked.c.newest <= limit)
        .order_by(ranked.c.name, ranked.c.number.desc())
    )
    if list_name is not None:
        query = query.where(ranked.c.name == list_name)
    found: list[VersionSummary] = []
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        for row in rows:
            before = conn.execute(
                select(list_versions.c.id)
                .where(
                    list_versions.c.list_id == row.list_id,
                    list_versions.c.number < row.number,
                )
                .order_by(list_versions.c.number.desc())
                .limit(1)
            ).scalar()
            counts = change_counts(conn, before, row.id)
            found.append(
                VersionSummary(
                    row.name,
                    row.number,
                    utc(row.loaded_at),
                    row.source_date,
                    row.origin,
                    row.record_count,
                    row.entity_count,
                    row.id == row.active_version_id,
                    len(row.skipped or []),
                    counts.added,
                    counts.removed,
                    counts.changed,
                )
            )
    if list_name is not None and not found:
        raise NotFoundError(f"no list named {list_name!r}")
    return found


def version_changes(engine: Engine, list_name: str, number: int) -> ListDiff:
    """What version ``number`` of ``list_name`` changed against the version before, entry by
    entry (``store.diff``); for the first version, every entry as added."""
    vid, _ = version_id(engine, list_name, number)
    with engine.connect() as conn:
        before = conn.execute(
            select(func.max(list_versions.c.number)).where(
                list_versions.c.list_id
                == select(list_versions.c.list_id)
                .where(list_versions.c.id == vid)
                .scalar_subquery(),
                list_versions.c.number < number,
            )
        ).scalar()
        if before is not None:
            return diff_versions(engine, list_name, int(before), number)
        added = [
            RecordRef(row.record_id, row.schema, row.caption)
            for row in conn.execute(
                select(entities.c.record_id, entities.c.schema, entities.c.caption)
                .where(entities.c.version_id == vid, entities.c.entity_id == entities.c.record_id)
                .order_by(entities.c.record_id)
            )
        ]
    return ListDiff(list_name, 0, number, added, [], [], 0)
