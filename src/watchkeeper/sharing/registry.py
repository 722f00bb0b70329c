"""The kinds of things watchkeeper shares, by name: a new kind is one module and one
``register`` line. Names and bundle fields are checked unique, since they are keys in
bundles, audit entries and ``Inbound.targets``."""

from pathlib import Path
from typing import Any

from watchkeeper.errors import SourceError
from watchkeeper.sharing.bank_kind import BANKS
from watchkeeper.sharing.config import Collection
from watchkeeper.sharing.kinds import ShareKind
from watchkeeper.sharing.profile_kind import PROFILES

AnyKind = ShareKind[Any, Any]
KINDS: dict[str, AnyKind] = {}
"""Every kind, in the order received pages are applied (profiles first: see ``apply``)."""


def register(kind: AnyKind) -> AnyKind:
    """Add a kind; AssertionError when its name or bundle field is taken already."""
    assert kind.NAME not in KINDS, f"a shared kind named {kind.NAME!r} exists already"
    taken = {k.BUNDLE_FIELD for k in KINDS.values()}
    assert kind.BUNDLE_FIELD not in taken, f"bundle field {kind.BUNDLE_FIELD!r} is taken"
    KINDS[kind.NAME] = kind
    return kind


def kinds() -> list[AnyKind]:
    """Every kind, in registration order."""
    return list(KINDS.values())


def kind_of_bundle(document: dict[str, Any], path: Path) -> AnyKind:
    """The kind whose source a bundle names (its ``list``, ``bank``... field is set);
    SourceError when none or several are."""
    found = [k for k in KINDS.values() if document.get(k.BUNDLE_FIELD) is not None]
    if len(found) != 1:
        fields = ", ".join(k.BUNDLE_FIELD for k in KINDS.values())
        raise SourceError.at(str(path), "bundle", f"names no single source: one of {fields}")
    return found[0]


def source_of(collection: Collection) -> tuple[AnyKind, str] | None:
    """The kind and source a TAXII collection serves; None for an inbound collection."""
    for kind in KINDS.values():
        name = kind.shared_in(collection)
        if name is not None:
            return kind, name
    return None


register(PROFILES)
register(BANKS)
