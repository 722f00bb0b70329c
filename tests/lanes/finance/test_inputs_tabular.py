"""Transactions and customers from CSV and Parquet: good rows read, bad rows reported."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES
from watchkeeper.errors import SourceError
from watchkeeper.lanes.finance.inputs import read_customers, read_payments, read_transactions

PAYMENTS = FIXTURES / "payments"
HEADER = "id,booked,amount,currency,channel,direction,customer_id,creditor_name,creditor_birth_date"


def write(tmp_path: Path, text: str, name: str = "tx.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_transactions() -> None:
    batch = read_payments(PAYMENTS / "transactions_sample.csv")
    assert len(batch.records) == 12
    first = batch.records[0]
    assert (first.id, first.booked, first.amount, first.currency) == (
        "T001",
        datetime(2026, 3, 3),
        Decimal("4000.00"),
        "EUR",
    )
    assert (first.channel, first.direction, first.customer_id) == ("cash", "in", "C1")
    debtor = first.party("debtor")
    assert debtor is not None and debtor.schema == "Person"
    assert debtor.birth_date == "1984-05-17" and debtor.country == "PL"
    assert batch.records[1].booked == datetime(2026, 3, 12, 10, 15)
    c2 = [tx.amount for tx in batch.records if tx.customer_id == "C2" and tx.channel == "cash"]
    assert sum(c2) == Decimal("10000")
    adnani = batch.records[6].party("creditor")
    assert adnani is not None and adnani.name == "Abu Mohamed al-Adnani"
    assert adnani.schema == "Person" and adnani.birth_date == "1977"  # year only, as listed
    assert batch.issues == []


def test_sample_customers() -> None:
    batch = read_customers(PAYMENTS / "customers_sample.csv")
    assert [c.id for c in batch.records] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    c1 = batch.records[0]
    assert c1.party.role == "customer" and c1.party.customer_id == "C1"
    assert c1.party.address == "ul. Długa 5, 00-238 Warszawa"
    assert batch.records[1].party.schema == "Organization"
    assert batch.records[5].party.name == "Taha Sobhi Falaha"


def test_bad_rows_are_reported_with_their_line_and_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "A1,2026-01-05,100.50,eur,Cash,in,C1,,\n"
        "A2,05/01/2026,1.234,50,EUR,cash\n"
        "A3,2026-01-06,-5,EUR,wire,sideways,C1,,\n"
        "\n"
        'A4,2026-01-07,70,EURO,transfer,,C1,"Ann\nSmith",1990-02-31\n'
        "A5,2026-01-08,80,USD,transfer,,C2,Bob Brown,1961-04-01\n"
        "A1,2026-01-09,90,USD,card,,C2,,\n",
    )
    batch = read_transactions(path)
    assert [tx.id for tx in batch.records] == ["A1", "A5", "A1"]
    assert batch.records[0].currency == "EUR" and batch.records[0].channel == "cash"
    assert batch.records[1].parties[0].schema == "Person"
    problems = {issue.position: issue.problem for issue in batch.issues}
    assert list(problems) == ["line 3", "line 4", "line 6", "line 9"]
    assert "has 6 fields, the header has 9" in problems["line 3"]
    assert all(w in problems["line 4"] for w in ("amount", "channel: 'wire'", "sideways"))
    assert "currency: 'EURO'" in problems["line 6"] and "1990-02-31" in problems["line 6"]
    assert problems["line 9"] == "transaction id 'A1' already used at line 2"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("id,booked,amount,currency", "missing required columns: channel"),
        ("id,booked,amount,currency,channel,debtor_nmae", "unknown columns: debtor_nmae"),
    ],
)
def test_bad_header_refuses_the_file(tmp_path: Path, header: str, expected: str) -> None:
    with pytest.raises(SourceError) as caught:
        read_transactions(write(tmp_path, header + "\n"))
    assert caught.value.issues[0].position == "header"
    assert expected in caught.value.issues[0].problem


def test_parquet_written_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "tx.parquet"
    table = pa.table(
        {
            "id": ["P1", "P2", "P3"],
            "booked": [date(2026, 2, 1), date(2026, 2, 2), None],
            "amount": [Decimal("12.30"), Decimal("9999.99"), Decimal("1")],
            "currency": ["EUR", "EUR", "EUR"],
            "channel": ["transfer", "cash", "cash"],
            "creditor_name": ["Acme Ltd", None, None],
            "creditor_schema": ["Organization", None, None],
        }
    )
    pq.write_table(table, path)
    batch = read_payments(path)
    assert [(tx.id, tx.booked, tx.amount) for tx in batch.records] == [
        ("P1", datetime(2026, 2, 1), Decimal("12.30")),
        ("P2", datetime(2026, 2, 2), Decimal("9999.99")),
    ]
    assert batch.records[0].parties[0].schema == "Organization"
    assert [(i.position, i.problem.startswith("booked")) for i in batch.issues] == [("row 3", True)]


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unknown payment format"):
        read_payments(write(tmp_path, "hello", "notes.txt"))


def test_a_file_that_cannot_be_read_is_a_fault_naming_it(tmp_path: Path) -> None:
    corrupt = tmp_path / "tx.parquet"
    corrupt.write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
    for path, expected in [
        (tmp_path, "file: is a folder"),
        (corrupt, "file: unreadable Parquet"),
        (write(tmp_path, HEADER + "\nT\xff1\n", "latin1.csv"), "line 2: unreadable CSV"),
    ]:
        if path.suffix == ".csv":
            path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
        with pytest.raises(SourceError) as caught:
            read_payments(path)
        [issue] = caught.value.issues
        assert str(issue).startswith(f"{path}: {expected}"), issue
    with pytest.raises(SourceError, match="file: is a folder"):
        read_customers(tmp_path)
