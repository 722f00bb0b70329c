"""Which object versions of a collection a TAXII request asks for: the ``match[...]``
filters of TAXII 2.1 (3.4) as one SQL condition on ``share_objects``.

``match[version]`` picks among all versions of an object (``first``, ``last``, ``all``, or
the versions whose ``modified`` is a given timestamp), before ``added_after`` and the
reader's TLP are applied, so a page never depends on where the previous one stopped.
Every object a collection holds is STIX 2.1 (a posted object of another spec version is
refused), so ``match[spec_version]`` keeps everything when it names 2.1 and nothing else.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, or_, true
from sqlalchemy.orm import aliased

from watchkeeper.store.schema import share_objects

SPEC_VERSION = "2.1"
FIRST, LAST, ALL = "first", "last", "all"


@dataclass(frozen=True, slots=True)
class Selection:
    """The ``match[...]`` filters of one request; the defaults select what TAXII serves
    unfiltered: the last version of every object, of the latest spec version."""

    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: frozenset[str] = frozenset({LAST})
    """``first``, ``last`` and ``all``, any of them."""
    moments: tuple[datetime, ...] = ()
    """Versions asked for by their ``modified`` timestamp."""
    spec_versions: tuple[str, ...] = ()
    """Empty: the latest spec version of each object (2.1, the only one held)."""

    def condition(self) -> ColumnElement[bool]:
        """The rows of ``share_objects`` this selection keeps (TLP and time not included)."""
        kept: list[ColumnElement[bool]] = []
        if self.ids:
            kept.append(share_objects.c.stix_id.in_(self.ids))
        if self.types:
            kept.append(
                or_(
                    *(
                        share_objects.c.stix_id.startswith(f"{t}--", autoescape=True)
                        for t in self.types
                    )
                )
            )
        if self.spec_versions and SPEC_VERSION not in self.spec_versions:
            kept.append(false())
        if ALL not in self.versions:
            kept.append(or_(false(), *self._versions()))
        return and_(true(), *kept)

    def _versions(self) -> list[ColumnElement[bool]]:
        """One condition per ``first``, ``last`` and timestamp asked for."""
        which: list[ColumnElement[bool]] = []
        other = aliased(share_objects)
        same = and_(
            other.c.collection_id == share_objects.c.collection_id,
            other.c.stix_id == share_objects.c.stix_id,
        )
        if LAST in self.versions:
            which.append(~exists().where(same, other.c.id > share_objects.c.id))
        if FIRST in self.versions:
            which.append(~exists().where(same, other.c.id < share_objects.c.id))
        if self.moments:
            spelled = {text for moment in self.moments for text in spellings(moment)}
            which.append(share_objects.c.version.in_(sorted(spelled)))
        return which


def spellings(moment: datetime) -> list[str]:
    """Every way a STIX timestamp may write ``moment`` exactly (UTC, ``Z``, 0 to 6 digits of
    fraction), so a version asked for as ``...T09:00:00Z`` finds one kept as ``...00.000Z``."""
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    micro = f"{moment.microsecond:06d}"
    found = [f"{base}Z"] if moment.microsecond == 0 else []
    for digits in range(1, 7):
        if micro[digits:].strip("0") == "":
            found.append(f"{base}.{micro[:digits]}Z")
    return found


NEWEST = Selection()
"""What TAXII serves unfiltered: the last version of every object."""
