"""Benchmark: re-screening stored customers after a list update, against the added and
changed entries only versus the whole new version (issue 6). Two updates:

- OFAC SDN 2019-01 -> 2021-07: two and a half years, about a third of the list new or changed;
- a UN update of the size the Council publishes in a month: the bundled list without its ten
  most recently listed individuals, then the bundled list.

Customers are synthetic (false_alerts.py: real Arabic-origin name tokens, random birth dates
and nationalities) plus one customer per 200 named as an entry the update added, so both runs
have real hits to find. Both runs raise alerts; alerts are deleted between runs so each
starts from the same state. Medians of ``--runs`` runs.

    python bench/rescreen.py [--customers N] [--runs R]
"""

import argparse
import gzip
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import Engine, delete

from false_alerts import travellers
from paths import RESULTS, SHARED, UN_LIST
from watchkeeper.lanes.finance.rescreen import CUSTOMER, remember, rescreen
from watchkeeper.matching.stored import stored_subjects
from watchkeeper.matching.subject import Subject
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine
from watchkeeper.store.diff import changed_records
from watchkeeper.store.schema import alerts, subjects

OFAC_OLD = SHARED / "sanctions" / "ofac_sdn_2019-01"
OFAC_NEW = SHARED / "sanctions" / "ofac_sdn_2021-07"
RECENT = 10  # individuals a monthly UN update adds, about


def un_without_recent(folder: Path) -> Path:
    """The bundled UN list less its ``RECENT`` most recently listed individuals."""
    with gzip.open(UN_LIST) as fh:
        tree = etree.parse(fh)
    people = tree.getroot().find("INDIVIDUALS")
    assert people is not None
    newest = sorted(people, key=lambda p: p.findtext("LISTED_ON") or "")[-RECENT:]
    for person in newest:
        people.remove(person)
    path = folder / "un_previous_month.xml"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


def measure(engine: Engine, name: str, customers: int, runs: int) -> dict[str, Any]:
    """Both re-screens of list ``name`` v1 -> v2, ``runs`` times each."""
    added = changed_records(engine, name, 1, 2)
    planted = [
        Subject(s.schema, s.names[:1], birth_dates=s.birth_dates[:1])
        for s in stored_subjects(engine, name, 2, added)
        if s.schema == "Person"
    ][: max(1, customers // 200)]
    people = travellers(customers - len(planted), seed=31) + planted
    with engine.begin() as conn:
        conn.execute(delete(subjects))
        kept = [(f"c{number}", person) for number, person in enumerate(people)]
        remember(conn, CUSTOMER, kept, None, datetime.now(UTC))
    seconds: dict[str, list[float]] = {"diff": [], "full": []}
    last: dict[str, dict[str, Any]] = {}
    for _ in range(runs):
        for mode in ("diff", "full"):
            with engine.begin() as conn:
                conn.execute(delete(alerts))
            summary = rescreen(engine, name, full=mode == "full")
            seconds[mode].append(summary.seconds)
            last[mode] = summary.as_dict()
    diff_s, full_s = statistics.median(seconds["diff"]), statistics.median(seconds["full"])
    return {
        "entries_added_or_changed": len(added),
        "planted_listed_customers": len(planted),
        "diff_seconds_median": diff_s,
        "full_seconds_median": full_s,
        "time_ratio_full_over_diff": round(full_s / diff_s, 1),
        "diff": last["diff"],
        "full": last["full"],
        "seconds_all_runs": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    updates = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = open_engine(f"sqlite:///{folder / 'wk.db'}")
        for path in (OFAC_OLD, OFAC_NEW):
            source = get_source("ofac-csv", path)
            # The 2019 comments file was re-saved later: ten rows name entries it lacks.
            old = path == OFAC_OLD
            load_source(engine, source, "ofac", origin=str(path), raw_dir=None, skip_bad=old)
        updates["OFAC SDN 2019-01 -> 2021-07"] = measure(engine, "ofac", args.customers, args.runs)
        for path in (un_without_recent(folder), UN_LIST):
            load_source(engine, get_source("un-xml", path), "un", origin=str(path), raw_dir=None)
        month = f"UN, a month's update ({RECENT} individuals listed)"
        updates[month] = measure(engine, "un", args.customers, args.runs)
    result = {
        "benchmark": "rescreen",
        "customers": args.customers,
        "runs": args.runs,
        "updates": updates,
        "load_average": os.getloadavg()[0],
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "rescreen.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "| list update | entries added or changed | re-screen against | customers | hits | "
        "new alerts | wall time (median) | full / diff |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for update, figures in updates.items():
        for mode, label in (("diff", "added + changed only"), ("full", "whole new version")):
            run = figures[mode]
            lines.append(
                f"| {update} | {figures['entries_added_or_changed']:,} | {label} "
                f"({run['entries']:,} entries) | {args.customers:,} | {run['hits']} | "
                f"{run['alerts']} | {figures[mode + '_seconds_median']:,.1f} s | "
                + (f"{figures['time_ratio_full_over_diff']}x |" if mode == "diff" else "|")
            )
    (RESULTS / "rescreen.md").write_text("\n".join(lines) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
