"""``watchkeeper batch screen``: a whole customer file screened on every core."""

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyarrow.parquet as pq
import typer

from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    audit_cli,
    emit_json,
    engine_of,
    err,
    errors,
    out,
    settings_of,
)
from watchkeeper.cli.progress import progress
from watchkeeper.cli.screening import ListsOpt, PresetOpt, ThresholdOpt, list_names, listed_screener
from watchkeeper.lanes.finance.batch import batch_screen
from watchkeeper.matching.groups import Linker
from watchkeeper.matching.screener import threshold_of

batch_app = typer.Typer(no_args_is_help=True, help="Screen large files on every core.")


class Engine(StrEnum):
    """Where the rows are screened: in this process (DuckDB) or on Apache Spark."""

    duckdb = "duckdb"
    spark = "spark"


@batch_app.command("screen")
def screen(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="CSV or Parquet: id, name, birth_date, nationality, gender, id_number, schema"
            " (with --engine spark also a URL Spark reads: hdfs://, s3a://)"
        ),
    ],
    to: Annotated[Path, typer.Option("--to", help="Parquet file of hits to write")],
    lists: ListsOpt = "un",
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes with --engine duckdb (default: one per core)")
    ] = None,
    engine_name: Annotated[
        Engine, typer.Option("--engine", help="duckdb: in this process; spark: on Spark")
    ] = Engine.duckdb,
    spark_master: Annotated[
        str | None,
        typer.Option(
            help="Spark master: local[N], spark://HOST:PORT, yarn, k8s://URL (default: what"
            " spark-submit or spark-defaults.conf says, else local[*])"
        ),
    ] = None,
    output: FormatOpt = Fmt.table,
) -> None:
    """Screen every row of SOURCE against the lists and write the hits to a Parquet file.
    Bad rows are reported with their row number and skipped (exit code 65 then).
    --engine spark runs the same job on Apache Spark (docs/batch_spark.md)."""
    started = time.perf_counter()
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        names = list_names(lists)
        screener = listed_screener(settings_of(ctx), names, threshold_of(threshold, preset))
        if engine_name is Engine.spark:
            from watchkeeper.lanes.finance.spark import spark_screen  # needs pyspark and Java

            summary = spark_screen(screener, source, to, spark_master)
        else:
            with progress(f"screening {Path(source).name}", rows_in(Path(source))) as bar:
                linker = Linker.from_store(engine, names)
                summary = batch_screen(
                    screener, Path(source), to, workers, progress=bar.update, linker=linker
                )
        audit_cli(engine, "match", ("dataset", lists), {"file": source, "rows": summary.rows})
    seconds = time.perf_counter() - started
    for issue in summary.issues[:20]:
        err.print(f"[yellow]skipped:[/] {issue}", highlight=False, soft_wrap=True)
    figures = {
        "engine": engine_name.value,
        "rows": summary.rows,
        "screened": summary.screened,
        "skipped": len(summary.issues),
        "hits": summary.hits,
        "rows_with_hits": summary.subjects_with_hits,
        "seconds": round(seconds, 1),
        "hits_file": str(to),
    }
    if output is Fmt.json:
        emit_json(figures)
    else:
        out.print(
            f"{summary.screened:,} of {summary.rows:,} rows screened in {seconds:,.1f} s: "
            f"{summary.hits:,} hits for {summary.subjects_with_hits:,} rows, written to {to}"
            + (f"; {len(summary.issues)} bad rows skipped" if summary.issues else "")
        )
    if summary.issues:
        raise typer.Exit(65)


def rows_in(source: Path) -> int | None:
    """The rows of a Parquet file (from its footer) or of a plain CSV file (its lines, less
    the header: an estimate when quoted fields hold line breaks), for the bar's time left;
    None when only reading it all would tell (compressed, or unreadable: the screening says
    why)."""
    try:
        if source.name.lower().endswith(".parquet"):
            rows: int = pq.ParquetFile(source).metadata.num_rows
            return rows
        if source.name.lower().endswith(".csv"):
            with source.open("rb") as fh:
                lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
            return max(lines - 1, 0)
    except (OSError, ValueError):
        return None
    return None
