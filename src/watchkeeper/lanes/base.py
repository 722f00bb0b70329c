"""What every lane is: one interface, so that the CLI, the service and the web upload serve
any lane the registry lists without knowing it (in the spirit of python-threatexchange's
``SignalType``).

A lane has five parts and says nothing of where its input came from:

- ``read``: the bytes of one input, named, into records and the faults met reading them
  (a bad row is a fault and the rest is read; an input with no record is refused whole);
- ``screen``: the records against the lists (``Screening``), into one report;
- ``alerts``: the report's findings as alerts for review, each a lead, never a decision;
- ``report_json``: the report as plain JSON data, the answer an input gets (and gets again
  when it is sent again);
- ``examples``: small inputs, for the OpenAPI page and the tests.

``lanes.ingest`` composes them (read, keep the raw input, screen, store the alerts, audit),
once, for every caller. A lane whose inputs have their own rules of receipt overrides
``ingest`` (travel: interchanges known by sender and control reference as well as by
digest); the others are received once by digest in ``lane_inputs``.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path, PurePath
from tempfile import TemporaryDirectory
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Engine

from watchkeeper.errors import SourceIssue, UsageError
from watchkeeper.matching.screener import Matcher, Screener
from watchkeeper.store.alerts import NewAlert

R = TypeVar("R")  # what one input is read into: travel messages, payments, documents...
P = TypeVar("P")  # what screening them gives: the lane's report

JSON = dict[str, Any] | list[Any]


@dataclass(frozen=True, slots=True)
class Read(Generic[R]):
    """The records read from one input and the faults met on the way (each with its place)."""

    records: list[R]
    faults: list[SourceIssue] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Screened(Generic[P]):
    """A lane's report, and the faults screening met (a payment a rule could not judge)."""

    report: P
    faults: list[SourceIssue] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Example:
    """A small input a lane reads, with its media type: the OpenAPI page shows it."""

    name: str
    media_type: str
    data: bytes
    summary: str


@dataclass(frozen=True, slots=True)
class Submitter:
    """Who hands an input over (a user of the service, a person at a terminal) and from
    where, for the audit entry."""

    name: str
    remote: str | None


@dataclass(frozen=True, slots=True)
class Ingested:
    """The answer to one input: where it is kept, the alerts its first screening queued
    (``alert_ids``: those for review, not those a remembered decision suppressed), its
    report (``Lane.report_json``) and faults, and whether this delivery repeated one
    received before (then nothing new was stored)."""

    lane: str
    id: int
    path: str
    received_at: datetime
    alerts: int
    report: JSON
    faults: list[str]
    alert_ids: tuple[int, ...]
    repeat: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The service's answer."""
        return {
            "lane": self.lane,
            "alerts": self.alerts,
            "alert_ids": list(self.alert_ids),
            "report": self.report,
            "faults": self.faults,
            "input": {
                "id": self.id,
                "path": self.path,
                "received_at": self.received_at.isoformat(),
                "repeat": self.repeat,
            },
        }


@dataclass
class Screening:
    """What a lane screens with: the store, a matcher for subjects, the names of the lists
    it holds and the lane's own options (``Lane.options``, as text, as a query string or a
    command line gives them). ``screener`` is a ``Screener`` over the same lists, for lanes
    that look for listed names inside text; it is made on first use, since most lanes never
    ask for it and the service would build it per request."""

    engine: Engine
    matcher: Matcher
    lists: Sequence[str]
    make_screener: Callable[[], Screener]
    options: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def screener(self) -> Screener:
        """A screener over ``lists`` with the matcher's threshold."""
        return self.make_screener()

    def option(self, name: str) -> str | None:
        """The value given for option ``name``, stripped; None when it was not given."""
        value = self.options.get(name)
        return (value.strip() or None) if value is not None else None

    def names(self, name: str) -> list[str]:
        """A comma-separated option as a list of names (empty when not given)."""
        return [part.strip() for part in (self.option(name) or "").split(",") if part.strip()]


class Lane(ABC, Generic[R, P]):
    """A screening lane: its name (the alerts' ``lane`` and a stable key of the registry,
    the CLI, the service's paths and the web form), what inputs it takes, and how it
    reads, screens and raises alerts."""

    name: ClassVar[str]
    """The stable key: stored in every alert, part of the service's paths."""
    title: ClassVar[str]
    """What a person picks in the upload form: "Travel (PAXLST, PNRGOV)"."""
    input_kinds: ClassVar[tuple[str, ...]]
    """The media types it reads, the first the one the service's documentation shows."""
    options: ClassVar[Mapping[str, str]] = {}
    """The options it takes beyond the lists and the threshold, with what each means."""

    @abstractmethod
    def read(self, raw: bytes, name: str) -> Read[R]:
        """The records of one input called ``name`` (a file name, or the service's name for
        a request), and its faults; a ``SourceError`` when nothing at all can be read."""

    @abstractmethod
    def screen(self, records: list[R], screening: Screening) -> Screened[P]:
        """The records against the lists; the lane's report."""

    @abstractmethod
    def alerts(self, report: P) -> list[NewAlert]:
        """One alert per finding a person should review."""

    @abstractmethod
    def report_json(self, report: P) -> JSON:
        """The report as plain JSON data (dates as ISO text)."""

    @abstractmethod
    def examples(self) -> list[Example]:
        """Inputs it reads, for documentation and the tests; at least one."""

    def keep(self, conn: Connection, records: list[R], report: P, now: datetime) -> None:
        """Keep what later screenings need, inside the ingest's transaction (images keep the
        hashes they saw, finance the parties, for retroactive matching); nothing by
        default."""

    def check_options(self, options: Mapping[str, str]) -> None:
        """A ``UsageError`` naming an option the lane does not take, and those it does."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            known = ", ".join(self.options) or "none"
            raise UsageError(
                f"lane {self.name!r} takes no option {', '.join(map(repr, unknown))}; "
                f"its options: {known}"
            )


@contextmanager
def on_disk(raw: bytes, name: str) -> Iterator[Path]:
    """``raw`` as a file with the last part of ``name`` (readers tell formats by suffix),
    in a private folder removed afterwards: for readers made for files (PDF, Parquet,
    images). What they report about the file is to be renamed to ``name`` (``renamed``)."""
    base = PurePath(name).name or "input"
    with TemporaryDirectory(prefix="watchkeeper-") as folder:
        path = Path(folder) / base
        path.write_bytes(raw)
        yield path


def renamed(issues: Sequence[SourceIssue], path: Path, name: str) -> list[SourceIssue]:
    """Faults reported about the file ``path`` (``on_disk``) as faults of ``name``."""
    return [SourceIssue(name, i.position, i.problem) if i.path == str(path) else i for i in issues]


class ReceivesItself(ABC):
    """A lane whose inputs have rules of receipt of their own (travel: an interchange is
    known by its sender and control reference too, and updates are versions): ``ingest``
    hands the whole input to it instead of keeping it in ``lane_inputs``."""

    @abstractmethod
    def receive(
        self,
        engine: Engine,
        raw: bytes,
        name: str,
        screening: Screening,
        by: Submitter,
        now: datetime,
    ) -> Ingested:
        """Read, keep, screen, store the alerts of and audit one input, once; a
        ``SourceError`` (the input kept for replay) when it cannot be read."""
