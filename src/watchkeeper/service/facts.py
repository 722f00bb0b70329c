"""What yente's filters, facets, sorts and dates read of the listed entities, built once per
snapshot in the background so that a request never asks the store for them.

Each entry of the name index has its facet values (schema, dataset, countries, topics,
identifiers, genders) by index number, with postings (value -> numbers) to make a filter's
mask in a few array operations. Every entity of the active versions (entries and the
passports, sanctions and addresses nested in them) has its times, from the list versions
that held it: ``first_seen`` the load of the first version with it, ``last_seen`` the load
of the active version, ``last_change`` the load of the first version with its current
content (checksum). Property values (``filter=properties.birthDate:1977``) are read from the
store for one property the first time a request asks for it, then kept with the snapshot.
"""

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import orjson
from followthemoney import model
from followthemoney.types import registry
from sqlalchemy import DateTime, Engine, and_, case, func, select
from sqlalchemy.orm import aliased

from watchkeeper.matching.index import NameIndex
from watchkeeper.service.datasets import DatasetNames
from watchkeeper.store.schema import entities, list_versions
from watchkeeper.store.times import utc

Mask = npt.NDArray[np.bool_]
FIELDS = ("schema", "datasets", "countries", "topics", "identifiers", "genders")
"""The fields a filter or facet may name, as yente indexes them."""
_TYPES = {
    "countries": registry.country,
    "identifiers": registry.identifier,
    "genders": registry.gender,
}


@dataclass(frozen=True, slots=True)
class Times:
    """When the lists first held an entity, last held it, and last changed it."""

    first_seen: datetime
    last_seen: datetime
    last_change: datetime


class Facts:
    """Facet values and times of the entries of one index, by index number."""

    def __init__(
        self,
        engine: Engine,
        index: NameIndex,
        versions: dict[str, int],
        names: DatasetNames,
    ) -> None:
        """Read from the store: ``versions`` is each list's active version id."""
        self.engine = engine
        self.versions = versions
        self.capacity = index.capacity
        self.number: dict[str, int] = {}
        self.ids: dict[int, tuple[str, str]] = {}  # number -> entity id, list name
        self.values: dict[str, dict[int, tuple[str, ...]]] = {f: {} for f in FIELDS}
        for n, subject in index.numbered():
            self.number[subject.entity_id or ""] = n
            self.ids[n] = (subject.entity_id or "", subject.list_name or "")
            self.values["schema"][n] = (subject.schema,)
            self.values["datasets"][n] = (names.dataset(subject.list_name or ""),)
        self.times: dict[tuple[str, str], Times] = {}
        for list_name, vid in versions.items():
            self.times.update(((list_name, e), t) for e, t in _times(engine, vid))
            for entity_id, proxy_values in _entry_values(engine, vid, self.number):
                n = self.number[entity_id]
                for field, found in proxy_values.items():
                    self.values[field][n] = found
        self.postings = {f: _postings(by_number) for f, by_number in self.values.items()}
        self.changed = np.full(self.capacity, np.datetime64("NaT"), dtype="datetime64[s]")
        for n, subject in index.numbered():
            times = self.times.get((subject.list_name or "", subject.entity_id or ""))
            if times is not None:
                self.changed[n] = np.datetime64(times.last_change.replace(tzinfo=None), "s")
        self._properties: dict[str, dict[str, npt.NDArray[np.int64]]] = {}
        self._schemata: dict[tuple[str, ...], Mask] = {}
        self._lock = threading.Lock()

    def mask(self, numbers: Iterable[int] = ()) -> Mask:
        """A mask marking ``numbers``."""
        out = np.zeros(self.capacity, dtype=np.bool_)
        out[np.fromiter(numbers, dtype=np.int64)] = True
        return out

    def matching(self, field: str, values: Iterable[str]) -> Mask:
        """The entries with any of ``values`` in ``field`` (a ``FIELDS`` name, or
        ``properties.<name>``)."""
        postings = self.property_postings(field) if field not in FIELDS else self.postings[field]
        out = np.zeros(self.capacity, dtype=np.bool_)
        for value in values:
            found = postings.get(value)
            if found is not None:
                out[found] = True
        return out

    def of_schemata(self, names: tuple[str, ...]) -> Mask:
        """The entries of these schemata, read-only and kept: every /match query asks for
        the schemata its schema may match."""
        found = self._schemata.get(names)
        if found is None:
            found = self.matching("schema", names)
            found.flags.writeable = False
            self._schemata[names] = found
        return found

    def changed_since(self, moment: datetime) -> Mask:
        """The entries whose content changed after ``moment`` (UTC)."""
        return self.changed > np.datetime64(utc(moment).replace(tzinfo=None), "s")

    def property_postings(self, field: str) -> dict[str, npt.NDArray[np.int64]]:
        """``properties.<name>``'s values, read once per snapshot."""
        found = self._properties.get(field)
        if found is None:
            with self._lock:
                found = self._properties.get(field)
                if found is None:
                    prop = field.removeprefix("properties.")
                    by_number: dict[int, tuple[str, ...]] = {}
                    for vid in self.versions.values():
                        for entity_id, values in _property_values(self.engine, vid, prop):
                            n = self.number.get(entity_id)
                            if n is not None:
                                by_number[n] = values
                    found = self._properties[field] = _postings(by_number)
        return found


def _postings(by_number: dict[int, tuple[str, ...]]) -> dict[str, npt.NDArray[np.int64]]:
    gathered: dict[str, list[int]] = {}
    for n, values in by_number.items():
        for value in values:
            gathered.setdefault(value, []).append(n)
    return {v: np.array(ns, dtype=np.int64) for v, ns in gathered.items()}


def _times(engine: Engine, vid: int) -> Iterator[tuple[str, Times]]:
    """The times of every entity of version ``vid``, from the versions of its list up to it."""
    active = aliased(entities)
    older = aliased(list_versions)
    current = select(list_versions).where(list_versions.c.id == vid).subquery()
    same = case((entities.c.checksum == active.c.checksum, older.c.loaded_at))
    query = (
        select(
            active.c.entity_id,
            func.min(older.c.loaded_at, type_=DateTime(timezone=True)),
            func.min(same, type_=DateTime(timezone=True)),
            func.max(current.c.loaded_at, type_=DateTime(timezone=True)),
        )
        .join(entities, entities.c.entity_id == active.c.entity_id)
        .join(older, older.c.id == entities.c.version_id)
        .join(
            current,
            and_(current.c.list_id == older.c.list_id, older.c.number <= current.c.number),
        )
        .where(active.c.version_id == vid)
        .group_by(active.c.entity_id)
    )
    with engine.connect() as conn:
        for entity_id, first, changed, seen in conn.execute(query):
            yield entity_id, Times(utc(first), utc(seen), utc(changed or seen))


def _entry_values(
    engine: Engine, vid: int, numbers: dict[str, int]
) -> Iterator[tuple[str, dict[str, tuple[str, ...]]]]:
    """The facet values read from the data of the indexed entries of version ``vid``."""
    query = select(entities.c.entity_id, entities.c.data).where(entities.c.version_id == vid)
    with engine.connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
        for entity_id, data in rows:
            if entity_id not in numbers:
                continue
            proxy = model.get_proxy(orjson.loads(data), cleaned=False)
            found = {f: tuple(proxy.get_type_values(t)) for f, t in _TYPES.items()}
            if "topics" in proxy.schema.properties:
                found["topics"] = tuple(proxy.get("topics"))
            yield entity_id, found


def _property_values(engine: Engine, vid: int, prop: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    query = select(entities.c.entity_id, entities.c.data).where(entities.c.version_id == vid)
    with engine.connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
        for entity_id, data in rows:
            values = orjson.loads(data).get("properties", {}).get(prop)
            if values:
                yield entity_id, tuple(str(v) for v in values)
