"""Hash banks in the store: named sets of PDQ hashes, each entry with its label, source and
the time it was added, and per bank the distance at which an image matches and whether the
bank is negative (known-benign images whose matches suppress the others).

Every change to a bank (entries added, removed or updated, settings changed) raises its
``revision``, which is how a TAXII collection serving the bank knows to publish again.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.store.schema import image_bank_entries, image_banks

DEFAULT_DISTANCE = 31
"""Meta's recommended PDQ match threshold: near-duplicates (re-encoding, resizing, small
edits) stay within it, and unrelated images lie around 128 bits apart."""
MAX_DISTANCE = 128


@dataclass(frozen=True, slots=True)
class Bank:
    """One bank's settings."""

    id: int
    name: str
    negative: bool
    max_distance: int
    created_at: datetime
    revision: int = 0
    partner: str | None = None
    """The agency whose bank this is a copy of; None for our own banks."""


@dataclass(frozen=True, slots=True)
class BankEntry:
    """One hash of a bank, with what the bank knows about it."""

    hash: str
    label: str | None
    source: str | None
    added_at: datetime
    tlp: str | None = None
    """The partner's TLP code of an entry received from it; None for our own entries."""
    stix_id: str | None = None
    """The partner's STIX id of an entry received from it (how its withdrawal finds it)."""


def check_distance(distance: int) -> int:
    """The distance, or a UsageError when it is outside what PDQ can mean."""
    if not 0 <= distance <= MAX_DISTANCE:
        raise UsageError(f"a bank's distance is 0 to {MAX_DISTANCE} bits, not {distance}")
    return distance


def _bank(row: object) -> Bank:
    return Bank(
        id=row.id,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        negative=bool(row.negative),  # type: ignore[attr-defined]
        max_distance=row.max_distance,  # type: ignore[attr-defined]
        created_at=row.created_at,  # type: ignore[attr-defined]
        revision=row.revision,  # type: ignore[attr-defined]
        partner=row.partner,  # type: ignore[attr-defined]
    )


def get_bank(conn: Connection, name: str) -> Bank:
    """The bank called ``name``, or NotFoundError."""
    row = conn.execute(select(image_banks).where(image_banks.c.name == name)).first()
    if row is None:
        raise NotFoundError(f"no hash bank named {name!r} (see: watchkeeper images bank ls)")
    return _bank(row)


def ensure_bank(
    conn: Connection,
    name: str,
    now: datetime,
    negative: bool | None = None,
    max_distance: int | None = None,
    partner: str | None = None,
) -> Bank:
    """The bank called ``name``, created when new (as a copy of ``partner``'s bank when
    given); settings given are applied to it."""
    row = conn.execute(select(image_banks).where(image_banks.c.name == name)).first()
    if row is None:
        conn.execute(
            image_banks.insert().values(
                name=name,
                negative=bool(negative),
                max_distance=check_distance(
                    DEFAULT_DISTANCE if max_distance is None else max_distance
                ),
                created_at=now,
                partner=partner,
            )
        )
        return get_bank(conn, name)
    changes: dict[str, object] = {}
    if negative is not None and negative != row.negative:
        changes["negative"] = negative
    if max_distance is not None and max_distance != row.max_distance:
        changes["max_distance"] = check_distance(max_distance)
    if changes:
        changes["revision"] = image_banks.c.revision + 1
        conn.execute(image_banks.update().where(image_banks.c.id == row.id).values(**changes))
    return get_bank(conn, name)


def add_entries(conn: Connection, bank: Bank, found: list[BankEntry]) -> list[BankEntry]:
    """Add the entries the bank does not hold yet; returns those (the first of repeats)."""
    held = set(
        conn.execute(
            select(image_bank_entries.c.hash).where(image_bank_entries.c.bank_id == bank.id)
        ).scalars()
    )
    new: list[BankEntry] = []
    for entry in found:
        if entry.hash not in held:
            held.add(entry.hash)
            new.append(entry)
    if new:
        conn.execute(
            image_bank_entries.insert(),
            [
                {
                    "bank_id": bank.id,
                    "hash": e.hash,
                    "label": e.label,
                    "source": e.source,
                    "added_at": e.added_at,
                    "tlp": e.tlp,
                    "stix_id": e.stix_id,
                }
                for e in new
            ],
        )
        _touch(conn, bank)
    return new


def remove_entries(conn: Connection, bank: Bank, hashes: list[str]) -> int:
    """Remove entries by hash; returns how many the bank held."""
    removed = 0
    for start in range(0, len(hashes), 1000):  # SQLite limits the parameters of one query
        removed += conn.execute(
            image_bank_entries.delete().where(
                image_bank_entries.c.bank_id == bank.id,
                image_bank_entries.c.hash.in_(hashes[start : start + 1000]),
            )
        ).rowcount
    if removed:
        _touch(conn, bank)
    return int(removed)


def update_entries(conn: Connection, bank: Bank, changed: list[BankEntry]) -> None:
    """Replace what the bank knows about hashes it holds (label, source, added_at, TLP code,
    STIX id), as when a partner changes an entry it shared."""
    for e in changed:
        conn.execute(
            update(image_bank_entries)
            .where(image_bank_entries.c.bank_id == bank.id, image_bank_entries.c.hash == e.hash)
            .values(
                label=e.label, source=e.source, added_at=e.added_at, tlp=e.tlp, stix_id=e.stix_id
            )
        )
    if changed:
        _touch(conn, bank)


def _touch(conn: Connection, bank: Bank) -> None:
    """Raise the bank's revision: its collections publish again."""
    conn.execute(
        update(image_banks)
        .where(image_banks.c.id == bank.id)
        .values(revision=image_banks.c.revision + 1)
    )


def bank_entries(conn: Connection, bank: Bank) -> list[BankEntry]:
    """Every entry of the bank, in the order added."""
    query = (
        select(image_bank_entries)
        .where(image_bank_entries.c.bank_id == bank.id)
        .order_by(image_bank_entries.c.id)
    )
    return [
        BankEntry(r.hash, r.label, r.source, r.added_at, r.tlp, r.stix_id)
        for r in conn.execute(query)
    ]


def list_banks(conn: Connection) -> list[tuple[Bank, int]]:
    """Every bank with its number of entries, by name."""
    counts = (
        select(image_bank_entries.c.bank_id, func.count().label("n"))
        .group_by(image_bank_entries.c.bank_id)
        .subquery()
    )
    query = (
        select(image_banks, func.coalesce(counts.c.n, 0).label("size"))
        .outerjoin(counts, counts.c.bank_id == image_banks.c.id)
        .order_by(image_banks.c.name)
    )
    return [(_bank(row), int(row.size)) for row in conn.execute(query)]
