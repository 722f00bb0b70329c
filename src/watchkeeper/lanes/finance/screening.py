"""Screening payments and customers: every party against the lists, the remittance text for
listed names, and the FIU rules over the whole batch.

Every finding is a lead for a compliance officer, never a decision: a hit is an alert for
review, a rule hit may become a report to the financial intelligence unit once a person has
looked at it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from watchkeeper.errors import SourceIssue
from watchkeeper.lanes.finance.model import Customer, Party, Transaction
from watchkeeper.lanes.finance.parties import party_subject
from watchkeeper.lanes.finance.rules import FinanceHit, FinanceRules
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.mentions import Mention, mentions
from watchkeeper.matching.screener import Hit, Matcher


@dataclass(frozen=True, slots=True)
class PartyHits:
    """One party of a transaction (or a customer) and the listed entities it may be."""

    party: Party
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class TransactionReport:
    """What screening found in one transaction."""

    transaction: Transaction
    parties: tuple[PartyHits, ...]
    mentions: tuple[Mention, ...]

    @property
    def flagged(self) -> bool:
        """Whether a party or the remittance text matched a listed entity."""
        return bool(self.mentions) or any(p.hits for p in self.parties)


@dataclass(frozen=True, slots=True)
class FinanceReport:
    """A screened batch: transactions, customers and rule hits."""

    transactions: tuple[TransactionReport, ...]
    customers: tuple[PartyHits, ...]
    rules: tuple[FinanceHit, ...]
    issues: tuple[SourceIssue, ...] = ()  # transactions a rule could not judge (no rate...)


class FinanceScreener:
    """Screens batches of payments and customers; built once, used for many batches."""

    def __init__(self, matcher: Matcher, index: NameIndex, rules: FinanceRules | None) -> None:
        self.matcher = matcher
        self.index = index
        self.rules = rules

    def screen(
        self, transactions: Sequence[Transaction], customers: Sequence[Customer] = ()
    ) -> FinanceReport:
        """Parties, remittance texts and customers against the lists; the rules over all."""
        seen: dict[Party, PartyHits] = {}  # a customer pays often: screen each party once
        reports = []
        for tx in transactions:
            parties = tuple(self._party(p, seen) for p in tx.parties)
            found = tuple(mentions(tx.remittance, self.index)) if tx.remittance else ()
            reports.append(TransactionReport(tx, parties, found))
        screened = tuple(self._party(c.party, seen) for c in customers)
        if self.rules is None:
            return FinanceReport(tuple(reports), screened, ())
        hits = self.rules.evaluate(transactions, customers)
        return FinanceReport(tuple(reports), screened, tuple(hits), tuple(hits.issues))

    def _party(self, party: Party, seen: dict[Party, PartyHits]) -> PartyHits:
        if party not in seen:
            seen[party] = PartyHits(party, tuple(self.matcher.screen(party_subject(party))))
        return seen[party]
