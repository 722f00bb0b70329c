"""Han characters read as Korean (Hanja), as a Korean name written in them is read.

North and South Korean names are also written in Han characters (金正恩 is 김정은, Kim Jong
Un), which pinyin reads as Chinese (jin zheng en) and cutlet as Japanese. Each character has
one Korean syllable in names; the bundled table (``data/hanja_hangul.tsv``, built by
``bench/build_hanja_readings.py`` from Unicode's Unihan database, 8,525 characters) gives
it, and ``korean`` spells the syllables as lists do. Read at the first Han name.
"""

from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parents[2] / "data" / "hanja_hangul.tsv"


def hangul(text: str) -> str | None:
    """``text`` (Han characters) in Hangul, or None if one character has no Korean reading."""
    table = _table()
    syllables = [table.get(char) for char in text]
    return None if None in syllables else "".join(s for s in syllables if s)


@cache
def _table() -> dict[str, str]:
    """The table, read once: ``char<TAB>syllable`` lines, ``#`` lines the header."""
    with TABLE.open(encoding="utf-8") as lines:
        return dict(line.rstrip("\n").split("\t", 1) for line in lines if not line.startswith("#"))
