"""Comparing two versions of a list: entries added, removed and changed, and how.

Entries are compared by the checksums of their entities, so unchanged entries cost nothing;
only changed ones are read back to say which properties differ.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Engine

from watchkeeper.store.models import ListDiff, PropertyChange, RecordChange, RecordRef
from watchkeeper.store.reading import entity_data, iter_version_rows, version_id


@dataclass
class _Entry:
    """One list entry in one version: its entities' checksums and its main entity."""

    schema: str = ""
    caption: str = ""
    checksums: dict[str, str] = field(default_factory=dict)


def _entries(engine: Engine, vid: int) -> dict[str, _Entry]:
    out: dict[str, _Entry] = {}
    for record_id, rows in groupby(iter_version_rows(engine, vid), key=lambda r: r.record_id):
        entry = _Entry()
        for row in rows:
            entry.checksums[row.entity_id] = row.checksum
            if row.entity_id == record_id:
                entry.schema, entry.caption = row.schema, row.caption
        out[record_id] = entry
    return out


def diff_versions(engine: Engine, name: str, from_number: int, to_number: int) -> ListDiff:
    """What changed in list ``name`` from version ``from_number`` to ``to_number``."""
    old_vid, _ = version_id(engine, name, from_number)
    new_vid, _ = version_id(engine, name, to_number)
    old, new = _entries(engine, old_vid), _entries(engine, new_vid)
    added = [_ref(rid, new[rid]) for rid in sorted(new.keys() - old.keys())]
    removed = [_ref(rid, old[rid]) for rid in sorted(old.keys() - new.keys())]
    changed_ids = sorted(r for r in old.keys() & new.keys() if old[r].checksums != new[r].checksums)
    changed = list(_changes(engine, old_vid, new_vid, old, new, changed_ids))
    return ListDiff(
        list_name=name,
        from_version=from_number,
        to_version=to_number,
        added=added,
        removed=removed,
        changed=changed,
        unchanged=len(old.keys() & new.keys()) - len(changed),
    )


def changed_records(engine: Engine, name: str, from_number: int, to_number: int) -> set[str]:
    """The entries of list ``name`` added or changed from one version to another, by
    checksum alone (re-screening needs which, not how)."""
    old = _entries(engine, version_id(engine, name, from_number)[0])
    new = _entries(engine, version_id(engine, name, to_number)[0])
    return {
        rid for rid, entry in new.items() if rid not in old or old[rid].checksums != entry.checksums
    }


def _ref(record_id: str, entry: _Entry) -> RecordRef:
    return RecordRef(record_id=record_id, schema=entry.schema, caption=entry.caption)


def _changes(
    engine: Engine,
    old_vid: int,
    new_vid: int,
    old: dict[str, _Entry],
    new: dict[str, _Entry],
    record_ids: list[str],
) -> Iterator[RecordChange]:
    """Read back the entities that differ and compare them property by property."""
    wanted_old, wanted_new = [], []
    for rid in record_ids:
        o, n = old[rid].checksums, new[rid].checksums
        wanted_old += [e for e in o if e in n and o[e] != n[e]]
        wanted_new += [e for e in n if e in o and o[e] != n[e]]
    old_data = entity_data(engine, old_vid, wanted_old)
    new_data = entity_data(engine, new_vid, wanted_new)
    for rid in record_ids:
        o, n = old[rid].checksums, new[rid].checksums
        changes: list[PropertyChange] = []
        for eid in sorted(e for e in o if e in n and o[e] != n[e]):
            changes.extend(property_changes(eid, old_data[eid], new_data[eid]))
        yield RecordChange(
            record_id=rid,
            schema=new[rid].schema,
            caption=new[rid].caption,
            changes=changes,
            entities_added=sorted(n.keys() - o.keys()),
            entities_removed=sorted(o.keys() - n.keys()),
        )


def property_changes(
    entity_id: str, old: dict[str, Any], new: dict[str, Any]
) -> Iterator[PropertyChange]:
    """The values of each property that differ between two stored versions of one entity."""
    old_props: dict[str, list[str]] = old.get("properties", {})
    new_props: dict[str, list[str]] = new.get("properties", {})
    if old.get("schema") != new.get("schema"):
        yield PropertyChange(entity_id, new["schema"], "schema", [new["schema"]], [old["schema"]])
    for prop in sorted(old_props.keys() | new_props.keys()):
        before, after = set(old_props.get(prop, [])), set(new_props.get(prop, []))
        if before != after:
            yield PropertyChange(
                entity_id=entity_id,
                schema=new["schema"],
                prop=prop,
                added=sorted(after - before),
                removed=sorted(before - after),
            )
