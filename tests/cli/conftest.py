"""Command-line tests: ``wk(*args)`` runs ``watchkeeper`` with a private data folder; ``un``
is ``wk`` over a store that already holds the bundled UN list."""

import functools
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import FIXTURES
from watchkeeper.cli import app

runner = CliRunner()
Wk = functools.partial[Result]


@pytest.fixture
def wk(tmp_path: Path) -> "functools.partial[Result]":
    """Run ``watchkeeper`` with a private data folder."""

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])

    return functools.partial(invoke)


@pytest.fixture
def un(wk: Wk, tmp_path: Path, un_sqlite: Path) -> Wk:
    """``wk`` over a store holding the bundled UN list as list 'un': a copy of the store built
    once a run (``un_sqlite``), where ``lists load`` would take a second or two per test.
    ``lists load`` itself is tested in test_lists.py."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(un_sqlite, data / "watchkeeper.db")
    return wk


def json_matches(result: Result) -> list[dict[str, object]]:
    """The ``matches`` of ``match --format json``, once the command has succeeded."""
    assert result.exit_code == 0, result.output
    matches: list[dict[str, object]] = json.loads(result.stdout)["matches"]
    return matches


def with_ftm(un: Wk, fixture: str, name: str) -> None:
    """Load ``tests/fixtures/ftm/<fixture>`` as list ``name`` beside the bundled UN list."""
    path = FIXTURES / "ftm" / fixture
    assert un("lists", "load", str(path), "--format", "ftm", "--name", name).exit_code == 0
