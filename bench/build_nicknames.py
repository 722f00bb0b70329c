"""Build ``src/watchkeeper/data/nicknames.tsv``: English given names and their nicknames
(Bill and William, Bob and Robert, Dick and Richard), from rigour's name tagger.

Source: the ``NICK`` symbols of rigour's person-name tagger (rigour 2.6.1, MIT, curated by
OpenSanctions; what logic-v2 matches nicknames with). The tagger takes seconds to build at
first use and has no list of its symbols, so each Latin name word Wikidata knows (the Latin
spellings of ``data/name_forms.tsv.gz``) is tagged once here and the groups it finds are
written out, one ``symbol<TAB>words`` line each, sorted, so the same rigour gives the same
file. Regenerate after upgrading rigour:

    python bench/build_nicknames.py [--out PATH]
"""

import argparse
import gzip
from collections import defaultdict
from pathlib import Path

from rigour.names import NameTypeTag, analyze_names

from watchkeeper.matching.names.forms import FORMS

TABLE = FORMS.parent / "nicknames.tsv"  # not imported: ``nicknames`` reads it at import


def vocabulary() -> list[str]:
    """The Latin name words of the name-forms table, each once."""
    words: set[str] = set()
    with gzip.open(FORMS, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                words.update(line.rstrip("\n").split("\t")[1].split(" "))
    return sorted(w for w in words if w.isalpha() and w.isascii())


def groups(words: list[str]) -> dict[str, set[str]]:
    """Each NICK symbol the tagger gives a word of ``words``, with those words."""
    found: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for tagged in analyze_names(
            NameTypeTag.PER, [word], rewrite=False, phonetics=False, numerics=False
        ):
            for span in tagged.spans:
                symbol = str(span.symbol)
                if symbol.startswith("[NICK:") and len(span.parts) == 1:
                    found[symbol[6:-1].lower()].add(word)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TABLE)
    args = parser.parse_args()
    found = {s: w for s, w in groups(vocabulary()).items() if len(w) > 1}
    header = (
        "# nickname group<TAB>name words: the NICK symbols of rigour 2.6.1's name tagger (MIT,"
        " OpenSanctions), by bench/build_nicknames.py\n"
    )
    lines = [f"{s}\t{' '.join(sorted(w))}\n" for s, w in sorted(found.items())]
    args.out.write_text(header + "".join(lines), encoding="utf-8")
    print(f"{len(lines)} groups -> {args.out}")


if __name__ == "__main__":
    main()
