"""The one small interface every list format implements.

A source reads one input (a file or a folder of files) and yields ``Record`` objects: one
listed person, organisation or vessel, as a main FollowTheMoney entity plus the entities that
hang off it (Sanction, Passport/Identification, Address). The store writes records inside one
transaction, so a source never writes anything itself.

Faults are collected, not raised one at a time: ``problem()`` notes a fault in one record
and reading goes on, so the person fixing the file sees every fault at once; a fault that
makes the rest unreadable (truncated XML, unknown column layout) raises ``SourceError``.
"""

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from followthemoney import EntityProxy, model

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.settings import InputLimits


@dataclass
class Record:
    """One list entry: its main entity first, then the entities that belong to it."""

    entity: EntityProxy
    adjacent: list[EntityProxy] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The stable id of the entry (``un-QDi.325``, ``ofac-2676``)."""
        assert self.entity.id is not None
        return self.entity.id

    def entities(self) -> Iterator[EntityProxy]:
        """The main entity, then the adjacent ones."""
        yield self.entity
        yield from self.adjacent


class ListSource(ABC):
    """A list format: reads one input into records, collecting faults as it goes."""

    NAME: ClassVar[str]
    """Stable format key used on the command line (``un-xml``)."""

    TITLE: ClassVar[str]
    """One line for ``--help`` and the README."""

    ID_PREFIX: ClassVar[str]
    """Prefix of the entity ids this format makes (``un``), so ids never collide across sources."""

    ENTRIES: ClassVar[frozenset[str]] = frozenset()
    """Schemas counted as list entries besides persons, organisations and vessels: the
    documents of a lost and stolen document list."""

    NAMED: ClassVar[bool] = True
    """Its entries have names to screen against; False for a list of documents (SLTD), which
    only document numbers reach."""

    FOUR_EYES: ClassVar[bool] = False
    """Clearing or confirming an alert on it needs a second person: an authority's own
    designations (UN) and an agency's own profiles, where a wrong decision weighs most."""

    REFERENCE_IDS: ClassVar[bool] = False
    """Its ids are ``<ID_PREFIX>-<the publisher's reference>`` (un-QDi.325, ofac-2676), so the
    publisher's reference can be shown on its own."""

    def __init__(self, path: Path, limits: InputLimits | None = None) -> None:
        self.path = path
        self.limits = limits or InputLimits()
        """Caps on what the input may expand to while it is read."""
        self.issues: list[SourceIssue] = []
        self.source_date: str | None = None
        """Publication date the input itself states, set while reading (ISO 8601)."""

    @abstractmethod
    def records(self) -> Iterator[Record]:
        """Yield every record of the input; raise ``SourceError`` when reading cannot go on."""

    def input_files(self) -> list[Path]:
        """The files this source reads, for the raw-input archive and the checksum."""
        return [self.path]

    def problem(self, position: str, problem: str, path: Path | None = None) -> None:
        """Note a fault in one record; the load fails at the end unless told to skip bad ones."""
        self.issues.append(SourceIssue(str(path or self.path), position, problem))

    def check_columns(
        self, header: Sequence[str] | None, known: Sequence[str], required: Sequence[str]
    ) -> None:
        """Fail on unknown, repeated or missing CSV columns: each would silently lose a field,
        so the file cannot be read as meant."""
        columns = [c.strip() for c in header or []]
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise self.fail(
                "line 1", f"unknown columns: {', '.join(unknown)}; known: {', '.join(known)}"
            )
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise self.fail("line 1", f"repeated columns: {', '.join(repeated)}")
        missing = [c for c in required if c not in columns]
        if missing:
            raise self.fail("line 1", f"missing required columns: {', '.join(missing)}")

    def fail(self, position: str, problem: str, path: Path | None = None) -> SourceError:
        """Build the error for a fault that stops reading; the caller raises it."""
        return SourceError.at(str(path or self.path), position, problem)

    def make(self, schema: str, *parts: str) -> EntityProxy:
        """A new entity whose id is this source's prefix joined to ``parts``."""
        entity = model.make_entity(schema)
        entity.id = "-".join((self.ID_PREFIX, *parts))
        return entity

    def make_hashed(self, schema: str, owner: str, kind: str, *values: str | None) -> EntityProxy:
        """A child entity whose id depends on its content, not its position in the file.

        Position-based ids would make every entity after an insertion look changed in a diff.
        """
        digest = hashlib.sha1("\x1f".join(v or "" for v in values).encode("utf-8")).hexdigest()
        entity = model.make_entity(schema)
        entity.id = f"{owner}-{kind}-{digest[:12]}"
        return entity


def add_value(entity: EntityProxy, prop: str, value: str | None) -> bool:
    """Add a value, reporting whether FtM could keep it after cleaning (a country it cannot
    name, a date it cannot read). Callers keep what was dropped in ``notes`` so nothing is lost."""
    if value is None or not value.strip():
        return True
    prop_obj = entity.schema.get(prop)
    assert prop_obj is not None, f"{entity.schema.name} has no property {prop}"
    cleaned = prop_obj.type.clean(value.strip(), proxy=entity, format=prop_obj.format)
    if cleaned is None:
        return False
    entity.unsafe_add(prop_obj, cleaned, cleaned=True)
    return True


def add_or_note(entity: EntityProxy, prop: str, value: str | None, label: str) -> None:
    """Add a value; when FtM drops it, keep it as a readable note (``label: value``)."""
    if value is None or not value.strip():
        return
    if not add_value(entity, prop, value):
        entity.add("notes", f"{label}: {value.strip()}")


def file_sha256(paths: list[Path]) -> str:
    """One checksum over all input files, in order, to tell identical reloads apart."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\x00")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
