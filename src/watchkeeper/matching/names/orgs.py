"""Organisation names: legal forms of every language as their type, numbers as digits,
words of one meaning as one symbol, and place names known as such.

"Korlátolt Felelősségű Társaság", "Kft.", Russian "OOO" and "Limited" are one thing, a limited
company; "Brigade Forty-Four" is "Brigade 44" and "Fund I" is "Fund 1"; "Int'l" is
"International", Russian "завод" is "Plant"; "Schweiz" and "Europe" are places. The tables are
maintained by OpenSanctions in rigour: the org-type table (ISO 20275 legal forms, OCCRP's
list, Wikipedia's types of business entity), rewritten to its generic form (``llc``,
``jsc``), the ordinals table (cardinals, ordinals and Roman numerals in the main languages),
and the name tagger's organisation symbols, domains and locations (what logic-v2 matches
symbols with). Written here: which words may be read as numbers, and the scan that rewrites
them.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rigour._core import ordinals_dict, stopwords_list
from rigour.names import NameTypeTag, SymbolCategory, analyze_names, extract_org_types
from rigour.territories import get_territories

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
    symbols: tuple[tuple[str, str], ...] = ()
    """(word, symbol) for each word that rigour's tagger gives a symbol or domain: "intl" and
    "international" both ``intl``, "plant" and "zavod" both ``factory``."""
    places: frozenset[str] = frozenset()
    """Words rigour's tagger reads as a place (a country, a region, in its many languages):
    a branch named for where it works ("Deutsche Bank (Schweiz)") is the same group."""
    initialisms: frozenset[str] = frozenset()
    """Words written as dotted letters ("A.B.C."), folded ("abc"): initials, which name the
    firm only spelt alike ("N.A.B.C." is another firm, not a misspelling)."""


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
    text, forms = _legal_forms(name.casefold())
    words = normalise(text).split()
    rewritten, numbers = _numbers(words, forms)
    symbols, places = _tagged(name)
    initialisms = frozenset(normalise(w) for w in _INITIALISM.findall(name))
    return OrgName(" ".join(rewritten), frozenset(forms), numbers, symbols, places, initialisms)


_INITIALISM = re.compile(r"(?<![\w.])(?:[^\W\d_]\.){2,}(?!\w)")  # A.B.C., N.A.B.C.


def _legal_forms(written: str) -> tuple[str, frozenset[str]]:
    """``written`` with the legal forms of rigour's table as their generic type, and those
    types. The table knows some forms only with their dots (d.o.o.) and some only without:
    "SA de C.V." finds only "sa" as written, "sa de cv" without the dots of its initials.
    A form partly found is read without them when that finds more of it."""
    text, forms, covered = _forms_found(written)
    undotted = _INITIALISM.sub(lambda letters: letters[0].replace(".", ""), written)
    if forms and undotted != written:
        other = _forms_found(undotted)
        if other[2] > covered:
            return other[0], other[1]
    return text, forms


def _forms_found(text: str) -> tuple[str, frozenset[str], int]:
    """``text`` with its legal forms as their types, the types, and the letters they cover."""
    forms: set[str] = set()
    covered = 0
    for written, generic in extract_org_types(text, generic=True):
        if written.strip(".") not in _stopwords():  # the table's "in" (Inc.) is a preposition
            text = re.sub(rf"(?<!\w){re.escape(written)}(?!\w)", f" {generic} ", text)
            forms.add(generic)
            covered += sum(c.isalpha() for c in written)
    return text, frozenset(forms), covered


# What the tagger says of a word that is read as one: the same thing in other words.
_MEANING = (SymbolCategory.SYMBOL, SymbolCategory.DOMAIN)


def _tagged(name: str) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """``OrgName.symbols`` and ``places``: the words of the tagger's spans, folded as names
    are (so "завод" is the token "zavod"). The name is tagged as written and folded: the
    tagger knows "Mexico" but not "México", and "завод" but not "zavod". A symbol only of a
    span of one word: one of several words is a whole name ("People's Liberation Army",
    "Al-Qa'ida/Islamic Army"), and given to each of its words it would pair any of them with
    any other."""
    folded = normalise(name)
    symbols: dict[tuple[str, str], None] = {}  # a set that keeps the order found
    places = {w for w in folded.split() if w in _continents()}
    for tagged in analyze_names(
        NameTypeTag.ORG,
        [name, folded],
        rewrite=False,
        phonetics=False,
        numerics=False,
        consolidate=False,
    ):
        for span in tagged.spans:
            category = span.symbol.category
            words = [w for part in span.parts for w in normalise(part.form).split()]
            if category in _MEANING and len(words) == 1:
                symbols[words[0], str(span.symbol.id).lower()] = None
            elif category is SymbolCategory.LOCATION:
                places.update(words)
    return tuple(symbols), frozenset(places)


@cache
def _continents() -> frozenset[str]:
    """The regions countries belong to in rigour's territory table ("Europe", "Asia"): the
    tagger knows countries and cities, not these."""
    return frozenset(normalise(t.region) for t in get_territories() if t.is_country and t.region)


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
