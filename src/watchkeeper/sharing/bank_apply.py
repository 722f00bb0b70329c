"""Applying what a partner shared to copies of its hash banks: new entries are added and
matched against the images seen before (retroactive matching, so an image screened last
month raises an alert the day the partner's bank learns of it), changed ones updated,
withdrawn ones removed. Nothing is ever written into one of our banks.

Everything happens in the caller's transaction, with the feed's cursor or the bundle's audit
entry, so a page or a bundle is applied whole or not at all. Applying the same objects again
finds every entry in place and changes nothing: no entry twice, no alert twice.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select

from watchkeeper.errors import UsageError
from watchkeeper.lanes.images.banks import (
    Bank,
    BankEntry,
    add_entries,
    ensure_bank,
    get_bank,
    remove_entries,
    update_entries,
)
from watchkeeper.lanes.images.retro import match_new_entries
from watchkeeper.sharing.config import partner_bank
from watchkeeper.sharing.hashes import ReceivedEntry
from watchkeeper.sharing.kinds import Tally
from watchkeeper.store.audit import utc
from watchkeeper.store.schema import image_bank_entries, image_banks


@dataclass
class BankApplied(Tally):
    """What applying one batch did to the partner's banks, and the images seen before that
    the new entries match (with the alerts stored for them)."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    matched: int = 0
    alerts: int = 0
    banks: list[str] = field(default_factory=list)

    def merge(self, other: "BankApplied") -> None:
        """Add another batch's counts to these."""
        super().merge(other)
        self.added += other.added
        self.changed += other.changed
        self.removed += other.removed
        self.matched += other.matched
        self.alerts += other.alerts
        self.banks = sorted({*self.banks, *other.banks})

    def line(self, name: str) -> str:
        """What received entries did to a partner's bank copy ``name``, and the alerts."""
        return (
            f"{name}: {self.added} hash(es) added, {self.changed} changed, {self.removed} "
            f"removed; {self.matched} image(s) seen before match them; {self.alerts} alert(s) "
            "stored"
        )


def apply_entries(
    conn: Connection, partner: str, received: list[ReceivedEntry], now: datetime
) -> BankApplied:
    """Apply received entries to the partner's banks in the caller's transaction."""
    result = BankApplied()
    targets: dict[str, list[ReceivedEntry]] = defaultdict(list)
    for item in received:
        if not item.revoked:
            targets[partner_bank(partner, item.bank, item.negative)].append(item)
    gone = _withdrawn(conn, partner, received, targets)
    for bank, hashes in gone.items():
        result.removed += remove_entries(conn, bank, hashes)
        result.banks.append(bank.name)
    for name, items in targets.items():
        bank = _partner_bank(conn, name, partner, items[-1], now)
        held = _held(conn, bank, [i.entry.hash for i in items])
        latest = {i.entry.hash: i.entry for i in items}  # a page holds each object once
        new = [e for h, e in latest.items() if h not in held]
        changed = [e for h, e in latest.items() if h in held and _differs(held[h], e)]
        added = add_entries(conn, bank, new)
        update_entries(conn, bank, changed)
        retro = match_new_entries(conn, bank, added, now)
        result.added += len(added)
        result.changed += len(changed)
        result.matched += len(retro.found)
        result.alerts += retro.alerts
        if added or changed:
            result.banks.append(bank.name)
    result.banks = sorted(set(result.banks))
    return result


def keep_only(conn: Connection, partner: str, name: str, hashes: set[str]) -> int:
    """Remove the entries of the partner's bank ``name`` that are not among ``hashes`` (a
    signed bundle holds the whole bank, so what it lacks was removed); returns how many."""
    row = conn.execute(
        select(image_banks.c.id).where(image_banks.c.name == name, image_banks.c.partner == partner)
    ).first()
    if row is None:
        return 0
    bank = get_bank(conn, name)
    held = conn.execute(
        select(image_bank_entries.c.hash).where(image_bank_entries.c.bank_id == bank.id)
    ).scalars()
    gone = [h for h in held if h not in hashes]
    return remove_entries(conn, bank, gone)


def _partner_bank(
    conn: Connection, name: str, partner: str, item: ReceivedEntry, now: datetime
) -> Bank:
    """The copy of a partner's bank, made when new, with the partner's settings; refused
    when ``name`` is one of our banks or another partner's."""
    row = conn.execute(select(image_banks.c.partner).where(image_banks.c.name == name)).first()
    if row is not None and row.partner != partner:
        owner = "one of ours" if row.partner is None else f"partner {row.partner!r}'s"
        raise UsageError(f"hash bank {name!r} is {owner}; {partner}'s entries go to their own")
    return ensure_bank(conn, name, now, item.negative, item.max_distance, partner=partner)


def _withdrawn(
    conn: Connection,
    partner: str,
    received: list[ReceivedEntry],
    targets: dict[str, list[ReceivedEntry]],
) -> dict[Bank, list[str]]:
    """The entries of the partner's banks to remove: withdrawn (``revoked``), or now a
    different hash or in a different bank under the same STIX id."""
    wanted = {
        item.stix_id: (name, item.entry.hash) for name, items in targets.items() for item in items
    }
    gone: dict[str, list[str]] = defaultdict(list)
    for ids in _chunks([item.stix_id for item in received]):
        rows = conn.execute(
            select(image_banks.c.name, image_bank_entries.c.hash, image_bank_entries.c.stix_id)
            .join(image_banks, image_banks.c.id == image_bank_entries.c.bank_id)
            .where(image_banks.c.partner == partner, image_bank_entries.c.stix_id.in_(ids))
        )
        for row in rows:
            if wanted.get(row.stix_id) != (row.name, row.hash):
                gone[row.name].append(row.hash)
    return {get_bank(conn, name): hashes for name, hashes in gone.items()}


def _held(conn: Connection, bank: Bank, hashes: list[str]) -> dict[str, BankEntry]:
    """The entries of ``bank`` among ``hashes``."""
    held: dict[str, BankEntry] = {}
    for chunk in _chunks(hashes):
        rows = conn.execute(
            select(image_bank_entries).where(
                image_bank_entries.c.bank_id == bank.id, image_bank_entries.c.hash.in_(chunk)
            )
        )
        for r in rows:
            held[r.hash] = BankEntry(r.hash, r.label, r.source, utc(r.added_at), r.tlp, r.stix_id)
    return held


def _differs(held: BankEntry, new: BankEntry) -> bool:
    """Whether a received entry changes what the bank holds for its hash."""
    return held != BankEntry(
        new.hash, new.label, new.source, utc(new.added_at), new.tlp, new.stix_id
    )


def _chunks(values: list[str], size: int = 1000) -> list[list[str]]:
    """``values`` in slices small enough for one SQL ``IN`` (SQLite limits its parameters)."""
    return [values[i : i + size] for i in range(0, len(values), size)]
