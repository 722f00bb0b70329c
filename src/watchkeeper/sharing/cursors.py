"""Where following a partner's feed stopped: the TAXII ``date_added`` of the last page applied.

The cursor is written in the caller's transaction, the one that applies the page's hash bank
entries, after the page's list records committed (as a list version of their own); a
follower killed at any moment therefore restarts at a page whose records and entries are all
stored, and fetching a page again changes nothing.
"""

from datetime import datetime

from sqlalchemy import Connection, select, update

from watchkeeper.store.schema import share_cursors


def load_cursor(conn: Connection, origin: str) -> str | None:
    """The cursor of a feed (``origin``), None before its first page."""
    found = conn.execute(
        select(share_cursors.c.cursor).where(share_cursors.c.origin == origin)
    ).scalar()
    return str(found) if found is not None else None


def save_cursor(conn: Connection, origin: str, cursor: str, now: datetime) -> None:
    """Store a feed's cursor in the caller's transaction."""
    values = {"cursor": cursor, "updated_at": now}
    changed = conn.execute(
        update(share_cursors).where(share_cursors.c.origin == origin).values(values)
    ).rowcount
    if not changed:
        conn.execute(share_cursors.insert().values(origin=origin, **values))
