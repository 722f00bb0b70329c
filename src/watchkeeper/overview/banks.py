"""The hash banks page: each bank with its settings, its size, when it last grew, and where
its entries came from (``source``: a partner, a file, a person), counted in the database."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from watchkeeper.store.schema import image_bank_entries, image_banks
from watchkeeper.store.times import utc


@dataclass(frozen=True, slots=True)
class BankSource:
    """How many of a bank's entries came from one source (None: entries without one)."""

    source: str | None
    entries: int


@dataclass(frozen=True, slots=True)
class BankOverview:
    """One hash bank: negative banks hold known-benign images whose matches suppress the
    others; ``partner`` names the agency whose bank this is a copy of (None: our own)."""

    name: str
    negative: bool
    max_distance: int
    created_at: datetime
    revision: int
    partner: str | None
    entries: int
    last_added: datetime | None
    sources: tuple[BankSource, ...]  # the largest first


def hash_banks(engine: Engine) -> list[BankOverview]:
    """Every hash bank, by name, with its entries counted by source."""
    per_source = select(
        image_bank_entries.c.bank_id,
        image_bank_entries.c.source,
        func.count().label("n"),
        func.max(image_bank_entries.c.added_at).label("last"),
    ).group_by(image_bank_entries.c.bank_id, image_bank_entries.c.source)
    with engine.connect() as conn:
        banks = conn.execute(select(image_banks).order_by(image_banks.c.name)).all()
        counted = conn.execute(per_source).all()
    sources: dict[int, list[BankSource]] = {}
    last: dict[int, datetime] = {}
    for row in counted:
        sources.setdefault(row.bank_id, []).append(BankSource(row.source, int(row.n)))
        moment = utc(row.last)
        if row.bank_id not in last or moment > last[row.bank_id]:
            last[row.bank_id] = moment
    return [
        BankOverview(
            bank.name,
            bool(bank.negative),
            bank.max_distance,
            utc(bank.created_at),
            bank.revision,
            bank.partner,
            sum(s.entries for s in sources.get(bank.id, [])),
            last.get(bank.id),
            tuple(sorted(sources.get(bank.id, []), key=lambda s: (-s.entries, s.source or ""))),
        )
        for bank in banks
    ]
