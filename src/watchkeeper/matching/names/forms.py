"""Latin spellings of name words in other scripts, from Wikidata's name items.

A foreign name written in Han, kana, Khmer, Hebrew or an Indic script is a transcription:
弗拉基米尔 is Vladimir, but its pinyin (fu la ji mi er) is nothing like it, and no
transliteration can undo a transcription. Wikidata's given- and family-name items list a
name's forms in many scripts; the bundled table (``data/name_forms.tsv.gz``, built by
``bench/build_name_forms.py`` from rigour's copy of those items) gives each such word the
Latin forms of its items. It is read at the first name in such a script (0.2 s), so a Latin
query never pays for it.
"""

import gzip
import unicodedata
from array import array
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


class _Table:
    """The table as its UTF-8 lines, sorted (bytes sort as the words' code points), and
    where each line starts, looked up by halves: as a dict of its 213,824 words it held 40 MB,
    which every process that read one name in such a script paid (a document scan against
    UN and OFAC peaked 40 MB higher); so it holds 7 MB (5.3 of text, 1.7 of offsets)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._starts = array("q")
        at = 0
        while data.startswith(b"#", at):  # the header
            at = data.index(b"\n", at) + 1
        while at < len(data):
            self._starts.append(at)
            at = data.index(b"\n", at) + 1

    def get(self, word: str) -> str | None:
        """The spellings of ``word``, as the table writes them; None if not there."""
        key = word.encode("utf-8") + b"\t"
        data, starts, size = self._data, self._starts, len(key)
        low, high = 0, len(starts)
        while low < high:
            middle = (low + high) // 2
            at = starts[middle]
            if data[at : at + size] < key:
                low = middle + 1
            else:
                high = middle
        if low == len(starts) or not data.startswith(key, starts[low]):
            return None
        start = starts[low] + size
        return data[start : data.index(b"\n", start)].decode("utf-8")


@cache
def _table() -> _Table:
    """The table, read once: ``#`` lines, the header, then ``word<TAB>spellings`` lines."""
    return _Table(gzip.decompress(FORMS.read_bytes()))
