"""``watchkeeper batch screen`` end to end on the bundled UN list."""

import functools
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import Result

from tests.conftest import QUICK_JVM

Wk = functools.partial[Result]


def test_batch_screen_writes_hits_and_reports_bad_rows(un: Wk, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        "id,name,schema\nc1,Ayman al-Zawahiri,Person\nc2,Jane Roe,Person\nc3,X,Martian\n",
        encoding="utf-8",
    )
    target = tmp_path / "hits.parquet"
    result = un("batch", "screen", str(source), "--to", str(target), "--lists", "un",
                "--workers", "1", "--format", "json")  # fmt: skip
    assert result.exit_code == 65  # one bad row
    figures = json.loads(result.stdout)
    assert (figures["rows"], figures["screened"], figures["skipped"]) == (3, 2, 1)
    assert "row 3" in result.stderr
    table = pq.read_table(target)
    assert table["entity_id"].to_pylist()[0] == "un-QDi.006"


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (java is not on PATH)")
def test_batch_screen_on_spark(un: Wk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPARK_SUBMIT_OPTS", QUICK_JVM)  # the driver JVM's options
    source = tmp_path / "customers.csv"
    source.write_text(
        "id,name,schema\nc1,Jane Roe,Person\nc2,X,Martian\nc3,Ayman al-Zawahiri,Person\n",
        encoding="utf-8",
    )
    target = tmp_path / "hits.parquet"
    result = un("batch", "screen", str(source), "--to", str(target), "--lists", "un",
                "--engine", "spark", "--spark-master", "local[1]", "--format", "json")  # fmt: skip
    assert result.exit_code == 65, result.output  # one bad row
    figures = json.loads(result.stdout)
    assert figures["engine"] == "spark"
    assert (figures["rows"], figures["screened"], figures["skipped"]) == (3, 2, 1)
    assert "row 2" in result.stderr
    table = pq.read_table(target)
    assert set(table["row"].to_pylist()) == {3}
    assert table["entity_id"].to_pylist()[0] == "un-QDi.006"
