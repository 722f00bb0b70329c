"""The audit log's hash chain: what makes a rewritten entry show.

The triggers of migration 0002 stop the service from changing the log, but not someone who
can write the database file: they can drop the triggers and edit rows. So every entry
carries ``prev_hash``, the ``hash`` of the entry before it (``GENESIS`` for the first), and
its own ``hash``: the SHA-256 of ``prev_hash`` and of the entry's canonical form (JSON of
its time, actor, action, target, detail and remote address, keys sorted, no spaces). An
entry changed, removed or inserted afterwards no longer matches its hash or its successor's
``prev_hash``; ``verify`` finds the first such link.

Someone who rewrites the whole chain from some entry on, hashes recomputed, is caught only
by comparing with a hash kept elsewhere: ``verify(anchor=...)`` checks that an entry with
the head hash written down earlier is still there.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from watchkeeper.store.schema import audit_log
from watchkeeper.store.times import utc

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""

FIELDS = ("at", "actor", "action", "target_type", "target_id", "detail", "remote")
"""What the hash covers: everything but the row id (the database's) and the chain itself."""

_BATCH = 1000  # rows fetched at a time while verifying: the log can be millions long


def canonical(entry: Mapping[Any, Any]) -> bytes:
    """The entry as hashed: the same bytes whoever writes or reads it, on either backend
    (times in UTC to the microsecond, which both keep)."""
    data = {name: entry[name] for name in FIELDS}
    data["at"] = utc(entry["at"]).isoformat(timespec="microseconds")
    # As stored and read back: tuples become lists, keys strings.
    data["detail"] = json.loads(json.dumps(entry["detail"]))
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def entry_hash(prev_hash: str, entry: Mapping[Any, Any]) -> str:
    """The hash of ``entry`` following the entry whose hash is ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(entry)).hexdigest()


_NEWEST = (
    select(audit_log.c.hash)
    .where(audit_log.c.hash.is_not(None))
    .order_by(audit_log.c.id.desc())
    .limit(1)
)  # built once: building it was a sixth of a batch's commit


def head(conn: Connection) -> str:
    """The hash the next entry chains to. Rows without a hash (written behind the store's
    back) are passed over, so that one of them cannot stop every later write; ``verify``
    reports them."""
    found = conn.execute(_NEWEST).scalar()
    return str(found) if found is not None else GENESIS


@dataclass(frozen=True, slots=True)
class Break:
    """The first link that does not hold: the entry (none when the anchor is missing), its
    time, and what differs."""

    id: int | None
    at: datetime | None
    problem: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "id": self.id,
            "at": self.at.isoformat() if self.at else None,
            "problem": self.problem,
        }


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What ``verify`` found: how many entries it checked, the hash of the last one (worth
    writing down elsewhere, as the anchor of a later check) and the first break, if any."""

    entries: int
    head: str
    broken: Break | None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "ok": self.broken is None,
            "entries": self.entries,
            "head": self.head,
            "broken": self.broken.as_dict() if self.broken else None,
        }


def verify(engine: Engine, anchor: str | None = None) -> ChainReport:
    """Check every link from the first entry on and stop at the first broken one; with
    ``anchor`` (a head hash written down earlier), also that an entry with it is still there."""
    entries, expected, before, found_anchor = 0, GENESIS, None, anchor is None
    query = select(audit_log).order_by(audit_log.c.id)
    with engine.connect() as conn, conn.execution_options(yield_per=_BATCH).execute(query) as rows:
        for row in rows:
            problem = _problem(row._mapping, expected, before)
            if problem is not None:
                return ChainReport(entries, expected, Break(row.id, utc(row.at), problem))
            entries, expected, before = entries + 1, row.hash, row.id
            found_anchor = found_anchor or row.hash == anchor
    if not found_anchor:
        problem = (
            f"no entry has the anchor hash {anchor}: entries up to it were removed, "
            "or the log was rewritten"
        )
        return ChainReport(entries, expected, Break(None, None, problem))
    return ChainReport(entries, expected, None)


def _problem(row: Mapping[Any, Any], expected: str, before: int | None) -> str | None:
    """What is wrong with one entry, given the hash its predecessor (entry ``before``) has."""
    if row["hash"] is None or row["prev_hash"] is None:
        return "the entry has no hash: it was written behind the store's back"
    if row["prev_hash"] != expected:
        previous = f"entry {before}" if before is not None else "none: it is the first"
        return (
            f"prev_hash {row['prev_hash']} is not the hash of the entry before it "
            f"({previous}, {expected}): that entry was changed, or entries were removed "
            "or inserted here"
        )
    computed = entry_hash(row["prev_hash"], row)
    if computed != row["hash"]:
        return (
            f"the content does not match its hash (stored {row['hash']}, computed "
            f"{computed}): the entry's time, actor, action, target, detail or remote address "
            "was changed after it was written"
        )
    return None
