"""Reconciliation queries (W3C Reconciliation API 0.2) answered by the matcher.

A query has a ``query`` string, ``properties`` (``{"pid": "birthDate", "v": "1977"}``; FtM
property names), or both; ``type`` is one FtM schema or a list of them. Each query of a batch
is answered on its own: one the service cannot read gets an empty ``result`` and an
``error`` saying why, and the others are answered as usual.

Candidates are people (or organisations, vessels), not listings: a person listed on several
lists of the dataset is one candidate, named by the listing that scores best. Each candidate
is typed by what the listed entity is, whatever the query asked for.

``match: true`` goes to one candidate at most: the first, when it reaches the service's
alert threshold and scores at least ``MATCH_MARGIN`` above the runner-up. OpenRefine takes a
candidate marked so as the cell's match without asking anyone; two candidates that close
(namesakes, a spelling apart) are the case where a person must choose, so neither is marked.
"""

from dataclasses import dataclass, replace
from typing import Any

from followthemoney import model
from followthemoney.schema import Schema

from watchkeeper.matching.groups import Group
from watchkeeper.matching.screener import CANDIDATES
from watchkeeper.matching.subject import Subject
from watchkeeper.service.index import Snapshot

MATCH_MARGIN = 0.1
"""How far (on the 0-1 score) the best candidate must lead the next to be marked a match."""
DEFAULT_LIMIT = 5
MAX_LIMIT = 50
UNTYPED = "Thing"  # an untyped query may be a person, an organisation or a vessel
CARRIERS = ("Person", "Organization", "Vessel", "LegalEntity")
"""Schemata tried, after the query's, to read a property the query's schema lacks (an untyped
query's ``birthDate`` is read as a Person's)."""
PROPERTIES = (
    'properties: a list of objects {"pid": a property id, "v": a value or a list of values}, '
    "a value being a string, a number, a boolean or an object with an 'id'"
)


class QueryError(ValueError):
    """A query of a batch that cannot be answered; the rest of the batch still is."""


@dataclass(frozen=True)
class Query:
    """One reconciliation query, read: the subject to match, the types asked for (none: any)
    and how many candidates to return."""

    subject: Subject
    types: tuple[Schema, ...]
    limit: int


def read_query(query: Any) -> Query:
    """A query of a batch as the matcher takes it; QueryError for what is not one."""
    if not isinstance(query, dict):
        raise QueryError("a query is an object with 'query' or 'properties'")
    text = query.get("query")
    if text is not None and not isinstance(text, str):
        raise QueryError("query: a string")
    pairs = _properties(query.get("properties"))
    if not (text and text.strip()) and not pairs:
        raise QueryError("a query needs a 'query' string or 'properties'")
    types = _types(query.get("type"))
    schema = _common(types) if types else model.schemata[UNTYPED]
    carrier = _carrier(schema, types, [pid for pid, _ in pairs])
    proxy = model.make_entity(carrier)
    proxy.id = "query"
    if text:
        proxy.add("name", text, cleaned=False)
    for pid, value in pairs:
        prop = carrier.get(pid)
        if prop is not None:  # an unknown property says nothing about anyone listed
            proxy.add(prop, value, cleaned=False, quiet=True)
    subject = replace(Subject.from_entity(proxy), schema=schema.name)
    return Query(subject, types, _limit(query.get("limit", DEFAULT_LIMIT)))


def candidates(snapshot: Snapshot, dataset: str, query: Query) -> list[dict[str, Any]]:
    """The query's candidates in the API's shape, best first."""
    hits = snapshot.candidates(dataset, query.subject, max(CANDIDATES, query.limit))
    if query.types:
        hits = [h for h in hits if any(model.schemata[h.schema].is_a(t) for t in query.types)]
    groups = snapshot.linker.group(hits, frozenset(snapshot.members(dataset)))[: query.limit]
    return [_candidate(g, i == 0 and is_match(groups)) for i, g in enumerate(groups)]


def is_match(groups: list[Group]) -> bool:
    """Whether the first candidate is the match (see the module docstring)."""
    if not groups or not groups[0].best.alert:
        return False
    return len(groups) == 1 or groups[0].best.score - groups[1].best.score >= MATCH_MARGIN


def _candidate(group: Group, match: bool) -> dict[str, Any]:
    best = group.best
    schema = model.schemata[best.schema]
    description = f"{best.list_name}: {best.reference}"
    others = [h.entity_id for h in group.hits[1:]] + [entity_id for _, entity_id in group.also]
    if others:
        description += f" (also listed as {', '.join(others)})"
    return {
        "id": best.entity_id,
        "name": best.name,
        "description": description,
        "type": [{"id": schema.name, "name": schema.label}],
        "score": round(best.score * 100, 1),
        "match": match,
        "features": [
            {"id": line.feature, "value": round(line.value, 4)} for line in best.result.features
        ],
    }


def _types(given: Any) -> tuple[Schema, ...]:
    names = [given] if isinstance(given, str) else given
    if names is None or names == "":
        return ()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise QueryError("type: a type id or a list of type ids")
    found = []
    for name in names:
        schema = model.get(name)
        if schema is None:
            raise QueryError(f"unknown type {name!r}: types are FtM schemata (Person...)")
        found.append(schema)
    return tuple(dict.fromkeys(found))


def _common(types: tuple[Schema, ...]) -> Schema:
    """The most specific schema every type is (Person and Organization: LegalEntity), so the
    query is compatible with candidates of each."""
    shared = set.intersection(*(set(t.schemata) for t in types))
    return max(shared, key=lambda s: (len(s.schemata), s.name))


def _carrier(schema: Schema, types: tuple[Schema, ...], pids: list[str]) -> Schema:
    """The schema the query's properties are read with: the query's own when it has them
    all, else the first type, then ``CARRIERS`` schema, that does (abstract ones, such as
    the untyped query's Thing, make no entity)."""
    every = (schema, *types, *(model.schemata[c] for c in CARRIERS))
    options = [s for s in every if not s.abstract]
    for option in options:
        if all(option.get(pid) is not None for pid in pids if _known(pid)):
            return option
    return options[0]


def _known(pid: str) -> bool:
    return any(s.get(pid) is not None for s in model.schemata.values())


def _limit(given: Any) -> int:
    if isinstance(given, bool) or not isinstance(given, int | float) or given < 1:
        raise QueryError("limit: a positive number")
    return min(int(given), MAX_LIMIT)


def _properties(given: Any) -> list[tuple[str, str]]:
    """The (property, value) pairs of a query's ``properties``, in the API's shape."""
    if given is None:
        return []
    if not isinstance(given, list):
        raise QueryError(PROPERTIES)
    pairs = []
    for item in given:
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str):
            raise QueryError(PROPERTIES)
        values = item.get("v")
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                value = value["id"]
            if not isinstance(value, str | int | float | bool):
                raise QueryError(PROPERTIES)
            pairs.append((item["pid"], str(value)))
    return pairs
