"""Benchmark: the travel lane, on one core.

1. A synthetic 500-passenger PAXLST manifest (names drawn as in false_alerts.py from real
   Arabic-origin name tokens, random birth dates, nationalities and passports) is parsed and
   every passenger screened against UN + OFAC (index candidates, bounds, scores), then the
   default risk rules run: median wall time of several runs, and the parse alone.
   Goal: under 50 ms (GTAS: about 5 s for a 521-passenger flight).
2. PNR throughput: every GTAS PNRGOV sample (pnrWithBags.txt is 253 KB), parsed: messages
   and kilobytes per second, median of several passes.

    python bench/travel.py [--passengers N] [--runs R]
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time

from false_alerts import OFAC, travellers
from paths import RESULTS, SHARED, UN_LIST
from watchkeeper.lanes.travel import parse_messages
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import TravelScreener
from watchkeeper.matching.screener import Screener
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine

GTAS = SHARED / "travel" / "gtas"
NATIONALITIES = ["SYR", "IRQ", "EGY", "SAU", "YEM", "JOR", "LBN", "MAR", "DZA", "TUN", "FRA", "GBR"]


def manifest(passengers: int, seed: int = 7) -> str:
    """A PAXLST D:05B message for one flight, with correct UNT, CNT and UNZ counts."""
    rng = random.Random(seed)
    head = [
        "UNB+UNOA:4+XYAIR:ZZ+WATCHKEEPER:ZZ+260301:2200+BENCH0001++APIS",
        "UNH+1+PAXLST:D:05B:UN:IATA+XY500/260302/0905+01:F",
        "BGM+745",
        "NAD+MS+++BENCH DESK",
        "TDT+20+XY500+++XY",
        "LOC+125+IST",
        "DTM+189:202603020905:203",
        "LOC+87+LHR",
        "DTM+232:202603021110:203",
    ]
    body: list[str] = []
    for number, person in enumerate(travellers(passengers, seed=seed)):
        *given, surname = person.names[0].upper().split()
        dob = person.birth_dates[0]
        nationality = rng.choice(NATIONALITIES)
        body += [
            f"NAD+FL+++{surname}:{':'.join(given)}",
            f"ATT+2++{rng.choice('MF')}",
            f"DTM+329:{dob[2:4]}{dob[5:7]}{dob[8:10]}",
            "LOC+178+IST",
            "LOC+179+LHR",
            f"NAT+2+{nationality}",
            f"RFF+AVF:B{number:05d}",
            f"DOC+P:110:111+P{rng.randrange(10**7, 10**8)}",
            f"DTM+36:{rng.randint(27, 35)}0{rng.randint(1, 9)}15",
            f"LOC+91+{nationality}",
        ]
    segments = [*head[1:], *body, f"CNT+42:{passengers}"]
    segments.append(f"UNT+{len(segments) + 1}+1")
    return "'\n".join([head[0], *segments, "UNZ+1+BENCH0001"]) + "'\n"


def median_ms(work: object, runs: int) -> tuple[float, list[float]]:
    """Median wall time of ``work()`` in milliseconds, after one warm-up run."""
    assert callable(work)
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passengers", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    text = manifest(args.passengers)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/wk.db")
        load_source(engine, get_source("un-xml", UN_LIST), "un", origin=str(UN_LIST), raw_dir=None)
        load_source(engine, get_source("ofac-csv", OFAC), "ofac", origin=str(OFAC), raw_dir=None)
        matcher = Screener.from_store(engine, ["un", "ofac"])
    matcher.prepare_all()  # as the service does before its first request
    lane = TravelScreener(matcher, ["un", "ofac"], RuleSet.load(None))

    def parse() -> None:
        parse_messages(text, "bench.edi", strict=True)

    def parse_and_screen() -> None:
        lane.screen(parse_messages(text, "bench.edi", strict=True))

    parse_ms, _ = median_ms(parse, args.runs)
    flight_ms, flight_runs = median_ms(parse_and_screen, args.runs)
    pnr_files = sorted(p for p in GTAS.rglob("pnr-messages/*") if p.name != "pnrBadFormat.txt")
    pnr_data = [(p, p.read_bytes()) for p in pnr_files]
    count = sum(len(parse_messages(d, str(p), strict=False)) for p, d in pnr_data)
    size_kb = sum(len(d) for _, d in pnr_data) / 1024

    def parse_pnrs() -> None:
        for path, data in pnr_data:
            parse_messages(data, str(path), strict=False)

    pnr_ms, _ = median_ms(parse_pnrs, args.runs)
    result = {
        "benchmark": "travel",
        "passengers": args.passengers,
        "lists": ["un", "ofac-sdn-2021-07"],
        "parse_ms": round(parse_ms, 1),
        "parse_screen_rules_ms": round(flight_ms, 1),
        "parse_screen_rules_runs_ms": [round(t, 1) for t in flight_runs],
        "passengers_per_second": round(args.passengers / flight_ms * 1000),
        "goal_ms": 50,
        "pnr_files": len(pnr_data),
        "pnr_messages": count,
        "pnr_kb": round(size_kb, 1),
        "pnr_messages_per_second": round(count / pnr_ms * 1000),
        "pnr_kb_per_second": round(size_kb / pnr_ms * 1000),
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "travel.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "travel.md").write_text(
        "| benchmark | median | rate | goal |\n| --- | ---: | ---: | --- |\n"
        f"| parse {args.passengers}-passenger PAXLST | {parse_ms:.1f} ms | | |\n"
        f"| parse + screen vs UN + OFAC + default rules, {args.passengers} passengers | "
        f"{flight_ms:.0f} ms | {result['passengers_per_second']:,} passengers/s | < 50 ms |\n"
        f"| parse the {len(pnr_data)} GTAS PNRGOV samples ({count} messages, {size_kb:.0f} KB) | "
        f"{pnr_ms:.0f} ms | {result['pnr_messages_per_second']:,} messages/s, "
        f"{result['pnr_kb_per_second']:,} KB/s | |\n"
    )
    print((RESULTS / "travel.md").read_text(), file=sys.stderr)


if __name__ == "__main__":
    main()
