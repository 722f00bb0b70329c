"""FollowTheMoney JSON lines: the format every OpenSanctions dataset is published in.

Each line is one entity, ``{"id": ..., "schema": ..., "properties": {name: [values]}}``.
Ids are kept exactly as the publisher wrote them (``NK-...``, ``Q7747``): they are already
stable, and keeping them lets a hit be looked up on the publisher's site and compared with
later exports. ``ID_PREFIX`` is therefore not used for ids.

An FtM file is a graph, not a list: sanctions point at their entity, passports at their
holder, ownerships at both sides, and those entities may come before or after the one they
point at. Grouping them would need the whole file in memory, so this reader streams one
record per entity (no adjacent entities) and the store groups entities by reference.
Memory stays flat apart from the id index used to spot duplicates.

Values are cleaned the way FtM cleans them, and values it cannot read are dropped, as FtM
itself does; an entity left without properties is still loaded, since its id may be
referenced. Extra keys that OpenSanctions adds (``caption``, ``datasets``, ``referents``,
``first_seen`` ...) describe the export, not the entity, and are dropped.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import orjson
from followthemoney import EntityProxy, model, registry
from followthemoney.exc import InvalidData
from followthemoney.property import Property
from followthemoney.schema import Schema

from watchkeeper.sources.base import ListSource, Record
from watchkeeper.sources.inputs import open_text

SNIFF_LINES = 20
"""Lines judged before deciding the file is not FtM JSON lines at all."""

CACHED_TYPES = frozenset(
    t.name for t in (registry.date, registry.country, registry.gender, registry.topic)
)
"""Types with few distinct values whose cleaning is costly (a date takes ~25 µs to parse):
their results are memoised, which keeps a million-entity load within its time budget.
Keyed by type name because ``PropertyType.__hash__`` is slow Python code."""


QUOTES = "\"'"
PLAIN_TYPES = frozenset({"string", "text", "identifier"})
"""Types whose cleaning is only FtM's text sanitising (identifiers: when without format)."""


def is_plain(value: str) -> bool:
    """Whether FtM's text sanitising (NFC, unsafe characters, strip) keeps ``value`` as is.

    Sanitising costs ~1.5 µs a value and names ~6 µs, several values a person, while
    published values are nearly always plain printable ASCII, for which every step is the
    identity; this check runs at C speed and falls back to full cleaning otherwise.
    """
    return (
        value.isascii()
        and value.isprintable()
        and value != ""
        and value[0] != " "
        and value[-1] != " "
    )


def is_clean_name(value: str) -> bool:
    """``is_plain``, plus what name cleaning adds: no doubled spaces, no edge quotes."""
    return (
        is_plain(value) and "  " not in value and value[0] not in QUOTES and value[-1] not in QUOTES
    )


def shortcut(prop: Property) -> Callable[[str], bool] | None:
    """The check that lets a value of ``prop`` skip cleaning, if its type has one."""
    if prop.type.name == "name":
        return is_clean_name
    if prop.type.name in PLAIN_TYPES and prop.format is None:
        return is_plain
    return None


class EntityProblem(Exception):
    """One line that cannot become an entity; the message says why."""


class NotAnEntity(EntityProblem):
    """A line that is not even a JSON object: many of these mean a wrong file format."""


@lru_cache(maxsize=1 << 16)
def clean_cached(type_name: str, value: str, fmt: str | None) -> str | None:
    """Clean a value of a context-free type once, however many entities carry it."""
    if type_name == "date" and is_iso_day(value):
        return value
    return registry.get(type_name).clean(value, format=fmt)


def is_iso_day(value: str) -> bool:
    """Whether ``value`` is a valid ``YYYY-MM-DD`` day, which FtM's date cleaning keeps as is.

    FtM (prefixdate) reads years 1000 to 2999. Birth dates are mostly distinct days, so the
    cache above misses often, and FtM's parser takes ~25 µs where ``date.fromisoformat``
    runs at C speed.
    """
    if len(value) != 10 or value[4] != "-" or value[7] != "-" or value[0] not in "12":
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class FtMSource(ListSource):
    """Reads FollowTheMoney JSON lines (``.json``, ``.jsonl``, ``.ftm.json``, ``.gz``)."""

    NAME = "ftm"
    TITLE = "FollowTheMoney JSON lines, e.g. an OpenSanctions dataset export"
    ID_PREFIX = "ftm"

    def records(self) -> Iterator[Record]:
        """One record per entity; adjacent lines with the same id are merged into one.

        OpenSanctions exports are sorted by id, so FtM's duplicate-merging convention can
        be kept while streaming by holding back only the last entity read.
        """
        first_line: dict[str, int] = {}
        pending: EntityProxy | None = None
        for number, entity in self._entities():
            assert entity.id is not None
            if pending is not None and pending.id == entity.id:
                pending = self._merge(pending, entity, number)
                continue
            if entity.id in first_line:
                self.problem(
                    f"line {number}",
                    f"duplicate id {entity.id} (first at line {first_line[entity.id]})",
                )
                continue
            first_line[entity.id] = number
            if pending is not None:
                yield Record(pending)
            pending = entity
        if pending is not None:
            yield Record(pending)
        elif not self.issues:
            raise self.fail("file", "no entities found")

    def _merge(self, pending: EntityProxy, entity: EntityProxy, number: int) -> EntityProxy:
        """Merge a repeated entity into the one before it, or note why they cannot merge."""
        try:
            return pending.merge(entity)
        except InvalidData as exc:
            self.problem(f"line {number}", str(exc))
            return pending

    def _entities(self) -> Iterator[tuple[int, EntityProxy]]:
        """Every readable entity with its line number; unreadable lines become problems.

        When most of the first lines are not JSON objects the input is not JSON lines (a
        JSON array, a pretty-printed object): one clear failure beats a problem per line.
        Valid JSON objects that are bad entities (say, a schema from a newer FtM) do not
        count: they are real entities worth a problem each.
        """
        judged = bad = 0
        issues_before = len(self.issues)
        with open_text(self.path, self.limits) as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                judged += 1
                try:
                    entity = parse_entity(line)
                except EntityProblem as exc:
                    bad += 1 if isinstance(exc, NotAnEntity) else 0
                    self.problem(f"line {number}", str(exc))
                else:
                    yield number, entity
                if judged == SNIFF_LINES:
                    self._check_sniff(judged, bad, issues_before)
        if judged < SNIFF_LINES:
            self._check_sniff(judged, bad, issues_before)

    def _check_sniff(self, judged: int, bad: int, issues_before: int) -> None:
        """Fail when more than half of the first lines (at most 20) are not JSON objects."""
        if bad * 2 <= judged:
            return
        first = self.issues[issues_before].problem
        del self.issues[issues_before:]
        raise self.fail(
            "line 1",
            f"not FollowTheMoney JSON lines: {bad} of the first {judged} lines are not "
            f"JSON objects (first fault: {first})",
        )


def parse_entity(line: str) -> EntityProxy:
    """Build one entity from one line, or raise ``EntityProblem`` saying what is wrong."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise NotAnEntity(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise NotAnEntity(f"not a JSON object but {type(data).__name__}")
    entity_id, schema = entity_head(data)
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise EntityProblem("properties is not an object")
    entity = EntityProxy(schema, {"id": entity_id})
    for name, values in properties.items():
        plan = plan_of(schema, name)
        for value in clean_values(entity, plan, values):
            entity.unsafe_add(plan.prop, value, cleaned=True)
    return entity


@dataclass(frozen=True, slots=True)
class Plan:
    """How the values of one property of one schema are cleaned, worked out once: a
    million-entity load would otherwise repeat these lookups eight million times."""

    prop: Property
    is_clean: Callable[[str], bool] | None
    cached_type: str | None


_PLANS: dict[tuple[str, str], Plan] = {}


def plan_of(schema: Schema, name: str) -> Plan:
    """The cleaning plan of property ``name`` of ``schema``; a bad property is a problem."""
    plan = _PLANS.get((schema.name, name))
    if plan is None:
        prop = property_of(schema, name)
        cached = prop.type.name if prop.type.name in CACHED_TYPES else None
        plan = _PLANS[(schema.name, name)] = Plan(prop, shortcut(prop), cached)
    return plan


def entity_head(data: dict[str, Any]) -> tuple[str, Schema]:
    """The id and schema of an entity, checked."""
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise EntityProblem("missing id")
    schema_name = data.get("schema")
    if not isinstance(schema_name, str) or not schema_name:
        raise EntityProblem(f"entity {entity_id}: missing schema")
    schema = model.get(schema_name)
    if schema is None:
        raise EntityProblem(f"entity {entity_id}: unknown schema {schema_name!r}")
    return entity_id, schema


def property_of(schema: Schema, name: str) -> Property:
    """The property ``name`` of ``schema``; unknown and reverse properties are faults.

    Reverse properties (``Person:sanctions``) only mirror references held by the other
    entity, so a value on one would be silently lost.
    """
    prop = schema.properties.get(name)
    if prop is None:
        raise EntityProblem(f"unknown property {name!r} for schema {schema.name}")
    if prop.stub:
        raise EntityProblem(f"{schema.name}:{name} is a reverse property and cannot hold values")
    return prop


def clean_values(entity: EntityProxy, plan: Plan, values: Any) -> list[str]:
    """The values of one property as FtM would store them; unreadable ones are dropped.

    ``entity`` is the one being built, which a few types need (a reference may not point
    at its own entity; a phone number is read in the entity's countries).
    """
    prop = plan.prop
    if type(values) is not list:
        raise EntityProblem(f"property {prop.name!r}: values must be a list of strings")
    is_clean, cached_type = plan.is_clean, plan.cached_type
    cleaned: list[str] = []
    for value in values:
        if type(value) is not str:
            raise EntityProblem(f"property {prop.name!r}: values must be a list of strings")
        if is_clean is not None and is_clean(value):
            text: str | None = value
        elif cached_type is not None:
            text = clean_cached(cached_type, value, prop.format)
        else:
            text = prop.type.clean(value, format=prop.format, proxy=entity)
        if text is not None:
            cleaned.append(text)
    return cleaned
