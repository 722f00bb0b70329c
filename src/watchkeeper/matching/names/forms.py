"""Latin spellings of name words in other scripts, from Wikidata's name items.

A foreign name written in Han, kana, Khmer, Hebrew or an Indic script is a transcription:
弗拉基米尔 is Vladimir, but its pinyin (fu la ji mi er) is nothing like it, and no
transliteration can undo a transcription. Wikidata's given- and family-name items list a
name's forms in many scripts; the bundled table (``data/name_forms.tsv.gz``, built by
``bench/build_name_forms.py`` from rigour's copy of those items) gives each such word the
Latin forms of its items. It is read at the first name in such a script (0.3 s), so a Latin
query never pays for it.
"""

import gzip
import unicodedata
from functools import cache
from pathlib import Path

FORMS = Path(__file__).resolve().parents[2] / "data" / "name_forms.tsv.gz"


def form_key(word: str) -> str:
    """How a word is looked up: NFKC, lower case (as ``scripts`` splits words)."""
    return unicodedata.normalize("NFKC", word).lower()


def latin_forms(word: str) -> tuple[str, ...]:
    """The Latin spellings of ``word``'s name items, most frequent first; none if unknown."""
    found = _table().get(form_key(word))
    return tuple(found.split(" ")) if found else ()


@cache
def _table() -> dict[str, str]:
    """The table, read once: ``word<TAB>spellings`` lines, ``#`` lines the header."""
    table: dict[str, str] = {}
    with gzip.open(FORMS, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                word, _, spelt = line.rstrip("\n").partition("\t")
                table[word] = spelt
    return table
