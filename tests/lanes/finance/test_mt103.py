"""SWIFT MT103 read from FIN text, cross-checked against the pacs.008 it translates to."""

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, requires_shared
from watchkeeper.errors import SourceError
from watchkeeper.lanes.finance.inputs import read_mt103, read_payments
from watchkeeper.lanes.finance.parties import party_subject

PAYMENTS = FIXTURES / "payments"
PAIRS = SHARED / "payments" / "swiftmt_to_iso20022"


def test_structured_parties_50f_59f() -> None:
    [tx] = read_payments(PAYMENTS / "finMessage_p_2_1_1_C_D.fin").records
    assert (tx.id, tx.booked, tx.amount, tx.currency) == (
        "pacs8bizmsgidr03",
        datetime(2021, 4, 9),
        Decimal("15669.38"),
        "EUR",
    )
    debtor, creditor = tx.party("debtor"), tx.party("creditor")
    assert debtor is not None and creditor is not None
    assert (debtor.name, debtor.account, debtor.country, debtor.address, debtor.bic) == (
        "C Consumer",
        "12547896",
        "GB",
        "High Street, Epping",
        "RBOSGB2LXXX",
    )
    assert (creditor.name, creditor.account, creditor.bic) == ("Evli", "98653214", "HELSFIHHXXX")
    assert tx.remittance == "/ROC/pacs008EndToEndId-001"


def test_free_format_parties_50k_59() -> None:
    [tx] = read_mt103(PAYMENTS / "a_2014.fin").records
    assert (tx.id, tx.amount, tx.currency) == ("990OTT250922014", Decimal("100"), "JPY")
    debtor, creditor = tx.party("debtor"), tx.party("creditor")
    assert debtor is not None and creditor is not None
    assert (debtor.name, debtor.account, debtor.bic) == (
        "RASA ENGINEERING SERVICES (PVT) L",
        "100811000148",
        "ABCDLKLXXXX",
    )
    assert debtor.address == "NO 852-60, SHARUK PURA, SRI LANKA"
    assert (creditor.name, creditor.account, creditor.bic) == (
        "SHASHU LANXI SHANYE",
        "2563529",
        "ICBKCNBJZJP",
    )


def test_bic_only_ordering_customer_50a() -> None:
    [tx] = read_mt103(PAYMENTS / "finMessage_p_2_1_2_B_A.fin").records
    debtor = tx.party("debtor")
    assert debtor is not None
    assert (debtor.name, debtor.schema, debtor.id_number, debtor.id_kind) == (
        "ANBTUS44XXX",
        "Organization",
        "ANBTUS44XXX",
        "bic",
    )


def test_50f_party_identifier_carries_its_kind(tmp_path: Path) -> None:
    # Line 1 "CCPT/GB/123456789": a passport; the alert then says "same passport number".
    message = (
        "{1:F01AAAAGB2LXXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\r\n:20:REF1\r\n"
        ":32A:260131EUR1234,5\r\n:50F:CCPT/GB/123456789\r\n1/DOE\r\n8/JOHN\r\n"
        "3/GB/LONDON\r\n:59:/123\r\nACME LTD\r\n-}"
    )
    path = tmp_path / "one.fin"
    path.write_bytes(message.encode())
    [tx] = read_payments(path).records
    debtor = tx.party("debtor")
    assert debtor is not None
    assert (debtor.schema, debtor.id_number, debtor.id_kind) == ("Person", "123456789", "passport")
    assert party_subject(debtor).typed_identifiers() == (("123456789", "passport"),)


def test_50f_birth_date_and_several_messages(tmp_path: Path) -> None:
    good = (
        "{1:F01AAAAGB2LXXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\r\n:20:REF1\r\n"
        ":32A:260131EUR1234,5\r\n:50F:/DE44500105175407324931\r\n1/DOE\r\n8/JOHN\r\n"
        "2/MAIN ST 1\r\n3/DE/BERLIN\r\n4/19800215\r\n:59:/123\r\nACME LTD\r\n-}"
    )
    bad = "{1:F01AAAAGB2LXXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\r\n:20:REF2\r\n-}"
    other = "{1:F01AAAAGB2LXXXX0000000000}{2:I202BBBBDEFFXXXXN}{4:\r\n:20:REF3\r\n-}"
    path = tmp_path / "three.fin"
    path.write_bytes((good + bad + other).encode())
    batch = read_payments(path)
    [tx] = batch.records
    assert (tx.booked, tx.amount) == (datetime(2026, 1, 31), Decimal("1234.5"))
    debtor = tx.party("debtor")
    assert debtor is not None and (debtor.name, debtor.schema, debtor.country) == (
        "DOE JOHN",
        "Person",
        "DE",
    )
    assert debtor.birth_date == "1980-02-15"
    assert [(i.position, i.problem.split(" (")[0][:12]) for i in batch.issues] == [
        ("message 2", ":32A: is mis"),
        ("message 3", "not an MT103"),
    ]


def test_text_that_is_not_fin_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.fin"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(SourceError, match="does not start with"):
        read_mt103(path)


@requires_shared
def test_every_shared_mt_file_is_read() -> None:
    for path in sorted((PAIRS / "mt").glob("*.fin")):
        batch = read_payments(path)
        assert (len(batch.records), batch.issues) == (1, []), path.name


@requires_shared
def test_mt103_and_its_pacs008_agree() -> None:
    compared = 0
    with open(PAIRS / "mt103_to_mx_pairs.csv", encoding="utf-8", newline="") as fh:
        for pair in csv.DictReader(fh):
            mx = read_payments(PAIRS / pair["mx_expected_file"])
            if not mx.records:  # a pacs.004 return, reported as not a pacs.008
                continue
            [mt_tx] = read_payments(PAIRS / pair["mt_file"]).records
            [mx_tx] = mx.records
            for tx_a, tx_b in [(mt_tx, mx_tx)]:
                assert (tx_a.amount, tx_a.currency, tx_a.booked) == (
                    tx_b.amount,
                    tx_b.currency,
                    tx_b.booked,
                ), pair["mt_file"]
                for role in ("debtor", "creditor"):
                    a, b = tx_a.party(role), tx_b.party(role)
                    assert a is not None and b is not None, (pair["mt_file"], role)
                    assert (a.name, a.country, a.account) == (b.name, b.country, b.account)
            compared += 1
    assert compared == 12
