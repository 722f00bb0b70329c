"""OASIS' stix2-validator over the STIX the sharing tests produce: every signed bundle
written and every TAXII envelope served must hold no validation error, and no warning but
the ones listed in ``ACCEPTED``, each with why it is right."""

from pathlib import Path
from typing import Any

import orjson
from stix2validator import ValidationOptions, validate_instance

ACCEPTED = {
    "103": "ids are UUIDv5 of (owner, source, item), not UUIDv4: the same record or hash "
    "shared again must get the same id on every node, so that the partner's copy is updated "
    "instead of doubled (sharing/ids.py). STIX 2.1 (2.9) says SDO ids SHOULD be UUIDv4 and "
    "lets producers use another UUID with a namespace that keeps them unique, as ours does.",
}
"""Warning codes of stix2-validator that our objects may raise, and why each is right."""
OPTIONS = ValidationOptions(version="2.1")


def problems(objects: list[Any]) -> list[str]:
    """The errors and unaccepted warnings of stix2-validator on ``objects`` (as one bundle)."""
    if not objects:
        return []
    found = validate_instance(
        {
            "type": "bundle",
            "id": "bundle--6b9e4a59-1bd2-4d0c-9d5e-5f6c2a7e8b10",
            "objects": objects,
        },
        OPTIONS,
    )
    errors = [f"error: {e}" for e in found.errors]
    warnings = [f"warning: {w}" for w in found.warnings if _code(str(w)) not in ACCEPTED]
    return errors + warnings


def _code(warning: str) -> str:
    """The code of a warning, as stix2-validator writes it (``... {103} ...``)."""
    start = warning.find("{")
    return warning[start + 1 : warning.find("}", start)] if start >= 0 else ""


def check(objects: list[Any]) -> None:
    """Fail with every problem stix2-validator finds in ``objects``."""
    found = problems(objects)
    assert not found, "\n".join(found)


def bundle_objects(path: Path) -> list[Any]:
    """The STIX objects of a signed bundle file."""
    objects: list[Any] = orjson.loads(path.read_bytes())["bundle"]["objects"]
    return objects


def check_bundle_file(path: Path) -> None:
    """Fail with every problem in the STIX bundle of a signed bundle file."""
    check(bundle_objects(path))


def envelope_objects(body: Any) -> list[Any]:
    """The STIX objects of a TAXII answer: an envelope's (a manifest's entries, versions and
    collections are no STIX)."""
    objects = body.get("objects") if isinstance(body, dict) else None
    if not isinstance(objects, list):
        return []
    return [o for o in objects if isinstance(o, dict) and "type" in o]
