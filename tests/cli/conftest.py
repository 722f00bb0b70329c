"""Command-line tests: ``wk(*args)`` runs ``watchkeeper`` with a private data folder."""

import functools
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from watchkeeper.cli import app

runner = CliRunner()


@pytest.fixture
def wk(tmp_path: Path) -> "functools.partial[Result]":
    """Run ``watchkeeper`` with a private data folder."""

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])

    return functools.partial(invoke)
