"""Benchmark: matching PDQ hashes at Hamming distance 31 over 10,000,000 random hashes
(issue 7): index build time, index memory (its own size and the process's RSS growth),
single-threaded query latency (p50, p99) and recall on planted near-duplicates, for the
numpy multi-index (the product's index for large banks) and FAISS ``IndexBinaryMultiHash``;
and the exact numpy scan at 1,000,000 hashes for comparison.

Planted near-duplicates: each query is a stored hash with 0 to 31 random bits flipped
(half of them exactly 31, the hardest case), so the right answer is known; a sample of
queries is also checked against the exact scan (same rows, same distances).

The machine is shared, so the multi-index is built and queried ``--runs`` times and the
medians reported (each run's figures are in the JSON); FAISS, slow to build, once.

No GPU machine was lent to this task, so the issue's GPU matcher is neither written nor
measured here.

    python bench/image_match.py [--hashes N] [--queries Q] [--runs R] [--no-faiss]
"""

import argparse
import json
import os
import time
from typing import Any

import faiss
import numpy as np

from paths import RESULTS
from watchkeeper.lanes.images.codes import BYTES, Codes
from watchkeeper.lanes.images.index import FaissIndex, HashIndex, LinearIndex, MultiIndex

DISTANCE = 31


def rss() -> int:
    """Resident memory of this process, bytes."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def planted(codes: Codes, count: int, rng: np.random.Generator) -> tuple[Codes, np.ndarray]:
    """Queries near stored hashes: (queries, the row each was made from)."""
    rows = rng.choice(len(codes), count, replace=False)
    bits = np.unpackbits(codes[rows], axis=1)
    for i in range(count):
        flips = DISTANCE if i % 2 == 0 else int(rng.integers(0, DISTANCE + 1))
        bits[i, rng.choice(256, flips, replace=False)] ^= 1
    return np.packbits(bits, axis=1), rows


def measure(
    kind: type[HashIndex], codes: Codes, queries: Codes, rows: np.ndarray
) -> tuple[HashIndex, dict[str, Any]]:
    """Build, then time every query alone on one thread."""
    before = rss()
    start = time.perf_counter()
    index = kind.build(codes, DISTANCE)
    build = time.perf_counter() - start
    grown = rss() - before
    latencies, found = [], 0
    for query, row in zip(queries, rows, strict=True):
        start = time.perf_counter()
        hits, _ = index.query(query, DISTANCE)
        latencies.append(time.perf_counter() - start)
        found += int(row in hits)
    ms = np.array(latencies) * 1000
    return index, {
        "index": kind.NAME,
        "hashes": len(codes),
        "build_s": round(build, 2),
        "index_bytes": index.nbytes,
        "rss_growth_bytes": grown,
        "queries": len(queries),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "mean_ms": round(float(ms.mean()), 3),
        "recall": found / len(queries),
    }


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The runs' median build time and latencies, worst recall and agreement, largest RSS
    growth (a later build may reuse memory an earlier one freed), and each run's figures."""
    figures = dict(runs[0])
    for key in ("build_s", "p50_ms", "p99_ms", "mean_ms"):
        figures[key] = round(float(np.median([r[key] for r in runs])), 3)
    for key in ("recall", "agrees_with_exact_on"):
        figures[key] = min(r[key] for r in runs)
    figures["rss_growth_bytes"] = max(r["rss_growth_bytes"] for r in runs)
    figures["runs"] = [{k: r[k] for k in ("build_s", "p50_ms", "p99_ms")} for r in runs]
    return figures


def agrees(index: HashIndex, exact: LinearIndex, queries: Codes) -> bool:
    """Same rows and distances as the exact scan for every query given."""
    for query in queries:
        got, want = index.query(query, DISTANCE), exact.query(query, DISTANCE)
        if not (np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])):
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hashes", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="multi-index builds, medians")
    parser.add_argument("--no-faiss", action="store_true", help="skip the FAISS index")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(7)
    load = [os.getloadavg()[0]]
    base = rss()
    codes = rng.integers(0, 256, (args.hashes, BYTES), dtype=np.uint8)
    hashes_bytes = rss() - base
    queries, rows = planted(codes, args.queries, rng)
    results: list[dict[str, Any]] = []
    exact = LinearIndex(codes)
    runs = []
    for _ in range(args.runs):
        mih, figures = measure(MultiIndex, codes, queries, rows)
        figures["agrees_with_exact_on"] = 100 if agrees(mih, exact, queries[:100]) else 0
        runs.append(figures)
        print(figures, flush=True)
        del mih
    results.append(median_of(runs))
    if not args.no_faiss:
        small = min(args.queries, 200)
        fx, figures = measure(FaissIndex, codes, queries[:small], rows[:small])
        figures["agrees_with_exact_on"] = 20 if agrees(fx, exact, queries[:20]) else 0
        results.append(figures)
        print(figures, flush=True)
        del fx
    load.append(os.getloadavg()[0])
    million = min(args.hashes, 1_000_000)
    sub_q, sub_rows = planted(codes[:million], 100, rng)
    _, figures = measure(LinearIndex, codes[:million], sub_q, sub_rows)
    results.append(figures)
    print(figures, flush=True)
    load.append(os.getloadavg()[0])
    report = {
        "distance": DISTANCE,
        "hashes_bytes": hashes_bytes,
        "threads": 1,
        "load_average": [round(x, 2) for x in load],
        "cpu_count": os.cpu_count(),
        "gpu": "not measured: no GPU machine was lent to this task",
        "results": results,
        "median_note": f"mih: medians of {args.runs} builds, p50/p99 over every query of each",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "image_match.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Image hash matching (distance 31, one thread)",
        "",
        "| index | hashes | build s | index MB | RSS growth MB | p50 ms | p99 ms | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['index']} | {r['hashes']:,} | {r['build_s']} | {r['index_bytes'] / 1e6:.0f} "
            f"| {r['rss_growth_bytes'] / 1e6:.0f} | {r['p50_ms']} | {r['p99_ms']} "
            f"| {r['recall']} |"
        )
    lines += [
        "",
        f"Load average during the run: {report['load_average']} on {os.cpu_count()} cores.",
        f"mih: medians of {args.runs} builds, each queried {args.queries} times (p50 by run: "
        f"{', '.join(str(r['p50_ms']) for r in runs)} ms).",
        "Index MB includes the 32-byte hashes; RSS growth is measured around the build (the "
        "hashes themselves were already in memory). GPU: not measured, no GPU machine was "
        "lent to this task.",
        "",
    ]
    (RESULTS / "image_match.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
