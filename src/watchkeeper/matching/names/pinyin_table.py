"""The Latin spellings of Mandarin syllables, derived from pypinyin once and shipped.

``chinese`` asks this table of every Latin name of two to four words (is it of Chinese
shape?); reading it from ``data/pinyin_spellings.tsv`` spares each process pypinyin's
dictionaries (about 0.2 s and 55 MB), which it needs only for names written in Han.
Regenerate the file after a pypinyin upgrade with
``python -m watchkeeper.matching.names.pinyin_table``; a test checks it matches.
"""

import re
import unicodedata
from importlib.resources import files
from pathlib import Path

TABLE_FILE = "pinyin_spellings.tsv"
_LETTERS = re.compile("[^a-z]")
_INTERJECTIONS = frozenset({"m", "n", "ng", "hm", "hng"})  # no name has them
_U_SPELLINGS = {"lv": ("lu", "lyu"), "nv": ("nu", "nyu")}  # passports write ü so


def derive() -> dict[str, frozenset[str]]:
    """Each Latin spelling of a Mandarin syllable (pinyin, Wade-Giles without apostrophes
    and umlauts, the passport forms of ü) to the pinyin syllables it may write."""
    from pypinyin import Style
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    table: dict[str, set[str]] = {}
    toned = {reading for readings in pinyin_dict.values() for reading in readings.split(",")}
    for reading in toned:
        plain = convert(reading, Style.NORMAL, strict=True)
        if not plain.isascii() or not plain.isalpha() or plain in _INTERJECTIONS:
            continue
        wade = _ascii(convert(reading, Style.WADEGILES, strict=True))
        for spelling in (plain, wade, *_U_SPELLINGS.get(plain, ())):
            if spelling:
                table.setdefault(spelling, set()).add(plain)
    return {spelling: frozenset(plain) for spelling, plain in table.items()}


def _ascii(text: str) -> str:
    return _LETTERS.sub("", unicodedata.normalize("NFKD", text).lower())


def render(table: dict[str, frozenset[str]]) -> str:
    """One line a spelling: the spelling, a tab, its pinyin syllables comma-separated."""
    return "".join(f"{s}\t{','.join(sorted(table[s]))}\n" for s in sorted(table))


def load() -> dict[str, frozenset[str]]:
    """The shipped table."""
    text = files("watchkeeper").joinpath("data", TABLE_FILE).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines())
    return {spelling: frozenset(pinyin.split(",")) for spelling, pinyin in rows}


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[2] / "data" / TABLE_FILE
    target.write_text(render(derive()), encoding="utf-8")
