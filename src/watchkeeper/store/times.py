"""Times in the store: all kept in UTC."""

from datetime import UTC, datetime


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, a naive one taken as UTC: the store keeps every time in UTC, and
    SQLite drops the zone (it returns naive datetimes and compares them as text)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
