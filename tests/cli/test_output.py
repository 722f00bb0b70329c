"""Output that goes to no terminal never wraps or truncates, whatever ``COLUMNS`` says: it is
read by programs and by grep, and a test must not depend on the width of the terminal."""

import functools

import pytest
from typer.testing import Result


@pytest.mark.parametrize("columns", ["40", "300"])
def test_piped_output_keeps_every_line_whole(
    un: "functools.partial[Result]", monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    shown = un("lists", "show", "un-QDi.325")
    assert shown.exit_code == 0, shown.output
    # The longest value of the entry is on one line, not folded at the width.
    assert "Abu Mohamed al-Adnani" in shown.stdout
    assert "…" not in shown.stdout
