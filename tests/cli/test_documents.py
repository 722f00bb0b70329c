"""``watchkeeper documents scan`` end to end: reports, faults, alerts and the audit log."""

import functools
import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import Result

from tests.conftest import FIXTURES
from tests.lanes.documents.pdf_maker import minimal_pdf
from watchkeeper.settings import get_settings
from watchkeeper.store import open_engine
from watchkeeper.store.schema import alerts, audit_log

Wk = functools.partial[Result]
DOCS = FIXTURES / "documents"


def test_a_batch_with_a_broken_pdf_is_scanned_and_exits_65(un: Wk, tmp_path: Path) -> None:
    good = tmp_path / "brief.pdf"
    good.write_bytes(minimal_pdf(["Cover page", "Annex: entry QDi.006 was amended."]))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not a pdf at all")
    files = [str(DOCS / "news_listed.txt"), str(broken), str(good), str(DOCS / "report.html")]
    result = un("documents", "scan", *files, "--lists", "un", "--format", "json")
    assert result.exit_code == 65, result.output
    found = json.loads(result.stdout)
    assert [f.startswith(f"{broken}: file: unreadable PDF") for f in found["faults"]] == [True]
    by_path = {d["path"]: [e["entity_id"] for e in d["entities"]] for d in found["documents"]}
    assert by_path == {
        str(DOCS / "news_listed.txt"): ["un-QDe.115", "un-QDi.006"],
        str(good): ["un-QDi.006"],
        str(DOCS / "report.html"): ["un-QDi.299"],
    }
    [pdf] = [d for d in found["documents"] if d["path"] == str(good)]
    assert pdf["entities"][0]["mentions"][0]["page"] == 2


def test_alerts_one_per_document_and_entity_and_the_read_is_audited(un: Wk, tmp_path: Path) -> None:
    result = un("documents", "scan", str(DOCS / "news_listed.txt"), "--lists", "un")
    assert result.exit_code == 0, result.output
    assert "un-QDi.006" in result.stdout and "2 alert(s) stored" in result.output
    engine = open_engine(get_settings(data_dir=tmp_path / "data").db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(alerts.c.lane, alerts.c.kind, alerts.c.entity_id,
                                   alerts.c.explanation)).all()  # fmt: skip
        audited = conn.execute(select(audit_log.c.action, audit_log.c.target_type)).all()
    assert sorted((r.lane, r.kind, r.entity_id) for r in rows) == [
        ("documents", "watchlist", "un-QDe.115"),
        ("documents", "watchlist", "un-QDi.006"),
    ]
    place = rows[0].explanation["places"][0]
    assert rows[0].explanation["path"] == str(DOCS / "news_listed.txt")
    assert {"start", "end", "snippet"} <= set(place)
    assert ("match", "documents") in [(a.action, a.target_type) for a in audited]


def test_no_alerts_and_nothing_found(un: Wk, tmp_path: Path) -> None:
    result = un("documents", "scan", str(DOCS / "news_unlisted.txt"), "--no-alerts")
    assert result.exit_code == 0, result.output
    [header, row] = result.stdout.splitlines()
    assert header.split("\t") == [
        "document", "kind", "characters", "entity", "list", "name", "mentions", "score"
    ]  # fmt: skip
    assert row.split("\t") == [str(DOCS / "news_unlisted.txt"), "text", "374", "", "", "", "0", ""]
    assert "alert(s) stored" not in result.output


def test_a_name_nested_1000_tags_deep_is_found_and_bad_files_do_not_stop_the_batch(
    un: Wk, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text(
        "<html><body>" + "<div><span>" * 500 + "Ayman al-Zawahiri was named."
        + "</span></div>" * 500 + "</body></html>"
    )  # fmt: skip
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(b"Caf\xe9 QDi.006")
    files = [str(tmp_path), str(latin), str(deep)]  # a folder, a file not UTF-8, the page
    result = un("documents", "scan", *files, "--no-alerts", "--format", "json")
    assert result.exit_code == 65, result.output
    found = json.loads(result.stdout)
    assert found["faults"] == [
        f"{tmp_path}: file: cannot read: Is a directory",
        f"{latin}: byte 3: not UTF-8 text",
    ]
    [document] = found["documents"]
    assert [e["entity_id"] for e in document["entities"]] == ["un-QDi.006"]
