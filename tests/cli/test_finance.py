"""``watchkeeper finance screen`` end to end: parties, remittance texts, rules, FIU reports."""

import functools
import json
from pathlib import Path

from typer.testing import Result

from tests.conftest import FIXTURES

Wk = functools.partial[Result]
PAYMENTS = FIXTURES / "payments"


def test_a_pacs008_to_a_listed_creditor_raises_an_explained_alert(un: Wk, tmp_path: Path) -> None:
    original = (PAYMENTS / "custom__mt103_a_2014.xml").read_text(encoding="utf-8")
    listed = tmp_path / "pacs008.xml"
    listed.write_text(original.replace("SHASHU LANXI SHANYE", "Abu Mohamed al-Adnani"), "utf-8")
    result = un("finance", "screen", str(listed), "--lists", "un", "--format", "json")
    assert result.exit_code == 0, result.output
    [payment] = json.loads(result.stdout)["transactions"]
    [hit] = payment["hits"]
    assert (hit["role"], hit["entity_id"]) == ("creditor", "un-QDi.325")
    assert hit["explanation"]["names"]["result_name"]
    assert hit["reason"].startswith("name match un-QDi.325")


def test_rules_and_reports_for_the_sample_batch(un: Wk, tmp_path: Path) -> None:
    reports = tmp_path / "fiu"
    result = un(
        "finance", "screen", str(PAYMENTS / "transactions_sample.csv"),
        "--customers", str(PAYMENTS / "customers_sample.csv"), "--lists", "un",
        "--reports", str(reports), "--entity-id", "BANK1", "--entity-name", "Example Bank",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    rules = {(r["rule"], r["customer"]) for r in found["rules"]}
    assert ("monthly-cash-threshold", "C1") in rules  # three cash deposits of 4,000 EUR
    assert not any(rule == "monthly-cash-threshold" and c == "C2" for rule, c in rules)
    assert "C6" in [c["customer"] for c in found["customers"]]  # a UN alias
    assert any(t["id"] == "T007" for t in found["transactions"])
    names = sorted(p.name for p in reports.iterdir())
    assert names[0].startswith("WK-CTR-") and names[-1] == "reports.csv"


def test_files_that_cannot_be_read_are_reported_and_the_others_screened(
    un: Wk, tmp_path: Path
) -> None:
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(b"id,booked,amount,currency,channel\nT1,2026-01-01,1,EUR,cash\nT\xff2\n")
    corrupt = tmp_path / "customers.parquet"
    corrupt.write_bytes(b"PAR1" + bytes(range(256)) + b"PAR1")
    files = [str(tmp_path), str(latin), str(PAYMENTS / "transactions_sample.csv")]
    result = un("finance", "screen", *files, "--customers", str(corrupt), "--no-store",
                "--format", "json")  # fmt: skip
    assert result.exit_code == 65, result.output
    assert any(t["id"] == "T007" for t in json.loads(result.stdout)["transactions"])
    for fault in (f"{tmp_path}: file: is a folder", f"{latin}: line 2: unreadable CSV",
                  f"{corrupt}: file: unreadable Parquet"):  # fmt: skip
        assert fault in result.stderr


def test_reports_need_the_reporting_entity(un: Wk) -> None:
    sample = str(PAYMENTS / "transactions_sample.csv")
    result = un("finance", "screen", sample, "--reports", "/tmp/x")
    assert result.exit_code == 2 and "--entity-id" in result.output


def _profiles(path: Path, *rows: str) -> str:
    header = "id,name,birth_date,nationality,handling_code,owner\n"
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return str(path)


def test_a_new_list_version_rescreens_the_stored_customers(wk: Wk, tmp_path: Path) -> None:
    nouri = "p-1,Nouri Ben Salah,1975,FR,AMBER,FR-DGSI"
    first = _profiles(tmp_path / "v1.csv", nouri)
    load = ("lists", "load", "--format", "profiles", "--name", "agency")
    assert wk(*load, first).exit_code == 0
    screened = wk(
        "finance", "screen", str(PAYMENTS / "transactions_sample.csv"),
        "--customers", str(PAYMENTS / "customers_sample.csv"), "--lists", "agency",
    )  # fmt: skip
    assert screened.exit_code == 0, screened.output
    second = _profiles(tmp_path / "v2.csv", nouri, "p-2,Hamid Rahimi,1990-11-02,DE,AMBER,FR-DGSI")
    result = wk(*load, second, "--rescreen")
    assert result.exit_code == 0, result.output
    assert "the 1 entries added or changed in agency v1 -> v2" in result.output
    # Customer C3 and the same man as a payment's counterparty (no birth date there).
    assert "2 hit(s), 2 new alert(s)" in result.output
    again = wk("finance", "rescreen", "agency", "--format", "json")
    figures = json.loads(again.stdout)
    assert (figures["entries"], figures["alerts"], figures["already_open"]) == (1, 0, 2)
    assert figures["subjects"] > 6  # the customers and the payments' counterparties
