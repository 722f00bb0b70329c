"""Build src/watchkeeper/data/arabic_names.tsv.gz, the lexicon of Arabic name tokens.

Source: the Wikidata English-Arabic person-name pairs of Amazon's COLING 2018 named-entity
transliteration release (Merhav & Ash, "Design Challenges in Named Entity
Transliteration"), CC0 1.0. Only the TRAIN file ``wd_arabic_64`` is read; dev
(``wd_arabic_16``) is for tuning and test (``wd_arabic_20``) for bench/arabic_romanise.py.
Each line is ``english<TAB>arabic letters, space-separated<TAB>count``.

For every Arabic token (normalised as ``romanise`` looks it up) the English spellings are
ASCII-folded, lowercased and reduced to a-z, then ranked by summed count. A token with the
article ال is keyed by the word after it, and a leading "al"/"el" (or an assimilated
"an-", "ash-" ...) on its English spelling is removed, because ``romanise`` adds the
article itself; where "al"/"el" runs straight into a vowel ("alexander" for الكسندر) the
ال is part of the name and the token is kept whole. Wikidata pairs are aligned token by
token and some alignments are wrong ("boughera" for أحمد, "firouzabadi" for آبادي), so
a spelling is kept only if its consonant skeleton
(``skeleton``, also the "near" measure of bench/arabic_romanise.py) is at least
``MIN_SIMILARITY`` alike to that of some rule spelling of the token; past that, spellings
with under ``MIN_SHARE`` of the token's count or past the ``MAX_SPELLINGS`` best are
dropped. The output is sorted and gzipped with a zero timestamp, so the same input gives
the same bytes.

    python bench/build_arabic_lexicon.py [--data DIR]
"""

import argparse
import gzip
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from normality import ascii_text
from rapidfuzz.distance import Indel

from paths import ROOT, WIKIDATA
from watchkeeper.matching.names.arabic import (
    is_arabic_script,
    lexicon_key,
    normalise_arabic,
    rule_spellings,
)

OUTPUT = ROOT / "src" / "watchkeeper" / "data" / "arabic_names.tsv.gz"
TRAIN = "wd_arabic_64"
MAX_SPELLINGS = 5
MIN_SHARE = 0.03
MIN_SIMILARITY = 0.6
VOWELS = frozenset("aeiouy")
ARTICLE = "ال"
HEADER = (
    "# Arabic name token (normalised, article removed) <TAB> Latin spellings, most used first.\n"
    "# Built by bench/build_arabic_lexicon.py from the train split (wd_arabic_64) of the\n"
    "# Wikidata English-Arabic name pairs in Amazon's COLING 2018 transliteration release\n"
    "# (github.com/steveash/NETransliteration-COLING2018). Data: CC0 1.0.\n"
)
# "al-"/"el-" before a consonant, or an assimilated article before its doubled sun letter
# ("en-nasra", "ennasra", "ash-shami").
_ENGLISH_ARTICLE = re.compile(r"^(?:[ae]l[-' ]?(?=[^aeiou])|[ae](sh|th|dh|[tdrzsn])[-' ]?(?=\1))")


def skeleton(spelling: str) -> str:
    """Consonant skeleton: vowels (and y) dropped, h/w after a consonant dropped, doubles
    collapsed. "Mohammed", "muhammad" and "mouhamad" all give "mhmd"; "khalid" gives "kld".

    Defined here, for the lexicon filter and the bench, until the matcher has its own.
    """
    letters = re.sub("[^a-z]", "", spelling.lower())
    kept: list[str] = []
    for index, char in enumerate(letters):
        after_consonant = index > 0 and letters[index - 1] not in VOWELS
        if char in VOWELS or (char in "hw" and after_consonant):
            continue
        if not kept or kept[-1] != char:
            kept.append(char)
    return "".join(kept)


def fold_english(text: str) -> str:
    """Lowercase ASCII letters only: "Muḥammad" → "muhammad", "ʿAbd" → "abd"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub("[^a-z]", "", ascii_text(stripped.replace("\u02bf", "").replace("\u02be", "")))


def entry(english: str, arabic: str) -> tuple[str, str] | None:
    """The (lexicon key, spelling) a pair teaches, or None when it teaches nothing."""
    key = lexicon_key(normalise_arabic(arabic.replace(" ", "")))
    if not all(is_arabic_script(char) for char in key):
        return None
    if key.startswith(ARTICLE) and len(key) > len(ARTICLE) + 1:
        match = _ENGLISH_ARTICLE.match(english.lower())
        if match or not english.lower().startswith(("al", "el")):
            key = key[len(ARTICLE) :]
            english = english[match.end() :] if match else english
    spelling = fold_english(english)
    return (key, spelling) if key and spelling else None


def build(lines: list[str]) -> dict[str, list[str]]:
    """Each Arabic token's spellings, most counted first, noise dropped."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        english, arabic, count = line.rstrip("\n").split("\t")
        found = entry(english, arabic)
        if found is not None:
            counts[found[0]][found[1]] += int(count)
    lexicon = {key: keep(key, counter) for key, counter in counts.items()}
    return {key: spellings for key, spellings in lexicon.items() if spellings}


def keep(key: str, counter: Counter[str]) -> list[str]:
    """The spellings worth shipping for one token: plausible, common enough, the best few."""
    rules = {skeleton(spelling) for spelling in rule_spellings(key)}
    plausible = {
        spelling: n
        for spelling, n in counter.items()
        if max(Indel.normalized_similarity(skeleton(spelling), rule) for rule in rules)
        >= MIN_SIMILARITY
    }
    total = sum(plausible.values())
    ranked = sorted(plausible.items(), key=lambda item: (-item[1], item[0]))
    return [spelling for spelling, n in ranked[:MAX_SPELLINGS] if n >= MIN_SHARE * total]


def write(lexicon: dict[str, list[str]], path: Path) -> None:
    """Write the sorted TSV, gzipped without a timestamp so rebuilds are byte-identical."""
    body = "".join(f"{key}\t{','.join(lexicon[key])}\n" for key in sorted(lexicon))
    path.write_bytes(gzip.compress((HEADER + body).encode("utf-8"), mtime=0))


def main() -> None:
    """Read the train split and write the lexicon."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=WIKIDATA)
    args = parser.parse_args()
    lines = (args.data / TRAIN).read_text(encoding="utf-8").splitlines()
    lexicon = build(lines)
    write(lexicon, OUTPUT)
    print(f"{len(lexicon)} tokens from {len(lines)} pairs → {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
