"""ISO 20022 pacs.008 credit transfers, read safely; other messages reported."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, requires_shared
from watchkeeper.errors import SourceError
from watchkeeper.lanes.finance.inputs import read_pacs008, read_payments

PAYMENTS = FIXTURES / "payments"
MX = SHARED / "payments" / "swiftmt_to_iso20022" / "mx"


def test_envelope_with_apphdr() -> None:
    batch = read_payments(PAYMENTS / "p_2_1_1__mt103_pacs_008_C_D.xml")
    assert batch.issues == []
    [tx] = batch.records
    assert (tx.id, tx.booked, tx.amount, tx.currency, tx.channel) == (
        "pacs008EndToEndId-001",
        datetime(2021, 4, 9),
        Decimal("15669.38"),
        "EUR",
        "transfer",
    )
    assert tx.position == "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]"
    debtor, creditor = tx.party("debtor"), tx.party("creditor")
    assert debtor is not None and creditor is not None
    assert (debtor.name, debtor.country, debtor.account, debtor.bic) == (
        "C Consumer",
        "GB",
        "12547896",
        "RBOSGB2LXXX",
    )
    assert debtor.address == "High Street, Epping"
    assert (creditor.name, creditor.country, creditor.bic) == ("Evli", "FI", "HELSFIHHXXX")
    assert tx.remittance == "/ROC/pacs008EndToEndId-001"


def test_placeholder_end_to_end_id_falls_back_to_instruction_id() -> None:
    [tx] = read_pacs008(PAYMENTS / "custom__mt103_a_2014.xml").records
    assert (tx.id, tx.amount, tx.currency) == ("990OTT250922014", Decimal("100"), "JPY")
    assert tx.remittance == "IMPORT OF GOOD INV NO : 1526395 INV DATE : 10.10.2025 LKMIOP"
    debtor = tx.party("debtor")
    assert debtor is not None and debtor.address == "NO 852-60, SHARUK PURA, SRI LANKA"


def test_org_id_makes_an_organization() -> None:
    [tx] = read_pacs008(PAYMENTS / "p_2_3_1_b__mt103_pacs_008_A_D.xml").records
    creditor = tx.party("creditor")
    assert creditor is not None and creditor.schema == "Organization"
    assert creditor.id_number is None  # OrgId/Othr/Id is NOTPROVIDED


def test_pacs004_is_an_issue_not_a_crash() -> None:
    batch = read_payments(PAYMENTS / "p_2_1_2__mt103_pacs_004_B_A.xml")
    assert batch.records == []
    [issue] = batch.issues
    assert "not a pacs.008" in issue.problem and "pacs.004.001.09" in issue.problem


def test_other_version_person_and_ultimate_parties(tmp_path: Path) -> None:
    path = tmp_path / "v2.xml"
    path.write_text(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02"><FIToFICstmrCdtTrf>'
        "<GrpHdr><MsgId>M1</MsgId><IntrBkSttlmDt>2024-01-31</IntrBkSttlmDt></GrpHdr>"
        "<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId><TxId>T1</TxId></PmtId>"
        '<IntrBkSttlmAmt Ccy="CHF">10.5</IntrBkSttlmAmt>'
        "<Dbtr><Nm>Jane Roe</Nm><Id><PrvtId><DtAndPlcOfBirth><BirthDt>1970-01-02</BirthDt>"
        "</DtAndPlcOfBirth></PrvtId></Id></Dbtr>"
        "<DbtrAcct><Id><IBAN>CH9300762011623852957</IBAN></Id></DbtrAcct>"
        "<DbtrAgt><FinInstnId><BIC>UBSWCHZH80A</BIC></FinInstnId></DbtrAgt>"
        "<UltmtCdtr><Nm>Final Beneficiary</Nm></UltmtCdtr>"
        "</CdtTrfTxInf><CdtTrfTxInf><PmtId><TxId>T2</TxId></PmtId></CdtTrfTxInf>"
        "</FIToFICstmrCdtTrf></Document>",
        encoding="utf-8",
    )
    batch = read_pacs008(path)
    [tx] = batch.records
    assert (tx.id, tx.booked, tx.amount) == ("E1", datetime(2024, 1, 31), Decimal("10.5"))
    debtor = tx.party("debtor")
    assert debtor is not None and debtor.schema == "Person"
    assert debtor.birth_date == "1970-01-02"
    assert (debtor.account, debtor.bic) == ("CH9300762011623852957", "UBSWCHZH80A")
    assert [p.role for p in tx.parties] == ["debtor", "ultimate_creditor"]
    [issue] = batch.issues
    assert issue.position.endswith("CdtTrfTxInf[2]") and "IntrBkSttlmAmt" in issue.problem


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_hostile_xml_is_refused(tmp_path: Path, prolog: str) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(f"{prolog}<Document><FIToFICstmrCdtTrf/></Document>", encoding="utf-8")
    with pytest.raises(SourceError, match="refused for safety"):
        read_payments(path)


def test_malformed_and_foreign_xml_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<Document><FIToFICstmrCdtTrf></Document>", encoding="utf-8")
    with pytest.raises(SourceError, match="malformed XML"):
        read_payments(broken)
    foreign = tmp_path / "list.xml"
    foreign.write_text("<CONSOLIDATED_LIST/>", encoding="utf-8")
    with pytest.raises(SourceError, match="not an ISO 20022 message"):
        read_payments(foreign)


@requires_shared
def test_every_shared_mx_file_is_read_or_reported() -> None:
    read, reported = 0, 0
    for path in sorted(MX.glob("*.xml")):
        batch = read_payments(path)
        assert len(batch.records) + len(batch.issues) == 1, path.name
        read += len(batch.records)
        reported += len(batch.issues)
    assert (read, reported) == (12, 3)
