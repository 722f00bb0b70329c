"""Rules for the financial intelligence unit: the predicates a finance rule file can use.

A YAML rule file (format in docs/finance_rules.md) gives a rates table, named country sets
and rules; each rule picks one predicate from the vocabulary below with its parameters, a
weight and a reason template; the file is read and checked by ``watchkeeper.lanes.rulefile``.
Predicates are code and look at a whole batch of transactions at once, because the legal
thresholds are per customer and per month or per few days, not per payment.

Amounts are compared in the rule's currency, converted with the file's rates. A
transaction whose currency has no rate is never silently dropped: it becomes an issue
(``FinanceHits.issues``) naming where the transaction was read.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Literal, get_args

from watchkeeper.countries import country_name
from watchkeeper.countries import iso2 as country_code
from watchkeeper.errors import SourceIssue
from watchkeeper.lanes.finance.model import Customer, Party, Transaction
from watchkeeper.lanes.rulefile import (
    SETS,
    Choice,
    Context,
    Count,
    Fault,
    Listed,
    Number,
    Param,
    Predicate,
    Rule,
    Section,
    SetOrList,
    Vocabulary,
    read_rules,
    rule_file_text,
)

HitKind = Literal["threshold_report", "non_traceable", "structuring", "jurisdiction"]
Directions = Literal["in", "out", "both"]
DEFAULT_RULES = "finance_rules.yml"
BASE_CURRENCY = "EUR"  # the rates table gives the value of one unit in euros
CENT = Decimal("0.01")
_CURRENCY = re.compile(r"[A-Z]{3}")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
_DIRECTION_WORDS = {
    "in": "cash deposits",
    "out": "cash withdrawals",
    "both": "cash deposits and withdrawals",
}


# --- what predicates see and return ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One fact a predicate found: whose, which transactions, the total, the reason's values."""

    customer_id: str | None
    transactions: tuple[Transaction, ...]
    facts: dict[str, object]


@dataclass(frozen=True, slots=True)
class Batch:
    """What one rule's predicate sees: the transactions and a converter that records a
    missing rate as an issue for that rule (``convert`` returns None then)."""

    transactions: Sequence[Transaction]
    convert: Callable[[Transaction, str], Decimal | None]


def money(amount: Decimal, currency: str) -> str:
    """An amount as a reason shows it: "12,000.00 EUR"."""
    return f"{amount:,.2f} {currency}"


def _day(tx: Transaction) -> str:
    return tx.booked.date().isoformat()


def _listing(rows: Iterable[tuple[Transaction, Decimal]], currency: str) -> str:
    """Each operation with its amount as given, converted where it differs, and its date."""
    parts = []
    for tx, converted in rows:
        text = money(tx.amount, tx.currency)
        if tx.currency.upper() != currency:
            text += f" ({money(converted, currency)})"
        parts.append(f"{text} on {_day(tx)}")
    return ", ".join(parts)


def _cash(
    batch: Batch, direction: Directions, currency: str
) -> dict[str, list[tuple[Transaction, Decimal]]]:
    """Cash operations per customer, converted; a direction-less one counts only for "both"."""
    found: defaultdict[str, list[tuple[Transaction, Decimal]]] = defaultdict(list)
    for tx in batch.transactions:
        if tx.channel != "cash" or tx.customer_id is None:
            continue
        if direction != "both" and tx.direction != direction:
            continue
        amount = batch.convert(tx, currency)
        if amount is not None:
            found[tx.customer_id].append((tx, amount))
    for rows in found.values():
        rows.sort(key=lambda row: row[0].booked)
    return found


# --- the predicates ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlyCashTotal:
    """Parameters of ``monthly_cash_total``."""

    threshold: Decimal = Decimal(10000)
    currency: str = BASE_CURRENCY
    direction: Directions = "both"


def monthly_cash_total(params: MonthlyCashTotal, batch: Batch) -> list[Finding]:
    """Per customer and calendar month, cash operations whose total is in excess of
    ``threshold`` (strictly more: exactly the threshold is not reported)."""
    findings: list[Finding] = []
    for customer, rows in _cash(batch, params.direction, params.currency).items():
        months: defaultdict[str, list[tuple[Transaction, Decimal]]] = defaultdict(list)
        for tx, amount in rows:
            months[tx.booked.strftime("%Y-%m")].append((tx, amount))
        for month, chosen in months.items():
            total = sum((amount for _, amount in chosen), Decimal(0))
            if total <= params.threshold:
                continue
            txs = tuple(tx for tx, _ in chosen)
            facts: dict[str, object] = {
                "month": month,
                "total": total,
                "currency": params.currency,
                "threshold": params.threshold,
                "count": len(chosen),
                "operations": _DIRECTION_WORDS[params.direction],
                "first": _day(txs[0]),
                "last": _day(txs[-1]),
                "amounts": _listing(chosen, params.currency),
            }
            findings.append(Finding(customer, txs, facts))
    return findings


@dataclass(frozen=True, slots=True)
class CashPaymentAtLeast:
    """Parameters of ``cash_payment_at_least``."""

    amount: Decimal = Decimal(1000)
    currency: str = BASE_CURRENCY
    direction: Directions = "both"


def cash_payment_at_least(params: CashPaymentAtLeast, batch: Batch) -> list[Finding]:
    """Each cash payment of ``amount`` or more (inclusive: the law says "or more"),
    whether or not a customer id is known."""
    findings: list[Finding] = []
    for tx in batch.transactions:
        if tx.channel != "cash" or (
            params.direction != "both" and tx.direction != params.direction
        ):
            continue
        amount = batch.convert(tx, params.currency)
        if amount is None or amount < params.amount:
            continue
        facts: dict[str, object] = {
            "amount": amount,
            "currency": params.currency,
            "limit": params.amount,
            "given": money(tx.amount, tx.currency),
            "date": _day(tx),
            "transaction": tx.id,
        }
        findings.append(Finding(tx.customer_id, (tx,), facts))
    return findings


@dataclass(frozen=True, slots=True)
class Structuring:
    """Parameters of ``structuring``: ``count`` cash operations each from ``low`` up to just
    under ``threshold`` within ``days``."""

    low: Decimal
    threshold: Decimal
    count: int = 3
    days: float = 7.0
    currency: str = BASE_CURRENCY
    direction: Directions = "both"


def structuring(params: Structuring, batch: Batch) -> list[Finding]:
    """Clusters of at least ``count`` operations between ``low`` (inclusive) and
    ``threshold`` (exclusive) by one customer, the first and last at most ``days`` apart.

    The clusters do not overlap: from the earliest operation, the window takes every
    operation within ``days``; a cluster found, the search goes on after it.
    """
    window = timedelta(days=params.days)
    findings: list[Finding] = []
    for customer, rows in _cash(batch, params.direction, params.currency).items():
        near = [row for row in rows if params.low <= row[1] < params.threshold]
        start = 0
        while start < len(near):
            end = start
            while end + 1 < len(near) and near[end + 1][0].booked - near[start][0].booked <= window:
                end += 1
            chosen = near[start : end + 1]
            if len(chosen) < params.count:
                start += 1
                continue
            txs = tuple(tx for tx, _ in chosen)
            facts: dict[str, object] = {
                "count": len(chosen),
                "total": sum((amount for _, amount in chosen), Decimal(0)),
                "currency": params.currency,
                "low": params.low,
                "threshold": params.threshold,
                "first": _day(txs[0]),
                "last": _day(txs[-1]),
                "span_days": (txs[-1].booked - txs[0].booked).days,
                "amounts": _listing(chosen, params.currency),
            }
            findings.append(Finding(customer, txs, facts))
            start = end + 1
    return findings


@dataclass(frozen=True, slots=True)
class HighRiskJurisdiction:
    """Parameters of ``high_risk_jurisdiction``; the set name is kept to say which matched."""

    countries: frozenset[str]
    country_set: str = ""


def bic_country(bic: str | None) -> str | None:
    """Country of a BIC (ISO 9362: letters 5-6), or None when it is not a well-formed BIC."""
    cleaned = (bic or "").replace(" ", "").upper()
    return country_code(cleaned[4:6]) if _BIC.fullmatch(cleaned) else None


def _party_countries(party: Party) -> list[tuple[str, str]]:
    """The party's country and its bank's country, each with how it was found."""
    found: list[tuple[str, str]] = []
    own = country_code(party.country)
    if own:
        found.append((own, "country"))
    bank = bic_country(party.bic)
    if bank:
        found.append((bank, f"BIC {party.bic}"))
    return found


def high_risk_jurisdiction(params: HighRiskJurisdiction, batch: Batch) -> list[Finding]:
    """Transactions with a party whose country, or whose bank's country (from its BIC), is
    in the set; one finding per transaction, naming every match."""
    findings: list[Finding] = []
    for tx in batch.transactions:
        matches = [
            (party, country, via)
            for party in tx.parties
            for country, via in _party_countries(party)
            if country in params.countries
        ]
        if not matches:
            continue
        party, country, via = matches[0]
        facts: dict[str, object] = {
            "party": party.name,
            "role": party.role.replace("_", " "),
            "country": country,
            "country_name": country_name(country),
            "via": via,
            "set": params.country_set,
            "matches": "; ".join(
                f"{p.name} ({p.role.replace('_', ' ')}, {country_name(c)} by {v})"
                for p, c, v in matches
            ),
            "given": money(tx.amount, tx.currency),
            "date": _day(tx),
            "transaction": tx.id,
        }
        findings.append(Finding(tx.customer_id, (tx,), facts))
    return findings


# --- reading rule files ------------------------------------------------------------------


def _positive(value: object) -> Decimal | None:
    """A decimal > 0 read from its text, so 9999.99 stays exactly that; None if it is not."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount > 0 else None


def _read_rates(
    value: object, where: str, fault: Callable[[str, str], None]
) -> Mapping[str, Decimal]:
    """Currency code to the euro value of one unit; EUR is 1 whether given or not."""
    rates = {BASE_CURRENCY: Decimal(1)}
    if value is None:
        return rates
    if not isinstance(value, dict):
        fault(where, "'rates' must map currency codes to the euro value of one unit")
        return rates
    for code, rate in value.items():
        amount = _positive(rate)
        if amount is None:
            fault(where, f"rate of {code} must be a number > 0, not {rate!r}")
        elif not isinstance(code, str) or not _CURRENCY.fullmatch(code):
            fault(where, f"'{code}' is not an ISO 4217 currency code (three capitals)")
        elif code == BASE_CURRENCY and amount != 1:
            fault(where, f"rates are in {BASE_CURRENCY}: its own rate is 1, not {rate}")
        else:
            rates[code] = amount
    return rates


RATES: Section[Mapping[str, Decimal]] = Section("rates", _read_rates)
"""The file's ``rates``: the euro value of one unit of each currency a rule may meet."""


@dataclass(frozen=True, slots=True)
class Amount(Param[Decimal]):
    """An amount > 0; without a default the rule must give it."""

    name: str
    default: Decimal | None = None

    def absent(self, fault: Fault) -> Decimal:
        if self.default is None:
            self.missing("an amount", fault)
            return Decimal(0)
        return self.default

    def read(self, value: object, context: Context, fault: Fault) -> Decimal:
        amount = _positive(value)
        if amount is None:
            fault(f"parameter '{self.name}' must be an amount > 0, not {value!r}")
            return Decimal(0)
        return amount


@dataclass(frozen=True, slots=True)
class Currency(Param[str]):
    """The rule's currency, which must be in the file's rates table."""

    name: str = "currency"

    def absent(self, fault: Fault) -> str:
        return BASE_CURRENCY

    def read(self, value: object, context: Context, fault: Fault) -> str:
        rates = RATES.of(context)
        code = value.strip().upper() if isinstance(value, str) else ""
        if code not in rates:
            known = ", ".join(sorted(rates))
            fault(f"parameter '{self.name}': {value!r} has no rate (rates: {known})")
        return code


_DIRECTION = Choice("direction", get_args(Directions), "both")


def _band(params: Structuring) -> list[str]:
    low, threshold = params.low, params.threshold
    if low and threshold and low >= threshold:
        return [f"'low' ({low}) must be below 'threshold' ({threshold})"]
    return []


def _jurisdiction(countries: Listed | None) -> HighRiskJurisdiction:
    label, codes = countries or ("", frozenset())
    return HighRiskJurisdiction(codes, label)


VOCABULARY: Vocabulary[Batch, Finding] = Vocabulary.of(
    [
        Predicate(
            "monthly_cash_total",
            (Amount("threshold", Decimal(10000)), Currency(), _DIRECTION),
            MonthlyCashTotal,
            monthly_cash_total,
            {
                "month": "2026-03",
                "total": Decimal("12000.00"),
                "currency": "EUR",
                "threshold": Decimal(10000),
                "count": 3,
                "operations": "cash deposits",
                "first": "2026-03-02",
                "last": "2026-03-20",
                "amounts": "4,000.00 EUR on 2026-03-02",
            },
            kind="threshold_report",
        ),
        Predicate(
            "cash_payment_at_least",
            (Amount("amount", Decimal(1000)), Currency(), _DIRECTION),
            CashPaymentAtLeast,
            cash_payment_at_least,
            {
                "amount": Decimal("1000.00"),
                "currency": "EUR",
                "limit": Decimal(1000),
                "given": "1,000.00 EUR",
                "date": "2026-03-02",
                "transaction": "TX-1",
            },
            kind="non_traceable",
        ),
        Predicate(
            "structuring",
            (
                Amount("low"),
                Amount("threshold"),
                Count("count", 3, minimum=2),
                Number("days", 7.0),
                Currency(),
                _DIRECTION,
            ),
            Structuring,
            structuring,
            {
                "count": 3,
                "total": Decimal("28500.00"),
                "currency": "EUR",
                "low": Decimal(8000),
                "threshold": Decimal(10000),
                "first": "2026-03-02",
                "last": "2026-03-06",
                "span_days": 4,
                "amounts": "9,500.00 EUR on 2026-03-02",
            },
            check=_band,
            kind="structuring",
        ),
        Predicate(
            "high_risk_jurisdiction",
            (SetOrList("countries", "country", country_code, required=True),),
            _jurisdiction,
            high_risk_jurisdiction,
            {
                "party": "ACME TRADING LLC",
                "role": "creditor",
                "country": "IR",
                "country_name": "Iran",
                "via": "BIC BMJIIRTHXXX",
                "set": "fatf_call_for_action",
                "matches": "ACME TRADING LLC (creditor, Iran by BIC BMJIIRTHXXX)",
                "given": "25,000.00 USD",
                "date": "2026-03-02",
                "transaction": "TX-1",
            },
            kind="jurisdiction",
        ),
    ],
    # Fields every reason can use, whatever the predicate: whom the hit is about.
    common={"customer": "C-1001", "customer_name": "Jean DUPONT"},
    example="cash_payment_at_least",
    sections=(RATES, SETS),
)
_HIT_KINDS: Mapping[str, HitKind] = {kind: kind for kind in get_args(HitKind)}


# --- running a rule file -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FinanceHit:
    """One rule that fired: why, for whom, on which transactions (each keeps its ``source``
    and ``position``), with their euro amounts (None where the rate is missing)."""

    rule_id: str
    kind: HitKind
    weight: float
    reason: str
    customer_id: str | None
    transactions: tuple[Transaction, ...]
    amount_eur: Decimal | None
    amounts_eur: tuple[Decimal | None, ...] = ()  # per transaction, for reports
    customer: Customer | None = None  # when the customers were given to ``evaluate``


class FinanceHits(list[FinanceHit]):
    """The hits of one evaluation, plus the transactions some rule could not judge."""

    def __init__(self, hits: Iterable[FinanceHit], issues: Iterable[SourceIssue]) -> None:
        super().__init__(hits)
        self.issues = list(issues)


@dataclass(frozen=True, slots=True)
class FinanceRules:
    """A checked finance rule file; ``evaluate`` runs it over a batch of transactions."""

    path: str
    rules: tuple[Rule[Batch, Finding], ...]
    rates: Mapping[str, Decimal]
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    risk_threshold: float | None = None  # the file's, for the review queue (review.risk)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "FinanceRules":
        """Read and check a rule file; None is the bundled ``watchkeeper/data/finance_rules.yml``.

        Raises ``SourceError`` listing every fault, each naming the file, the rule and line.
        """
        return cls.from_text(*rule_file_text(path, DEFAULT_RULES))

    @classmethod
    def from_text(cls, text: str, path: str) -> "FinanceRules":
        """``load`` on text already in hand; ``path`` names it in errors."""
        loaded = read_rules(text, path, VOCABULARY)
        context = loaded.context
        return cls(path, loaded.rules, RATES.of(context), SETS.of(context), loaded.risk_threshold)

    def evaluate(
        self, transactions: Sequence[Transaction], customers: Iterable[Customer] = ()
    ) -> FinanceHits:
        """Every hit of every rule on the batch, with ``issues`` for transactions a rule
        needed to convert but could not (no rate for their currency).

        Pass all of a period's transactions together: the monthly and structuring rules add
        up operations across the batch. ``customers`` fill in ``FinanceHit.customer``.
        """
        known = {customer.id: customer for customer in customers}
        issues: list[SourceIssue] = []
        hits: list[FinanceHit] = []
        for rule in self.rules:
            batch = Batch(transactions, partial(self._convert, rule.id, issues))
            for finding in rule.find(batch):
                customer = known.get(finding.customer_id or "")
                facts = {
                    "customer": finding.customer_id or "unknown",
                    "customer_name": _customer_name(customer, finding),
                    **finding.facts,
                }
                amounts = tuple(batch.convert(tx, BASE_CURRENCY) for tx in finding.transactions)
                known_amounts = [amount for amount in amounts if amount is not None]
                total = (
                    sum(known_amounts, Decimal(0)) if len(known_amounts) == len(amounts) else None
                )
                hit = FinanceHit(
                    rule.id,
                    _HIT_KINDS[rule.kind],
                    rule.weight,
                    rule.reason.format_map(facts),
                    finding.customer_id,
                    finding.transactions,
                    total,
                    amounts,
                    customer,
                )
                hits.append(hit)
        for tx in transactions:
            if tx.channel == "cash" and tx.customer_id is None and self._per_customer():
                position = tx.position or f"transaction {tx.id}"
                problem = f"cash operation {tx.id} has no customer id: not added up per customer"
                issues.append(SourceIssue(tx.source or "?", position, problem))
        return FinanceHits(hits, issues)

    def _per_customer(self) -> bool:
        return any(r.predicate in ("monthly_cash_total", "structuring") for r in self.rules)

    def _convert(
        self, rule_id: str, issues: list[SourceIssue], tx: Transaction, currency: str
    ) -> Decimal | None:
        """``tx.amount`` in ``currency`` to the cent, or None with an issue for the rule."""
        given = tx.currency.strip().upper()
        if given == currency:
            return tx.amount
        rate = self.rates.get(given)
        if rate is None:
            position = tx.position or f"transaction {tx.id}"
            problem = (
                f"transaction {tx.id}: no rate for {given or 'a missing currency'} in "
                f"{self.path}; rule '{rule_id}' cannot convert {money(tx.amount, given)}"
            )
            issue = SourceIssue(tx.source or "?", position, problem)
            if issue not in issues:
                issues.append(issue)
            return None
        converted = tx.amount * rate / self.rates[currency]
        return converted.quantize(CENT, ROUND_HALF_UP)


def _customer_name(customer: Customer | None, finding: Finding) -> str:
    """The customer's name from the customer file, else from their party on a transaction."""
    if customer is not None:
        return customer.party.name
    for tx in finding.transactions:
        for party in tx.parties:
            if finding.customer_id and party.customer_id == finding.customer_id:
                return party.name
    return ""
