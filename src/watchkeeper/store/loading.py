"""Loading a list source into the store as a new version, in one transaction.

Either the whole input becomes the new active version or nothing changes: entities are
written inside the transaction that also moves the list's active-version pointer, and any
fault (in the input or the database) rolls all of it back. The transaction first takes the
right to load the list (a PostgreSQL advisory lock, SQLite's write lock), so two loads of one
list never race for the same version number; and a version much shorter than the active one
is refused, since a cut-short file reads like a shorter list.
"""

import gzip
import hashlib
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import structlog
from followthemoney import EntityProxy
from followthemoney.property import Property
from followthemoney.schema import Schema
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import OperationalError

from watchkeeper.errors import BusyError, ShrinkError, SourceError, UsageError
from watchkeeper.sources.base import ListSource, Record, file_sha256
from watchkeeper.store.links import key_rows, record_keys, relink
from watchkeeper.store.schema import entities, link_keys, list_versions, lists

log = structlog.get_logger(__name__)

BATCH = 5000
PROGRESS_EVERY = 100
"""Entries between progress reports: a bar redraws on its own clock, so a report is cheap,
but one per entry would still cost a big load a call each; 100 shows a list of 1,003 (UN)
moving."""
Progress = Callable[[int], None]
LOCK_WAIT = 5.0
"""Seconds a load waits for another load of the same list to finish before it refuses."""


def entity_row(version_id: int, record_id: str, entity: EntityProxy) -> dict[str, Any]:
    """The stored form of one entity: sorted-key JSON and its checksum, for cheap diffs."""
    data = entity.to_dict()
    blob = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    return {
        "version_id": version_id,
        "entity_id": entity.id,
        "record_id": record_id,
        "schema": entity.schema.name,
        "caption": entity.caption,
        "checksum": hashlib.sha1(blob).hexdigest(),
        "data": blob.decode("utf-8"),
    }


@cache
def is_entry(schema: Schema) -> bool:
    """Whether entities of ``schema`` are list entries (who or what can be listed), as opposed
    to the details that hang off them (sanctions, documents, addresses, wallets)."""
    return schema.is_a("LegalEntity") or schema.is_a("Vehicle")


def record_id_of(record: Record) -> str:
    """The list entry a record belongs to.

    Sources such as FtM yield a Sanction or a Passport as records of their own; they belong to
    the entity they point at, so ``lists show`` and ``lists diff`` see them with their holder.
    """
    entity = record.entity
    if is_entry(entity.schema):
        return record.id
    for prop in _references(entity.schema):
        values = entity.get(prop)
        if values:
            return values[0]
    return record.id


@cache
def _references(schema: Schema) -> tuple[Property, ...]:
    """The properties of ``schema`` that point at other entities, in a fixed order."""
    props = sorted(schema.properties.values(), key=lambda p: p.name)
    return tuple(p for p in props if p.type.name == "entity" and not p.stub)


class _Writer:
    """Collects rows of one load and writes them in batches; refuses duplicate ids.

    Rows go to the driver's ``executemany`` through a statement compiled once for the
    connection's dialect: SQLAlchemy's per-row parameter processing would cost a quarter of
    a million-entity load, and these columns need no conversion.
    """

    def __init__(self, conn: Connection, version_id: int, source: ListSource) -> None:
        self.conn = conn
        compiled = insert(entities).compile(dialect=conn.dialect)
        self.sql = str(compiled)
        self.positions = compiled.positiontup
        self.version_id = version_id
        self.source = source
        self.rows: list[dict[str, Any]] = []
        self.keys: list[dict[str, Any]] = []
        self.seen: dict[str, str] = {}
        self.records = 0
        self.schema_counts: dict[str, int] = {}

    def add(self, record: Record) -> None:
        rid = record_id_of(record)
        main = True
        found = list(record.entities())
        self.keys.extend(key_rows(self.version_id, rid, record_keys(found)))
        for entity in found:
            row = entity_row(self.version_id, rid, entity)
            previous = self.seen.get(row["entity_id"])
            if previous is not None:
                if previous != row["checksum"]:
                    self.source.problem(
                        f"entity {row['entity_id']}", "the same id occurs twice with different data"
                    )
                main = False
                continue
            self.seen[row["entity_id"]] = row["checksum"]
            self.rows.append(row)
            if main and (is_entry(entity.schema) or entity.schema.name in self.source.ENTRIES):
                self.records += 1
                name = entity.schema.name
                self.schema_counts[name] = self.schema_counts.get(name, 0) + 1
            main = False
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.keys:
            self.conn.execute(insert(link_keys), self.keys)
            self.keys = []
        if not self.rows:
            return
        if self.positions is None:
            self.conn.exec_driver_sql(self.sql, self.rows)
        else:
            keys = self.positions
            self.conn.exec_driver_sql(self.sql, [tuple(r[k] for k in keys) for r in self.rows])
        self.rows = []


def load_source(
    engine: Engine,
    source: ListSource,
    name: str,
    *,
    origin: str,
    raw_dir: Path | None,
    skip_bad: bool = False,
    max_shrink: float | None = None,
    progress: Progress | None = None,
    lock_wait: float = LOCK_WAIT,
) -> int:
    """Load ``source`` as the next version of list ``name``; return the new version number.

    With ``skip_bad`` the records with faults are left out and listed on the version;
    otherwise any fault fails the load, so no listed person silently goes missing. A version
    with more than ``max_shrink`` percent fewer entries than the active one is refused
    (``ShrinkError``); ``None`` takes any size. While another load of ``name`` runs, this one
    waits up to ``lock_wait`` seconds, then refuses (``BusyError``).
    """
    paths = source.input_files()
    sha256 = file_sha256(paths) if all(p.is_file() for p in paths) else ""
    raw_path: Path | None = None
    archived_now = False
    with engine.begin() as conn:
        _lock(conn, name, lock_wait)
        list_id = _get_or_create_list(conn, name, source.NAME)
        number = _next_number(conn, list_id)
        version_id = conn.execute(
            insert(list_versions).returning(list_versions.c.id),
            {
                "list_id": list_id,
                "number": number,
                "loaded_at": datetime.now(UTC),
                "origin": origin,
                "sha256": sha256,
                "record_count": 0,
                "entity_count": 0,
                "schema_counts": {},
                "skipped": [],
            },
        ).scalar_one()
        writer = _Writer(conn, version_id, source)
        for record in source.records():
            writer.add(record)
            if progress is not None and writer.records % PROGRESS_EVERY == 0:
                progress(writer.records)
        writer.flush()
        if progress is not None:
            progress(writer.records)
        if source.issues and not skip_bad:
            raise SourceError(source.issues)
        if not writer.seen:
            raise SourceError.at(str(source.path), "file", "holds no list records")
        if max_shrink is not None:
            _check_shrink(conn, list_id, name, writer.records, max_shrink)
        if raw_dir is not None and sha256:
            raw_path, archived_now = _archive(paths, raw_dir / sha256)
        try:
            conn.execute(
                update(list_versions)
                .where(list_versions.c.id == version_id)
                .values(
                    record_count=writer.records,
                    entity_count=len(writer.seen),
                    schema_counts=writer.schema_counts,
                    skipped=[str(issue) for issue in source.issues],
                    source_date=source.source_date,
                    raw_path=str(raw_path) if raw_path else None,
                )
            )
            conn.execute(
                update(lists).where(lists.c.id == list_id).values(active_version_id=version_id)
            )
            linked = relink(conn, list_id, version_id)
        except BaseException:
            if archived_now and raw_path is not None:
                shutil.rmtree(raw_path, ignore_errors=True)
            raise
    log.info(
        "list_loaded",
        list=name,
        version=number,
        records=writer.records,
        entities=len(writer.seen),
        skipped=len(source.issues),
        linked=linked,
    )
    return number


def _lock(conn: Connection, name: str, wait: float) -> None:
    """Hold the right to load list ``name`` until this transaction ends, waiting up to
    ``wait`` seconds for a load that holds it.

    PostgreSQL: a transaction-scoped advisory lock keyed by the list name, so loads of other
    lists go on. SQLite has one writer at a time, so ``BEGIN IMMEDIATE`` takes its write
    lock before anything is read; a deferred transaction that read first could not write
    once another had.
    """
    if conn.dialect.name == "sqlite":
        previous = conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            raise BusyError(
                f"list {name!r} was not loaded: the store is busy with another load "
                "(SQLite takes one writer at a time); nothing was changed, try again when "
                "it has finished"
            ) from exc
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")
        return
    digest = hashlib.sha256(f"watchkeeper.load:{name}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    deadline = time.monotonic() + wait
    while not conn.execute(select(func.pg_try_advisory_xact_lock(key))).scalar_one():
        if time.monotonic() >= deadline:
            raise BusyError(
                f"list {name!r} was not loaded: another load of it is running; nothing was "
                "changed, try again when it has finished"
            )
        time.sleep(0.1)


def _check_shrink(conn: Connection, list_id: int, name: str, count: int, max_shrink: float) -> None:
    """Refuse a version that has lost more than ``max_shrink`` percent of the active one's
    entries: a truncated file or a wrong export loses listed persons without a fault."""
    active = conn.execute(
        select(list_versions.c.number, list_versions.c.record_count)
        .join(lists, lists.c.active_version_id == list_versions.c.id)
        .where(lists.c.id == list_id)
    ).first()
    if active is None or active.record_count == 0:
        return
    drop = 100 * (active.record_count - count) / active.record_count
    if drop > max_shrink:
        raise ShrinkError(
            f"{name}: {count:,} entries against {active.record_count:,} in the active "
            f"version (-{drop:.1f} %), over the {max_shrink:g} % allowed; nothing was "
            f"changed, version {active.number} stays active"
        )


def _get_or_create_list(conn: Connection, name: str, fmt: str) -> int:
    row = conn.execute(select(lists.c.id, lists.c.format).where(lists.c.name == name)).first()
    if row is None:
        return int(
            conn.execute(
                insert(lists).returning(lists.c.id),
                {"name": name, "format": fmt, "created_at": datetime.now(UTC)},
            ).scalar_one()
        )
    if row.format != fmt:
        raise UsageError(
            f"list {name!r} holds {row.format} data; load {fmt} data under another name"
        )
    return int(row.id)


def _next_number(conn: Connection, list_id: int) -> int:
    numbers = conn.execute(
        select(list_versions.c.number).where(list_versions.c.list_id == list_id)
    ).scalars()
    return max(numbers, default=0) + 1


def _archive(paths: list[Path], folder: Path) -> tuple[Path, bool]:
    """Keep a gzip copy of the input under its checksum; written whole or not at all."""
    if folder.exists():
        return folder, False
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for path in paths:
        target = tmp / (path.name if path.suffix == ".gz" else path.name + ".gz")
        if path.suffix == ".gz":
            shutil.copyfile(path, target)
        else:
            with open(path, "rb") as src, gzip.open(target, "wb", compresslevel=1) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    tmp.rename(folder)
    return folder, True
