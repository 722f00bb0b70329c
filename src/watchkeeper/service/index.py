"""The matchers the service answers with, rebuilt in the background and swapped whole.

A request takes the current ``Snapshot`` once and uses it to the end; a list update builds a
new snapshot beside it (index and screeners for every list) and replaces the reference in one
assignment, so no request fails or waits while the lists change.

A built snapshot is then frozen out of the garbage collector's walks (``gc.freeze``): its
million and a half objects made each full collection a pause of most of a second, one every
thousand or so match requests (most of their p99 latency, a fifth of their CPU time). A
replaced snapshot holds no reference cycles, so it is freed, frozen or not, when its last
request ends; what is frozen is unfrozen when the next snapshot is built, so that the
collections of that build reclaim any cycles left among it.
"""

import gc
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import structlog
from sqlalchemy import Engine, select

from watchkeeper.errors import NotFoundError
from watchkeeper.matching.groups import Linker
from watchkeeper.matching.index import from_store
from watchkeeper.matching.prefixes import PrefixIndex
from watchkeeper.matching.screener import CANDIDATES, Hit, Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.service.datasets import DatasetNames
from watchkeeper.service.facts import Facts, Mask
from watchkeeper.service.refusals import Unavailable
from watchkeeper.sources import named
from watchkeeper.store.schema import list_versions, lists

ALL = "default"
"""The dataset of every loaded list, as yente calls its union of datasets."""
log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ListInfo:
    """One loaded list as the catalogue shows it."""

    name: str
    format: str
    version: int
    version_id: int
    loaded_at: datetime
    entries: int
    entity_count: int = 0
    """Every entity of the version: entries and their documents, sanctions, addresses."""


@dataclass(frozen=True)
class Snapshot:
    """One screener over every list of names, at one set of list versions."""

    lists: dict[str, ListInfo]
    screener: Screener
    matchable: tuple[str, ...]  # the lists of names (not of documents), sorted
    names: DatasetNames
    """The FtM-valid dataset name of each list (``service.datasets``)."""
    facts: Facts
    """What yente's filters, facets and dates read of each entry (``service.facts``)."""
    linker: Linker = field(default_factory=lambda: Linker(()))
    """Links between the listings of these list versions: one result per person."""
    built_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    entities: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    """Entity responses already read from the store: they cannot change within a snapshot."""

    @cached_property
    def prefixes(self) -> PrefixIndex:
        """Prefix search over the listed names (the reconciliation API's suggest service),
        built on first use: most snapshots are never asked."""
        return PrefixIndex(self.screener.index.subjects())

    def datasets(self) -> list[str]:
        """Names a client may ask for: each list, and ``default`` for all of them."""
        return [ALL, *self.matchable]

    def members(self, dataset: str) -> list[str]:
        """The lists a dataset name (or a list name) stands for; NotFoundError for an
        unknown one."""
        if dataset == ALL:
            return list(self.matchable)
        list_name = self.names.list_of(dataset)
        if list_name not in self.matchable:
            known = ", ".join([ALL, *(self.names.dataset(n) for n in self.matchable)])
            raise NotFoundError(f"no dataset {dataset!r}; known: {known}")
        return [list_name]

    def _lists(self, dataset: str) -> frozenset[str] | None:
        return None if dataset == ALL else frozenset(self.members(dataset))

    def candidates(
        self,
        dataset: str,
        subject: Subject,
        limit: int = CANDIDATES,
        weights: Mapping[str, float] | None = None,
        allowed: Mask | None = None,
    ) -> list[Hit]:
        """Scored candidates from the dataset, best first (``weights`` override feature
        weights, as yente's match requests may; ``allowed`` keeps to the entries a request's
        filters leave, ``facts``' masks)."""
        return self.screener.candidates(subject, limit, weights, self._lists(dataset), allowed)

    def screen(
        self,
        dataset: str,
        subject: Subject,
        threshold: float,
        limit: int,
        allowed: Mask | None = None,
    ) -> list[Hit]:
        """Candidates scoring at least ``threshold``; the hopeless ones are never scored."""
        lists = self._lists(dataset)
        screener = Screener(self.screener.index, threshold)
        return screener.screen(subject, limit, lists, allowed)


@dataclass(frozen=True, slots=True)
class DatasetScreener:
    """A screener over every list of a dataset, for the lanes (``matching.screener.Matcher``)."""

    snapshot: Snapshot
    dataset: str
    threshold: float

    def screen(self, subject: Subject, limit: int = 10) -> list[Hit]:
        """Alerts from every list of the dataset, best first."""
        return self.snapshot.screen(self.dataset, subject, self.threshold, limit)


def active_lists(engine: Engine) -> dict[str, ListInfo]:
    """The lists with an active version, as they are now."""
    query = select(
        lists.c.name,
        lists.c.format,
        list_versions.c.number,
        list_versions.c.id,
        list_versions.c.loaded_at,
        list_versions.c.record_count,
        list_versions.c.entity_count,
    ).join(list_versions, list_versions.c.id == lists.c.active_version_id)
    with engine.connect() as conn:
        return {
            row.name: ListInfo(
                row.name,
                row.format,
                row.number,
                row.id,
                row.loaded_at,
                row.record_count,
                row.entity_count,
            )
            for row in conn.execute(query)
        }


def build(engine: Engine, infos: dict[str, ListInfo], threshold: float) -> Snapshot:
    """A snapshot of these list versions: one index over every list of names. Its subjects
    are prepared for the scorer here, in the background, when they fit the scorer's cache,
    so that the first requests after a swap do not pay for it."""
    matchable = tuple(sorted(n for n, i in infos.items() if named(i.format)))
    index = from_store(engine, list(matchable))
    screener = Screener(index, threshold)
    screener.prepare_all()
    names = DatasetNames(infos)
    facts = Facts(engine, index, {n: infos[n].version_id for n in matchable}, names)
    linker = Linker.from_store(engine, matchable)
    return Snapshot(infos, screener, matchable, names, facts, linker)


class Matchers:
    """Holds the current snapshot and rebuilds it when a list gets a new version."""

    def __init__(self, engine: Engine, threshold: float, refresh_seconds: float) -> None:
        self.engine = engine
        self.threshold = threshold
        self.refresh_seconds = refresh_seconds
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()  # one rebuild at a time; readers never take it
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def ready(self) -> bool:
        """Whether a first snapshot is built."""
        return self._snapshot is not None

    def snapshot(self) -> Snapshot:
        """The current snapshot (one reference read: atomic)."""
        snapshot = self._snapshot
        if snapshot is None:
            raise NotFoundError("the lists are still being indexed; try again shortly")
        return snapshot

    def current(self) -> Snapshot:
        """The current snapshot for a request: Unavailable (503) while the first is built."""
        snapshot = self._snapshot
        if snapshot is None:
            raise Unavailable("the lists are still being indexed")
        return snapshot

    def refresh(self) -> bool:
        """Rebuild if any list changed since the current snapshot; True when swapped."""
        with self._lock:
            infos = active_lists(self.engine)
            current = self._snapshot
            if current is not None and _versions(current.lists) == _versions(infos):
                return False
            gc.unfreeze()
            snapshot = build(self.engine, infos, self.threshold)
            self._snapshot = snapshot
            gc.freeze()
        log.info("index_swapped", lists={n: i.version for n, i in infos.items()})
        return True

    def start(self) -> None:
        """Build the first snapshot in the background and keep it fresh."""
        self._thread = threading.Thread(target=self._run, name="watchkeeper-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background refresher."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh()
            except Exception:  # a failed rebuild keeps the old snapshot serving
                log.exception("index_refresh_failed")
            self._stop.wait(self.refresh_seconds)


def _versions(infos: dict[str, ListInfo]) -> Sequence[tuple[str, int]]:
    return sorted((name, info.version_id) for name, info in infos.items())
