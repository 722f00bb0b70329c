"""Where the benchmarks find their inputs and write their figures (one place for all of them)."""

from pathlib import Path

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
