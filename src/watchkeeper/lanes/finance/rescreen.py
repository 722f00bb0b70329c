"""Re-screening on list change: the stored customers and counterparties against only what a
new list version added or changed.

A bank re-screens everyone when a list changes, but most of the list did not change, and
screening against all of it again repeats millions of comparisons whose answers are known.
The diff (``store.diff``) names the entries added or changed; an index of just those
entries is built and every stored subject is screened against it. The matcher's token
weights come from a reference corpus, not from the list, so a subject scores the same
against an entry in the small index as in the full one.

Alerts are raised only for new hits: a subject with an open alert on the entity gets no
second one, and a hit repeating a cleared decision on the same version of the entity is
stored suppressed (``store.alerts``). Removed entries raise nothing: their open alerts stay
with the reviewers, who see the entity is gone from the list.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from watchkeeper.lanes.finance import LANE
from watchkeeper.lanes.subjects import matchable, screened
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS
from watchkeeper.matching.screener import Hit, Screener
from watchkeeper.matching.stored import stored_subjects
from watchkeeper.matching.subject import Subject
from watchkeeper.store.alert_states import OPEN
from watchkeeper.store.alerts import NewAlert, insert_alerts
from watchkeeper.store.diff import changed_records
from watchkeeper.store.reading import version_id
from watchkeeper.store.schema import alerts, subjects
from watchkeeper.store.screened import ScreenedSubject

CUSTOMER = "customer"
COUNTERPARTY = "counterparty"
_PAGE = 1_000  # stored subjects read per query


@dataclass(frozen=True, slots=True)
class RescreenSummary:
    """What a re-screening did, for the operator and the audit log."""

    list_name: str
    from_version: int | None  # None: a full re-screen against the whole version
    to_version: int
    entries: int  # list entries screened against
    subjects: int  # stored customers and counterparties screened
    hits: int
    alerts: int  # new alerts stored, suppressed repeats of cleared decisions included
    suppressed: int
    already_open: int  # hits on a subject and entity with an alert still open
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain data."""
        return {f: getattr(self, f) for f in self.__slots__}


def remember(
    conn: Connection,
    kind: str,
    items: Iterable[tuple[str, Subject]],
    source: str | None,
    now: datetime,
) -> int:
    """Keep ``(reference, subject)`` pairs for re-screening, inside the caller's transaction;
    a subject seen again is refreshed (its facts and ``last_seen``), not duplicated."""
    rows = [
        {
            "kind": kind,
            "reference": reference,
            "subject": screened(subject).as_dict(),
            "subject_key": screened(subject).key,
            "source": source,
            "first_seen": now,
            "last_seen": now,
        }
        for reference, subject in dict(items).items()
    ]
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(subjects)
    refreshed = {
        name: statement.excluded[name] for name in ("subject", "subject_key", "source", "last_seen")
    }
    upsert = statement.on_conflict_do_update(index_elements=["kind", "reference"], set_=refreshed)
    for start in range(0, len(rows), 5_000):
        conn.execute(upsert, rows[start : start + 5_000])
    return len(rows)


def rescreen(
    engine: Engine,
    list_name: str,
    *,
    from_number: int | None = None,
    to_number: int | None = None,
    full: bool = False,
    threshold: float = PRESETS[DEFAULT_PRESET],
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RescreenSummary:
    """Screen every stored subject against the entries of version ``to_number`` (the
    active one by default) that were added or changed since ``from_number`` (the version
    before it by default), or against all of them with ``full`` or for a first version.
    ``progress`` is told the subjects screened so far and how many there are."""
    started = time.perf_counter()
    _vid, to_number = version_id(engine, list_name, to_number)
    if from_number is None and to_number > 1 and not full:
        from_number = to_number - 1
    record_ids: set[str] | None = None
    if from_number is not None and not full:
        record_ids = changed_records(engine, list_name, from_number, to_number)
    index = NameIndex.build(stored_subjects(engine, list_name, to_number, record_ids))
    screener = Screener(index, threshold)
    counts = {"subjects": 0, "hits": 0, "alerts": 0, "suppressed": 0, "open": 0}
    when = now or datetime.now(UTC)
    note = (
        f"re-screen of {list_name} v{to_number}"
        if from_number is None
        else f"re-screen after {list_name} v{from_number} -> v{to_number}"
    )
    total = _count(engine) if progress is not None and len(index) else 0
    for row_id, subject in _stored(engine) if len(index) else ():
        counts["subjects"] += 1
        if progress is not None:
            progress(counts["subjects"], total)
        hits = screener.screen(subject)
        if not hits:
            continue
        counts["hits"] += len(hits)
        with engine.begin() as conn:
            fresh = _not_open(conn, subject, hits)
            counts["open"] += len(hits) - len(fresh)
            found = [_alert(subject, hit, note) for hit in fresh]
            inserted = insert_alerts(conn, found, "subjects", row_id, when)
        counts["alerts"] += inserted.written
        counts["suppressed"] += inserted.suppressed
    if not len(index):  # nothing added or changed: no subject needs screening
        counts["subjects"] = _count(engine)
    return RescreenSummary(
        list_name=list_name,
        from_version=None if record_ids is None else from_number,
        to_version=to_number,
        entries=len(index),
        subjects=counts["subjects"],
        hits=counts["hits"],
        alerts=counts["alerts"],
        suppressed=counts["suppressed"],
        already_open=counts["open"],
        seconds=round(time.perf_counter() - started, 3),
    )


def _stored(engine: Engine) -> Iterator[tuple[int, Subject]]:
    """Every stored subject, paged by id so no long read transaction holds the store."""
    last = 0
    while True:
        query = (
            select(subjects.c.id, subjects.c.subject)
            .where(subjects.c.id > last)
            .order_by(subjects.c.id)
            .limit(_PAGE)
        )
        with engine.connect() as conn:
            page = conn.execute(query).all()
        if not page:
            return
        for row in page:
            yield int(row.id), matchable(ScreenedSubject.from_dict(row.subject))
        last = int(page[-1].id)


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subjects)).scalar_one())


def _not_open(conn: Connection, subject: Subject, hits: list[Hit]) -> list[Hit]:
    """The hits with no open alert on the same subject and entity."""
    query = select(alerts.c.entity_id).where(
        alerts.c.subject_key == screened(subject).key,
        alerts.c.entity_id.in_([h.entity_id for h in hits]),
        alerts.c.state.in_(sorted(OPEN | {"pending"})),
    )
    open_ids = set(conn.execute(query).scalars())
    return [h for h in hits if h.entity_id not in open_ids]


def _alert(subject: Subject, hit: Hit, note: str) -> NewAlert:
    return NewAlert(
        lane=LANE,
        kind="watchlist",
        subject=screened(subject),
        reason=f"{hit.reason} ({note})",
        list_name=hit.list_name,
        entity_id=hit.entity_id,
        score=hit.score,
        explanation={**hit.result.as_dict(), "rescreen": note},
    )
