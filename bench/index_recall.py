"""Benchmark: candidate recall, build cost and latency of ``matching.index.NameIndex``, and
of whole screenings on it.

UN alias hold-out: for each listed person with two or more names, one name at a time is
taken out of that person's entry (remove, add without it, query, restore) and used as the
query; recall@K is whether the person is among the first K candidates, split by the quality
of the held-out name (Good: ``name``/``alias``, Low: ``weakAlias``). The Arabic track queries
with each Arabic-script name against an index holding no Arabic script at all. Build time,
memory (growth of peak RSS while building; the subjects are made beforehand) and query
latency are measured on the UN list and on synthetic lists of persons named from real
Wikidata name tokens. Oracle agreement is the test's: 200 UN alias queries whose top 20
match a full scan (``LinearIndex``). Figures go to bench/results/index_recall.{json,md}.

    python bench/index_recall.py [--persons N [N ...]]
"""

import argparse
import itertools
import json
import random
import resource
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from paths import RESULTS, UN_LIST, WIKIDATA
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.names.arabic import is_arabic_script
from watchkeeper.matching.oracle import LinearIndex, same_candidates
from watchkeeper.matching.prepared import reference_weights
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.sources.un_xml import UnXmlSource

KS = (1, 5, 20)
LATENCY_QUERIES = 1000
ORACLE_QUERIES = 200


def un_subjects() -> list[Subject]:
    """The UN list's entries as subjects."""
    return [Subject.from_entity(r.entity, "un") for r in UnXmlSource(UN_LIST).records()]


def latin_only(subject: Subject) -> Subject:
    """The subject with its Arabic-script names dropped."""

    def latin(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(n for n in names if not is_arabic_script(n))

    return replace(subject, names=latin(subject.names), weak_names=latin(subject.weak_names))


def rank_of(index: NameIndex, query: str, entity_id: str | None) -> int | None:
    """1-based rank of ``entity_id`` among the top 20 candidates, None when missing."""
    found = index.query(Subject("Person", (query,)), limit=max(KS))
    ids = [c.subject.entity_id for c in found]
    return ids.index(entity_id) + 1 if entity_id in ids else None


def held_out(index: NameIndex, person: Subject, name: str, weak: bool) -> int | None:
    """Rank of ``person`` queried by ``name`` with that name taken out of its entry."""
    rest = replace(
        person,
        names=tuple(n for n in person.names if weak or n != name),
        weak_names=tuple(n for n in person.weak_names if not weak or n != name),
    )
    index.add(rest)  # replaces the full entry
    try:
        return rank_of(index, name, person.entity_id)
    finally:
        index.add(person)


def recall(ranks: list[int | None]) -> dict[str, float | int]:
    """recall@K for each K, and the number of queries."""
    out: dict[str, float | int] = {"queries": len(ranks)}
    for k in KS:
        hits = sum(1 for r in ranks if r is not None and r <= k)
        out[f"recall@{k}"] = round(hits / len(ranks), 4) if ranks else 0.0
    return out


def alias_holdout(subjects: list[Subject]) -> dict[str, dict[str, float | int]]:
    """Good and Low hold-out tracks on Latin names (see the module docstring)."""
    index = NameIndex.build(subjects)
    ranks: dict[str, list[int | None]] = {"good": [], "low": []}
    for person in subjects:
        if person.schema != "Person" or len(person.names) + len(person.weak_names) < 2:
            continue
        for name, weak in [(n, False) for n in person.names] + [
            (n, True) for n in person.weak_names
        ]:
            if not is_arabic_script(name):
                ranks["low" if weak else "good"].append(held_out(index, person, name, weak))
    return {quality: recall(r) for quality, r in ranks.items()}


def arabic_track(subjects: list[Subject]) -> dict[str, float | int]:
    """Arabic-script names as queries against a list with no Arabic script."""
    index = NameIndex.build(latin_only(s) for s in subjects)
    ranks = [
        rank_of(index, name, s.entity_id)
        for s in subjects
        if latin_only(s).names or latin_only(s).weak_names
        for name in s.names + s.weak_names
        if is_arabic_script(name)
    ]
    return recall(ranks)


def oracle_agreement(subjects: list[Subject]) -> float:
    """Share of alias queries on which the index and a full scan agree (as in the tests)."""
    index, oracle = NameIndex.build(subjects), LinearIndex.build(subjects)
    rng = random.Random(7)
    names = sorted({n for s in subjects for n in s.names[1:] + s.weak_names})
    queries = [Subject("Person", (q,)) for q in rng.sample(names, ORACLE_QUERIES)]
    agree = sum(same_candidates(index.query(q), oracle.query(q)) for q in queries)
    return round(agree / ORACLE_QUERIES, 4)


def synthetic(persons: int) -> list[Subject]:
    """Persons named from Wikidata tokens with their real frequencies (seeded)."""
    words: list[str] = []
    counts: list[int] = []
    for line in (WIKIDATA / "wd_arabic_64").read_text(encoding="utf-8").splitlines():
        latin, _arabic, count = line.split("\t")
        words.append(latin.capitalize())
        counts.append(int(count))
    cumulative = list(itertools.accumulate(counts))  # once: ``choices`` redoes it per call
    rng = random.Random(3)
    out = []
    for i in range(persons):
        first, father, last = rng.choices(words, cum_weights=cumulative, k=3)
        out.append(
            Subject(
                schema="Person",
                names=(f"{first} {father} {last}",),
                weak_names=(f"{first} {last}",) if i % 3 == 0 else (),
                entity_id=f"syn-{i}",
            )
        )
    return out


def resident_mb() -> float:
    """Current resident set size (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def cost(subjects: list[Subject]) -> dict[str, Any]:
    """Build time, memory (growth of peak RSS while building, and of RSS once built: the
    index itself) and query latency p50/p99."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    resident = resident_mb()
    started = time.perf_counter()
    index = NameIndex.build(subjects)
    build_s = time.perf_counter() - started
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    index_mb = resident_mb() - resident
    rng = random.Random(5)
    queries = [rng.choice(rng.choice(subjects).names) for _ in range(LATENCY_QUERIES)]
    micros = []
    for query in queries:
        started = time.perf_counter()
        index.query(Subject("Person", (query,)))
        micros.append((time.perf_counter() - started) * 1e6)
    micros.sort()
    return {
        "entities": len(subjects),
        "build_s": round(build_s, 2),
        "peak_rss_growth_mb": round(grown_kb / 1024, 1),
        "index_mb": round(index_mb, 1),
        "p50_us": round(statistics.median(micros)),
        "p99_us": round(micros[int(0.99 * len(micros)) - 1]),
        "queries_per_s": round(len(micros) / (sum(micros) / 1e6)),
        "screening": screening_cost(index, subjects, queries),
    }


def screening_cost(index: NameIndex, subjects: list[Subject], listed: list[str]) -> dict[str, Any]:
    """Whole screenings (candidates, bounds, scores) on this index: listed names (every
    one a hit) and new names made of the same tokens (mostly innocent), each set once cold
    (the candidates are prepared for the scorer as they come up, the list is not prepared
    up front) and once warm; and what the prepared candidates cost in memory."""
    screener = Screener(index)
    rng = random.Random(9)
    sample = rng.sample(subjects, min(3000, len(subjects)))
    words = [w for s in sample if s.names for w in s.names[0].split()]
    new = [" ".join(rng.sample(words, 3)) for _ in range(LATENCY_QUERIES)]
    resident = resident_mb()
    out: dict[str, Any] = {}
    for kind, names in (("listed", listed), ("new", new)):
        for run in ("cold", "warm"):
            micros = []
            for name in names:
                started = time.perf_counter()
                screener.screen(Subject("Person", (name,)))
                micros.append((time.perf_counter() - started) * 1e6)
            micros.sort()
            out[f"{kind}_{run}"] = {
                "p50_us": round(statistics.median(micros)),
                "p99_us": round(micros[int(0.99 * len(micros)) - 1]),
                "screenings_per_s": round(len(micros) / (sum(micros) / 1e6)),
            }
    out["prepared_subjects"] = len(index.table().prepared)
    out["prepared_mb"] = round(resident_mb() - resident, 1)
    return out


def markdown(results: dict[str, Any]) -> str:
    """The figures as a short Markdown report."""
    lines = [
        "# Candidate index: recall and cost",
        "",
        "| Track | Queries | recall@1 | recall@5 | recall@20 |",
        "|---|--:|--:|--:|--:|",
    ]
    tracks = {f"UN hold-out {q}": r for q, r in results["holdout"].items()}
    tracks["Arabic script vs Latin list"] = results["arabic"]
    for name, r in tracks.items():
        lines.append(
            f"| {name} | {r['queries']} | {r['recall@1']:.3f} | {r['recall@5']:.3f} "
            f"| {r['recall@20']:.3f} |"
        )
    lines += [
        "",
        f"Oracle agreement (top 20, {ORACLE_QUERIES} UN alias queries): "
        f"{results['oracle_agreement']:.3f}",
        "",
        "| List | Entities | Build s | Peak RSS growth MB | Index MB | p50 µs | p99 µs "
        "| Queries/s |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    costs = [("UN", results["cost_un"])] + [("Synthetic", c) for c in results["cost_synthetic"]]
    for name, c in costs:
        lines.append(
            f"| {name} | {c['entities']:,} | {c['build_s']} | {c['peak_rss_growth_mb']} "
            f"| {c['index_mb']} "
            f"| {c['p50_us']:,} | {c['p99_us']:,} | {c['queries_per_s']:,} |"
        )
    lines += [
        "",
        f"Whole screenings ({LATENCY_QUERIES} queries each, one core; cold: candidates "
        "prepared for the scorer as they come up, warm: the same queries again):",
        "",
        "| List | Entities | Queries | cold screenings/s | warm screenings/s | warm p50 µs "
        "| warm p99 µs | prepared subjects | their MB |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for name, c in costs:
        s = c["screening"]
        for kind, label in (("listed", "listed names (hits)"), ("new", "new names")):
            cold, warm = s[f"{kind}_cold"], s[f"{kind}_warm"]
            lines.append(
                f"| {name} | {c['entities']:,} | {label} | {cold['screenings_per_s']:,} "
                f"| {warm['screenings_per_s']:,} | {warm['p50_us']:,} | {warm['p99_us']:,} "
                f"| {s['prepared_subjects']:,} | {s['prepared_mb']} |"
            )
    return "\n".join([*lines, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[200_000, 1_000_000])
    args = parser.parse_args()
    reference_weights()  # the bundled weights load once, outside every timing
    subjects = un_subjects()
    results: dict[str, Any] = {
        "holdout": alias_holdout(subjects),
        "arabic": arabic_track(subjects),
        "oracle_agreement": oracle_agreement(subjects),
        "cost_un": cost(subjects),
        "cost_synthetic": [cost(synthetic(n)) for n in args.persons],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "index_recall.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "index_recall.md").write_text(markdown(results))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
