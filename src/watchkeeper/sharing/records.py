"""The records of a list version as they may be shared: grouped, coded, redacted, RED left out."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from followthemoney import model
from sqlalchemy import Engine, select

from watchkeeper.sharing.mapping import SharedRecord, record_code
from watchkeeper.sharing.redact import redact
from watchkeeper.store.loading import is_entry
from watchkeeper.store.schema import entities, list_versions, lists


@dataclass(frozen=True, slots=True)
class VersionRef:
    """One version of a list: its row id, number and when it was loaded."""

    list_name: str
    version_id: int
    number: int
    loaded_at: datetime
    created_at: datetime


def active_version(engine: Engine, list_name: str, number: int | None = None) -> VersionRef | None:
    """Version ``number`` of a list (the active one when None); None when there is none."""
    query = (
        select(list_versions.c.id, list_versions.c.number, list_versions.c.loaded_at, lists)
        .join(lists, lists.c.id == list_versions.c.list_id)
        .where(lists.c.name == list_name)
    )
    if number is None:
        query = query.where(list_versions.c.id == lists.c.active_version_id)
    else:
        query = query.where(list_versions.c.number == number)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return VersionRef(list_name, row[0], row.number, row.loaded_at, row.created_at)


def grouped(engine: Engine, version_id: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Each list entry of a version with its entities, main entity first.

    Entities that are records of their own but not entries (a free-standing Address) are
    left out: they are shared with the entry that points at them or not at all.
    """
    query = (
        select(entities.c.record_id, entities.c.entity_id, entities.c.data)
        .where(entities.c.version_id == version_id)
        .order_by(entities.c.record_id, entities.c.entity_id)
    )
    current: str | None = None
    group: list[dict[str, Any]] = []
    with engine.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=1000).execute(query):
            if row.record_id != current:
                if current is not None:
                    yield from _entry(current, group)
                current, group = row.record_id, []
            group.append(orjson.loads(row.data))
    if current is not None:
        yield from _entry(current, group)


def _entry(
    record_id: str, group: list[dict[str, Any]]
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    main = [e for e in group if e.get("id") == record_id]
    schema = model.get(str(main[0].get("schema"))) if main else None
    if schema is None or not is_entry(schema):
        return
    yield record_id, main + [e for e in group if e.get("id") != record_id]


def shareable(
    engine: Engine, version: VersionRef, owner: str, default_code: str
) -> Iterator[SharedRecord]:
    """Every record of ``version`` that may leave the agency at all (not RED), redacted as
    its own TLP code asks; a record without a code takes ``default_code``."""
    for record_id, group in grouped(engine, version.version_id):
        code = record_code(group, default_code)
        if code == "RED":
            continue
        yield SharedRecord(owner, version.list_name, record_id, code, redact(code, group))
