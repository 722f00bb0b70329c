"""The Spark engine gives the same hits, row numbers and bad-row reports as the in-process
DuckDB engine on the same input (issue 6), in Spark ``local[2]`` mode.

One Spark session serves the module (it takes seconds to start). It splits files into
partitions of a few hundred bytes and Arrow batches of three rows, so row numbering across
partitions and batches is exercised on a small file.
"""

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from tests.conftest import QUICK_JVM
from watchkeeper.errors import SourceError, UsageError
from watchkeeper.lanes.finance.batch import BatchSummary, batch_screen
from watchkeeper.lanes.finance.spark import spark_screen, start_session
from watchkeeper.matching.screener import Screener

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        shutil.which("java") is None, reason="Spark needs Java (java is not on PATH)"
    ),
]

ORDINARY = [
    "Margaret Holloway", "Holloway, Margaret", 'Bob "the" Builder', "Jean-Pierre Dubois",
    "Maria Garcia Lopez", "Chen Wei", "Olusegun Adeyemi", "Anna Kowalska", "Lars Eriksson",
    "Priya Raman", "Tomasz Nowak", "Fatima Zahra Benali", "John Smith", "Ines Ferreira",
    "Kenji Watanabe", "Sofia Rossi", "Acme Trading Ltd", "Nordic Timber AB", "Emily Clarke",
]  # fmt: skip
LISTED = {  # row id -> (name, birth date, schema); the UN entity each is
    "c03": ("Abu Mohamed al-Adnani", "1977", "Person"),  # un-QDi.325
    "c09": ("أيمن الظواهري", "", "Person"),  # un-QDi.006
    "c14": ("Kang Chol Su", "1969-02-13", "Person"),  # un-KPi.059
    "c20": ("Hamdullah Nomani", "1968", "Person"),  # un-TAi.044
    "c25": ("Mullah Krekar", "1956-07-07", "Person"),  # un-QDi.226
}
BAD = {"c17": ("Nobody", "", "Martian")}  # row 17: not a schema the matcher screens


def _rows() -> list[dict[str, str]]:
    """25 customers: ordinary ones, with the listed and the bad one at their row numbers."""
    ordinary = iter(ORDINARY)
    rows = []
    for number in range(1, 26):
        key = f"c{number:02d}"
        if key in LISTED | BAD:
            name, born, schema = (LISTED | BAD)[key]
        else:
            name = next(ordinary)
            company = name.endswith(("Ltd", " AB"))
            born, schema = ("", "Company") if company else ("1980-01-01", "Person")
        rows.append({"id": key, "name": name, "birth_date": born, "schema": schema})
    return rows


ROWS = _rows()


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = start_session(
        "local[2]",
        {
            "spark.sql.files.maxPartitionBytes": "300",
            "spark.sql.execution.arrow.maxRecordsPerBatch": "3",
            "spark.driver.extraJavaOptions": QUICK_JVM,
        },
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("customers")
    with (folder / "customers.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["id", "name", "birth_date", "schema"])
        writer.writeheader()
        writer.writerows(ROWS)
    pq.write_table(pa.Table.from_pylist(ROWS), folder / "customers.parquet", row_group_size=4)
    return {"csv": folder / "customers.csv", "parquet": folder / "customers.parquet"}


Run = tuple[BatchSummary, pa.Table]


def _both(
    un_screener: Screener, spark: SparkSession, source: Path, folder: Path
) -> tuple[Run, Run]:
    """(DuckDB run, Spark run) of one input: each summary and hit table sorted."""
    keys = [("row", "ascending"), ("entity_id", "ascending")]
    duck = batch_screen(un_screener, source, folder / "duckdb.parquet", workers=2, chunk=4)
    sparked = spark_screen(un_screener, source, folder / "spark.parquet", spark=spark)
    assert not (folder / "spark.parquet.partial").exists()
    return (
        (duck, pq.read_table(folder / "duckdb.parquet").sort_by(keys)),
        (sparked, pq.read_table(folder / "spark.parquet").sort_by(keys)),
    )


@pytest.fixture(scope="module")
def csv_runs(
    un_screener: Screener,
    spark: SparkSession,
    files: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Run, Run]:
    return _both(un_screener, spark, files["csv"], tmp_path_factory.mktemp("csv"))


def test_spark_gives_the_hits_of_duckdb(csv_runs: tuple[Run, Run]) -> None:
    (duck, duck_hits), (sparked, spark_hits) = csv_runs
    assert spark_hits.schema == duck_hits.schema
    assert spark_hits.to_pylist() == duck_hits.to_pylist()
    found = set(zip(spark_hits["id"].to_pylist(), spark_hits["entity_id"].to_pylist(), strict=True))
    assert {
        ("c03", "un-QDi.325"),
        ("c09", "un-QDi.006"),
        ("c14", "un-KPi.059"),
        ("c20", "un-TAi.044"),
        ("c25", "un-QDi.226"),
    } <= found
    assert set(spark_hits["row"].to_pylist()) == {3, 9, 14, 20, 25}
    assert (sparked.rows, sparked.screened, sparked.hits, sparked.subjects_with_hits) == (
        duck.rows,
        duck.screened,
        duck.hits,
        duck.subjects_with_hits,
    )


def test_bad_rows_reported_with_their_number(csv_runs: tuple[Run, Run]) -> None:
    (duck, _), (sparked, _) = csv_runs
    assert (sparked.rows, sparked.screened) == (25, 24)
    [issue] = sparked.issues
    assert issue.position == "row 17" and "Martian" in issue.problem
    assert sparked.issues == duck.issues


def test_parquet_in(
    un_screener: Screener,
    spark: SparkSession,
    files: dict[str, Path],
    csv_runs: tuple[Run, Run],
    tmp_path: Path,
) -> None:
    (duck, duck_hits), (sparked, spark_hits) = _both(un_screener, spark, files["parquet"], tmp_path)
    assert sparked.issues == duck.issues
    assert spark_hits.to_pylist() == duck_hits.to_pylist()
    assert spark_hits.to_pylist() == csv_runs[1][1].to_pylist()  # the same as from the CSV


def test_bad_files(un_screener: Screener, spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,fullname\n1,x\n", encoding="utf-8")
    with pytest.raises(SourceError, match="include name"):
        spark_screen(un_screener, wrong, target, spark=spark)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,name\n1,Jane Roe\n2,John Roe,extra\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"ragged\.csv: file: cannot be read: .*John Roe"):
        spark_screen(un_screener, ragged, target, spark=spark)
    with pytest.raises(SourceError, match=r"missing\.csv: file: cannot be read: .*PATH_NOT_FOUND"):
        spark_screen(un_screener, tmp_path / "missing.csv", target, spark=spark)
    with pytest.raises(UsageError):
        spark_screen(un_screener, tmp_path / "x.xlsx", target, spark=spark)
    assert not target.exists() and not (tmp_path / "out.parquet.partial").exists()
