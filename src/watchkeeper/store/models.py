"""Plain data the store hands out: what a caller may read without touching SQL."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ListVersion:
    """One load of a named list."""

    list_name: str
    format: str
    number: int
    loaded_at: datetime
    origin: str
    source_date: str | None
    sha256: str
    record_count: int
    entity_count: int
    schema_counts: dict[str, int]
    skipped: list[str]
    active: bool
    raw_path: str | None = None


@dataclass(frozen=True)
class StoredEntity:
    """One entity as stored in one list version."""

    list_name: str
    version: int
    entity_id: str
    record_id: str
    schema: str
    caption: str
    data: dict[str, Any]

    @property
    def properties(self) -> dict[str, list[str]]:
        """The FtM properties, property name to values."""
        props: dict[str, list[str]] = self.data.get("properties", {})
        return props


@dataclass(frozen=True)
class PropertyChange:
    """Values of one property that differ between two versions of one entity."""

    entity_id: str
    schema: str
    prop: str
    added: list[str]
    removed: list[str]


@dataclass(frozen=True)
class RecordChange:
    """A list entry present in both versions whose content changed."""

    record_id: str
    schema: str
    caption: str
    changes: list[PropertyChange] = field(default_factory=list)
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)

    @property
    def changed_properties(self) -> list[str]:
        """``Schema.property`` names that changed, for a one-line summary."""
        names = {f"{c.schema}.{c.prop}" for c in self.changes}
        return sorted(names)


@dataclass(frozen=True)
class RecordRef:
    """A list entry named in a diff (added or removed)."""

    record_id: str
    schema: str
    caption: str


@dataclass(frozen=True)
class ListDiff:
    """What changed in a list between two versions."""

    list_name: str
    from_version: int
    to_version: int
    added: list[RecordRef]
    removed: list[RecordRef]
    changed: list[RecordChange]
    unchanged: int


@dataclass(frozen=True)
class EntityLink:
    """Two entries of different lists found to be one person or organisation, and the fact
    that ties them (``store.links``): a document number, a UN reference, or a name with a
    birth date (``"abu mohammed al adnani|1977"``)."""

    list_a: str
    entity_a: str
    list_b: str
    entity_b: str
    kind: str
    value: str
