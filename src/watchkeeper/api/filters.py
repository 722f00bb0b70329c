"""yente's filter, facet and sort parameters, with yente's meaning, over a snapshot's facts.

Filters become one mask of the index's entries (``facts.Facts``), which retrieval honours
before any candidate is scored: a filtered-out entry is never a candidate, so a filter never
shortens a page of results. A value that names nothing we know (a dataset, a schema, a
field, a sort key) is refused (400) with the parameter and the reason, never passed over:
a bank that sends ``exclude_dataset=us_ofac_sdn`` must learn that our OFAC list is ``ofac``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import numpy as np
from followthemoney import model
from followthemoney.types import registry

from watchkeeper.errors import UsageError
from watchkeeper.service.facts import FIELDS, Mask
from watchkeeper.service.index import Snapshot

TS_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$"
"""yente's pattern of ``changed_since``: a date, with an hour, minutes and seconds if given."""
MAX_EXCLUDED = 50  # yente's bound on exclude_entity_ids
OTHER_FIELDS = ("entity_id", "target")
SORTS = ("_score", "entity_id", "first_seen", "last_seen", "last_change", "schema")


def refuse(parameter: str, why: str) -> UsageError:
    """A 400 that names the parameter and says why."""
    return UsageError(f"{parameter}: {why}")


@dataclass
class Filters:
    """The filters of one request, gathered into one mask."""

    snapshot: Snapshot
    dataset: str
    mask: Mask | None = None
    terms: list[tuple[str, str]] = field(default_factory=list)

    def _and(self, mask: Mask) -> None:
        self.mask = mask if self.mask is None else self.mask & mask

    def _datasets(self, parameter: str, names: Iterable[str]) -> list[str]:
        """The dataset names of ``names`` (list or dataset names); 400 for an unknown one."""
        found = []
        for name in names:
            list_name = self.snapshot.names.list_of(name)
            if list_name not in self.snapshot.matchable:
                known = ", ".join(self.snapshot.names.dataset(n) for n in self.snapshot.matchable)
                raise refuse(parameter, f"no dataset {name!r}; known: {known}")
            found.append(self.snapshot.names.dataset(list_name))
        return found

    def include_dataset(self, names: Sequence[str]) -> None:
        """Only these datasets (of the scope: one outside it leaves nothing)."""
        if names:
            self._and(
                self.snapshot.facts.matching("datasets", self._datasets("include_dataset", names))
            )

    def exclude_dataset(self, names: Sequence[str]) -> None:
        """None of these datasets."""
        if names:
            self._and(
                ~self.snapshot.facts.matching("datasets", self._datasets("exclude_dataset", names))
            )

    def exclude_schema(self, names: Sequence[str]) -> None:
        """No entity of these schemata (exactly these, as yente's term filter)."""
        for name in names:
            if model.get(name) is None:
                raise refuse("exclude_schema", f"no schema {name!r}")
        if names:
            self._and(~self.snapshot.facts.matching("schema", names))

    def schemata(self, names: Iterable[str]) -> None:
        """Only entities of these schemata."""
        self._and(self.snapshot.facts.matching("schema", names))

    def changed_since(self, moment: str | None) -> None:
        """Only entities whose content changed after ``moment`` (yente's ``TS_PATTERN``)."""
        if moment is not None:
            try:
                when = datetime.fromisoformat(moment)
            except ValueError as exc:
                raise refuse("changed_since", f"not a date or time: {moment!r}") from exc
            self._and(self.snapshot.facts.changed_since(when))

    def exclude_entity_ids(self, entity_ids: Sequence[str]) -> None:
        """None of these entities, nor the listings linked to them: one person on two lists
        is one result (``matching.groups``), as a merged entity and its referents are one
        in yente, which excludes the entity when any of its referents is given."""
        if len(entity_ids) > MAX_EXCLUDED:
            raise refuse("exclude_entity_ids", f"at most {MAX_EXCLUDED} ids")
        if entity_ids:
            facts = self.snapshot.facts
            linked = self.snapshot.linker.linked_ids(entity_ids)
            numbers = (facts.number[e] for e in linked if e in facts.number)
            self._and(~facts.mask(numbers))

    def term(self, parameter: str, name: str, value: str) -> None:
        """A ``field:value`` filter (``filter``, ``topics``, ``countries``, ``datasets``)."""
        known = name in FIELDS or name in OTHER_FIELDS
        if name.startswith("properties."):
            prop = name.removeprefix("properties.")
            known = any(prop in s.properties for s in model.schemata.values())
        if not known:
            fields = ", ".join([*FIELDS, *OTHER_FIELDS, "properties.<name>"])
            raise refuse(parameter, f"no field {name!r}; filter on {fields}")
        if name == "datasets":
            value = self._datasets(parameter, [value])[0]
        self.terms.append((name, value))

    def apply_terms(self, op: str) -> None:
        """The ``term`` filters: per field, any value (``OR``) or every value (``AND``)."""
        facts = self.snapshot.facts
        by_field: dict[str, list[str]] = {}
        for name, value in self.terms:
            by_field.setdefault(name, []).append(value)
        for name, values in by_field.items():
            groups = [values] if op == "OR" else [[v] for v in values]
            for group in groups:
                if name == "entity_id":
                    self._and(facts.mask(facts.number[v] for v in group if v in facts.number))
                elif name == "target":  # every indexed entity is a listed entry: a target
                    self._and(facts.mask(facts.ids) if "true" in group else facts.mask())
                else:
                    self._and(facts.matching(name, group))


def facets(snapshot: Snapshot, numbers: Sequence[int], fields: Sequence[str]) -> dict[str, Any]:
    """yente's facets over these entries: per field, each value's count, most first."""
    out: dict[str, Any] = {}
    for name in fields:
        counts: dict[str, int] = {}
        by_number = snapshot.facts.values[name]
        for n in numbers:
            for value in by_number.get(n, ()):
                counts[value] = counts.get(value, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:1000]
        out[name] = {
            "label": _LABELS[name],
            "values": [{"name": v, "label": _label(name, v), "count": c} for v, c in ranked],
        }
    return out


_LABELS = {
    "datasets": "Data sources",
    "schema": "Entity types",
    "countries": registry.country.plural,
    "topics": registry.topic.plural,
    "identifiers": registry.identifier.plural,
    "genders": registry.gender.plural,
}


def _label(name: str, value: str) -> str:
    if name == "schema":
        schema = model.get(value)
        return schema.plural if schema is not None else value
    kind = {"countries": registry.country, "topics": registry.topic, "genders": registry.gender}
    if name in kind:
        return kind[name].caption(value) or value
    return value


def sort_keys(sorts: Sequence[str]) -> list[tuple[str, bool]]:
    """``field:order`` sorts (yente's syntax; order ``asc`` unless ``desc``), checked."""
    keys = []
    for sort in sorts:
        name, _, order = sort.partition(":")
        if name not in SORTS:
            raise refuse("sort", f"cannot sort by {name!r}; sort by {', '.join(SORTS)}")
        keys.append((name, order == "desc"))
    return keys


def sorted_numbers(
    snapshot: Snapshot, numbers: list[int], scores: dict[int, float], keys: list[tuple[str, bool]]
) -> list[int]:
    """``numbers`` in the order of ``keys``, then by score (best first) and entity id."""
    facts = snapshot.facts

    def value(n: int, *, name: str) -> Any:
        if name == "_score":
            return scores.get(n, 0.0)
        entity_id, list_name = facts.ids[n]
        if name == "entity_id":
            return entity_id
        if name == "schema":
            return facts.values["schema"][n][0]
        times = facts.times.get((list_name, entity_id))
        return getattr(times, name).timestamp() if times is not None else float("-inf")

    ordered = sorted(numbers, key=lambda n: (-scores.get(n, 0.0), facts.ids[n][0]))
    for name, descending in reversed(keys):
        ordered.sort(key=partial(value, name=name), reverse=descending)
    return ordered


def in_scope(snapshot: Snapshot, dataset: str) -> Mask:
    """The entries of the lists a dataset name stands for."""
    lists = snapshot.members(dataset)
    return snapshot.facts.matching("datasets", [snapshot.names.dataset(n) for n in lists])


def numbers_of(mask: Mask) -> list[int]:
    """The numbers a mask marks, ascending."""
    found: list[int] = np.flatnonzero(mask).tolist()
    return found
