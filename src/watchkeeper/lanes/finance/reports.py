"""Reports to the financial intelligence unit, drafted from rule hits.

Threshold hits become cash transaction reports (CTR), one per customer and month; the other
hits become suspicious-transaction reports (STR), one per customer gathering every rule that
fired. A suspicion needs a person's judgement: these are drafts to review, not to send
blindly. They are written as goAML-style XML (schema ``watchkeeper/data/goaml_report.xsd``,
not UNODC's official one; see docs/finance_reports.md) and as CSV for people.

The XML is built with the standard library's ElementTree so reports need no extra
dependency; the tests validate it against the XSD with lxml.
"""

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal, TextIO
from xml.etree import ElementTree as ET

from watchkeeper.countries import iso2 as country_code
from watchkeeper.errors import UsageError
from watchkeeper.lanes.finance.model import Channel, Customer, Party, Transaction
from watchkeeper.lanes.finance.rules import CENT, FinanceHit, bic_country

ReportCode = Literal["CTR", "STR"]
# goAML funds-type lookup codes for the channels every FIU agrees on; others vary by FIU.
DEFAULT_FUNDS_CODES: Mapping[Channel, str] = {"cash": "K", "transfer": "E"}
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")
CSV_COLUMNS = (
    "entity_reference",
    "report_code",
    "customer_id",
    "customer_name",
    "indicators",
    "transaction_id",
    "date",
    "amount",
    "currency",
    "amount_local",
    "currency_local",
    "channel",
    "direction",
    "from",
    "to",
    "source",
    "position",
    "reason",
)


@dataclass(frozen=True, slots=True)
class ReportingPerson:
    """The compliance officer who answers the FIU's questions about a report."""

    last_name: str
    first_name: str | None = None
    occupation: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class ReportingEntity:
    """The reporting institution as the FIU knows it, and the codes its goAML setup uses."""

    rentity_id: str  # the id the FIU gave the institution
    name: str
    branch: str | None = None
    bic: str | None = None
    currency: str = "EUR"  # currency_code_local; amounts are converted to it
    submission_code: Literal["E", "M"] = "E"
    location: str | None = None  # transaction_location, e.g. the branch's address
    reporting_person: ReportingPerson | None = None
    funds_codes: Mapping[Channel, str] = field(default_factory=lambda: dict(DEFAULT_FUNDS_CODES))


@dataclass(frozen=True, slots=True)
class Report:
    """One draft report: the hits behind it and their transactions in local currency."""

    code: ReportCode
    entity: ReportingEntity
    reference: str  # entity_reference, the institution's own id for the report
    submitted: datetime
    reason: str
    indicators: tuple[str, ...]
    customer_id: str | None
    customer: Customer | None
    transactions: tuple[Transaction, ...]
    amounts_local: tuple[Decimal, ...]
    hits: tuple[FinanceHit, ...]


def build_reports(
    hits: Sequence[FinanceHit], reporting_entity: ReportingEntity, when: datetime
) -> list[Report]:
    """CTRs (one per threshold hit) and STRs (one per customer, all its other hits; one per
    hit when the customer is unknown), numbered in order for ``when``.

    Raises ``UsageError`` when a transaction has no amount in the local currency (its rate
    was missing: the evaluation's issues name it) or its channel has no funds code.
    """
    groups: list[list[FinanceHit]] = []
    by_customer: dict[str, list[FinanceHit]] = {}
    for hit in hits:
        if hit.kind == "threshold_report" or hit.customer_id is None:
            groups.append([hit])
        elif hit.customer_id in by_customer:
            by_customer[hit.customer_id].append(hit)
        else:
            by_customer[hit.customer_id] = [hit]
            groups.append(by_customer[hit.customer_id])
    reports: list[Report] = []
    for number, group in enumerate(groups, start=1):
        code: ReportCode = "CTR" if group[0].kind == "threshold_report" else "STR"
        amounts: dict[Transaction, Decimal] = {}
        for hit in group:
            for tx, eur in zip(
                hit.transactions, hit.amounts_eur or (None,) * len(hit.transactions), strict=True
            ):
                if tx not in amounts:
                    amounts[tx] = _local(tx, eur, reporting_entity)
        indicators = tuple(dict.fromkeys(hit.rule_id for hit in group))
        reports.append(
            Report(
                code=code,
                entity=reporting_entity,
                reference=f"WK-{code}-{when:%Y%m%d}-{number:04d}",
                submitted=when,
                reason="; ".join(dict.fromkeys(hit.reason for hit in group)),
                indicators=indicators,
                customer_id=group[0].customer_id,
                customer=group[0].customer,
                transactions=tuple(amounts),
                amounts_local=tuple(amounts.values()),
                hits=tuple(group),
            )
        )
    return reports


def _local(tx: Transaction, eur: Decimal | None, entity: ReportingEntity) -> Decimal:
    """The transaction's amount in the entity's currency, from the hit's euro amount."""
    if tx.channel not in entity.funds_codes:
        raise UsageError(
            f"no goAML funds code for channel '{tx.channel}' (transaction {tx.id}): "
            "set ReportingEntity.funds_codes from the FIU's lookup table"
        )
    if tx.currency.upper() == entity.currency:
        return tx.amount
    if entity.currency == "EUR" and eur is not None:
        return eur
    raise UsageError(
        f"transaction {tx.id} ({tx.source} {tx.position}): no amount in {entity.currency}; "
        f"add a rate for {tx.currency} to the rule file"
    )


# --- XML ---------------------------------------------------------------------------------


def to_xml(report: Report) -> bytes:
    """The report as goAML-style XML (UTF-8, with declaration, indented)."""
    entity = report.entity
    root = ET.Element("report")
    _text(root, "rentity_id", entity.rentity_id)
    _text(root, "rentity_branch", entity.branch)
    _text(root, "submission_code", entity.submission_code)
    _text(root, "report_code", report.code)
    _text(root, "entity_reference", report.reference)
    _text(root, "submission_date", report.submitted.isoformat(timespec="seconds"))
    _text(root, "currency_code_local", entity.currency)
    person = entity.reporting_person
    if person is not None:
        element = ET.SubElement(root, "reporting_person")
        _text(element, "first_name", person.first_name)
        _text(element, "last_name", person.last_name)
        _text(element, "occupation", person.occupation)
        _text(element, "email", person.email)
    _text(root, "reason", report.reason)
    for tx, amount in zip(report.transactions, report.amounts_local, strict=True):
        _transaction(root, report, tx, amount)
    indicators = ET.SubElement(root, "report_indicators")
    for indicator in report.indicators:
        _text(indicators, "indicator", indicator)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def _text(parent: ET.Element, tag: str, value: str | None) -> None:
    """A child with text; nothing when the value is unknown, as goAML leaves it out."""
    if value is not None and value.strip():
        ET.SubElement(parent, tag).text = value.strip()


def _client(report: Report, tx: Transaction) -> Party | None:
    """The institution's customer on this transaction: from the customer file, else the
    party carrying the customer id, else the account holder."""
    if report.customer is not None:
        return report.customer.party
    customer_id = tx.customer_id or report.customer_id
    for party in tx.parties:
        if customer_id and party.customer_id == customer_id:
            return party
    return tx.party("account_holder") or tx.party("customer")


def _sides(report: Report, tx: Transaction) -> tuple[Party | None, Party | None, Party | None]:
    """Who the funds come from and go to, and which of them is the institution's client.

    A cash deposit comes from the depositor (the client unless a debtor is named) into the
    client's account; a withdrawal the other way. Other payments go debtor to creditor.
    """
    client = _client(report, tx)
    payer = tx.party("debtor") or tx.party("ultimate_debtor")
    payee = tx.party("creditor") or tx.party("ultimate_creditor")
    if tx.channel == "cash" and tx.direction == "in":
        return payer or client, client, client
    if tx.channel == "cash" and tx.direction == "out":
        return client, payee or client, client
    return payer, payee, client


def _is_client(party: Party, client: Party | None, report: Report, tx: Transaction) -> bool:
    """The party is the institution's customer: the same party, or one with their id."""
    customer_id = report.customer_id or tx.customer_id
    return party == client or bool(customer_id and party.customer_id == customer_id)


def _transaction(root: ET.Element, report: Report, tx: Transaction, amount: Decimal) -> None:
    entity = report.entity
    element = ET.SubElement(root, "transaction")
    _text(element, "transactionnumber", tx.id)
    _text(element, "internal_ref_number", " ".join(filter(None, (tx.source, tx.position))))
    _text(element, "transaction_location", entity.location)
    _text(element, "transaction_description", tx.remittance or tx.purpose)
    _text(element, "date_transaction", tx.booked.isoformat(timespec="seconds"))
    _text(element, "amount_local", str(amount.quantize(CENT)))
    funds = entity.funds_codes[tx.channel]
    source, target, client = _sides(report, tx)
    cash = tx.channel == "cash"
    foreign = tx.currency.upper() != entity.currency and tx.amount != 0
    if source is not None:
        # Cash comes from a person's hands, not an account, when it is paid in.
        with_account = not (cash and tx.direction == "in")
        mine = _is_client(source, client, report, tx)
        side = ET.SubElement(element, "t_from_my_client" if mine else "t_from")
        _text(side, "from_funds_code", funds)
        if foreign:
            _foreign(side, "from_foreign_currency", tx, amount)
        _party(side, "from", source, entity if mine else None, with_account)
        _text(side, "from_country", _country(source))
    if target is not None:
        with_account = not (cash and tx.direction == "out")
        mine = _is_client(target, client, report, tx)
        side = ET.SubElement(element, "t_to_my_client" if mine else "t_to")
        _text(side, "to_funds_code", funds)
        _party(side, "to", target, entity if mine else None, with_account)
        _text(side, "to_country", _country(target))


def _foreign(parent: ET.Element, tag: str, tx: Transaction, amount: Decimal) -> None:
    element = ET.SubElement(parent, tag)
    _text(element, "foreign_currency_code", tx.currency.upper())
    _text(element, "foreign_amount", str(tx.amount.quantize(CENT)))
    _text(element, "foreign_exchange_rate", str((amount / tx.amount).quantize(Decimal("1e-6"))))


def _party(
    parent: ET.Element,
    prefix: str,
    party: Party,
    institution: ReportingEntity | None,
    with_account: bool,
) -> None:
    """``from_account`` (holder inside) when the party's account is known and used, else
    ``from_person`` or ``from_entity``; ``to_...`` likewise."""
    if with_account and party.account:
        account = ET.SubElement(parent, f"{prefix}_account")
        if institution is not None:
            _text(account, "institution_name", institution.name)
        bic = (party.bic or (institution.bic if institution else None) or "").upper()
        _text(account, "swift", bic if _BIC.fullmatch(bic) else None)
        _text(account, "account", party.account)
        _text(account, "account_name", party.name)
        _text(account, "client_number", party.customer_id)
        if party.schema == "Person":
            signatory = ET.SubElement(account, "signatory")
            _text(signatory, "is_primary", "true")
            _person(ET.SubElement(signatory, "t_person"), party)
        else:
            _entity(ET.SubElement(account, "t_entity"), party)
    elif party.schema == "Person":
        _person(ET.SubElement(parent, f"{prefix}_person"), party)
    else:
        _entity(ET.SubElement(parent, f"{prefix}_entity"), party)


def split_name(name: str) -> tuple[str | None, str]:
    """First and last name as far as a single string tells: "DUPONT, Jean" and "Jean Dupont"
    give ("Jean", "DUPONT"/"Dupont"); one word is a last name."""
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip() or None, last.strip()
    words = name.split()
    if len(words) < 2:
        return None, name.strip()
    return " ".join(words[:-1]), words[-1]


def _person(element: ET.Element, party: Party) -> None:
    first, last = split_name(party.name)
    _text(element, "first_name", first)
    _text(element, "last_name", last or "unknown")
    # goAML's birthdate is a whole date; a listing's "1977" alone is left out of the report
    born = party.birth_date if party.birth_date and len(party.birth_date) == 10 else None
    _text(element, "birthdate", born)
    _text(element, "id_number", party.id_number)
    _text(element, "residence", country_code(party.country))


def _entity(element: ET.Element, party: Party) -> None:
    _text(element, "name", party.name or "unknown")
    _text(element, "incorporation_number", party.id_number)
    _text(element, "incorporation_country_code", country_code(party.country))


def _country(party: Party) -> str | None:
    return country_code(party.country) or bic_country(party.bic)


# --- CSV ---------------------------------------------------------------------------------


def to_csv(reports: Sequence[Report], file: TextIO) -> None:
    """One row per transaction per report, for people reviewing the drafts."""
    writer = csv.writer(file)
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        name = report.customer.party.name if report.customer else ""
        for tx, amount in zip(report.transactions, report.amounts_local, strict=True):
            source, target, _ = _sides(report, tx)
            writer.writerow(
                (
                    report.reference,
                    report.code,
                    report.customer_id or "",
                    name or _client_name(report, tx),
                    " ".join(report.indicators),
                    tx.id,
                    tx.booked.isoformat(timespec="seconds"),
                    str(tx.amount),
                    tx.currency,
                    str(amount.quantize(CENT)),
                    report.entity.currency,
                    tx.channel,
                    tx.direction or "",
                    _label(source),
                    _label(target),
                    tx.source,
                    tx.position,
                    report.reason,
                )
            )


def _client_name(report: Report, tx: Transaction) -> str:
    client = _client(report, tx)
    return client.name if client else ""


def _label(party: Party | None) -> str:
    if party is None:
        return ""
    country = _country(party)
    return f"{party.name} ({country})" if country else party.name
