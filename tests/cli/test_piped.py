"""Output to no terminal (a pipe, a file) keeps every character, whatever ``COLUMNS`` says:
tables become tab-separated lines (header first) and each error is one line, however long
the list name or the path."""

import functools
import re
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import FIXTURES
from watchkeeper.matching.score import PRESETS

Wk = functools.partial[Result]
LONG_NAME = "ofac-consolidated-non-sdn-list-as-published-in-december-2025"


@pytest.fixture(params=["40", "300"])
def columns(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The terminal width the environment claims: it must change nothing in a pipe."""
    monkeypatch.setenv("COLUMNS", request.param)
    return str(request.param)


def _long_folder(tmp_path: Path) -> Path:
    """A folder whose path is over 120 characters long."""
    folder = tmp_path / ("reports-" + "x" * 60) / ("archive-" + "y" * 60)
    folder.mkdir(parents=True)
    assert len(str(folder)) > 120
    return folder


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


def test_lists_ls_is_tab_separated_and_whole(wk: Wk, columns: str) -> None:
    path = FIXTURES / "ftm" / "yente_zala.ftm.json"
    assert wk("lists", "load", str(path), "--format", "ftm", "--name", LONG_NAME).exit_code == 0
    result = wk("lists", "ls")
    assert result.exit_code == 0, result.output
    header, row = _rows(result.stdout)
    assert header == ["list", "version", "format", "entries", "published", "loaded"]
    assert row[:3] == [LONG_NAME, "1 (active)", "ftm"]
    assert re.fullmatch(r"\d+(; [\d,]+ \w+)+", row[3])  # the count, then by schema
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[5])
    assert "…" not in result.output


def test_an_error_naming_a_long_path_is_one_line(un: Wk, tmp_path: Path, columns: str) -> None:
    missing = _long_folder(tmp_path) / "travellers.csv"
    result = un("screen", str(missing), "--lists", "un")
    assert result.exit_code == 65
    assert f"error: {missing}: file: does not exist" in result.stderr.splitlines()
    usage = un("lists", "load", str(missing), "--name", "un")  # --format left out
    assert usage.exit_code == 2
    assert "Error: Missing option '--format'." in usage.stderr.splitlines()


def test_documents_scan_names_a_long_path_whole(un: Wk, tmp_path: Path, columns: str) -> None:
    document = _long_folder(tmp_path) / "news.txt"
    document.write_text("A recording attributed to Ayman al-Zawahiri was circulated.\n")
    result = un("documents", "scan", str(document), "--lists", "un", "--no-alerts")
    assert result.exit_code == 0, result.output
    header, row = _rows(result.stdout)
    assert header == [
        "document", "kind", "characters", "entity", "list", "name", "mentions", "score"
    ]  # fmt: skip
    assert row[:5] == [str(document), "text", "60", "un-QDi.006", "un"]
    assert row[6] == "1"


def test_match_candidates_are_tab_separated_with_the_whole_explanation(
    un: Wk, columns: str
) -> None:
    result = un("match", "Ayman al-Zawahiri", "--lists", "un")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"1 alert(s) for 'Ayman al-Zawahiri' at threshold {PRESETS['balanced']:.3f}"
    start = lines.index("person\tscore\talert\tentity\tlisted name\twhy")
    rows = [line.split("\t") for line in lines[start + 1 :] if "\t" in line]
    assert len(rows) == 5 and all(len(row) == 6 for row in rows)
    assert rows[0][:4] == ["1", "0.929", "ALERT", "un-QDi.006"]
    assert "name_similarity +" in rows[0][5] and "…" not in result.stdout
