"""Reports for the FIU: goAML-style XML valid against the bundled XSD, and the CSV."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from importlib.resources import files

import pytest
from lxml import etree

from watchkeeper.errors import UsageError
from watchkeeper.lanes.finance.model import Customer, Party, Transaction
from watchkeeper.lanes.finance.reports import (
    CSV_COLUMNS,
    ReportingEntity,
    ReportingPerson,
    build_reports,
    split_name,
    to_csv,
    to_xml,
)
from watchkeeper.lanes.finance.rules import FinanceHit, FinanceRules

WHEN = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)
BANK = ReportingEntity(
    rentity_id="FR-ACPR-12345",
    name="Banque Exemple SA",
    branch="Lyon Bellecour",
    bic="BEXAFRPPXXX",
    location="12 place Bellecour, 69002 Lyon",
    reporting_person=ReportingPerson(
        "MARTIN", "Claire", "compliance officer", "tracfin@example.fr"
    ),
)
CLIENT = Party(
    "account_holder",
    "DUPONT, Jean",
    "Person",
    account="FR7630006000011234567890189",
    country="FR",
    birth_date="1971-05-14",
    id_number="FR-ID-880412",
    customer_id="C-1",
)
CUSTOMER = Customer("C-1", CLIENT, "customers.csv", "line 2")


def schema() -> etree.XMLSchema:
    xsd = files("watchkeeper").joinpath("data", "goaml_report.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd))


def deposit(amount: str, day: int, line: int, currency: str = "EUR") -> Transaction:
    return Transaction(
        id=f"T{line}",
        booked=datetime(2026, 3, day, 11, 15),
        amount=Decimal(amount),
        currency=currency,
        channel="cash",
        parties=(CLIENT,),
        direction="in",
        customer_id="C-1",
        source="transactions.csv",
        position=f"line {line}",
    )


def transfer_to_iran() -> Transaction:
    creditor = Party(
        "creditor", "Tehran Trading Co", account="IR580540105180021273113007", bic="BMJIIRTHXXX"
    )
    return Transaction(
        id="E2E-77",
        booked=datetime(2026, 3, 5, 10, 30),
        amount=Decimal("25000"),
        currency="USD",
        channel="transfer",
        parties=(
            Party("debtor", CLIENT.name, "Person", CLIENT.account, customer_id="C-1"),
            creditor,
        ),
        direction="out",
        customer_id="C-1",
        remittance="INVOICE 2026-118",
        source="pacs008.xml",
        position="Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]",
    )


def threshold_hits() -> list[FinanceHit]:
    deposits = [deposit("4000", day, day) for day in (2, 11, 20)]
    return FinanceRules.load().evaluate(deposits, [CUSTOMER])


def test_threshold_report_xml_is_valid() -> None:
    hits = [h for h in threshold_hits() if h.kind == "threshold_report"]
    (report,) = build_reports(hits, BANK, WHEN)
    assert report.code == "CTR" and report.reference == "WK-CTR-20260402-0001"
    xml = to_xml(report)
    document = etree.fromstring(xml)
    schema().assertValid(document)
    assert document.findtext("report_code") == "CTR"
    assert document.findtext("submission_date") == "2026-04-02T09:30:00+00:00"
    assert "12,000.00 EUR by customer C-1 in 2026-03" in document.findtext("reason")
    transactions = document.findall("transaction")
    assert [t.findtext("amount_local") for t in transactions] == ["4000.00"] * 3
    first = transactions[0]
    assert first.findtext("internal_ref_number") == "transactions.csv line 2"
    assert first.findtext("date_transaction") == "2026-03-02T11:15:00"
    # Cash paid in by the customer in person, into the customer's account.
    giver = first.find("t_from_my_client")
    assert giver.findtext("from_funds_code") == "K"
    assert giver.findtext("from_person/first_name") == "Jean"
    assert giver.findtext("from_person/last_name") == "DUPONT"
    assert giver.findtext("from_person/birthdate") == "1971-05-14"
    assert giver.findtext("from_person/id_number") == "FR-ID-880412"
    account = first.find("t_to_my_client/to_account")
    assert account.findtext("institution_name") == "Banque Exemple SA"
    assert account.findtext("swift") == "BEXAFRPPXXX"
    assert account.findtext("account") == "FR7630006000011234567890189"
    assert account.findtext("signatory/t_person/last_name") == "DUPONT"
    assert document.findtext("report_indicators/indicator") == "monthly-cash-threshold"


def test_suspicious_transaction_report_xml_is_valid() -> None:
    deposits = [deposit("9500", day, day) for day in (2, 4, 7)]
    hits = FinanceRules.load().evaluate([*deposits, transfer_to_iran()], [CUSTOMER])
    reports = build_reports(hits, BANK, WHEN)
    # The 28,500 EUR month is a CTR; structuring, cash over 1,000 and Iran make one STR.
    assert [r.code for r in reports] == ["CTR", "STR"]
    report = reports[1]
    assert report.indicators == ("cash-not-traceable", "cash-structuring", "fatf-call-for-action")
    assert len(report.transactions) == 4  # each deposit once, although two rules name it
    document = etree.fromstring(to_xml(report))
    schema().assertValid(document)
    wire = document.findall("transaction")[-1]
    assert wire.findtext("amount_local") == "21500.00"
    assert wire.findtext("transaction_description") == "INVOICE 2026-118"
    assert wire.findtext("t_from_my_client/from_funds_code") == "E"
    assert wire.findtext("t_from_my_client/from_foreign_currency/foreign_currency_code") == "USD"
    assert (
        wire.findtext("t_from_my_client/from_foreign_currency/foreign_exchange_rate") == "0.860000"
    )
    assert wire.findtext("t_to/to_account/swift") == "BMJIIRTHXXX"
    assert wire.findtext("t_to/to_account/t_entity/name") == "Tehran Trading Co"
    assert wire.findtext("t_to/to_country") == "IR"


def test_broken_report_is_rejected_by_the_schema() -> None:
    (report, *_) = build_reports(threshold_hits(), BANK, WHEN)
    document = etree.fromstring(to_xml(report))
    amount = document.find("transaction/amount_local")
    amount.getparent().remove(amount)
    assert not schema().validate(document)
    other = etree.fromstring(to_xml(report))
    other.find("report_code").text = "SAR"
    assert not schema().validate(other)


def test_csv_has_one_row_per_transaction_per_report() -> None:
    reports = build_reports(threshold_hits(), BANK, WHEN)
    assert [r.code for r in reports] == ["CTR", "STR"]  # three deposits of 4,000: over 1,000
    out = io.StringIO()
    to_csv(reports, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 6
    assert [(r["entity_reference"], r["transaction_id"]) for r in rows[:3]] == [
        ("WK-CTR-20260402-0001", "T2"),
        ("WK-CTR-20260402-0001", "T11"),
        ("WK-CTR-20260402-0001", "T20"),
    ]
    first = rows[0]
    assert first["customer_name"] == "DUPONT, Jean"
    assert first["amount"] == "4000" and first["amount_local"] == "4000.00"
    assert first["from"] == "DUPONT, Jean (FR)" and first["position"] == "line 2"
    assert rows[3]["report_code"] == "STR" and rows[3]["indicators"] == "cash-not-traceable"


def test_missing_rate_stops_the_report() -> None:
    # What evaluate gives for a currency without a rate: no euro amount (and an issue).
    tx = deposit("12000", 2, 2, currency="XAF")
    hit = FinanceHit("manual", "threshold_report", 50, "by hand", "C-1", (tx,), None, (None,))
    with pytest.raises(UsageError, match="no amount in EUR; add a rate for XAF"):
        build_reports([hit], BANK, WHEN)


def test_channel_without_funds_code() -> None:
    card = Transaction("T1", datetime(2026, 3, 2), Decimal(50), "EUR", "card", (CLIENT,))
    hit = FinanceHit("manual", "non_traceable", 10, "by hand", None, (card,), Decimal(50))
    with pytest.raises(UsageError, match="no goAML funds code for channel 'card'"):
        build_reports([hit], BANK, WHEN)


def test_split_name() -> None:
    assert split_name("DUPONT, Jean") == ("Jean", "DUPONT")
    assert split_name("Jean Pierre Dupont") == ("Jean Pierre", "Dupont")
    assert split_name("MADONNA") == (None, "MADONNA")
