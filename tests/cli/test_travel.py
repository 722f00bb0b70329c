"""``watchkeeper travel screen`` and ``travel retention`` end to end."""

import json
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import FIXTURES
from watchkeeper.settings import get_settings
from watchkeeper.store import open_engine
from watchkeeper.store.schema import alerts

Wk = "functools.partial[Result]"
TRAVEL = FIXTURES / "travel"


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


def test_a_resent_file_is_answered_from_its_first_screening(un: Wk, tmp_path: Path) -> None:
    flight = str(TRAVEL / "synthetic_paxlst_listed.edi")
    first = un("travel", "screen", flight, "--lists", "un", "--format", "json")
    again = un("travel", "screen", flight, "--lists", "un", "--format", "json")
    assert first.exit_code == again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert "received before" in " ".join(again.stderr.split())
    table = un("travel", "screen", flight, "--lists", "un")
    assert table.exit_code == 0 and "10 traveller(s), 1 flagged" in " ".join(table.stdout.split())
    assert "0 alert(s) stored for review" in table.stderr  # the first run stored the one alert
    engine = open_engine(get_settings(data_dir=tmp_path / "data").db_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alerts)).scalar_one() == 1
    engine.dispose()


def test_other_content_under_a_taken_reference_is_refused(un: Wk) -> None:
    # Two GTAS samples sent under one sender and UNB control reference (UA, 491873609401).
    first, other = TRAVEL / "pnrPhoneCTCM.txt", TRAVEL / "pnrSeatFormats.txt"
    stored = un("travel", "screen", str(first), "--lists", "un")
    assert stored.exit_code == 65 and "UNT says '50'" in stored.stderr  # miscounted, kept
    assert "0 alert(s) stored for review" in stored.stderr
    refused = un("travel", "screen", str(other), "--lists", "un", "--format", "json")
    assert refused.exit_code == 65
    said = " ".join(refused.stderr.split())
    assert "pnrSeatFormats.txt: interchange '491873609401' from 'UA' was received" in said
    assert "nothing was stored" in said
    assert json.loads(refused.stdout) == []
