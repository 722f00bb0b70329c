"""Which FollowTheMoney schema extends which, derived from followthemoney's model once and
shipped.

The matcher asks two things of a schema: whether two schemata could describe one entity
(``matching.features.schemas_compatible``) and whether a subject is an organisation
(``matching.prepared.acronyms``); the store's links ask which schemata may be linked
(``store.links.LINKABLE``). Reading the answers from ``data/schemata.tsv`` spares these
followthemoney's import (its model's YAML, its types, rigour's tables: about 0.5 s), which
``watchkeeper match`` needs for nothing else. Regenerate the file after a
followthemoney upgrade with ``python -m watchkeeper.schemata``; a test checks it
matches the model.
"""

from functools import cache
from importlib.resources import files
from pathlib import Path

TABLE_FILE = "schemata.tsv"


def derive() -> dict[str, frozenset[str]]:
    """Each schema of followthemoney's model to the names it answers to: its own and those
    of every schema it extends, directly or not (``Schema.names``, what ``is_a`` reads)."""
    from followthemoney import model

    return {name: frozenset(schema.names) for name, schema in model.schemata.items()}


def render(table: dict[str, frozenset[str]]) -> str:
    """One line a schema: its name, a tab, the names it answers to comma-separated."""
    return "".join(f"{s}\t{','.join(sorted(table[s]))}\n" for s in sorted(table))


@cache
def load() -> dict[str, frozenset[str]]:
    """The shipped table."""
    text = files("watchkeeper").joinpath("data", TABLE_FILE).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines())
    return {schema: frozenset(names.split(",")) for schema, names in rows}


def is_a(schema: str, other: str) -> bool:
    """Whether ``schema`` is ``other`` or extends it; False for a schema the model lacks
    (followthemoney's ``model.get(schema).is_a(other)``)."""
    names = load().get(schema)
    return names is not None and other in names


def extending(other: str) -> list[str]:
    """The schemata that are ``other`` or extend it, sorted by name."""
    return sorted(schema for schema, names in load().items() if other in names)


def known(schema: str) -> bool:
    """Whether followthemoney's model has this schema."""
    return schema in load()


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "data" / TABLE_FILE
    target.write_text(render(derive()), encoding="utf-8")
