"""Names disguised to slip past a screen, read back as the names they hide.

A name can be written so that a filter misses it while any reader still sees it: words
glued in camel case (YunosUmparaMoklis), digits or symbols for the letters they look like
(Ig0r Sech1n, @bu B4kr), each word written backwards (rimaldiV nituP). ``readings`` gives
the plain names such a name may be; the scorer prepares each as another name of the subject
(``prepared.prepare_names``) and retrieval looks each up (``terms.reading_slots``), the name
as written staying first. A plain name has none, at the cost of a few string tests.

Written by hand: these are habits of people evading a screen, which no maintained name
library undoes (rigour's tokenizer drops the digits' meaning and keeps a backwards word).
"""

import re

# What every disguise read here shows: a digit or symbol, or a capital after a small letter
# (camel case, or a word's capital at its end). Most names have none and cost one search.
_SUSPECT = re.compile(r"[0-9@$]|[a-z][A-Z]")
# A capital after a small letter and before another letter: SiemensAG, not rimaldiV.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z]\w)")
# Digits and symbols written for the letters they look like. A one may be an i or an l
# (M0kl1s, A1i): both are read.
_LOOK_ALIKES = str.maketrans("0345789@$", "oeastbgas")
_ONE_AS = ("i", "l")


def readings(name: str) -> tuple[str, ...]:
    """The names a disguised ``name`` may be, without ``name`` itself; none for most names."""
    if _SUSPECT.search(name) is None:
        return ()
    found = [camel_apart(name), *_letters_for_digits(name), _backwards(name)]
    return tuple(r for r in dict.fromkeys(found) if r != name)


def _cased_plainly(name: str) -> bool:
    """Title, upper or lower case: no word glued in camel case."""
    return name.istitle() or name.isupper() or name.islower()


def camel_apart(name: str) -> str:
    """``name`` with words glued in camel case read apart (VladimirPutin, SiemensAG)."""
    return name if _cased_plainly(name) else _CAMEL.sub(" ", name)


def _letters_for_digits(name: str) -> list[str]:
    """``name`` with the digits and symbols of its lettered words read as letters, a one as
    i and as l; nothing when no lettered word has one (44 Brigade keeps its number)."""
    words = [(w, _has_look_alike(w)) for w in name.split()]
    if not any(alike for _, alike in words):
        return []
    return [
        " ".join(w.translate(_LOOK_ALIKES).replace("1", one) if alike else w for w, alike in words)
        for one in _ONE_AS
    ]


def _has_look_alike(word: str) -> bool:
    """A word of two letters or more with a part that mixes letters with digits, @ or $
    (Sech1n, @li, K474n94, 41-S3b41, Chang-H0), not a number or a code (44, F-16, Su-27)."""
    return sum(c.isalpha() for c in word) >= 2 and any(map(_looks_alike, word.split("-")))


def _looks_alike(part: str) -> bool:
    return any(c.isalpha() for c in part) and any(c.isdigit() or c in "@$" for c in part)


def _backwards(name: str) -> str:
    """``name`` with each word written backwards read forwards: a capitalised word reversed
    is no longer capitalised, but its reversal is (rimaldiV, bawwaT-lA-dbA). The words keep
    their order: a whole name reversed differs only in it, which matters only around "bin"
    (``features.name_lineage``)."""
    return " ".join(w[::-1] if _backwards_word(w) else w for w in name.split())


def _backwards_word(word: str) -> bool:
    return word[::-1].istitle() and not word.istitle()
