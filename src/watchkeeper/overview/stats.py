"""How much comes in and how much waits: inputs received per lane, alerts per lane and day,
and the open backlog by age.

Every figure is one aggregate query (SQLite and PostgreSQL alike, ``store.time_sql``), so a
dashboard over years of alerts reads a few dozen rows, not the alerts. The figures are counts
and hold no personal data, so reading them is not audited (the alerts behind them are, when
opened). Suppressed alerts repeat a decision already taken and never reach the queue: they
are left out here and counted by ``review.workflow.suppressed_count``.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, case, func, select

from watchkeeper.errors import UsageError
from watchkeeper.lanes.ingest import FAILED, SCREENED
from watchkeeper.lanes.travel.records import LANE as TRAVEL
from watchkeeper.store.alert_states import OPEN, PENDING, SUPPRESSED
from watchkeeper.store.schema import alerts, lane_inputs, travel_messages
from watchkeeper.store.time_sql import utc_day
from watchkeeper.store.times import utc

WAITING = (*sorted(OPEN), PENDING)
"""The states of an alert still waiting for a person: open, or waiting for its second one."""

AGE_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("< 1 d", timedelta(days=1)),
    ("1-3 d", timedelta(days=3)),
    ("3-7 d", timedelta(days=7)),
    ("7-30 d", timedelta(days=30)),
    ("> 30 d", None),
)
"""Backlog buckets, youngest first: each holds the alerts younger than its bound (and not
younger than the bucket before); the last has no bound."""

MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class LaneSeries:
    """One lane's alerts per day, in the order of ``DailyAlerts.days``."""

    lane: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        """The lane's alerts over every day shown."""
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class DailyAlerts:
    """Alerts raised per lane and UTC day, oldest day first; days without alerts count 0."""

    days: tuple[date, ...]
    lanes: tuple[LaneSeries, ...]  # by lane name; lanes without an alert in the days left out

    @property
    def totals(self) -> tuple[int, ...]:
        """All lanes' alerts per day."""
        return tuple(sum(s.counts[i] for s in self.lanes) for i in range(len(self.days)))


@dataclass(frozen=True, slots=True)
class AgeBucket:
    """Open alerts of one age range (``label`` as in ``AGE_BUCKETS``), by lane."""

    label: str
    count: int
    by_lane: tuple[tuple[str, int], ...]  # (lane, count), by lane name


@dataclass(frozen=True, slots=True)
class Backlog:
    """The alerts waiting for a person, by age; ``oldest`` is when the oldest came in."""

    buckets: tuple[AgeBucket, ...]
    oldest: datetime | None

    @property
    def total(self) -> int:
        """Every waiting alert."""
        return sum(b.count for b in self.buckets)


@dataclass(frozen=True, slots=True)
class LaneInputs:
    """What one lane received in a period: inputs screened, and inputs that could not be read
    at all (kept for replay; each raised no alert). Travel counts its messages, the other
    lanes their files or uploads."""

    lane: str
    screened: int
    failed: int


def inputs_received(engine: Engine, since: datetime, until: datetime) -> list[LaneInputs]:
    """Inputs received per lane from ``since`` to ``until`` (exclusive), by lane name: the
    ones kept by ``lanes.ingest`` (``lane_inputs``) and the travel lane's messages
    (``travel_messages``), which it receives itself."""
    kept = (
        select(lane_inputs.c.lane, lane_inputs.c.status, func.count().label("n"))
        .where(lane_inputs.c.received_at >= utc(since), lane_inputs.c.received_at < utc(until))
        .group_by(lane_inputs.c.lane, lane_inputs.c.status)
    )
    travel = (
        select(travel_messages.c.status, func.count().label("n"))
        .where(
            travel_messages.c.received_at >= utc(since),
            travel_messages.c.received_at < utc(until),
        )
        .group_by(travel_messages.c.status)
    )
    counts: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for row in conn.execute(kept):
            counts.setdefault(row.lane, {})[row.status] = int(row.n)
        for row in conn.execute(travel):
            found = counts.setdefault(TRAVEL, {})
            found[row.status] = found.get(row.status, 0) + int(row.n)
    return [
        LaneInputs(lane, by.get(SCREENED, 0), by.get(FAILED, 0))
        for lane, by in sorted(counts.items())
    ]


def alerts_per_day(engine: Engine, now: datetime, days: int = 14) -> DailyAlerts:
    """Alerts raised per lane on each of the ``days`` UTC days up to and including ``now``'s."""
    shown, start, end = day_window(now, days)
    day = utc_day(alerts.c.created_at).label("day")
    query = (
        select(alerts.c.lane, day, func.count().label("n"))
        .where(
            alerts.c.created_at >= start,
            alerts.c.created_at < end,
            alerts.c.state != SUPPRESSED,
        )
        .group_by(alerts.c.lane, day)
    )
    counts: dict[str, dict[date, int]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            counts.setdefault(row.lane, {})[date.fromisoformat(row.day)] = int(row.n)
    series = tuple(
        LaneSeries(lane, tuple(counts[lane].get(d, 0) for d in shown)) for lane in sorted(counts)
    )
    return DailyAlerts(shown, series)


def day_window(now: datetime, days: int) -> tuple[tuple[date, ...], datetime, datetime]:
    """The ``days`` UTC days up to and including ``now``'s, oldest first, with the first
    moment of the first and of the day after the last."""
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"days: {days} is not from 1 to {MAX_DAYS}")
    today = utc(now).date()
    shown = tuple(today - timedelta(days=n) for n in range(days - 1, -1, -1))
    start = datetime.combine(shown[0], time(), tzinfo=UTC)
    return shown, start, datetime.combine(today + timedelta(days=1), time(), tzinfo=UTC)


def backlog_by_age(engine: Engine, now: datetime) -> Backlog:
    """The waiting alerts (``WAITING``) by age at ``now`` (``AGE_BUCKETS``), and by lane."""
    moment = utc(now)
    bounded = [(label, bound) for label, bound in AGE_BUCKETS if bound is not None]
    bucket = case(
        *((alerts.c.created_at > moment - bound, label) for label, bound in bounded),
        else_=AGE_BUCKETS[-1][0],
    ).label("bucket")
    waiting = alerts.c.state.in_(WAITING)
    query = (
        select(alerts.c.lane, bucket, func.count().label("n"))
        .where(waiting)
        .group_by(alerts.c.lane, bucket)
    )
    found: dict[str, dict[str, int]] = {label: {} for label, _ in AGE_BUCKETS}
    with engine.connect() as conn:
        for row in conn.execute(query):
            found[row.bucket][row.lane] = int(row.n)
        oldest = conn.execute(select(func.min(alerts.c.created_at)).where(waiting)).scalar()
    buckets = tuple(
        AgeBucket(label, sum(lanes.values()), tuple(sorted(lanes.items())))
        for label, lanes in found.items()
    )
    return Backlog(buckets, utc(oldest) if oldest is not None else None)
