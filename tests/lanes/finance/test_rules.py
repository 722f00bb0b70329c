"""Finance rules as data: each predicate with real amounts, conversion, bad rule files."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from watchkeeper.errors import SourceError
from watchkeeper.lanes.finance.model import Channel, Customer, Direction, Party, Transaction
from watchkeeper.lanes.finance.rules import FinanceHit, FinanceRules, bic_country

SRC = "tests/transactions.csv"


def cash(
    amount: str,
    day: str,
    customer: str = "C-1",
    currency: str = "EUR",
    direction: Direction = "in",
    line: int = 2,
    channel: Channel = "cash",
) -> Transaction:
    """A customer's cash deposit (or withdrawal) read from line ``line`` of a CSV."""
    holder = Party("account_holder", "Jean DUPONT", "Person", "FR7630006000011234567890189")
    return Transaction(
        id=f"T{line}",
        booked=datetime.fromisoformat(day),
        amount=Decimal(amount),
        currency=currency,
        channel=channel,
        parties=(holder,),
        direction=direction,
        customer_id=customer,
        source=SRC,
        position=f"line {line}",
    )


def hits_of(rule_id: str, transactions: list[Transaction]) -> list[FinanceHit]:
    return [hit for hit in FinanceRules.load().evaluate(transactions) if hit.rule_id == rule_id]


# --- monthly_cash_total ------------------------------------------------------------------


def test_three_deposits_of_4000_in_a_month_are_a_threshold_report() -> None:
    deposits = [cash("4000", f"2026-03-{day:02d}", line=day) for day in (2, 11, 20)]
    (hit,) = hits_of("monthly-cash-threshold", deposits)
    assert hit.kind == "threshold_report"
    assert hit.customer_id == "C-1"
    assert hit.amount_eur == Decimal("12000")
    assert hit.transactions == tuple(deposits)
    assert hit.transactions[0].source == SRC and hit.transactions[0].position == "line 2"
    assert "12,000.00 EUR by customer C-1 in 2026-03" in hit.reason
    assert "4,000.00 EUR on 2026-03-02" in hit.reason
    assert "in excess of 10,000 EUR per month" in hit.reason


def test_exactly_the_threshold_is_not_in_excess() -> None:
    deposits = [cash("6000", "2026-03-02"), cash("4000", "2026-03-09", line=3)]
    assert hits_of("monthly-cash-threshold", deposits) == []


def test_one_cent_above_the_threshold_is() -> None:
    deposits = [cash("6000", "2026-03-02"), cash("4000.01", "2026-03-09", line=3)]
    (hit,) = hits_of("monthly-cash-threshold", deposits)
    assert hit.amount_eur == Decimal("10000.01")


def test_withdrawals_count_with_deposits_by_default() -> None:
    operations = [cash("6000", "2026-03-02"), cash("5000", "2026-03-09", direction="out", line=3)]
    (hit,) = hits_of("monthly-cash-threshold", operations)
    assert "cash deposits and withdrawals of 11,000.00 EUR" in hit.reason


def test_months_do_not_add_up() -> None:
    deposits = [cash("6000", "2026-03-30"), cash("6000", "2026-04-02", line=3)]
    assert hits_of("monthly-cash-threshold", deposits) == []


def test_customers_do_not_add_up() -> None:
    deposits = [cash("6000", "2026-03-02"), cash("6000", "2026-03-03", customer="C-2", line=3)]
    assert hits_of("monthly-cash-threshold", deposits) == []


def test_transfers_are_not_cash() -> None:
    transfers = [cash("6000", "2026-03-02", channel="transfer")] * 2
    assert hits_of("monthly-cash-threshold", transfers) == []


def test_usd_is_converted_by_the_rates_table() -> None:
    # 0.86 EUR per USD in the default file: 11,627.91 USD is 10,000.00 EUR, not in excess;
    # 11,627.92 USD is 10,000.01 EUR.
    assert hits_of("monthly-cash-threshold", [cash("11627.91", "2026-03-02", currency="USD")]) == []
    (hit,) = hits_of("monthly-cash-threshold", [cash("11627.92", "2026-03-02", currency="USD")])
    assert hit.amount_eur == Decimal("10000.01")
    assert "11,627.92 USD (10,000.01 EUR) on 2026-03-02" in hit.reason


def test_rule_currency_other_than_euro(tmp_path: Path) -> None:
    path = tmp_path / "usd.yml"
    path.write_text(
        "rates: {USD: 0.5}\n"
        "rules:\n"
        "  - id: usd-total\n"
        "    description: monthly cash over 10,000 USD\n"
        "    weight: 50\n"
        "    when: {monthly_cash_total: {threshold: 10000, currency: USD, direction: in}}\n"
        '    reason: "{total:,.2f} {currency} in {month}"\n'
    )
    (hit,) = FinanceRules.load(path).evaluate([cash("5000.01", "2026-03-02")])
    assert hit.reason == "10,000.02 USD in 2026-03"
    assert hit.amount_eur == Decimal("5000.01")


def test_customer_names_come_from_the_customer_file(tmp_path: Path) -> None:
    path = tmp_path / "named.yml"
    path.write_text(
        "rules:\n"
        "  - id: named\n"
        "    description: monthly cash\n"
        "    weight: 50\n"
        "    when: {monthly_cash_total: {}}\n"
        '    reason: "{customer_name} ({customer}): {total:,.0f} {currency}"\n'
    )
    customer = Customer("C-1", Party("customer", "Marie CURIE", "Person", customer_id="C-1"))
    (hit,) = FinanceRules.load(path).evaluate([cash("10500", "2026-03-02")], [customer])
    assert hit.reason == "Marie CURIE (C-1): 10,500 EUR"
    assert hit.customer == customer


# --- cash_payment_at_least ---------------------------------------------------------------


def test_cash_payment_of_1000_is_not_traceable() -> None:
    (hit,) = hits_of("cash-not-traceable", [cash("1000", "2026-03-02", direction="out")])
    assert hit.kind == "non_traceable"
    assert hit.amount_eur == Decimal("1000")
    assert hit.reason.startswith("cash payment of 1,000.00 EUR (1,000.00 EUR) on 2026-03-02")


def test_cash_payment_of_999_99_is_not_flagged() -> None:
    assert hits_of("cash-not-traceable", [cash("999.99", "2026-03-02", direction="out")]) == []


# --- structuring -------------------------------------------------------------------------


def test_three_deposits_of_9500_within_five_days_are_structuring() -> None:
    deposits = [cash("9500", f"2026-03-{day:02d}", line=day) for day in (2, 4, 7)]
    (hit,) = hits_of("cash-structuring", deposits)
    assert hit.kind == "structuring"
    assert hit.amount_eur == Decimal("28500")
    assert hit.reason.startswith(
        "3 cash operations between 8,000 and 10,000 EUR by customer C-1 "
        "from 2026-03-02 to 2026-03-07"
    )
    assert "28,500.00 EUR in all" in hit.reason


def test_three_deposits_of_9500_over_20_days_are_not() -> None:
    deposits = [cash("9500", f"2026-03-{day:02d}", line=day) for day in (1, 11, 21)]
    assert hits_of("cash-structuring", deposits) == []


def test_structuring_ignores_amounts_outside_the_band() -> None:
    # 10,000 is reported anyway and 7,999.99 is below the band.
    deposits = [cash("9500", "2026-03-02"), cash("10000", "2026-03-03", line=3)]
    deposits.append(cash("7999.99", "2026-03-04", line=4))
    assert hits_of("cash-structuring", deposits) == []


# --- high_risk_jurisdiction --------------------------------------------------------------


def transfer(creditor: Party) -> Transaction:
    debtor = Party("debtor", "ACME SARL", account="FR7630006000011234567890189", country="FR")
    return Transaction(
        id="E2E-77",
        booked=datetime(2026, 3, 5, 10, 30),
        amount=Decimal("25000"),
        currency="USD",
        channel="transfer",
        parties=(debtor, creditor),
        direction="out",
        customer_id="C-9",
        source="pacs008.xml",
        position="Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]",
    )


def test_party_country_on_the_call_for_action_list() -> None:
    creditor = Party("creditor", "Tehran Trading Co", country="IR")
    (hit,) = hits_of("fatf-call-for-action", [transfer(creditor)])
    assert hit.kind == "jurisdiction"
    assert hit.amount_eur == Decimal("21500.00")
    assert hit.reason == (
        "E2E-77 on 2026-03-05 (25,000.00 USD): Tehran Trading Co (creditor, Iran by country), "
        "on the fatf_call_for_action list"
    )


def test_bank_country_from_the_bic() -> None:
    creditor = Party("creditor", "Golden Star Ltd", country="AE", bic="BKIDKPPYXXX")
    (hit,) = hits_of("fatf-call-for-action", [transfer(creditor)])
    assert "Golden Star Ltd (creditor, North Korea by BIC BKIDKPPYXXX)" in hit.reason
    assert bic_country("DEUT DE FF") == "DE"
    assert bic_country("not a bic") is None


def test_grey_list_and_clean_countries() -> None:
    syria = transfer(Party("creditor", "Damascus Imports", country="SY"))
    france = transfer(Party("creditor", "Lyon Imports", country="FR", bic="BNPAFRPPXXX"))
    hits = FinanceRules.load().evaluate([syria, france])
    assert [(h.rule_id, h.transactions) for h in hits] == [("fatf-increased-monitoring", (syria,))]


# --- rates and issues --------------------------------------------------------------------


def test_missing_rate_is_an_issue_not_a_silent_skip() -> None:
    deposits = [cash("9000", "2026-03-02"), cash("9000", "2026-03-03", currency="XAF", line=3)]
    result = FinanceRules.load().evaluate(deposits)
    assert [h.rule_id for h in result] == ["cash-not-traceable"]
    (issue, *others) = result.issues
    assert issue.path == SRC and issue.position == "line 3"
    assert "transaction T3: no rate for XAF in" in issue.problem
    assert "rule 'monthly-cash-threshold' cannot convert 9,000.00 XAF" in issue.problem
    assert {o.position for o in others} == {"line 3"}  # the other amount rules, same line


def test_cash_without_customer_is_an_issue() -> None:
    anonymous = Transaction(
        "T9",
        datetime(2026, 3, 2),
        Decimal(500),
        "EUR",
        "cash",
        (),
        "in",
        None,
        source=SRC,
        position="line 9",
    )
    result = FinanceRules.load().evaluate([anonymous])
    assert list(result) == []
    (issue,) = result.issues
    assert issue.position == "line 9" and "no customer id" in issue.problem


# --- rule files --------------------------------------------------------------------------

GOOD_RULE = """\
rates:
  USD: 0.86
rules:
  - id: cash-limit
    description: cash of 1,000 EUR or more
    weight: 30
    when:
      cash_payment_at_least: {amount: 1000}
    reason: "cash {amount} {currency}"
"""


def errors_of(text: str, tmp_path: Path) -> str:
    path = tmp_path / "rules.yml"
    path.write_text(text)
    with pytest.raises(SourceError) as caught:
        FinanceRules.load(path)
    assert all(issue.path == str(path) for issue in caught.value.issues)
    return caught.value.detail


def test_default_rules_load() -> None:
    rules = FinanceRules.load()
    assert rules.rates["EUR"] == 1 and rules.rates["USD"] == Decimal("0.86")
    assert {r.kind for r in rules.rules} == {
        "threshold_report",
        "non_traceable",
        "structuring",
        "jurisdiction",
    }
    assert "IR" in rules.sets["fatf_call_for_action"]


def test_unknown_predicate_names_file_rule_and_line(tmp_path: Path) -> None:
    detail = errors_of(GOOD_RULE.replace("cash_payment_at_least", "cash_paymnet"), tmp_path)
    assert "rules.yml: rule 'cash-limit' (line 4): unknown predicate 'cash_paymnet'" in detail


def test_missing_parameter(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("cash_payment_at_least: {amount: 1000}", "structuring: {low: 8000}")
    text = text.replace("cash {amount} {currency}", "{count} operations")
    detail = errors_of(text, tmp_path)
    assert "rule 'cash-limit' (line 4): structuring: missing parameter 'threshold'" in detail


def test_yaml_error_gives_line(tmp_path: Path) -> None:
    detail = errors_of(GOOD_RULE.replace("{amount: 1000}", "{amount: 1000"), tmp_path)
    assert (
        "rules.yml: line 9, column 11: not valid YAML: "
        "while parsing a flow mapping started on line 8" in detail
    )


def test_many_faults_at_once(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("{amount: 1000}", "{amount: -5, currency: XAF, direction: up}")
    text = text.replace("USD: 0.86", "usd: 0.86")
    detail = errors_of(text, tmp_path)
    assert "'usd' is not an ISO 4217 currency code" in detail
    assert "parameter 'amount' must be an amount > 0, not -5" in detail
    assert "parameter 'currency': 'XAF' has no rate" in detail
    assert "parameter 'direction' must be one of in, out, both, not 'up'" in detail


def test_reason_field_checked_at_load(tmp_path: Path) -> None:
    detail = errors_of(GOOD_RULE.replace("cash {amount}", "cash {amout}"), tmp_path)
    assert "reason uses {amout}, which cash_payment_at_least does not find" in detail


def test_unknown_set_and_country(tmp_path: Path) -> None:
    text = GOOD_RULE.replace(
        "cash_payment_at_least: {amount: 1000}", "high_risk_jurisdiction: {countries: fatf}"
    ).replace("cash {amount} {currency}", "{matches}")
    detail = errors_of("sets:\n  fatf_black: [KP, QQ]\n" + text, tmp_path)
    assert "'QQ' in" not in detail  # an unused set is not read for codes
    assert "parameter 'countries' names unknown set 'fatf' (sets: fatf_black)" in detail


def test_structuring_band_checked(tmp_path: Path) -> None:
    text = GOOD_RULE.replace(
        "cash_payment_at_least: {amount: 1000}",
        "structuring: {low: 10000, threshold: 9000, count: 1.5}",
    ).replace("cash {amount} {currency}", "{count}")
    detail = errors_of(text, tmp_path)
    assert "'low' (10000) must be below 'threshold' (9000)" in detail
    assert "parameter 'count' must be a whole number >= 2, not 1.5" in detail
