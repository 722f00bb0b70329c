"""Phonetic keys for Latin spellings of names, built for Arabic-origin names.

Written by hand: metaphone and soundex (``rigour.text.phonetics``) are tuned to English
spelling and drop the distinctions that matter here (Mahmoud vs Mohammed, Said vs Saad,
Hassan vs Hussein) while missing the romanisation variants that do not (Djamel = Gamal,
Chérif = Sharif, Toufik = Tawfiq). No library models Arabic romanisation conventions.

A key is a consonant skeleton with vowel slots:

* consonants go through one table of spelling equivalences (``_SPELLINGS``), each row one
  sound written several ways, mostly one Arabic letter in English, French, German or
  Egyptian practice;
* a word-initial vowel keeps its class, ``a`` (a e i) or ``u`` (o u), so Omar ≠ Amir;
* an inner vowel becomes ``e`` whatever its quality (Khalid = Khaled, Hamid = Hamed) but
  its presence counts (Mohammed ≠ Mahmoud, Amir ≠ Amr); a vowel pair with an i in it is an
  i-glide ``y`` (Hussein = Husayn ≠ Hassan, Said = Saeed ≠ Saad, Ziad = Ziyad);
* a final vowel keeps its class, ``a``, ``i`` or ``u``; a final e is silent (Ezzedine),
  and final -ah/-eh/-at is the feminine ta marbuta, ``a`` (Usamah = Usama, Hayat = Haya).

So ``key("Mohammed") == "mehemed"``, ``key("Hussein") == "hesyn"``,
``key("Usamah") == "usema"``. Tokens not in Latin script (Arabic) are returned as they are.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from watchkeeper.matching.names import normalise
from watchkeeper.matching.names.normalise import (
    ARTICLES,
    FATHER_OF,
    MOTHER_OF,
    SERVANT_OF,
    SON_OF,
    Role,
    analyse,
    may_be_article,
)

# Spelling equivalences, applied in order to a lower-case ASCII token. Each row is one sound
# with its common Latin spellings; upper-case codes mark rewritten letters so that later
# rows do not read them again. Deliberately left apart: kh and h (Khalid ≠ Halid: merging
# them would also make Khan = Han), s and th (Osman ≠ Othman), gh and g, p and b.
_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"(?<=..)at$|(?<=.)[ae]h$|(?<=.i)ye$", "a"),  # ta marbuta: Usamah, Fatemeh, Hayat,
        # and after i-y in Turkish and Levantine spelling: Zeiniye = Zayniyah
        (r"([b-df-hj-np-tv-z])\1+", r"\1"),  # doubled consonants: Hassan = Hasan
        (r"x", "ks"),  # x is /ks/ in European names: Alexander = Aleksandr
        (r"ee", "i"),  # English long i: Kareem = Karim
        # French ou before a vowel, first or after a vowel, is the consonant waw: Ouahid =
        # Wahid, Aouad = Awad, Sahraoui = Sahrawi (Daoud's ou, before a consonant, is u).
        (r"^ou(?=[aei])|(?<=[aei])ou(?=[aeiou])", "W"),
        (r"oo|ou", "u"),  # English and French long u: Mahmood, Moussa, Abou
        (r"ae", "ai"),  # a + hamza/ʿayn + i: Saeed = Said, Raed = Raid
        (r"sch|sh|ch", "C"),  # shin; ch is the French spelling: Chérif = Sharif
        (r"kh", "X"),  # kha
        (r"gh", "G"),  # ghayn
        (r"dzh", "J"),  # Russian дж as transliterated: Dzhamal = Jamal, Dzhordzh = George
        (r"th|dh|zh|z", "Z"),  # tha, dhal, za: Nadhir = Nazir, Hafidh = Hafiz
        (r"ph", "f"),  # Mustapha = Mustafa
        (r"dj|j|g", "J"),  # jim; dj French, g Egyptian: Djamel = Jamal = Gamal
        (r"ck|q|k", "K"),  # qaf and kaf: Qasim = Kasim
        (r"c(?=[eiy])", "s"),  # soft c: Yacine = Yasin
        (r"c", "K"),  # hard c: Yacoub = Yaqub
        (r"v", "W"),  # v is a consonant (Persian and Turkish waw): Vahid = Wahid
        (r"^y(?=[aeiou])", "Y"),  # initial y before a vowel is a consonant: Yasin
        (r"y", "i"),  # any other y is a vowel or i-glide: Aly = Ali, Zayd = Zaid
        (r"w(?=[aeiou])", "W"),  # w before a vowel is a consonant: Walid, Jawad, Awad
        (r"w", "u"),  # any other w is a u-glide: Tawfiq = Toufik = Taufik
        (r"(.)\1+", r"\1"),  # doubles made by the rewrites: Shukkri -> CuKKri
    )
)

_RUNS = re.compile(r"[aeiou]+|[^aeiou]")
_INITIAL = {"a": "a", "e": "a", "i": "a", "o": "u", "u": "u"}  # Omar = Umar ≠ Amir = Emir
_FINAL = {"a": "a", "e": "", "i": "i", "o": "u", "u": "u"}  # final e is silent

# One key per particle family, whatever the spelling (sun-letter forms ad-, ash-, ur- are
# mapped to "al" in ``particle_key``); European particles key as themselves.
PARTICLE_KEYS: dict[str, str] = {
    **dict.fromkeys(ARTICLES, "al"),
    **dict.fromkeys(SON_OF - {"bint", "binti", "binte"}, "bn"),
    **dict.fromkeys({"bint", "binti", "binte"}, "bnt"),
    **dict.fromkeys(FATHER_OF, "abu"),
    **dict.fromkeys(MOTHER_OF, "um"),
    **dict.fromkeys(SERVANT_OF, "abd"),
}


@dataclass(frozen=True, slots=True)
class KeyedPart:
    """A name part with its role and its phonetic key."""

    text: str
    role: Role
    key: str


@lru_cache(maxsize=262144)
def key(token: str) -> str:
    """Phonetic key of one normalised token (see the module docstring)."""
    if not token.isascii():
        return token
    text = token
    for pattern, code in _SPELLINGS:
        text = pattern.sub(code, text)
    return _skeleton(text.lower() if text.isascii() else text)


def _skeleton(text: str) -> str:
    """Consonants as they are, vowel runs as classes, glides and slots (module docstring)."""
    runs = _RUNS.findall(text)
    out: list[str] = []
    for index, run in enumerate(runs):
        if run[0] not in _INITIAL:
            out.append(run)
        elif index == 0:
            out.append(_INITIAL[run[0]] + ("y" if len(run) > 1 and "i" in run else ""))
        elif index == len(runs) - 1:
            out.append(("y" if "i" in run[:-1] else "") + _FINAL[run[-1]])
        else:
            out.append("y" if len(run) > 1 and "i" in run else "e")
    return "".join(out)


def particle_key(text: str) -> str:
    """The one key of a particle's family: al-/el-/ad-/ash- -> "al", bin/ibn/ould -> "bn"."""
    if text in PARTICLE_KEYS:
        return PARTICLE_KEYS[text]
    if len(text) in (2, 3) and text[0] in "aeu":  # sun-letter article: ad, ash, ur, es
        return "al"
    return text


@lru_cache(maxsize=65536)
def keyed_parts(name: str) -> tuple[KeyedPart, ...]:
    """Every part of ``name`` with its role and key; the article after "abd" is dropped."""
    out: list[KeyedPart] = []
    for part in analyse(name).parts:
        particle = part.role is Role.PARTICLE
        k = particle_key(part.text) if particle else key(part.text)
        if particle and k == "al" and out and out[-1].key == "abd":
            continue  # Abd al-Rahman = Abdul Rahman = Abdirahman: abd + rahman
        out.append(KeyedPart(part.text, part.role, k))
    return tuple(out)


@lru_cache(maxsize=1 << 18)
def plain_word(word: str) -> KeyedPart | None:
    """The keyed part of a word that is a name part whatever surrounds it, else None. Said
    three times over, such a word stays three equal name parts: no title, particle, initial,
    glued or split form. The sun-letter forms of the article (``an``, ``ash``) are not
    plain either: they are particles only before a matching sound."""
    parts = keyed_parts(f"{word} {word} {word}")
    if len(parts) != 3 or any(p.role is not Role.NAME or p != parts[0] for p in parts):
        return None
    return None if may_be_article(parts[0].text) else parts[0]


def forget() -> None:
    """Empty the caches of keyed names and words, and those of the analyses under them
    (see ``terms.forget_name_analyses``)."""
    for cached in (key, keyed_parts, plain_word, name_parts):
        cached.cache_clear()
    normalise.forget()


@lru_cache(maxsize=1024)
def name_parts(name: str) -> tuple[KeyedPart, ...]:
    """``keyed_parts(name)``, word by word from ``plain_word``'s cache when every word is
    plain: screening sees endless new names made of the same few thousand words, and the
    whole-name analysis costs tens of microseconds a name. The last names are kept: a
    screening asks twice, finding candidates and preparing the query."""
    if "," not in name:
        parts = [plain_word(word) for word in name.split()]
        if parts and None not in parts:
            return tuple(parts)  # type: ignore[arg-type]  # no None, checked
    return keyed_parts(name)


def keys(name: str) -> list[str]:
    """Keys of a name's parts in reading order, titles left out (``keyed_parts`` has them)."""
    return [p.key for p in keyed_parts(name) if p.role is not Role.TITLE]
