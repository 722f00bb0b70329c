"""One model for every payment input (CSV/Parquet rows, ISO 20022 pacs.008, SWIFT MT103) and
for customers, so rules and screening never care which format a payment came in.

Amounts are ``Decimal`` in the currency as given; rules convert with a rates table. Every
value keeps where it was read (``source`` and ``position``: a file and a line, a message and
a tag or element path), so an alert or a report traces back to the input.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

PartyRole = Literal[
    "debtor", "creditor", "ultimate_debtor", "ultimate_creditor", "account_holder", "customer"
]
Channel = Literal["cash", "transfer", "card", "cheque", "other"]
Direction = Literal["in", "out"]  # for the reporting institution's customer: deposit or withdrawal


@dataclass(frozen=True, slots=True)
class Party:
    """A person or organisation on either side of a payment, or a bank's customer."""

    role: PartyRole
    name: str
    schema: Literal["Person", "Organization", "LegalEntity"] = "LegalEntity"
    account: str | None = None  # IBAN or account number as written
    address: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    birth_date: str | None = None  # an ISO prefix, as lists write them: 1977, 1977-06-19
    id_number: str | None = None  # national id, passport, registration number
    id_kind: str = ""  # id_number's kind (matching.subject.KINDS: passport, id, lei...); "" unknown
    bic: str | None = None  # of the party's bank (agent), when the input names it
    customer_id: str | None = None  # the reporting institution's own id for the party


@dataclass(frozen=True, slots=True)
class Transaction:
    """One payment or cash operation."""

    id: str  # the input's reference (end-to-end id, :20:, the CSV's id)
    booked: datetime  # value or booking date; midnight when only a date is known
    amount: Decimal
    currency: str  # ISO 4217
    channel: Channel
    parties: tuple[Party, ...]
    direction: Direction | None = None  # set for a customer's cash deposits and withdrawals
    customer_id: str | None = None  # whose account, for per-customer rules
    remittance: str | None = None  # free text (unstructured remittance information, :70:)
    purpose: str | None = None
    source: str = ""  # the file or message it came from
    position: str = ""  # line 14, message 2, :50K:, Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]

    def party(self, role: PartyRole) -> Party | None:
        """The first party with ``role``, if any."""
        return next((p for p in self.parties if p.role == role), None)


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer of the reporting institution, screened nightly and when lists change."""

    id: str
    party: Party
    source: str = ""
    position: str = ""
