"""Applying what a partner shared: new and changed records become a new version of the
partner's own list, withdrawn ones leave it; nothing is ever written into one of our lists.

The new version is the partner list's active version with the received records replaced
whole (a record's entities all come in one object), so applying the same objects twice
changes nothing and makes no version: a follower that restarts and fetches a page again
duplicates nothing. ``cursor`` (the TAXII ``date_added`` of the last object applied) is kept
as the version's ``source_date``, so it commits in the same transaction as the records.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from followthemoney import EntityProxy, model
from sqlalchemy import Engine, select

from watchkeeper.sharing.config import mark_received
from watchkeeper.sharing.kinds import Tally
from watchkeeper.sharing.mapping import ReceivedRecord, receipt_stix_id
from watchkeeper.sharing.records import active_version, grouped
from watchkeeper.sources.base import ListSource, Record
from watchkeeper.store.loading import load_source
from watchkeeper.store.schema import list_versions, lists

FORMAT = "stix"


@dataclass
class Applied(Tally):
    """What applying received records did: the new versions of the partner's list (none
    when nothing changed), records changed and withdrawn, and the objects that could not
    be read."""

    versions: list[int] = field(default_factory=list)
    changed: int = 0
    withdrawn: int = 0

    @property
    def version(self) -> int | None:
        """The newest version made; None when nothing changed."""
        return self.versions[-1] if self.versions else None

    def merge(self, other: "Applied") -> None:
        """Add another page's counts to these."""
        super().merge(other)
        self.versions.extend(other.versions)
        self.changed += other.changed
        self.withdrawn += other.withdrawn


class ReceivedSource(ListSource):
    """The records of a partner list after applying received ones (in memory)."""

    NAME = FORMAT
    TITLE = "STIX 2.1 identities received from a partner agency"
    ID_PREFIX = "stix"

    def __init__(self, origin: str, groups: dict[str, list[EntityProxy]], cursor: str | None):
        super().__init__(Path(origin))
        self.groups = groups
        self.source_date = cursor

    def input_files(self) -> list[Path]:
        """Nothing on disk: the objects came over the network or in a checked bundle."""
        return []

    def records(self) -> Iterator[Record]:
        for record_id in sorted(self.groups):
            main, *adjacent = self.groups[record_id]
            yield Record(main, adjacent)


def apply_records(
    engine: Engine,
    list_name: str,
    partner: str,
    received: list[ReceivedRecord],
    *,
    origin: str,
    cursor: str | None,
) -> Applied:
    """Apply received records to the partner's list as one new version (when anything changed)."""
    with engine.begin() as conn:
        mark_received(conn, list_name, partner)
    groups, by_stix = _current(engine, list_name)
    result = Applied()
    for record in received:
        old_id = by_stix.get(record.stix_id)
        if record.revoked:
            if old_id is not None and old_id in groups:
                del groups[old_id]
                result.withdrawn += 1
            continue
        if old_id is not None and old_id != record.record_id:
            groups.pop(old_id, None)
        if _checksums(groups.get(record.record_id)) != _checksums(record.entities):
            groups[record.record_id] = record.entities
            by_stix[record.stix_id] = record.record_id
            result.changed += 1
    if (result.changed or result.withdrawn) and groups:
        source = ReceivedSource(origin, groups, cursor)
        result.versions.append(load_source(engine, source, list_name, origin=origin, raw_dir=None))
    return result


def last_cursor(engine: Engine, list_name: str, origin: str) -> str | None:
    """Where following ``origin`` into ``list_name`` stopped: the newest version's cursor."""
    query = (
        select(list_versions.c.source_date)
        .join(lists, lists.c.id == list_versions.c.list_id)
        .where(lists.c.name == list_name, list_versions.c.origin == origin)
        .order_by(list_versions.c.number.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        found = conn.execute(query).scalar()
    return str(found) if found else None


def _current(engine: Engine, list_name: str) -> tuple[dict[str, list[EntityProxy]], dict[str, str]]:
    """The partner list's records as they are, and each one's STIX id."""
    version = active_version(engine, list_name)
    groups: dict[str, list[EntityProxy]] = {}
    by_stix: dict[str, str] = {}
    if version is None:
        return groups, by_stix
    for record_id, group in grouped(engine, version.version_id):
        groups[record_id] = [model.get_proxy(data, cleaned=True) for data in group]
        for data in group:
            stix_id = receipt_stix_id(data)
            if stix_id is not None:
                by_stix[stix_id] = record_id
    return groups, by_stix


def _checksums(entities: list[EntityProxy] | None) -> list[bytes]:
    """A record's content, for telling a changed record from one fetched again."""
    if entities is None:
        return []
    return sorted(orjson.dumps(e.to_dict(), option=orjson.OPT_SORT_KEYS) for e in entities)
