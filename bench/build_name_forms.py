"""Build ``src/watchkeeper/data/name_forms.tsv.gz``: Latin spellings of name words written
in the scripts ``names.scripts`` reads, from Wikidata's given- and family-name items.

Source: ``rust/data/names/person_names.txt`` of rigour's source distribution (OpenSanctions,
MIT; rigour 2.6.1, ``rigour-2.6.1.tar.gz`` on PyPI), lines ``form, form, ... => Qid``: the
written forms, in every script, of one Wikidata name item. rigour ships the file compiled
into its extension module, where only its slow-to-build tagger can read it (13 s at first
use), so the table is derived once here. Each word in a script other than Latin, Cyrillic
and Arabic gets the Latin forms of every item it is a form of, most frequent first by the
bundled name-token counts (``rarity``), at most ``scripts.MAX_SPELLINGS``: 弗拉基米尔 and
ולדימיר are forms of Vladimir, ប៉ុល of Pol. The output is sorted and gzipped with a fixed
mtime, so the same input always gives the same bytes.

    python bench/build_name_forms.py PERSON_NAMES_TXT [--out PATH]
"""

import argparse
import gzip
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from anyascii import anyascii

from watchkeeper.matching.names.forms import FORMS, form_key
from watchkeeper.matching.names.keys import key
from watchkeeper.matching.names.rarity import load_counts
from watchkeeper.matching.names.scripts import MAX_SPELLINGS, is_other_script

HEADER = (
    "# word<TAB>Latin spellings, most frequent first; words in scripts other than Latin,"
    " Cyrillic and Arabic\n"
    "# source: rigour 2.6.1 rust/data/names/person_names.txt (Wikidata name items);"
    " rigour is MIT (OpenSanctions), Wikidata CC0\n"
)
_NOT_LETTER = re.compile("[^a-z]")


def _latin(form: str) -> bool:
    """Whether every letter of ``form`` is Latin (basic, supplement, extended, additional)."""
    letters = (ord(c) for c in form if unicodedata.category(c)[0] == "L")
    return all(c < 0x250 or 0x1E00 <= c <= 0x1EFF for c in letters)


def read_items(source: Path) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """Each item's Latin forms (as plain lower-case letters) and each other-script word's
    items; a form of several words (a phrase) is skipped, since words are looked up."""
    latin: dict[str, list[str]] = {}
    words: dict[str, set[str]] = defaultdict(set)
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            forms, arrow, item = line.rpartition("=>")
            if not arrow:
                continue
            item = item.strip()
            spelt: list[str] = []
            for form in (f.strip() for f in forms.split(",")):
                if not form or " " in form:
                    continue
                if _latin(form):
                    plain = _NOT_LETTER.sub("", anyascii(form).lower())
                    if plain and plain not in spelt:
                        spelt.append(plain)
                elif is_other_script(form):
                    words[form_key(form)].add(item)
            if spelt:
                latin[item] = spelt
    return latin, words


def spellings(latin: dict[str, list[str]], words: dict[str, set[str]]) -> dict[str, list[str]]:
    """Each word's Latin spellings over all its items, most frequent first (ties by text)."""
    counts = load_counts()
    out: dict[str, list[str]] = {}
    for word, items in words.items():
        found = {s for item in items for s in latin.get(item, ())}
        if found:
            ranked = sorted(found, key=lambda s: (-counts.get(key(s), 0), s))
            out[word] = ranked[:MAX_SPELLINGS]
    return out


def write_forms(forms: dict[str, list[str]], out: Path) -> None:
    """Write ``word<TAB>spelling spelling ...`` lines sorted by word, gzipped with mtime 0."""
    body = HEADER + "".join(f"{w}\t{' '.join(forms[w])}\n" for w in sorted(forms))
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(body.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="rigour's rust/data/names/person_names.txt")
    parser.add_argument("--out", type=Path, default=FORMS)
    args = parser.parse_args()
    write_forms(spellings(*read_items(args.source)), args.out)


if __name__ == "__main__":
    main()
