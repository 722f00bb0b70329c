"""The progress bar of long commands: drawn on a terminal's stderr with counts, rate and
time left, and nothing at all where stderr is no terminal (a pipe, a file, a test)."""

import functools
import io

import pytest
from rich.console import Console
from typer.testing import Result

from tests.conftest import BUNDLED_UN, ROOT
from watchkeeper.cli import common
from watchkeeper.cli.progress import progress

Wk = functools.partial[Result]
SAMPLE = ROOT / "src" / "watchkeeper" / "data" / "sample_travellers.csv"


def _terminal() -> tuple[Console, io.StringIO]:
    """A console that takes itself for a terminal, writing to a buffer."""
    shown = io.StringIO()
    return Console(file=shown, force_terminal=True, width=120, color_system=None), shown


def test_the_bar_counts_with_rate_and_time_left_on_a_terminal() -> None:
    console, shown = _terminal()
    with progress("hashing images", 3, "files", console=console) as bar:
        for _ in range(3):
            bar.advance()
    drawn = shown.getvalue()
    assert "hashing images" in drawn and "3/3" in drawn and "files/s" in drawn
    assert "0:00:00" in drawn  # elapsed and time left


def test_without_a_total_the_bar_counts_in_its_unit() -> None:
    console, shown = _terminal()
    with progress("loading un", None, "entries", console=console) as bar:
        bar.update(1_003)
    assert "1,003 entries" in shown.getvalue()


def test_nothing_is_drawn_where_stderr_is_no_terminal() -> None:
    shown = io.StringIO()
    console = Console(file=shown, force_terminal=False)
    with progress("screening", 10, console=console) as bar:
        bar.advance(10)
        bar.update(10, 10)
    assert shown.getvalue() == ""


def test_a_command_draws_its_bar_on_a_terminal(un: Wk, monkeypatch: pytest.MonkeyPatch) -> None:
    # Once without the bar: the compiled kernels are loaded, and numba's colour set-up (it
    # wraps stdout) is done before the bar redirects stdout to a buffer the runner closes.
    assert un("screen", str(SAMPLE), "--lists", "un", "--format", "csv").exit_code == 0
    console, shown = _terminal()
    monkeypatch.setattr(common, "err", console)
    result = un("screen", str(SAMPLE), "--lists", "un", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "screening sample_travellers.csv" in shown.getvalue()
    assert "10 rows" in shown.getvalue()


def test_in_a_pipe_stderr_holds_the_results_only(wk: Wk) -> None:
    loaded = wk("lists", "load", str(BUNDLED_UN), "--format", "un-xml", "--name", "un")
    assert loaded.exit_code == 0 and loaded.stderr == ""
    result = wk("screen", str(SAMPLE), "--lists", "un", "--format", "csv")
    assert result.exit_code == 0, result.output
    [summary] = result.stderr.splitlines()
    assert summary.startswith(f"{SAMPLE}: 10 rows screened, ")
