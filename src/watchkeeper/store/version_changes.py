"""How many entries one list version added, removed and changed against the version before,
counted in the database.

``store.diff`` reads both versions' checksums into memory to say *how* each entry changed;
a page listing many versions only needs the counts, which these queries give from the
entities' primary key and record index without reading a row into Python. The counts agree
with ``diff_versions``: an entry changed when any of its entities was added, removed or has
another checksum.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, Connection, Select, and_, func, or_, select, union

from watchkeeper.store.schema import entities


@dataclass(frozen=True, slots=True)
class ChangeCounts:
    """Entries added, removed and changed from one version to the next."""

    added: int
    removed: int
    changed: int


def change_counts(conn: Connection, old_vid: int | None, new_vid: int) -> ChangeCounts:
    """The counts from version row ``old_vid`` to ``new_vid``; every entry is added when
    there is no version before (``old_vid`` None)."""
    new_records = _records(new_vid)
    if old_vid is None:
        return ChangeCounts(_count(conn, new_records), 0, 0)
    old_records = _records(old_vid)
    added = _count(conn, new_records.except_(old_records))
    removed = _count(conn, old_records.except_(new_records))
    old, new = entities.alias("old"), entities.alias("new")
    same_entity = and_(old.c.entity_id == new.c.entity_id, old.c.record_id == new.c.record_id)
    differing = union(
        select(new.c.record_id)
        .outerjoin(old, and_(old.c.version_id == old_vid, same_entity))
        .where(
            new.c.version_id == new_vid,
            or_(old.c.entity_id.is_(None), old.c.checksum != new.c.checksum),
        ),
        select(old.c.record_id)
        .outerjoin(new, and_(new.c.version_id == new_vid, same_entity))
        .where(old.c.version_id == old_vid, new.c.entity_id.is_(None)),
    ).subquery()
    changed = conn.execute(
        select(func.count()).where(
            differing.c.record_id.in_(old_records), differing.c.record_id.in_(new_records)
        )
    ).scalar()
    return ChangeCounts(added, removed, int(changed or 0))


def _records(vid: int) -> Select[tuple[str]]:
    """The entries (record ids) of one version."""
    return select(entities.c.record_id).where(entities.c.version_id == vid).distinct()


def _count(conn: Connection, query: Select[Any] | CompoundSelect[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar() or 0)
