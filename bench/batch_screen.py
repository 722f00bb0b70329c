"""Benchmark: batch screening of a synthetic customer file against UN + OFAC, every core,
with both engines on the same file.

Customers are drawn as in false_alerts.py (real Arabic-origin name tokens, random birth dates
and nationalities), written to CSV, and screened by ``lanes.finance.batch.batch_screen``
(DuckDB reads, forked workers screen, Parquet out) and by ``lanes.finance.spark.spark_screen``
(Spark ``local[2]``: the screener broadcast, rows through ``mapInArrow``). Each engine's wall
time covers building the screener from the store, and for Spark starting the session too; the
two hit files are compared. Goal (issue 6): 1,000,000 customers in under 5 minutes on this
2-core machine.

    python bench/batch_screen.py [--customers N] [--workers W] [--engine duckdb|spark|both]
"""

import argparse
import csv
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import Engine

from false_alerts import OFAC, travellers
from paths import RESULTS, UN_LIST
from watchkeeper.lanes.finance.batch import BatchSummary, batch_screen
from watchkeeper.matching.screener import Screener
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine

LISTS = ["un", "ofac"]
LABELS = {
    "duckdb": "DuckDB + forked workers, 2 cores",
    "spark": "Spark local[2], mapInArrow",
}


def write_customers(path: Path, count: int) -> None:
    """``count`` synthetic customers as CSV in the fields of ``watchkeeper screen``."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "name", "birth_date", "nationality", "schema"])
        for number, person in enumerate(travellers(count, seed=21)):
            out.writerow(
                [
                    f"c{number}",
                    person.names[0],
                    person.birth_dates[0],
                    person.countries[0],
                    "Person",
                ]
            )


def run_engine(
    name: str, store: Engine, source: Path, target: Path, workers: int | None
) -> dict[str, Any]:
    """One engine end to end on ``source``: its figures."""
    start = time.perf_counter()
    screener = Screener.from_store(store, LISTS)
    built = time.perf_counter() - start
    summary: BatchSummary
    if name == "spark":
        from watchkeeper.lanes.finance.spark import spark_screen, start_session

        session = start_session("local[2]")
        started = time.perf_counter() - start - built
        try:
            summary = spark_screen(screener, source, target, spark=session)
        finally:
            session.stop()
        extra = {
            "master": "local[2]",
            "session_start_seconds": round(started, 1),
            "broadcast_mb": round(len(pickle.dumps(screener, pickle.HIGHEST_PROTOCOL)) / 1e6, 1),
        }
    else:
        summary = batch_screen(screener, source, target, workers)
        extra = {"workers": workers or "one per core"}
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 1),
        "index_build_seconds": round(built, 1),
        "rows_per_second": round(summary.rows / seconds),
        "hits": summary.hits,
        "customers_with_hits": summary.subjects_with_hits,
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),  # others share the CPU
        **extra,
    }


def same_hits(first: Path, second: Path) -> bool:
    """Whether two hit files hold the same hits, in any order."""
    keys = [("row", "ascending"), ("entity_id", "ascending")]
    return bool(pq.read_table(first).sort_by(keys).equals(pq.read_table(second).sort_by(keys)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--engine", choices=["duckdb", "spark", "both"], default="both")
    args = parser.parse_args()
    names = ["duckdb", "spark"] if args.engine == "both" else [args.engine]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_engine(f"sqlite:///{folder / 'wk.db'}")
        load_source(store, get_source("un-xml", UN_LIST), "un", origin=str(UN_LIST), raw_dir=None)
        load_source(store, get_source("ofac-csv", OFAC), "ofac", origin=str(OFAC), raw_dir=None)
        source = folder / "customers.csv"
        write_customers(source, args.customers)
        engines = {
            name: run_engine(name, store, source, folder / f"{name}.parquet", args.workers)
            for name in names
        }
        agree = same_hits(*(folder / f"{n}.parquet" for n in names)) if len(names) == 2 else None
    result = {
        "benchmark": "batch_screen",
        "customers": args.customers,
        "lists": ["un", "ofac-sdn-2021-07"],
        "engines": engines,
        "same_hits": agree,
        "goal": "1,000,000 in under 300 s",
        "load_average_before_after": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "batch_screen.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "| engine | customers | lists | wall time (index build included) | rows/s | hits | goal |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for name, figures in engines.items():
        lines.append(
            f"| {LABELS[name]} | {args.customers:,} | UN + OFAC SDN (2021) | "
            f"{figures['seconds']:,.0f} s | {figures['rows_per_second']:,} | "
            f"{figures['hits']:,} | 1,000,000 in < 300 s |"
        )
    if agree is not None:
        lines.append(f"\nBoth engines wrote the same hits: {'yes' if agree else 'NO'}.")
    (RESULTS / "batch_screen.md").write_text("\n".join(lines) + "\n")
    print((RESULTS / "batch_screen.md").read_text(), file=sys.stderr)


if __name__ == "__main__":
    main()
