"""Build ``src/watchkeeper/data/name_token_counts.tsv.gz``: name-token counts by phonetic key.

Source: the Latin side of the Wikidata person-name tokens in the NETransliteration COLING
2018 English-Arabic set, CC0 1.0: lines ``english<TAB>arabic<TAB>count``, the count being
how often the token occurs in Wikidata person names. ``wd_arabic_64`` is the 64% training
split of one token list whose other splits are ``wd_arabic_16`` and ``wd_arabic_20``; the
splits share no token and all three are read, since "Ahmed" and "Mohamed" are only in the
smaller ones. Each token goes
through ``keys.keyed_parts`` like any name, so "abdulrahman" counts for "abd" and "rehmen";
only name parts (not titles or particles) are counted. The output is sorted and gzipped
with a fixed mtime, so the same input always gives the same bytes.

    python bench/build_name_counts.py [--source PATH ...] [--out PATH]
"""

import argparse
import gzip
from collections import Counter
from pathlib import Path

from paths import WIKIDATA
from watchkeeper.matching.names.keys import keyed_parts
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.names.rarity import REFERENCE

SOURCES = [WIKIDATA / f"wd_arabic_{split}" for split in (64, 16, 20)]
HEADER = (
    "# name-token counts keyed by watchkeeper.matching.names.keys.key\n"
    "# source: Wikidata person-name tokens (Latin side) via NETransliteration COLING 2018,"
    " wd_arabic_{64,16,20}; CC0 1.0\n"
)


def count_keys(sources: list[Path]) -> Counter[str]:
    """Sum the token counts of ``sources`` by the keys of the tokens' name parts."""
    counts: Counter[str] = Counter()
    for source in sources:
        with source.open(encoding="utf-8") as lines:
            for line in lines:
                latin, _arabic, count = line.rstrip("\n").split("\t")
                for part in keyed_parts(latin):
                    if part.role is Role.NAME and part.key.isascii():
                        counts[part.key] += int(count)
    return counts


def write_counts(counts: Counter[str], out: Path) -> None:
    """Write ``key<TAB>count`` lines sorted by key, gzipped with mtime 0."""
    body = HEADER + "".join(f"{k}\t{counts[k]}\n" for k in sorted(counts))
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(body.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, nargs="+", default=SOURCES)
    parser.add_argument("--out", type=Path, default=REFERENCE)
    args = parser.parse_args()
    counts = count_keys(args.source)
    write_counts(counts, args.out)
    print(f"{len(counts)} keys, {sum(counts.values())} token occurrences -> {args.out}")


if __name__ == "__main__":
    main()
