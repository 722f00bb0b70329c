"""The one receive path for a page of STIX objects a partner sends, whether we follow its
TAXII collection (``follow``) or it posts to ours (``api/taxii.py``).

Each kind reads its own objects from the page (identities, PDQ indicators, ...), objects that
cannot be read are reported, not applied, and the rest pass over. The kinds then apply their
items in registry order inside one transaction, with whatever the caller keeps with the page
(a feed's cursor; the posted objects and the TAXII status), so that commits whole or not at
all: a follower restarted at any moment fetches the page again, and applying it twice changes
nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Engine

from watchkeeper.errors import SourceIssue
from watchkeeper.sharing.kinds import Inbound, ShareKind, Tally
from watchkeeper.sharing.registry import kinds
from watchkeeper.sharing.tlp import DEFAULT_CODE

T = TypeVar("T", bound=Tally)


@dataclass
class Received:
    """What receiving pages did, kind by kind."""

    tallies: dict[str, Tally] = field(default_factory=dict)

    def of(self, kind: ShareKind[Any, T]) -> T:
        """What ``kind`` applied (an empty tally before any page)."""
        found = self.tallies.get(kind.NAME)
        return cast(T, found) if found is not None else kind.tally()

    @property
    def issues(self) -> list[SourceIssue]:
        """The objects that could not be read, kind by kind."""
        return [issue for tally in self.tallies.values() for issue in tally.issues]

    def merge(self, other: "Received") -> None:
        """Add another page's tallies to these."""
        for name, tally in other.tallies.items():
            if name in self.tallies:
                self.tallies[name].merge(tally)
            else:
                self.tallies[name] = tally


def receive(
    engine: Engine,
    objects: list[Any],
    inbound: Inbound,
    keep: Callable[[Connection, "Received"], None] | None = None,
) -> Received:
    """Apply one page of a partner's objects to its copies (never to ours); ``keep`` writes
    what the caller stores with the page, in the page's transaction, knowing what was
    received. Objects without a TLP marking take ``DEFAULT_CODE``."""
    readings = [
        (kind, *kind.read(objects, inbound.partner, inbound.origin, DEFAULT_CODE))
        for kind in kinds()
    ]
    done = Received()
    with engine.begin() as conn:
        for kind, items, issues in readings:
            tally = kind.apply(engine, conn, items, inbound)
            tally.issues.extend(issues)
            done.tallies[kind.NAME] = tally
        if keep is not None:
            keep(conn, done)
    return done
