"""How old each list's active version is, and which are older than they should be.

Age counts from when the version was loaded here, not from the publisher's date
(``source_date``): that date is free text whose meaning differs by source (a partner feed
keeps its follow cursor there), and what the banner warns about is that nobody has loaded
the list lately, so a person listed since is not screened. Every load makes a new version,
even of an unchanged file, so a list updated daily never looks stale.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from watchkeeper.errors import UsageError
from watchkeeper.store.schema import list_versions, lists
from watchkeeper.store.times import utc


@dataclass(frozen=True, slots=True)
class ListAge:
    """One list's active version: when it was loaded, its publisher's date, its age."""

    name: str
    format: str
    version: int
    loaded_at: datetime
    source_date: str | None
    age: timedelta

    @property
    def age_days(self) -> int:
        """Whole days since the load."""
        return self.age.days


def list_freshness(engine: Engine, now: datetime) -> list[ListAge]:
    """Every list with an active version, by name, with its age at ``now``."""
    query = (
        select(
            lists.c.name,
            lists.c.format,
            list_versions.c.number,
            list_versions.c.loaded_at,
            list_versions.c.source_date,
        )
        .join(list_versions, list_versions.c.id == lists.c.active_version_id)
        .order_by(lists.c.name)
    )
    moment = utc(now)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        ListAge(
            row.name,
            row.format,
            row.number,
            utc(row.loaded_at),
            row.source_date,
            max(moment - utc(row.loaded_at), timedelta(0)),
        )
        for row in rows
    ]


def stale_lists(engine: Engine, now: datetime, max_age_days: int) -> list[ListAge]:
    """The lists whose active version is more than ``max_age_days`` days old at ``now``
    (``Settings.list_max_age_days``), the oldest first: the banner on every page."""
    return older_than(list_freshness(engine, now), max_age_days)


def older_than(ages: Iterable[ListAge], max_age_days: int) -> list[ListAge]:
    """Those of ``ages`` more than ``max_age_days`` days old, the oldest first."""
    if max_age_days < 1:
        raise UsageError(f"max_age_days: {max_age_days} must be at least 1")
    limit = timedelta(days=max_age_days)
    return sorted((a for a in ages if a.age > limit), key=lambda a: (-a.age, a.name))
