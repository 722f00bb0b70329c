"""Where the benchmarks find their inputs and write their figures (one place for all of them)."""

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
"""The repository."""

RESULTS = ROOT / "bench" / "results"
"""Figures: one JSON and one Markdown file per benchmark."""

UN_LIST = ROOT / "src" / "watchkeeper" / "data" / "un_consolidated_2026-02-27.xml.gz"
"""The bundled UN list snapshot."""

SHARED = ROOT.parent / "shared" / "data"
"""The public test data beside the repository (see its SOURCES.md)."""

WIKIDATA = SHARED / "transliteration" / "netransliteration_coling2018_arabic"
"""CC0 English-Arabic person-name token pairs: wd_arabic_64 (train), _16 (dev), _20 (test)."""

GOOGLE_AR2EN = SHARED / "transliteration" / "google_ar2en"
"""Apache-2.0 Arabic-script to Latin word pairs from Wikipedia, mostly Western names:
ar2en-train.txt, -eval.txt (dev) and -test.txt."""


def publish(name: str, result: dict[str, Any], table: str) -> None:
    """Write a benchmark's figures: ``<name>.json`` in full, ``<name>.md`` the short table
    (also printed)."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"{name}.md").write_text(table)
    print(table, file=sys.stderr)
