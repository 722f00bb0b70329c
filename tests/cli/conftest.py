"""Command-line tests: ``wk(*args)`` runs ``watchkeeper`` with a private data folder."""

import functools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import BUNDLED_UN, FIXTURES
from watchkeeper.cli import app

runner = CliRunner()


@pytest.fixture
def wk(tmp_path: Path) -> "functools.partial[Result]":
    """Run ``watchkeeper`` with a private data folder."""

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])

    return functools.partial(invoke)


def json_matches(result: Result) -> list[dict[str, object]]:
    """The ``matches`` of ``match --format json``, once the command has succeeded."""
    assert result.exit_code == 0, result.output
    matches: list[dict[str, object]] = json.loads(result.stdout)["matches"]
    return matches


def with_ftm_and_un(wk: "functools.partial[Result]", fixture: str, name: str) -> None:
    """Load ``tests/fixtures/ftm/<fixture>`` as list ``name`` and the bundled UN list as 'un'."""
    path = FIXTURES / "ftm" / fixture
    assert wk("lists", "load", str(path), "--format", "ftm", "--name", name).exit_code == 0
    assert wk("lists", "load", str(BUNDLED_UN), "--format", "un-xml", "--name", "un").exit_code == 0
