"""Batch screening on Apache Spark: the job of ``batch.batch_screen`` for customer files that
outgrow one machine, with the same inputs, row numbers, bad-row reports and hits.

The screener is built once on the driver, pickled, and broadcast: every executor's Python
worker unpickles it once and keeps it in a module global for the partitions it runs later.
Spark reads the input on the executors (a path every node sees), numbers the rows as they
stand in the file, spreads them over ``partitions`` contiguous ranges and hands them to
``screen_rows`` in Arrow batches through ``DataFrame.mapInArrow``. Hits are leads for people
to review and few, so they are collected on the driver and written there as one Parquet file,
whole or not at all, like the in-process engine does.
"""

import os
import pickle
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyspark import Broadcast
from pyspark.errors import PySparkException
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

from watchkeeper import atomic
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.finance.batch import (
    HITS,
    BatchSummary,
    check_columns,
    input_format,
    screen_rows,
)
from watchkeeper.matching.screener import Screener

LOCAL = "local[2]"
# Ranges screened as separate tasks: at least 4 per core and at most ~2,500 rows each (a few
# seconds of screening), so the last tasks do not leave cores idle for long.
PARTITIONS_PER_CORE = 4
ROWS_PER_PARTITION = 2_500
LOG_LEVEL = "FATAL"  # failures reach the caller as exceptions; Spark's own log only repeats them
# What the executors send back: hits, and bad rows as rows of their own (hit columns null).
OUT = pa.schema([*HITS, ("position", pa.string()), ("problem", pa.string())])
ROW = "_row"  # the row number column added to the input (input columns are FIELDS, no clash)
_PARTITION_BITS = 33  # monotonically_increasing_id: partition index above, position below
_CAUSE = re.compile(r"Caused by: \S+: (.+)")


@dataclass
class _Cached:
    """The screener this Python worker unpickled, and the broadcast it came from."""

    payload: "Broadcast[bytes]"
    screener: Screener


_WORKER: _Cached | None = None  # one per executor Python worker, reused across partitions


def start_session(master: str | None = LOCAL, conf: dict[str, str] | None = None) -> SparkSession:
    """A quiet Spark session for batch screening on ``master`` (None: the one spark-submit or
    spark-defaults.conf names, else local[*]). Python workers run this interpreter unless
    ``PYSPARK_PYTHON`` says otherwise: right locally and with one container image everywhere;
    a packed environment sets it (docs/batch_spark.md)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("watchkeeper batch screen")
    if master is not None:
        builder = builder.master(master)
    builder = builder.config("spark.ui.enabled", "false").config(
        "spark.ui.showConsoleProgress", "false"
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(LOG_LEVEL)
    return session


def spark_screen(
    screener: Screener,
    source: Path | str,
    target: Path,
    master: str | None = LOCAL,
    partitions: int | None = None,
    spark: SparkSession | None = None,
) -> BatchSummary:
    """Screen every row of ``source`` (.csv, .csv.gz or .parquet; a path or a URL Spark reads,
    such as hdfs:// or s3a://) on Spark and write the hits to ``target`` as Parquet, whole or
    not at all. ``partitions`` is how many ranges of rows are screened as separate tasks
    (default: 4 per core, more when ranges would pass 2,500 rows). A running session
    (``spark``, else the active one) is used and left running; otherwise one is started on
    ``master`` (see ``start_session``) and stopped at the end."""
    session = spark or SparkSession.getActiveSession()
    owned = session is None
    session = session or start_session(master)
    try:
        return _screen(session, screener, str(source), target, partitions)
    finally:
        if owned:
            session.stop()


def _screen(
    session: SparkSession,
    screener: Screener,
    source: str,
    target: Path,
    partitions: int | None,
) -> BatchSummary:
    frame = _read(session, source)
    numbered, rows = _numbered(frame, source)
    summary = BatchSummary(rows=rows)
    hits = HITS.empty_table()
    if rows:
        context = session.sparkContext
        count = partitions or max(
            context.defaultParallelism * PARTITIONS_PER_CORE, -(-rows // ROWS_PER_PARTITION)
        )
        payload = context.broadcast(pickle.dumps(screener, pickle.HIGHEST_PROTOCOL))
        try:
            spread = numbered.repartitionByRange(min(count, rows), ROW).sortWithinPartitions(ROW)
            work = partial(_screen_partition, payload, source)
            found = spread.mapInArrow(work, from_arrow_schema(OUT)).toArrow()
        finally:
            payload.unpersist()
        bad = pc.is_valid(found["problem"])
        hits = found.filter(pc.invert(bad)).select(HITS.names).cast(HITS).sort_by("row")
        issues = found.filter(bad)
        summary.issues = [
            SourceIssue(source, position, problem)
            for position, problem in zip(
                issues["position"].to_pylist(), issues["problem"].to_pylist(), strict=True
            )
        ]
        summary.screened = rows - len(summary.issues)
        summary.hits = len(hits)
        summary.subjects_with_hits = len(pc.unique(hits["row"]))
    with atomic.replacing(target) as partial_file:  # whole or not at all
        pq.write_table(hits, partial_file)
    return summary


def _read(session: SparkSession, source: str) -> DataFrame:
    """The input as Spark reads it, its columns checked as the in-process engine checks them.
    CSV: a header line, every value a string, RFC 4180 quoting, one record per line; a line
    that does not fit the header fails the file (FAILFAST), as it fails DuckDB's reader."""
    reader = session.read
    try:
        if input_format(source) == "parquet":
            frame = reader.parquet(source)
        else:
            frame = reader.csv(source, header=True, inferSchema=False, escape='"', mode="FAILFAST")
    except PySparkException as exc:
        raise SourceError.at(source, "file", f"cannot be read: {_reason(exc)}") from exc
    check_columns(source, frame.columns)
    return frame


def _numbered(frame: DataFrame, source: str) -> tuple[DataFrame, int]:
    """The input with each row's number in the file (1-based, as DuckDB numbers them), and the
    row count. Spark reads a file's splits as partitions in file order, so a row's number is
    the rows of the partitions before its own plus its place in it: one counting pass over the
    file gives those offsets. The pass reads every column, so a malformed file fails here."""
    tagged = frame.withColumn("_id", F.monotonically_increasing_id())
    part = F.shiftright("_id", _PARTITION_BITS)
    parsed = F.max(F.hash(*frame.columns))  # needs every column: Spark parses whole lines
    counting = tagged.groupBy(part.alias("part")).agg(F.count("*").alias("n"), parsed)
    try:
        counts = counting.collect()
    except Exception as exc:  # the JVM's failure arrives as py4j's untyped Py4JJavaError
        raise SourceError.at(source, "file", f"cannot be read: {_reason(exc)}") from exc
    offsets: list[Column] = []
    total = 0
    for count in sorted(counts, key=lambda c: int(c["part"])):
        offsets += [F.lit(int(count["part"])).cast("long"), F.lit(total).cast("long")]
        total += int(count["n"])
    if not total:
        return frame, 0
    position = F.col("_id").bitwiseAND((1 << _PARTITION_BITS) - 1)
    row = F.create_map(*offsets)[part] + position + 1
    return tagged.withColumn(ROW, row.cast("long")).drop("_id"), total


def _reason(exc: Exception) -> str:
    """The innermost cause of a Spark failure, in one line (not the JVM's stack trace)."""
    text = str(exc)
    causes = _CAUSE.findall(text)
    return causes[-1].strip() if causes else text.strip().splitlines()[0]


def _screen_partition(
    payload: "Broadcast[bytes]", source: str, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """On an executor: screen one partition's Arrow batches of consecutively numbered rows."""
    screener = _screener(payload)
    for batch in batches:
        if not len(batch):
            continue
        numbers = batch.column(ROW)
        first = numbers[0].as_py()
        assert numbers[-1].as_py() - first == len(batch) - 1, "a batch holds consecutive rows"
        rows = batch.drop_columns([ROW]).to_pylist()
        _, hits, issues = screen_rows(screener, source, first, rows)
        bad = [{"position": i.position, "problem": i.problem} for i in issues]
        yield pa.RecordBatch.from_pylist(hits + bad, schema=OUT)


def _screener(payload: "Broadcast[bytes]") -> Screener:
    """The broadcast screener, unpickled once per Python worker. Listed subjects are prepared
    as the rows need them (``prepare_all`` pays off only when forked workers share it)."""
    global _WORKER
    if _WORKER is None or _WORKER.payload is not payload:
        _WORKER = _Cached(payload, pickle.loads(payload.value))
    return _WORKER.screener
