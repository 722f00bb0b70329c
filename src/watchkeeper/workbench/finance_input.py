"""A finance alert's input: the payment(s) it is about, read again from the kept payment
file by the finance lane's own readers (CSV, Parquet, pacs.008, MT103), with the amount,
the parties, their accounts and banks, and the remittance text."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from watchkeeper.lanes.finance.lane import FinanceLane
from watchkeeper.lanes.finance.model import Party, Transaction
from watchkeeper.store.alert_lookup import StoredAlert
from watchkeeper.workbench.kept import KeptInput


@dataclass(frozen=True, slots=True)
class PartyView:
    """One party of a payment; ``screened`` marks the one the alert's hit is on."""

    role: str  # debtor, creditor, ultimate_debtor, ultimate_creditor...
    name: str
    account: str | None
    bic: str | None  # of the party's bank
    address: str | None
    country: str | None
    birth_date: str | None
    id_number: str | None
    screened: bool


@dataclass(frozen=True, slots=True)
class TransactionView:
    """One payment as the file gives it."""

    id: str
    position: str  # where in the file: line 2, Document/.../CdtTrfTxInf[1], :20:
    booked: datetime
    amount: Decimal
    currency: str
    channel: str
    direction: str | None
    purpose: str | None
    remittance: str | None
    mention: str | None  # the listed name the remittance text holds, for a mention alert
    parties: tuple[PartyView, ...]


@dataclass(frozen=True, slots=True)
class FinanceInput:
    """The payment file an alert came from and the payments the alert is about (several
    for a rule hit over a customer's payments; none for a customer screened alone)."""

    input_id: int
    path: str
    received_at: datetime
    rule: str | None
    transactions: tuple[TransactionView, ...]


def finance_input(kept: KeptInput, alert: StoredAlert) -> FinanceInput:
    """The payments of ``alert`` in the file ``kept``."""
    said = alert.explanation or {}
    read = FinanceLane().read(kept.raw, kept.path)
    if "transactions" in said:  # a rule hit: "payments.csv: line 2" for each payment
        wanted = set(said["transactions"])
        found = [tx for tx in read.records if f"{tx.source}: {tx.position}" in wanted]
    else:
        found = [
            tx
            for tx in read.records
            if tx.id == said.get("transaction") and tx.position == said.get("position")
        ]
    names = set(alert.subject.get("names") or ())
    mention = next(iter(names), None) if alert.kind == "mention" else None
    role = said.get("role")
    return FinanceInput(
        kept.id,
        kept.path,
        kept.received_at,
        said.get("rule"),
        tuple(_transaction(tx, role, names, mention) for tx in found),
    )


def _transaction(
    tx: Transaction, role: str | None, names: set[str], mention: str | None
) -> TransactionView:
    return TransactionView(
        id=tx.id,
        position=tx.position,
        booked=tx.booked,
        amount=tx.amount,
        currency=tx.currency,
        channel=tx.channel,
        direction=tx.direction,
        purpose=tx.purpose,
        remittance=tx.remittance,
        mention=mention,
        parties=tuple(_party(p, role, names) for p in tx.parties),
    )


def _party(party: Party, role: str | None, names: set[str]) -> PartyView:
    screened = party.role == role and " ".join(party.name.split()) in names
    return PartyView(
        role=party.role,
        name=party.name,
        account=party.account,
        bic=party.bic,
        address=party.address,
        country=party.country,
        birth_date=party.birth_date,
        id_number=party.id_number,
        screened=screened,
    )
