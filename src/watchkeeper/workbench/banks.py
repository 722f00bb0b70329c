"""The hash bank entry an image alert matched, as the bank holds it now or, once removed,
as the alert recorded it: image alerts name a bank and an entry hash, not a list entity."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine, select

from watchkeeper.store.alert_lookup import StoredAlert
from watchkeeper.store.schema import image_bank_entries, image_banks
from watchkeeper.store.times import utc

BankStanding = Literal["current", "removed"]


@dataclass(frozen=True, slots=True)
class BankEntryView:
    """One entry of a hash bank: whose image it stands for (``label``, ``source``) and the
    bank's rules for it."""

    bank: str
    negative: bool
    max_distance: int | None
    entry_hash: str
    label: str | None
    source: str | None
    added_at: datetime | None
    tlp: str | None  # the partner's TLP code, for an entry received from a partner
    partner: str | None  # the agency whose bank this is a copy of
    standing: BankStanding  # whether the bank still holds the entry


def bank_entry_of(engine: Engine, alert: StoredAlert) -> BankEntryView:
    """The entry ``alert`` matched: from the bank while it holds it, else from the alert's
    explanation (what the entry was when it matched)."""
    bank, entry_hash = alert.list_name or "", alert.entity_id or ""
    query = (
        select(image_bank_entries, image_banks.c.negative, image_banks.c.max_distance)
        .add_columns(image_banks.c.partner)
        .join(image_banks, image_banks.c.id == image_bank_entries.c.bank_id)
        .where(image_banks.c.name == bank, image_bank_entries.c.hash == entry_hash)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is not None:
        return BankEntryView(
            bank,
            bool(row.negative),
            row.max_distance,
            entry_hash,
            row.label,
            row.source,
            utc(row.added_at),
            row.tlp,
            row.partner,
            "current",
        )
    said: dict[str, Any] = alert.explanation or {}
    added = said.get("added_at")
    return BankEntryView(
        bank,
        bool(said.get("negative", False)),
        said.get("max_distance"),
        entry_hash,
        said.get("label"),
        said.get("source"),
        datetime.fromisoformat(added) if isinstance(added, str) else None,
        None,
        None,
        "removed",
    )
