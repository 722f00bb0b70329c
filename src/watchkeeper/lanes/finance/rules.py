"""Rules for the financial intelligence unit, kept as data like the travel lane's rules.

A YAML rule file (format in docs/finance_rules.md) gives a rates table, named country sets
and rules; each rule picks one predicate from the fixed vocabulary below with its
parameters, a weight and a reason template. Predicates are code and look at a whole batch of
transactions at once, because the legal thresholds are per customer and per month or per
few days, not per payment. The file is checked when loaded (the travel lane's YAML reading
and parameter checks are reused) and every fault is reported at once.

Amounts are compared in the rule's currency, converted with the file's rates. A
transaction whose currency has no rate is never silently dropped: it becomes an issue
(``FinanceHits.issues``) naming where the transaction was read.
"""

import re
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any, Literal, cast, get_args

from watchkeeper.countries import country_name
from watchkeeper.countries import iso2 as country_code
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.finance.model import Customer, Party, Transaction
from watchkeeper.lanes.travel.rules import (
    _duplicate_keys,
    _Params,
    _parse_yaml,
    _RuleReader,
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


class _FinanceParams(_Params):
    """The travel lane's parameter reader, plus amounts, currencies and directions."""

    def __init__(
        self,
        predicate: str,
        values: Mapping[str, object],
        sets: Mapping[str, list[str]],
        rates: Mapping[str, Decimal],
    ) -> None:
        super().__init__(predicate, values, sets)
        self.rates = rates

    def amount(self, key: str, default: Decimal | None) -> Decimal:
        """A decimal amount > 0, read from its text so 9999.99 stays exactly that."""
        value = self._get(key)
        if value is None:
            if default is None:
                self.fault(f"missing parameter '{key}' (an amount)")
            return default or Decimal(0)
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            amount = Decimal(str(value))
            if not amount.is_finite() or amount <= 0:
                raise InvalidOperation
        except InvalidOperation:
            self.fault(f"parameter '{key}' must be an amount > 0, not {value!r}")
            return Decimal(0)
        return amount

    def currency(self) -> str:
        """The rule's currency, which must be in the rates table."""
        value = self._get("currency")
        if value is None:
            return BASE_CURRENCY
        code = value.strip().upper() if isinstance(value, str) else ""
        if code not in self.rates:
            known = ", ".join(sorted(self.rates))
            self.fault(f"parameter 'currency': {value!r} has no rate (rates: {known})")
        return code

    def direction(self) -> Directions:
        return cast(Directions, self.choice("direction", get_args(Directions), "both"))


def _read_monthly(p: _FinanceParams) -> MonthlyCashTotal:
    return MonthlyCashTotal(p.amount("threshold", Decimal(10000)), p.currency(), p.direction())


def _read_cash_payment(p: _FinanceParams) -> CashPaymentAtLeast:
    return CashPaymentAtLeast(p.amount("amount", Decimal(1000)), p.currency(), p.direction())


def _read_structuring(p: _FinanceParams) -> Structuring:
    low, threshold = p.amount("low", None), p.amount("threshold", None)
    if low and threshold and low >= threshold:
        p.fault(f"'low' ({low}) must be below 'threshold' ({threshold})")
    count = p.number("count", 3)
    if count != int(count) or count < 2:
        p.fault(f"parameter 'count' must be a whole number >= 2, not {count:g}")
    days = p.number("days", 7.0)
    return Structuring(low, threshold, int(count), days, p.currency(), p.direction())


def _read_jurisdiction(p: _FinanceParams) -> HighRiskJurisdiction:
    found = p.places("countries")
    if found is None:
        p.fault("missing parameter 'countries' (a set name or a list)")
        return HighRiskJurisdiction(frozenset())
    label, codes = found
    return HighRiskJurisdiction(codes, label)


@dataclass(frozen=True, slots=True)
class Predicate:
    """One word of the vocabulary: the kind of hit it gives, how to read its parameters,
    the function, and example findings (to check reason templates at load time)."""

    name: str
    kind: HitKind
    read: Callable[[_FinanceParams], object]
    find: Callable[[Any, Batch], list[Finding]]
    example: Mapping[str, object]


PREDICATES: dict[str, Predicate] = {
    p.name: p
    for p in (
        Predicate(
            "monthly_cash_total",
            "threshold_report",
            _read_monthly,
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
        ),
        Predicate(
            "cash_payment_at_least",
            "non_traceable",
            _read_cash_payment,
            cash_payment_at_least,
            {
                "amount": Decimal("1000.00"),
                "currency": "EUR",
                "limit": Decimal(1000),
                "given": "1,000.00 EUR",
                "date": "2026-03-02",
                "transaction": "TX-1",
            },
        ),
        Predicate(
            "structuring",
            "structuring",
            _read_structuring,
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
        ),
        Predicate(
            "high_risk_jurisdiction",
            "jurisdiction",
            _read_jurisdiction,
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
        ),
    )
}
# Fields every reason can use, whatever the predicate: whom the hit is about.
COMMON_FIELDS: Mapping[str, object] = {"customer": "C-1001", "customer_name": "Jean DUPONT"}
_RULE_KEYS = ("id", "description", "weight", "when", "reason")
_TOP_KEYS = ("rates", "sets", "rules")


@dataclass(frozen=True, slots=True)
class FinanceRule:
    """One loaded rule: its predicate bound to its parameters, ready to run."""

    id: str
    kind: HitKind
    description: str
    weight: float
    predicate: str
    params: object
    reason: str
    line: int
    find: Callable[[Batch], list[Finding]] = field(repr=False, compare=False)


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
    rules: tuple[FinanceRule, ...]
    rates: Mapping[str, Decimal]
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "FinanceRules":
        """Read and check a rule file; None is the bundled ``watchkeeper/data/finance_rules.yml``.

        Raises ``SourceError`` listing every fault, each naming the file, the rule and line.
        """
        return cls.from_text(*rule_file_text(path, DEFAULT_RULES))

    @classmethod
    def from_text(cls, text: str, path: str) -> "FinanceRules":
        """``load`` on text already in hand; ``path`` names it in errors."""
        node, data = _parse_yaml(text, path)
        return _Reader(path, node).read_rules(data)

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
                    rule.kind,
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


class _Reader(_RuleReader):
    """The travel lane's rule-file reader (faults, lines, sets) with finance rules: rates, no
    ``applies_to``, the finance vocabulary. Methods whose signature differs are new names."""

    def read_rules(self, data: object) -> FinanceRules:
        for line, key in _duplicate_keys(self.node):
            self.fault(f"line {line}", f"key '{key}' appears twice in one mapping")
        if not isinstance(data, dict):
            raise SourceError.at(self.path, "file", "a rule file is a mapping with 'rules:'")
        for key in sorted(set(data) - set(_TOP_KEYS)):
            self.fault(f"line {self._line(key)}", f"unknown top-level key '{key}'")
        rates = self._rates(data.get("rates"))
        sets = self._sets(data.get("sets"))
        entries = data.get("rules")
        if not isinstance(entries, list) or not entries:
            self.fault(f"line {self._line('rules')}", "'rules' must be a non-empty list")
            entries = []
        lines = self._rule_lines()
        rules: list[FinanceRule] = []
        for index, entry in enumerate(entries):
            line = lines[index] if index < len(lines) else 0
            rule = self._finance_rule(entry, index + 1, line, sets, rates, {r.id for r in rules})
            if rule is not None:
                rules.append(rule)
        if self.issues:
            raise SourceError(self.issues)
        return FinanceRules(self.path, tuple(rules), rates, {k: tuple(v) for k, v in sets.items()})

    def _rates(self, value: object) -> dict[str, Decimal]:
        """Currency code to the euro value of one unit; EUR is 1 whether given or not."""
        rates = {BASE_CURRENCY: Decimal(1)}
        if value is None:
            return rates
        where = f"line {self._line('rates')}"
        if not isinstance(value, dict):
            self.fault(where, "'rates' must map currency codes to the euro value of one unit")
            return rates
        for code, rate in value.items():
            try:
                if isinstance(rate, bool) or not isinstance(rate, int | float | str):
                    raise InvalidOperation
                amount = Decimal(str(rate))
                if not amount.is_finite() or amount <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                self.fault(where, f"rate of {code} must be a number > 0, not {rate!r}")
                continue
            if not isinstance(code, str) or not _CURRENCY.fullmatch(code):
                self.fault(where, f"'{code}' is not an ISO 4217 currency code (three capitals)")
            elif code == BASE_CURRENCY and amount != 1:
                self.fault(where, f"rates are in {BASE_CURRENCY}: its own rate is 1, not {rate}")
            else:
                rates[code] = amount
        return rates

    def _finance_rule(
        self,
        entry: object,
        number: int,
        line: int,
        sets: Mapping[str, list[str]],
        rates: Mapping[str, Decimal],
        ids: set[str],
    ) -> FinanceRule | None:
        if not isinstance(entry, dict):
            self.fault(f"rule #{number} (line {line})", "a rule is a mapping of id, when, ...")
            return None
        rule_id, where = entry.get("id"), self._where(entry, number, line)
        before = len(self.issues)
        self._check_fields(entry, where, ids, _RULE_KEYS)
        description, reason, weight = (entry.get(k) for k in ("description", "reason", "weight"))
        predicate, params = (
            self._finance_when(entry.get("when"), where, sets, rates)
            if "when" in entry
            else (None, None)
        )
        if predicate is not None and isinstance(reason, str):
            self._check_template(reason, predicate, where)
        if len(self.issues) > before or predicate is None:
            return None
        return FinanceRule(
            id=cast(str, rule_id),
            kind=predicate.kind,
            description=cast(str, description),
            weight=float(cast(float, weight)),
            predicate=predicate.name,
            params=params,
            reason=cast(str, reason),
            line=line,
            find=partial(predicate.find, params),
        )

    def _finance_when(
        self,
        when: object,
        where: str,
        sets: Mapping[str, list[str]],
        rates: Mapping[str, Decimal],
    ) -> tuple[Predicate | None, object]:
        if not isinstance(when, dict) or len(when) != 1:
            self.fault(
                where,
                "'when' must hold exactly one predicate, e.g. when: {cash_payment_at_least: {}}",
            )
            return None, None
        ((name, values),) = when.items()
        predicate = PREDICATES.get(name)
        if predicate is None:
            self.fault(where, f"unknown predicate '{name}' (known: {', '.join(PREDICATES)})")
            return None, None
        if values is None:
            values = {}
        if not isinstance(values, dict):
            self.fault(where, f"{name}: parameters must be a mapping, not {values!r}")
            return None, None
        reader = _FinanceParams(name, values, sets, rates)
        params = predicate.read(reader)
        reader.unread()
        for problem in reader.faults:
            self.fault(where, problem)
        return (predicate, params) if not reader.faults else (None, None)

    def _check_template(self, reason: str, predicate: Predicate, where: str) -> None:
        """Fill the template with example findings so a typo fails now, not in a batch run."""
        example = {**COMMON_FIELDS, **predicate.example}
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(reason) if name]
            unknown = [f for f in fields if re.split(r"[.\[]", f, maxsplit=1)[0] not in example]
            if unknown:
                problem = f"reason uses {{{unknown[0]}}}, which {predicate.name} does not find"
                self.fault(where, f"{problem} (fields: {', '.join(example)})")
                return
            reason.format_map(example)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            self.fault(where, f"reason template does not format: {error}")
