"""Batch screening at scale: a bank's customer file (CSV or Parquet, millions of rows) screened
against the lists, the hits written to Parquet.

DuckDB reads the input (either format, any size) and hands it over in Arrow record batches;
the screener is built once in this process and worker processes forked from it inherit it
(copy-on-write), so the index is never rebuilt or pickled; each worker screens whole batches.
Rows use the fields of ``watchkeeper screen`` (``matching.batch``): ``id, name, birth_date,
nationality, gender, id_number, schema``. A bad row is reported with its row number and
skipped; the rest is screened.
"""

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from watchkeeper import atomic
from watchkeeper.errors import SourceError, SourceIssue, UsageError
from watchkeeper.matching import hit_rows
from watchkeeper.matching.batch import FIELDS, RowProblem, to_subject
from watchkeeper.matching.groups import Linker
from watchkeeper.matching.hit_rows import flat_row, record_fields
from watchkeeper.matching.screener import Screener

CHUNK = 2_000  # rows per Arrow batch handed to a worker
HITS = pa.schema(
    [
        ("id", pa.string()),
        ("row", pa.int64()),
        ("query", pa.string()),
        ("person", pa.int64()),
        ("entity_id", pa.string()),
        ("list", pa.string()),
        ("reference", pa.string()),
        ("name", pa.string()),
        ("schema", pa.string()),
        ("score", pa.float64()),
        ("alert", pa.bool_()),
        ("reason", pa.string()),
        ("explanation", pa.string()),
    ]
)
"""The hit schema of every screening output (``matching.hit_rows``)."""
assert tuple(HITS.names) == hit_rows.FIELDS, "the Parquet columns are the shared hit fields"
_SCREENER: Screener | None = None  # set in the parent before forking; workers inherit it
_LINKER: Linker | None = None  # likewise: which listings are one person


@dataclass
class BatchSummary:
    """What a batch run did."""

    rows: int = 0
    screened: int = 0
    hits: int = 0
    subjects_with_hits: int = 0
    issues: list[SourceIssue] = field(default_factory=list)


def batch_screen(
    screener: Screener,
    source: Path,
    target: Path,
    workers: int | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    linker: Linker | None = None,
) -> BatchSummary:
    """Screen every row of ``source`` (.csv, .csv.gz or .parquet) and write the hits (at or
    above the screener's threshold) to ``target`` as Parquet; the file is written whole or
    not at all. ``progress`` is told the rows read so far after each batch; ``linker``
    numbers each row's hits by person (without it, each hit is a person of its own)."""
    global _SCREENER, _LINKER
    _SCREENER, _LINKER = screener, linker
    screener.prepare_all()  # once here, shared by every worker
    reader = _reader(source, chunk)
    summary = BatchSummary()
    context = multiprocessing.get_context("fork")
    count = workers or os.cpu_count() or 1
    # The screener's objects live as long as the workers: kept out of the garbage
    # collector's passes, which would also copy every page they touch into each worker.
    gc.freeze()
    try:
        with (
            atomic.replacing(target) as partial,
            context.Pool(count) as pool,
            pq.ParquetWriter(partial, HITS) as writer,
        ):
            for rows, hits, issues in pool.imap(_screen_chunk, _chunks(source, reader)):
                summary.rows += rows
                summary.screened += rows - len(issues)
                summary.issues += issues
                summary.hits += len(hits)
                summary.subjects_with_hits += len({h["row"] for h in hits})
                if hits:
                    writer.write_table(pa.Table.from_pylist(hits, schema=HITS))
                if progress is not None:
                    progress(summary.rows)
    finally:
        gc.unfreeze()
    return summary


def _reader(source: Path, chunk: int) -> Any:
    """DuckDB's Arrow reader over the input, its columns checked."""
    if input_format(str(source)) == "parquet":
        query = "SELECT * FROM read_parquet(?)"
    else:
        query = "SELECT * FROM read_csv(?, all_varchar = true, header = true)"
    try:
        reader = duckdb.connect().execute(query, [str(source)]).to_arrow_reader(chunk)
    except duckdb.Error as exc:
        raise SourceError.at(str(source), "file", f"cannot be read: {exc}") from exc
    check_columns(str(source), reader.schema.names)
    return reader


def input_format(source: str) -> str:
    """The input's format, "parquet" or "csv", from its name (every engine reads the same)."""
    name = source.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    raise UsageError(f"{source}: batch input must be .csv, .csv.gz or .parquet")


def check_columns(source: str, names: list[str]) -> None:
    """Raise unless the input's columns are fields of ``matching.batch`` including name (every
    engine checks the same way)."""
    columns = set(names)
    unknown = sorted(columns - set(FIELDS))
    if unknown or "name" not in columns:
        problem = f"columns must be among {', '.join(FIELDS)} and include name"
        raise SourceError.at(source, "header", f"{problem}; found {', '.join(unknown)}")


def _chunks(source: Path, reader: Any) -> Iterator[tuple[str, int, list[dict[str, Any]]]]:
    """(path, first row number, rows) for each Arrow batch."""
    first = 1
    for batch in reader:
        rows = batch.to_pylist()
        yield str(source), first, rows
        first += len(rows)


def _screen_chunk(
    work: tuple[str, int, list[dict[str, Any]]],
) -> tuple[int, list[dict[str, Any]], list[SourceIssue]]:
    """In a worker: screen one batch of rows with the inherited screener."""
    assert _SCREENER is not None, "batch_screen sets the screener before forking"
    path, first, rows = work
    return screen_rows(_SCREENER, path, first, rows, _LINKER)


def screen_rows(
    screener: Screener,
    path: str,
    first: int,
    rows: list[dict[str, Any]],
    linker: Linker | None = None,
) -> tuple[int, list[dict[str, Any]], list[SourceIssue]]:
    """Screen rows numbered from ``first``: (row count, hit rows in the HITS schema, bad
    rows). Every engine (forked workers here, Spark executors) goes through this."""
    hits: list[dict[str, Any]] = []
    issues: list[SourceIssue] = []
    for number, row in enumerate(rows, start=first):
        data = {k: v for k, v in row.items() if v not in (None, "")}
        try:
            subject = to_subject(data)
        except RowProblem as exc:
            issues.append(SourceIssue(path, f"row {number}", str(exc)))
            continue
        found = screener.screen(subject)
        record = record_fields(str(data.get("id") or f"row-{number}"), number, subject.names[0])
        groups = [g.hits for g in linker.group(found)] if linker else [(h,) for h in found]
        for person, group in enumerate(groups, 1):
            hits.extend(flat_row(record, hit, person) for hit in group)
    return len(rows), hits, issues
