"""``watchkeeper audit``: the log for people and programs, with filters, and ``audit verify``:
its hash chain."""

import functools
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import Result

from watchkeeper.settings import get_settings
from watchkeeper.store import open_engine
from watchkeeper.store.audit import record

Wk = functools.partial[Result]


def fill(tmp_path: Path) -> None:
    engine = open_engine(get_settings(data_dir=tmp_path / "data").db_url)
    with engine.begin() as conn:
        at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        record(conn, "anna", "read.alert", "alert", "7", remote="10.0.0.1", at=at)
        at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        record(conn, "ben", "decide", "alert", "7", {"to": "cleared"}, at=at)
        at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
        record(conn, "ben", "read.entity", "entity", "un-QDi.325", at=at)
    engine.dispose()


def actions(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [entry["action"] for entry in json.loads(result.stdout)]


def test_filters(wk: Wk, tmp_path: Path) -> None:
    fill(tmp_path)
    assert actions(wk("audit", "-f", "json")) == ["read.entity", "decide", "read.alert"]
    assert actions(wk("audit", "--actor", "ben", "-f", "json")) == ["read.entity", "decide"]
    assert actions(wk("audit", "--action", "decide", "-f", "json")) == ["decide"]
    assert actions(wk("audit", "--target-type", "entity", "-f", "json")) == ["read.entity"]
    assert actions(wk("audit", "--target-id", "7", "--limit", "1", "-f", "json")) == ["decide"]
    window = wk("audit", "--since", "2026-03-02", "--until", "2026-03-03T09:00", "-f", "json")
    assert actions(window) == ["decide"]
    entry = json.loads(wk("audit", "--action", "decide", "-f", "json").stdout)[0]
    assert entry["detail"] == {"to": "cleared"} and entry["at"].startswith("2026-03-02T09:00")


def test_table_and_errors(wk: Wk, tmp_path: Path) -> None:
    assert "no audit entries match" in wk("audit").stdout
    fill(tmp_path)
    table = wk("audit", "--actor", "anna").stdout
    assert "read.alert" in table and "alert 7" in table and "10.0.0.1" in table
    bad = wk("audit", "--since", "yesterday")
    assert bad.exit_code == 2 and "--since" in bad.output


def test_reads_from_the_terminal_are_audited(un: Wk) -> None:
    assert un("lists", "show", "un-QDi.325").exit_code == 0
    assert un("match", "Abu Mohamed al-Adnani", "--lists", "un").exit_code == 0
    entries = json.loads(un("audit", "-f", "json").stdout)
    assert [e["action"] for e in entries][:2] == ["match", "read.entity"]
    assert all(e["actor"].startswith("cli:") for e in entries[:2])
    assert entries[1]["target_id"] == "un-QDi.325"


def test_verify_finds_an_entry_rewritten_behind_the_stores_back(wk: Wk, tmp_path: Path) -> None:
    fill(tmp_path)
    intact = wk("audit", "verify", "-f", "json")
    assert intact.exit_code == 0, intact.output
    report = json.loads(intact.stdout)
    assert (report["ok"], report["entries"], report["broken"]) == (True, 3, None)
    assert f"head {report['head']}" in wk("audit", "verify").stdout
    assert wk("audit", "verify", "--anchor", report["head"]).exit_code == 0
    unknown = wk("audit", "verify", "--anchor", "0" * 63 + "1")
    assert unknown.exit_code == 65 and "all 3 entries are linked" in unknown.output
    assert "no entry has the anchor hash" in unknown.output
    raw = sqlite3.connect(tmp_path / "data" / "watchkeeper.db")
    raw.executescript(
        "DROP TRIGGER audit_log_no_update;"
        "UPDATE audit_log SET detail = '{\"to\": \"confirmed\"}' WHERE action = 'decide';"
    )
    raw.close()
    broken = wk("audit", "verify")
    assert broken.exit_code == 65
    assert "at entry 2 (2026-03-02 09:00:00 UTC); the 1 entries before it hold" in broken.output
    assert "content does not match its hash" in broken.output
    as_json = json.loads(wk("audit", "verify", "-f", "json").stdout)["broken"]
    assert (as_json["id"], as_json["at"]) == (2, "2026-03-02T09:00:00+00:00")
