"""Organisation names: legal forms of every language as their type, numbers as digits.

"Korlátolt Felelősségű Társaság", "Kft.", Russian "OOO" and "Limited" are one thing, a limited
company; "Brigade Forty-Four" is "Brigade 44" and "Fund I" is "Fund 1". Both tables are
maintained by OpenSanctions in rigour: the org-type table (ISO 20275 legal forms, OCCRP's
list, Wikipedia's types of business entity), rewritten to its generic form (``llc``,
``jsc``), and the ordinals table (cardinals, ordinals and Roman numerals in the main
languages). Written here: which words may be read as numbers, and the scan that rewrites
them.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rigour._core import ordinals_dict, stopwords_list
from rigour.names import extract_org_types

from watchkeeper.matching.names.normalise import normalise

LONGEST = 4  # words in the longest number phrase read ("cuarenta y cuatro")
# One-letter Roman numerals read as numbers only at the end of a name after a longer word
# ("Fund I", "Victory V"): elsewhere a single letter is an initial ("A.B.C. Company").
LETTER_NUMERALS = frozenset({"i", "v", "x"})


@dataclass(frozen=True, slots=True)
class OrgName:
    """An organisation name rewritten for comparison, with what the rewriting found."""

    text: str
    legal_forms: frozenset[str]  # generic legal forms: llc, jsc, ...
    numbers: frozenset[str]  # as digits


@cache
def number_phrases() -> dict[tuple[str, ...], str]:
    """Each written form of a number in rigour's table, as normalised words, to its digits."""
    phrases: dict[tuple[str, ...], str] = {}
    for number, forms in ordinals_dict().items():
        for form in forms:
            words = tuple(normalise(form).split())
            if words and len(words) <= LONGEST:
                phrases.setdefault(words, str(number))
    return phrases


@cache
def minor_letters() -> frozenset[str]:
    """One-letter words that are prepositions or conjunctions (Russian s, i, v,
    Romance "e", "y", "a"), folded as names are: never an initial in an organisation name."""
    folded = (normalise(word) for word in stopwords_list())
    return frozenset(w for w in folded if len(w) == 1)


@lru_cache(maxsize=65536)
def org_name(name: str) -> OrgName:
    """``name`` with legal forms as their generic type and numbers as digits."""
    text = name.casefold()
    forms: set[str] = set()
    for written, generic in extract_org_types(text, generic=True):
        if written.strip(".") not in _stopwords():  # the table's "in" (Inc.) is a preposition
            text = re.sub(rf"(?<!\w){re.escape(written)}(?!\w)", f" {generic} ", text)
            forms.add(generic)
    words = normalise(text).split()
    rewritten, numbers = _numbers(words, frozenset(forms))
    return OrgName(" ".join(rewritten), frozenset(forms), numbers)


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(stopwords_list())


def _numbers(words: list[str], forms: frozenset[str]) -> tuple[list[str], frozenset[str]]:
    """Number phrases replaced by their digits, longest first, and the numbers found
    (``forms``: the legal forms, which may follow a final numeral: "Fund I Ltd")."""
    phrases = number_phrases()
    out: list[str] = []
    found: set[str] = set()
    written = False  # the last number was written in words ("Forty"), not digits
    at = 0
    while at < len(words):
        for size in range(min(LONGEST, len(words) - at), 0, -1):
            phrase = tuple(words[at : at + size])
            number = phrases.get(phrase)
            if number is not None and _may_be_number(phrase, words, at, forms):
                in_words = not phrase[0].isdigit()
                if out and (written or in_words) and _tens(out[-1], number):
                    found.discard(out[-1])  # "Forty 4", "40 four": 44; "40 5" stays
                    number = str(int(out.pop()) + int(number))
                written = in_words
                out.append(number)
                found.add(number)
                at += size
                break
        else:
            out.append(words[at])
            at += 1
    return out, frozenset(found)


def _tens(previous: str, number: str) -> bool:
    """Whether ``previous`` is a round ten (20..90) and ``number`` a unit that adds to it."""
    return (
        previous.isdigit()
        and 20 <= int(previous) <= 90
        and int(previous) % 10 == 0
        and len(number) == 1
        and number != "0"
    )


def _may_be_number(
    phrase: tuple[str, ...], words: list[str], at: int, forms: frozenset[str]
) -> bool:
    if len(phrase) > 1 or len(phrase[0]) > 1 or phrase[0].isdigit():
        return True
    last = all(word in forms for word in words[at + 1 :])
    return phrase[0] in LETTER_NUMERALS and last and at > 0 and len(words[at - 1]) > 1


ACRONYM_WORDS = 3  # fewer initials than this name too many organisations at once


@lru_cache(maxsize=65536)
def acronym(name: str) -> str | None:
    """The initials an organisation is known by ("PLA" for People's Liberation Army, "IRGC"),
    from the words that carry its name: not its legal form, numbers, articles or
    prepositions (rigour's stopwords); None for names of fewer than ``ACRONYM_WORDS``."""
    org = org_name(name)
    words = [
        w
        for w in org.text.split()
        if w not in org.legal_forms and w not in _stopwords() and w.isalpha() and w.isascii()
    ]
    if len(words) < ACRONYM_WORDS:
        return None
    return "".join(w[0] for w in words)
