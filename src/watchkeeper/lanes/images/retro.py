"""Retroactive matching: the hashes of images already screened are kept (``image_seen``),
and when a bank gains entries they are matched against just those entries, so an image
seen last month raises an alert the day a partner's bank learns of it.

The seen hashes (with their rotations when those were computed) are indexed and queried
with each new entry (Hamming distance is symmetric), so the cost grows with the new entries,
not with the bank; each image found is then matched as a fresh one against the new entries
and the negative banks, so suppression works as it does for new images.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from watchkeeper.lanes.images.banks import Bank, BankEntry, list_banks
from watchkeeper.lanes.images.codes import to_codes
from watchkeeper.lanes.images.hashing import DEFAULT_MIN_QUALITY, ImageHash
from watchkeeper.lanes.images.index import build_index
from watchkeeper.lanes.images.matching import ImageResult, LoadedBank, match_alerts, match_image
from watchkeeper.store.alerts import insert_alerts
from watchkeeper.store.schema import image_seen

SOURCE_TABLE = "image_seen"


def remember(conn: Connection, image: ImageHash, now: datetime) -> int:
    """Keep (or refresh) the hash of a screened image; returns its ``image_seen`` id."""
    key = (image_seen.c.hash == image.hash) & (image_seen.c.origin == image.origin)
    row = conn.execute(select(image_seen.c.id, image_seen.c.variants).where(key)).first()
    if row is None:
        inserted = conn.execute(
            image_seen.insert().values(
                hash=image.hash,
                variants=image.variants,
                quality=image.quality,
                origin=image.origin,
                first_seen=now,
                last_seen=now,
            )
        )
        primary = inserted.inserted_primary_key
        assert primary is not None
        return int(primary[0])
    variants = image.variants if image.variants is not None else row.variants
    conn.execute(
        image_seen.update()
        .where(image_seen.c.id == row.id)
        .values(last_seen=now, variants=variants, quality=image.quality)
    )
    return int(row.id)


@dataclass(frozen=True, slots=True)
class Rematch:
    """One seen image that matches new entries, and the ``image_seen`` row it came from."""

    seen_id: int
    result: ImageResult


def rematch(
    conn: Connection,
    bank: Bank,
    new: list[BankEntry],
    negatives: list[LoadedBank],
    min_quality: int,
) -> list[Rematch]:
    """Seen images within ``bank``'s distance of any of the ``new`` entries; a negative bank
    gaining entries raises nothing."""
    if bank.negative or not new:
        return []
    seen = list(conn.execute(select(image_seen).order_by(image_seen.c.id)))
    owners: list[int] = []
    forms: list[str] = []
    for number, row in enumerate(seen):
        for value in (row.variants or {"original": row.hash}).values():
            owners.append(number)
            forms.append(value)
    if not forms:
        return []
    index = build_index(to_codes(forms), bank.max_distance)
    hit: set[int] = set()
    for code in to_codes([e.hash for e in new]):
        rows, _ = index.query(code, bank.max_distance)
        hit.update(owners[r] for r in rows.tolist())
    fresh = LoadedBank.of(bank, new)
    found = []
    for number in sorted(hit):
        row = seen[number]
        image = ImageHash(row.origin, row.hash, row.quality, row.variants)
        result = match_image(image, [fresh, *negatives], min_quality)
        if result.matches or result.suppressed:
            found.append(Rematch(row.id, result))
    return found


def raise_alerts(conn: Connection, found: list[Rematch], now: datetime) -> int:
    """Store the alerts of retroactive matches; returns how many were written."""
    written = 0
    for item in found:
        written += insert_alerts(
            conn, match_alerts(item.result), SOURCE_TABLE, item.seen_id, now
        ).written
    return written


@dataclass(frozen=True, slots=True)
class Retroactive:
    """What a bank's new entries found among the images seen before, and the alerts stored."""

    found: list[Rematch]
    alerts: int


def match_new_entries(
    conn: Connection,
    bank: Bank,
    new: list[BankEntry],
    now: datetime,
    *,
    min_quality: int = DEFAULT_MIN_QUALITY,
    store_alerts: bool = True,
) -> Retroactive:
    """Match the images seen before against ``new`` entries of ``bank``, every negative bank
    suppressing, and store the alerts: what any path that adds entries to a bank (a file
    import, a partner's bank followed or imported) runs in its own transaction."""
    if bank.negative or not new:
        return Retroactive([], 0)
    negatives = [LoadedBank.load(conn, b.name) for b, _ in list_banks(conn) if b.negative]
    found = rematch(conn, bank, new, negatives, min_quality)
    return Retroactive(found, raise_alerts(conn, found, now) if store_alerts else 0)
