"""Benchmark: documents-lane scanning speed, recall and false mentions on a generated corpus.

A corpus of news-like text (sentences from templates and word lists; no network) is cut
into documents of about 50 KB. Listed names are planted at known offsets: ``--listed``
distinct Latin-script names (primary names and strong aliases of two to five words) of UN
and OFAC persons and organisations, as the list writes them or in title case. Unlisted
common names (first names and surnames of several origins: "Maria Garcia", "Mohammed
Hassan") and capitalised ordinary words are planted too. Each run scans every document with
a fresh ``DocumentScanner`` (its word and span caches empty) in one process:

* MB/s per core: UTF-8 megabytes of text scanned per second (extraction not counted);
* recall: share of planted listed names overlapped by a mention of their entity;
* false mentions per MB: mentions overlapping no planted listed name;
* peak memory of ``watchkeeper documents scan`` of one ``SCAN_MB`` MB document (the
  corpus's first documents joined), in a process of its own after a ``match`` has cached
  the index, as a user's second command would find it.

    python bench/documents.py [--mb 50] [--runs 3] [--listed 300]

Figures are the medians of the runs; the load average is recorded with them.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from paths import RESULTS, SHARED, UN_LIST
from watchkeeper.lanes.documents.extract import Document
from watchkeeper.lanes.documents.scanning import DocumentScanner
from watchkeeper.matching.names.arabic import is_arabic_script
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.terms import name_slots
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine

OFAC = SHARED / "sanctions" / "ofac_sdn_2021-07"
DOCUMENT_SIZE = 50_000  # characters per generated document
SEED = 7
SCAN_MB = 20  # the document whose scan's peak memory is measured (goal: 300 MiB)
CHILD = """
import sys
from watchkeeper.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    if exc.code:
        raise
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM")), file=sys.stderr)
"""
"""The command line in a process of its own; its peak RSS (KiB) is the last line of stderr.
VmHWM, not ``getrusage``: Linux's ``ru_maxrss`` keeps the RSS of the forked parent image
the child was started from (here, the benchmark with its corpus: about 400 MB)."""

PLACES = [
    "Cairo",
    "Baghdad",
    "Paris",
    "London",
    "Nairobi",
    "Kabul",
    "Mosul",
    "Raqqa",
    "Tunis",
    "Geneva",
    "Brussels",
    "Lagos",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ROLES = [
    "the minister", "a spokesman", "the prosecutor", "an analyst", "the mayor",
    "a senior official", "the governor", "a local journalist", "the ambassador",
]  # fmt: skip
NOUNS = [
    "budget", "election", "trade agreement", "ceasefire", "investigation", "border crossing",
    "harvest", "energy price", "court ruling", "reform plan", "security council", "summit",
    "refugee camp", "pipeline", "bank", "hospital", "school", "water supply",
]  # fmt: skip
VERBS = [
    "discussed", "criticised", "welcomed", "postponed", "announced", "rejected", "reviewed",
    "defended", "questioned", "approved",
]  # fmt: skip
TEMPLATES = [
    "In {place} on {day}, {role} {verb} the {noun}, saying it would take months to resolve.",
    "{Role} told reporters that the {noun} had been {verb} after talks in {place}.",
    "The {noun} was {verb} by officials, who said {place} needed more support.",
    "Markets in {place} moved little on {day} as investors weighed the {noun}.",
    "According to {role}, the {noun} in {place} is expected to be {verb} next week.",
    "International observers {verb} the {noun} and called for restraint.",
]
PERSON_TEMPLATES = [
    "{name} was named in a court filing released in {place} on {day}.",
    "Officials said {name} had met {role} to discuss the {noun}.",
    "A statement attributed to {name} {verb} the {noun}.",
]
FIRST = [
    "John", "Maria", "Mohammed", "Ahmed", "Fatima", "Anna", "David", "Ali", "Olga", "Hassan",
    "Sarah", "Omar", "Pierre", "Ines", "Yusuf", "Elena", "James", "Aisha", "Karim", "Laura",
]  # fmt: skip
LAST = [
    "Smith", "Garcia", "Hassan", "Ibrahim", "Muller", "Dubois", "Khan", "Rossi", "Ivanova",
    "Mensah", "Okafor", "Haddad", "Nasser", "Brown", "Kowalski", "Silva", "Yilmaz", "Said",
]  # fmt: skip


@dataclass(frozen=True)
class Planted:
    start: int
    end: int
    entity_ids: frozenset[str]  # every listed entity that has this name


def listed_names(screener: Screener, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(name, entity id) pairs to plant: strong Latin names of two to five name words."""
    pool = []
    for subject in screener.index.subjects():
        if subject.schema not in ("Person", "Organization"):
            continue
        for name in subject.names:
            words = len(name.split())
            if not is_arabic_script(name) and 2 <= words <= 5 and len(name_slots(name)) >= 2:
                pool.append((name, subject.entity_id or ""))
    return rng.sample(sorted(pool), count)


def owners(screener: Screener) -> dict[str, set[str]]:
    """Entity ids by name (casefolded), for names several entities share."""
    found: dict[str, set[str]] = {}
    for subject in screener.index.subjects():
        for name in subject.names:
            found.setdefault(name.casefold(), set()).add(subject.entity_id or "")
    return found


def corpus(
    megabytes: float, names: list[tuple[str, str]], shared: dict[str, set[str]], seed: int
) -> tuple[list[str], list[list[Planted]]]:
    """Documents of news-like text and the listed names planted in each."""
    rng = random.Random(seed)
    docs: list[str] = []
    planted: list[list[Planted]] = []
    total = 0
    while total < megabytes * 1_000_000:
        parts: list[str] = []
        here: list[Planted] = []
        size = 0
        while size < DOCUMENT_SIZE:
            fill = {
                "place": rng.choice(PLACES),
                "day": rng.choice(DAYS),
                "role": rng.choice(ROLES),
                "Role": rng.choice(ROLES).capitalize(),
                "noun": rng.choice(NOUNS),
                "verb": rng.choice(VERBS),
            }
            draw = rng.random()
            if draw < 0.04:  # a listed name
                name, entity_id = rng.choice(names)
                name = name if rng.random() < 0.5 else name.title()
                template = rng.choice(PERSON_TEMPLATES)
                sentence = template.format(name=name, **fill)
                at = size + template.index("{name}")
                ids = frozenset(shared.get(name.casefold(), set()) | {entity_id})
                here.append(Planted(at, at + len(name), ids))
            elif draw < 0.14:  # an unlisted common name
                person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                sentence = rng.choice(PERSON_TEMPLATES).format(name=person, **fill)
            else:
                sentence = rng.choice(TEMPLATES).format(**fill)
            parts.append(sentence + (" " if rng.random() < 0.8 else "\n\n"))
            size += len(parts[-1])
        docs.append("".join(parts))
        planted.append(here)
        total += len(docs[-1].encode("utf-8"))
    return docs, planted


def run(screener: Screener, docs: list[str], planted: list[list[Planted]]) -> dict[str, float]:
    """One pass over the corpus with a fresh scanner: speed, recall, false mentions."""
    scanner = DocumentScanner(screener)
    start = time.perf_counter()
    reports = [scanner.scan(Document(f"doc{i}", "text", text)) for i, text in enumerate(docs)]
    seconds = time.perf_counter() - start
    megabytes = sum(len(t.encode("utf-8")) for t in docs) / 1e6
    hits = found = false = 0
    for report, plants in zip(reports, planted, strict=True):
        places = [(f.start, f.end, e.entity_id) for e in report.entities for f in e.found]
        for plant in plants:
            found += any(
                s < plant.end and plant.start < e and eid in plant.entity_ids
                for s, e, eid in places
            )
        hits += len(plants)
        spans = {(s, e) for s, e, _ in places}
        false += sum(not any(s < p.end and p.start < e for p in plants) for s, e in spans)
    return {
        "seconds": seconds,
        "mb_per_s": megabytes / seconds,
        "recall": found / hits if hits else 1.0,
        "false_mentions_per_mb": false / megabytes,
        "planted": hits,
    }


def scan_peak(folder: Path, docs: list[str]) -> float:
    """Peak RSS (MiB) of ``documents scan`` of the first ``SCAN_MB`` MB of the corpus as one
    text file, over the store in ``folder``, its index cached by a ``match`` run first."""
    taken: list[str] = []
    size = 0
    for doc in docs:
        if size >= SCAN_MB * 1_000_000:
            break
        taken.append(doc)
        size += len(doc.encode("utf-8"))
    path = folder / "scan.txt"
    path.write_text("".join(taken), encoding="utf-8")
    command = [sys.executable, "-c", CHILD, "--data-dir", str(folder)]
    match = [*command, "match", "Ayman al-Zawahiri", "--lists", "un,ofac"]
    subprocess.run(match, check=True, capture_output=True)
    done = subprocess.run(
        [*command, "documents", "scan", str(path), "--lists", "un,ofac"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="corpus size in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--listed", type=int, default=300, help="distinct listed names planted")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/watchkeeper.db")  # the command's default
        load_source(engine, get_source("un-xml", UN_LIST), "un", origin=str(UN_LIST), raw_dir=None)
        load_source(engine, get_source("ofac-csv", OFAC), "ofac", origin=str(OFAC), raw_dir=None)
        screener = Screener.from_store(engine, ["un", "ofac"])
        engine.dispose()
        names = listed_names(screener, args.listed, random.Random(SEED))
        docs, planted = corpus(args.mb, names, owners(screener), SEED)
        peak_mib = scan_peak(Path(tmp), docs)
    DocumentScanner(screener)  # builds the name book once, as a long-running service would
    runs = [run(screener, docs, planted) for _ in range(args.runs)]
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    result = {
        "benchmark": "documents",
        "lists": ["un", "ofac-sdn-2021-07"],
        "entities": len(screener.index),
        "threshold": screener.threshold,
        "corpus_mb": round(sum(len(t.encode("utf-8")) for t in docs) / 1e6, 1),
        "documents": len(docs),
        "distinct_listed_names": len(names),
        "planted_listed_names": runs[0]["planted"],
        "runs": args.runs,
        "mb_per_s_per_core": round(median["mb_per_s"], 2),
        "goal_mb_per_s": 1.0,
        "recall": round(median["recall"], 4),
        "false_mentions_per_mb": round(median["false_mentions_per_mb"], 2),
        "scan_mb": SCAN_MB,
        "scan_peak_mib": round(peak_mib),
        "goal_scan_peak_mib": 300,
        "each_run": [{k: round(v, 4) for k, v in r.items()} for r in runs],
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "documents.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "documents.md").write_text(
        "| corpus | lists | threshold | MB/s per core | goal | recall | false mentions/MB |"
        f" peak MiB, scan of {SCAN_MB} MB | goal | load |\n"
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        f"| {result['corpus_mb']} MB, {len(docs)} documents | UN + OFAC SDN (2021) | "
        f"{screener.threshold} | {result['mb_per_s_per_core']} | ≥ 1 | {result['recall']} | "
        f"{result['false_mentions_per_mb']} | {result['scan_peak_mib']} | ≤ 300 | "
        f"{result['load_average'][0]} |\n"
    )
    print((RESULTS / "documents.md").read_text(), file=sys.stderr)


if __name__ == "__main__":
    main()
