"""Nicknames of given names: Bill is William, Bob Robert, Dick Richard, Jack John.

A screened person may give the name they go by, the list the one on their passport. The
groups are the ``NICK`` symbols of rigour's name tagger (curated by OpenSanctions, what
logic-v2 matches nicknames with), derived once into ``data/nicknames.tsv`` by
``bench/build_nicknames.py``: the tagger takes seconds to build. A name word of a group has
the group's other words as other spellings (``prepared``) and their keys in retrieval
(``terms``), so Bill Gates meets William Gates as a spelling, not as the same text.
"""

from pathlib import Path

TABLE = Path(__file__).resolve().parents[2] / "data" / "nicknames.tsv"


def _read() -> dict[str, tuple[str, ...]]:
    """Each word of a group to the other words of its groups."""
    others: dict[str, dict[str, None]] = {}
    with TABLE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            words = line.rstrip("\n").split("\t")[1].split(" ")
            for word in words:
                others.setdefault(word, {}).update(dict.fromkeys(w for w in words if w != word))
    return {word: tuple(found) for word, found in others.items()}


NICKNAMED: dict[str, tuple[str, ...]] = _read()
"""The other words of each word's nickname groups (william: bill, will); read at import (a
few dozen lines), so that the hot paths ask a dict, not a function."""
