"""Benchmark: batch screening of a synthetic customer file against UN + OFAC, every core.

Customers are drawn as in false_alerts.py (real Arabic-origin name tokens, random birth dates
and nationalities), written to CSV, and screened by ``lanes.finance.batch.batch_screen``
(DuckDB reads, forked workers screen, Parquet out). Goal (issue 6): 1,000,000 customers in
under 5 minutes on this 2-core machine.

    python bench/batch_screen.py [--customers N] [--workers W]
"""

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

from false_alerts import OFAC, travellers
from paths import RESULTS, UN_LIST
from watchkeeper.lanes.finance.batch import batch_screen
from watchkeeper.matching.screener import Screener
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = open_engine(f"sqlite:///{folder / 'wk.db'}")
        load_source(engine, get_source("un-xml", UN_LIST), "un", origin=str(UN_LIST), raw_dir=None)
        load_source(engine, get_source("ofac-csv", OFAC), "ofac", origin=str(OFAC), raw_dir=None)
        source = folder / "customers.csv"
        write_customers(source, args.customers)
        start = time.perf_counter()
        screener = Screener.from_store(engine, ["un", "ofac"])
        summary = batch_screen(screener, source, folder / "hits.parquet", args.workers)
        seconds = time.perf_counter() - start
    result = {
        "benchmark": "batch_screen",
        "engine": "duckdb",
        "customers": args.customers,
        "lists": ["un", "ofac-sdn-2021-07"],
        "workers": args.workers or "one per core",
        "seconds": round(seconds, 1),
        "rows_per_second": round(args.customers / seconds),
        "hits": summary.hits,
        "customers_with_hits": summary.subjects_with_hits,
        "goal": "1,000,000 in under 300 s",
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "batch_screen.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "batch_screen.md").write_text(
        "| engine | customers | lists | wall time (index build included) | rows/s | hits | goal |\n"
        "| --- | ---: | --- | ---: | ---: | ---: | --- |\n"
        f"| DuckDB + forked workers, 2 cores | {args.customers:,} | UN + OFAC SDN (2021) | "
        f"{seconds:,.0f} s | {result['rows_per_second']:,} | {summary.hits:,} | "
        "1,000,000 in < 300 s |\n"
    )
    print((RESULTS / "batch_screen.md").read_text(), file=sys.stderr)


if __name__ == "__main__":
    main()
