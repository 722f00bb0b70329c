"""``watchkeeper travel screen`` and ``travel retention`` end to end."""

import json

import pytest

from tests.conftest import BUNDLED_UN, FIXTURES

Wk = "functools.partial[Result]"
TRAVEL = FIXTURES / "travel"


@pytest.fixture
def un(wk: Wk) -> Wk:
    """A store holding the bundled UN list as list 'un'."""
    assert wk("lists", "load", str(BUNDLED_UN), "--format", "un-xml", "--name", "un").exit_code == 0
    return wk


def test_screen_reports_the_listed_traveller(un: Wk) -> None:
    flight = TRAVEL / "synthetic_paxlst_listed.edi"
    result = un("travel", "screen", str(flight), "--lists", "un", "--format", "json")
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert report["flight"]["carrier"] == "XY" and report["flight"]["number"] == "123"
    flagged = [t for t in report["travellers"] if t["hits"]]
    assert [t["name"] for t in flagged] == ["YASER KHALAF NAZZAL ALRAWI"]
    hit = flagged[0]["hits"][0]
    assert hit["entity_id"] == "un-QDi.325"
    assert hit["reason"].startswith("name + DOB + nationality match un-QDi.325")
    assert "1 alert(s) stored for review" not in result.stderr  # JSON output stays quiet


def test_a_bad_file_fails_alone(un: Wk) -> None:
    bad, good = TRAVEL / "pnrBadFormat.txt", TRAVEL / "synthetic_pnr_oneway_cash.edi"
    result = un("travel", "screen", str(bad), str(good), "--lists", "un", "--format", "json")
    assert result.exit_code == 65
    assert "pnrBadFormat.txt: segment 28" in " ".join(result.stderr.split())
    [report] = json.loads(result.stdout)
    rules = {r["rule"] for t in report["travellers"] for r in t["rules"]}
    assert "late-one-way-cash" in rules


def test_miscounted_message_is_screened_and_reported(un: Wk) -> None:
    result = un("travel", "screen", str(TRAVEL / "Test1.txt"), "--lists", "un", "--no-rules")
    assert result.exit_code == 65
    assert "UNT says '0000152' segments from UNH to UNT, found 107" in " ".join(
        result.stderr.split()
    )
    assert "8 traveller(s)" in " ".join(result.stdout.split())  # wrapped where the path is long


def test_retention_dry_run_then_apply(un: Wk) -> None:
    flight = TRAVEL / "synthetic_paxlst_listed.edi"
    assert un("travel", "screen", str(flight), "--lists", "un").exit_code == 0
    dry = un("travel", "retention", "--format", "json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["applied"] is False
    applied = un("travel", "retention", "--apply", "--depersonalise-days", "1")
    assert applied.exit_code == 0
    assert "0 message(s) depersonalised" in applied.stdout  # received today: not yet due
    refused = un("travel", "retention", "--depersonalise-days", "10", "--delete-days", "5")
    assert refused.exit_code == 2
