"""One interface for each kind of thing shared: list profiles, hash banks, any later kind.

A kind says what one of its shared sources holds as STIX 2.1 objects (``snapshot``: a list
version's identities, a bank's indicators), how a partner's object becomes one of its items
again (``from_stix``), how received items are applied to the store (``apply``), and how a
signed bundle of it is read back (``import_bundle``). What is the same for every kind (the
signed envelope, exports with ``--since``, TAXII publishing, the receive path of followed and
posted pages) is written once, over this interface (``bundle``, ``objects``, ``receive``);
``registry`` lists the kinds. In the spirit of python-threatexchange's ``SignalType``.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from sqlalchemy import Connection, Engine

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.sharing.config import Collection

Coded = tuple[dict[str, Any], str]
"""A STIX object and the TLP code it is served under."""


class MappingError(Exception):
    """An object that cannot become an item of a kind; the message says why."""


@dataclass
class Tally:
    """What applying received items did; each kind adds its own counts."""

    issues: list[SourceIssue] = field(default_factory=list)

    def merge(self, other: Self) -> None:
        """Add another page's tally to this one."""
        self.issues.extend(other.issues)


@dataclass(frozen=True, slots=True)
class Inbound:
    """Where a page of received objects comes from and where its items go."""

    partner: str
    origin: str
    """The feed's follow key, ``taxii-post:<collection>``, or a bundle's origin."""
    now: datetime
    cursor: str | None = None
    """The page's TAXII ``date_added`` (followed pages), kept with what it applied."""
    targets: Mapping[str, str] = field(default_factory=dict)
    """By kind name, where its items go instead of the partner's default (``--list``)."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source to share: its name, our agency (the owner of our own sources), the TLP
    ceiling of the collection or export, and an earlier revision (None: as it is now)."""

    name: str
    agency: str
    ceiling: str
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one shared source (a list, a bank) holds now: whose objects they are, whether
    received from a partner, its ``revision`` (a bundle's ``version``) and ``marker`` (what a
    collection records as published), the STIX type of its items with the extension that
    describes them, its items with their codes (made when asked: a collection that is up to
    date needs none), and how to withdraw one that is gone."""

    owner: str
    received: bool
    revision: int
    marker: int
    stix_type: str
    extension: dict[str, Any]
    items: Callable[[], list[Coded]]
    withdraw: Callable[[dict[str, Any], str], Coded]


@dataclass(frozen=True, slots=True)
class Exported:
    """What went into a bundle file: the source's revision, the items written (withdrawals
    not counted) and the withdrawals."""

    path: Path
    version: int
    records: int
    withdrawn: int


@dataclass(frozen=True, slots=True)
class SignedBundle:
    """An opened bundle file (signature and addressing checked): who signed it, its source,
    revision and TLP, its STIX objects, and who imports it."""

    path: Path
    signer: str
    source: str
    version: int
    tlp: str
    objects: list[Any]
    actor: str


class Imported(Protocol):
    """What importing a bundle did, as a kind reports it: the signer, the source's revision,
    the copy it went to, and what changed there."""

    @property
    def agency(self) -> str: ...

    @property
    def version(self) -> int: ...

    @property
    def target(self) -> str: ...

    @property
    def applied(self) -> Tally: ...

    def summary(self) -> str:
        """One line for the person who imported it."""
        ...


R = TypeVar("R")
T = TypeVar("T", bound=Tally)


class ShareKind(ABC, Generic[R, T]):
    """One kind of thing shared; ``R`` is a received item, ``T`` what applying items did."""

    NAME: ClassVar[str]
    """Stable key of the kind (registry, ``Inbound.targets``)."""
    STIX_TYPE: ClassVar[str]
    """The STIX type of its items; received objects of other types are not its own."""
    BUNDLE_FIELD: ClassVar[str]
    """The bundle header field naming the shared source (``list``, ``bank``)."""
    AUDIT_TYPE: ClassVar[str]
    """The audit target type of a shared source."""

    @abstractmethod
    def shared_in(self, collection: Collection) -> str | None:
        """The source a TAXII collection serves, when one of this kind; else None."""

    @abstractmethod
    def snapshot(self, engine: Engine, conn: Connection, ref: SourceRef) -> Snapshot:
        """A source as STIX objects that may leave under its ceiling, redacted as each
        item's code asks, RED left out; NotFoundError when there is no such source,
        UsageError when it keeps no earlier revisions."""

    @abstractmethod
    def from_stix(self, obj: dict[str, Any], partner: str, default_code: str) -> R | None:
        """The item a partner's object of ``STIX_TYPE`` stands for; None when it is not one
        of this kind (another platform's indicator), MappingError when it cannot be read."""

    def read(
        self, objects: Sequence[Any], partner: str, where: str, default_code: str
    ) -> tuple[list[R], list[SourceIssue]]:
        """The items of this kind among received objects, and the ones that cannot be read
        (named by ``where`` and their position); other objects are passed over."""
        received: list[R] = []
        issues: list[SourceIssue] = []
        for index, obj in enumerate(objects, start=1):
            if not isinstance(obj, dict) or obj.get("type") != self.STIX_TYPE:
                continue
            try:
                item = self.from_stix(obj, partner, default_code)
            except MappingError as exc:
                issues.append(SourceIssue(where, f"object {index}", str(exc)))
                continue
            if item is not None:
                received.append(item)
        return received, issues

    @abstractmethod
    def tally(self) -> T:
        """An empty tally: nothing applied yet."""

    @abstractmethod
    def apply(self, engine: Engine, conn: Connection, received: list[R], inbound: Inbound) -> T:
        """Apply a page's items to the partner's copies (never to ours).

        ``conn`` is the page's transaction, which also stores the feed's cursor or the posted
        objects, so what goes through it is applied whole or not at all. A kind whose store
        commits on its own (a list version is loaded in a transaction of the store's) uses
        ``engine`` and writes nothing through ``conn``; such kinds are registered first.
        """

    @abstractmethod
    def import_bundle(self, engine: Engine, bundle: SignedBundle) -> Imported:
        """Apply an opened bundle of this kind to the signer's copy, refused (SourceError)
        when older than one imported already; audited."""

    @abstractmethod
    def export_detail(self, exported: Exported, header: dict[str, Any]) -> dict[str, Any]:
        """The audit detail of an export (``header``: the bundle's header fields)."""


def refuse_older(bundle: SignedBundle, previous: str | None, noun: str, of: str = "") -> None:
    """SourceError when a bundle's revision is older than the one imported before (cursor
    ``v<n>``): ``noun`` is what the kind calls a revision, ``of`` names the source."""
    if previous is not None and int(previous.removeprefix("v")) > bundle.version:
        earlier = previous.removeprefix("v")
        raise SourceError.at(
            str(bundle.path),
            "version",
            f"{noun} {bundle.version}{of} is older than {noun} {earlier} imported already",
        )
