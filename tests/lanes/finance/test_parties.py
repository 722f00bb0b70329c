"""Payment parties turned into the matcher's subjects."""

from datetime import datetime
from decimal import Decimal

from tests.conftest import FIXTURES
from watchkeeper.lanes.finance.inputs import read_customers
from watchkeeper.lanes.finance.model import Party, Transaction
from watchkeeper.lanes.finance.parties import parties_of, party_subject


def test_subject_of_a_person() -> None:
    party = Party(
        "creditor",
        "Abu  Mohamed al-Adnani ",
        "Person",
        country="SY",
        birth_date="1977-01-01",
        id_number="N123",
    )
    subject = party_subject(party)
    assert subject.schema == "Person"
    assert subject.names == ("Abu Mohamed al-Adnani",)
    assert subject.birth_dates == ("1977-01-01",)
    assert subject.countries == ("sy",)
    assert subject.identifiers == ("N123",)


def test_subject_of_a_customer_without_facts() -> None:
    customers = read_customers(FIXTURES / "payments" / "customers_sample.csv").records
    subject = party_subject(customers[4].party)
    assert (subject.schema, subject.names, subject.countries) == (
        "Organization",
        ("Harbour Fresh Foods Ltd",),
        ("us",),
    )
    assert subject.birth_dates == () and subject.identifiers == ()


def test_parties_of_screens_a_repeated_party_once() -> None:
    debtor = Party("debtor", "Acme Ltd", country="GB")
    tx = Transaction(
        id="1",
        booked=datetime(2026, 1, 1),
        amount=Decimal(1),
        currency="EUR",
        channel="transfer",
        parties=(
            debtor,
            Party("ultimate_debtor", "ACME LTD", country="GB"),
            Party("creditor", "Bob"),
        ),
    )
    assert [p.role for p in parties_of(tx)] == ["debtor", "creditor"]
