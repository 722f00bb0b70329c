"""Nicknames of given names: Bill is William, Bob Robert, Dick Richard, Jack John.

A screened person may give the name they go by, the list the one on their passport. The
groups are the ``NICK`` symbols of rigour's name tagger (curated by OpenSanctions, what
logic-v2 matches nicknames with), derived once into ``data/nicknames.tsv`` by
``bench/build_nicknames.py``: the tagger takes seconds to build. A name word of a group has
the group's symbol as another spelling (``prepared``): one character of Unicode's private
use area per group, which equals only itself and is like no letter, so Bill and William
pair as equal while Jonathan is no nearer Fayhan for Jon's sake. Retrieval looks up the
group's other words (``terms``).
"""

from pathlib import Path

TABLE = Path(__file__).resolve().parents[2] / "data" / "nicknames.tsv"
_FIRST_SYMBOL = 0xE000  # Unicode's private use area: no name is written in it


def _read() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Each word of a group to the other words of its groups, and to its groups' symbols."""
    others: dict[str, dict[str, None]] = {}
    symbols: dict[str, list[str]] = {}
    with TABLE.open(encoding="utf-8") as lines:
        groups = [line for line in lines if not line.startswith("#")]
    for number, line in enumerate(groups):
        words = line.rstrip("\n").split("\t")[1].split(" ")
        for word in words:
            others.setdefault(word, {}).update(dict.fromkeys(w for w in words if w != word))
            symbols.setdefault(word, []).append(chr(_FIRST_SYMBOL + number))
    return (
        {word: tuple(found) for word, found in others.items()},
        {word: tuple(found) for word, found in symbols.items()},
    )


NICKNAMED, NICKNAME_SYMBOLS = _read()
"""The other words of each word's nickname groups (william: bill, will), and the symbols of
its groups; read at import (a few dozen lines), so that the hot paths ask a dict."""
