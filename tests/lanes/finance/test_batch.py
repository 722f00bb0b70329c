"""Batch screening: CSV and Parquet in, Parquet of hits out, bad rows reported, all cores."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from watchkeeper.errors import SourceError, UsageError
from watchkeeper.lanes.finance.batch import batch_screen
from watchkeeper.matching.screener import Screener

ROWS = [
    {"id": "c1", "name": "Abu Mohamed al-Adnani", "birth_date": "1977", "schema": "Person"},
    {"id": "c2", "name": "Margaret Holloway", "birth_date": "1981-03-12", "schema": "Person"},
    {"id": "c3", "name": "أيمن الظواهري", "birth_date": "", "schema": "Person"},
    {"id": "c4", "name": "Acme Trading Ltd", "birth_date": "", "schema": "Company"},
    {"id": "c5", "name": "Nobody", "birth_date": "", "schema": "Martian"},
]


def _hits(path: Path) -> list[tuple[str, str]]:
    table = pq.read_table(path)
    return sorted(zip(table["id"].to_pylist(), table["entity_id"].to_pylist(), strict=True))


def test_csv_in_parquet_out(un_screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    lines = ["id,name,birth_date,schema"]
    lines += [f"{r['id']},{r['name']},{r['birth_date']},{r['schema']}" for r in ROWS]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "hits.parquet"
    summary = batch_screen(un_screener, source, target, workers=2, chunk=2)
    assert _hits(target) == [("c1", "un-QDi.325"), ("c3", "un-QDi.006")]
    assert (summary.rows, summary.screened, summary.subjects_with_hits) == (5, 4, 2)
    [issue] = summary.issues
    assert issue.position == "row 5" and "Martian" in issue.problem
    assert not (tmp_path / "hits.parquet.partial").exists()


def test_parquet_in(un_screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "customers.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS[:2]), source)
    target = tmp_path / "hits.parquet"
    batch_screen(un_screener, source, target, workers=1)
    assert _hits(target) == [("c1", "un-QDi.325")]


def test_bad_files(un_screener: Screener, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,fullname\n1,x\n", encoding="utf-8")
    with pytest.raises(SourceError, match="include name"):
        batch_screen(un_screener, wrong, tmp_path / "out.parquet", workers=1)
    assert not (tmp_path / "out.parquet").exists()
    assert not (tmp_path / "out.parquet.partial").exists()
    with pytest.raises(UsageError):
        batch_screen(un_screener, tmp_path / "x.xlsx", tmp_path / "out.parquet", workers=1)
