"""``watchkeeper match`` starts fast: with its index cached it loads neither followthemoney
(its model and types, about 0.5 s) nor numba (about 0.7 s with the compiled kernels)."""

import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import Result

MATCH = ("match", "Aiman al Zawahri", "--lists", "un")
CHECK = """
import sys
from watchkeeper.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    assert not exc.code, exc.code
print(sorted({name.split(".")[0] for name in sys.modules} & {"followthemoney", "numba"}))
"""


@pytest.mark.parametrize("output", ["table", "json"])
def test_match_loads_neither_followthemoney_nor_numba(
    wk: "functools.partial[Result]", tmp_path: Path, un_sqlite: Path, output: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(un_sqlite, data / "watchkeeper.db")
    # In this process: reads the listed entities (with followthemoney), caches the index.
    first = wk(*MATCH, "--format", output)
    assert first.exit_code == 0, first.output
    assert "un-QDi.006" in first.stdout
    done = subprocess.run(
        [sys.executable, "-c", CHECK, "--data-dir", str(data), *MATCH, "--format", output],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr
    *shown, loaded = done.stdout.splitlines()
    assert loaded == "[]"
    assert shown == first.stdout.splitlines()
