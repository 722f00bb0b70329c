"""What a listed subject is posted under in the candidate index, and what a query looks up.

Each name token gives a *slot*: the phonetic keys it may have (``keys.key``; several for a
romanised Arabic token, so an Arabic query finds a Latin-only list and back, and for the
spellings the scorer reads alike: ``latin_slots``, ``org_slots``). A key is also
posted as its *skeleton*, the key without vowels, so a spelling one vowel off still meets
(Zawahri ``zewehri`` and Zawahiri ``zeweheri`` share ``~zwhr``). Particles and titles are
not posted: they say nothing about who someone is. Document and registry numbers are
looked up normalised (``normalise_identifier``), and only from ``MIN_IDENTIFIER``
characters.
"""

import itertools
import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from watchkeeper.matching.names import disguises, keys
from watchkeeper.matching.names.arabic import is_arabic_script, romanise
from watchkeeper.matching.names.baltic import baltic_stems
from watchkeeper.matching.names.chinese import (
    chinese_syllables,
    pinyin_spellings,
    sound_key,
    split_syllables,
)
from watchkeeper.matching.names.keys import KeyedPart, key, name_parts
from watchkeeper.matching.names.korean import korean_shaped, syllable_spellings
from watchkeeper.matching.names.nicknames import NICKNAMED
from watchkeeper.matching.names.normalise import TITLES, Role
from watchkeeper.matching.names.orgs import org_name
from watchkeeper.matching.names.scripts import is_other_script, readings
from watchkeeper.matching.prepared import (
    ORG_FILLERS,
    PERSON,
    acronyms,
    normalised_identifiers,
)
from watchkeeper.matching.subject import Subject

MIN_SKELETON = 3  # shorter skeletons ("mr" for Omar, "l" for Ali) match half the list
_GLUED_STARTS = ("al", "el", "abd")
_GLUED_PREFIX = re.compile(r"^(?:al|el|abd)(?=[a-z]{4,}$)")
LONGEST = 255  # words of a name counted by ``shortest_name`` (it fits a byte)
MIN_IDENTIFIER = 5  # shorter numbers ("1", "N/A") are noise or shared by many, not retrieved
_VOWELS = str.maketrans("", "", "aeiou")

# One token of a query name: the keys it may have (several for a romanised Arabic token).
Slot = tuple[str, ...]


@lru_cache(maxsize=1 << 20)
def skeleton(key: str) -> str | None:
    """The key without vowel slots, posted with a ``~`` so it never meets a key; None if short."""
    bare = key.translate(_VOWELS)
    return "~" + bare if len(bare) >= MIN_SKELETON else None


def skeletons(slot: Slot) -> Slot:
    """The skeletons of a slot's keys, those long enough to be posted."""
    return tuple(s for s in map(skeleton, slot) if s is not None)


def reading_slots(name: str) -> list[list[Slot]]:
    """``name_slots`` of each reading of a name: one for most names, one per reading of a
    name ``scripts.readings`` reads (a Han name as Chinese and as Japanese) or of a
    disguised name (``disguises.readings``: Ig0r Sech1n, VladimirPutin)."""
    if not is_other_script(name):
        return [name_slots(n) for n in (name, *disguises.readings(name))]
    return [_dedup([tuple(dict.fromkeys(map(key, t))) for t in r]) for r in readings(name)]


def _dedup(slots: list[Slot]) -> list[Slot]:
    return list(dict.fromkeys(slot for slot in slots if slot))


def name_slots(name: str) -> list[Slot]:
    """Keys of a name's tokens, one slot per token; Arabic script goes through ``romanise``,
    other scripts ``scripts.readings`` read give their first reading."""
    if is_other_script(name):
        return reading_slots(name)[0]
    if is_arabic_script(name):
        groups = romanise(name)
        slots = [
            tuple(dict.fromkeys(k for s in group if s not in TITLES for k in name_keys(s)))
            for group in groups
        ]
    else:
        slots = latin_slots(name)
    return list(dict.fromkeys(slot for slot in slots if slot))


def word_keys(name: str) -> list[str]:
    """Each word's own key, in reading order and once (the first of its slot's keys; a Latin
    name's words as written, without the syllables, stems and parts ``latin_slots`` adds):
    what finding a name in free text matches word by word (``mentions``)."""
    if is_other_script(name) or is_arabic_script(name):
        return [slot[0] for slot in name_slots(name)]
    return list(dict.fromkeys(name_keys(name)))


def latin_slots(name: str) -> list[Slot]:
    """One slot per name word of a Latin name, keyed as the scorer reads the word, so that
    retrieval finds what the scorer would match:

    * a name of Korean shape (``korean``): each word with the keys of every syllable it may
      write (Kim Chung Chong finds KIM JUNG JONG: 정 in McCune-Reischauer and the South);
    * a name of Chinese shape (``chinese``): one slot per syllable, a glued given name cut,
      each with the keys of the pinyin syllables it may write (Hsi Chin-ping finds Xi
      Jinping) and their sound classes (``chinese.sound_key``: Si Jinpin finds it too); a
      glued word's own key stays in its first slot (Jinping alone finds it);
    * a name of Baltic shape (``baltic``): each word with the keys of its stems (Sergejs
      Lavrovs finds Lavrov);
    * a word that starts with a glued Arabic article or "abd" the normaliser leaves whole
      (Alhakim, Abdrazzak) also has the key of the rest (al Hakim, Abd al-Razzaq).

    A slot's first key is its word's own: it weighs the slot. (A disguised name's readings
    are looked up as names of their own: ``reading_slots``.)"""
    parts = name_parts(name)
    named = [p for p in parts if p.role is Role.NAME]
    if len(named) == len(parts) and parts:
        words = [p.text for p in parts]
        if korean_shaped(words):
            return [tuple(dict.fromkeys(map(key, syllable_spellings(w)))) for w in words]
        if chinese_syllables(words) is not None:
            return [slot for w in words for slot in _chinese_slots(w)]
        if words[-1].endswith("s") and (stems := baltic_stems(words)) is not None:
            return [tuple(dict.fromkeys(map(key, word))) for word in stems]
    return _plain_slots(named)


def _plain_slots(parts: list[KeyedPart]) -> list[Slot]:
    """``_word_slot`` of each part, the common word (letters only, no glued article) made
    inline: a call per word is a fifth of an index build."""
    return [
        (p.key,) if p.text.isalpha() and not p.text.startswith(_GLUED_STARTS) else _word_slot(p)
        for p in parts
    ]


def _chinese_slots(word: str) -> list[Slot]:
    syllables = split_syllables(word) or (word,)
    slots = [
        [*map(key, spellings), *map(sound_key, spellings)]
        for spellings in map(pinyin_spellings, syllables)
    ]
    if len(syllables) > 1:
        slots[0].append(key(word))
    return [tuple(dict.fromkeys(slot)) for slot in slots]


def _word_slot(part: KeyedPart) -> Slot:
    text = part.text
    if text.isalpha():
        glued = _GLUED_PREFIX.match(text)
        if glued is None:
            return (part.key,)
        return tuple(dict.fromkeys((part.key, key(text[glued.end() :]))))
    if text.isdigit():
        return (text,)  # a number as written: 44 is not 4
    return (part.key,)


def forget_name_analyses() -> None:
    """Empty the caches of name analyses (keys, tokens, skeletons, readings). One pass over
    every listed name (``mentions.NameBook``) leaves some 30 MB there that later questions,
    about other names, do not reuse; the functions are pure, so only time is at stake."""
    keys.forget()
    skeleton.cache_clear()
    readings.cache_clear()


def name_keys(name: str) -> list[str]:
    """Keys of a name's name parts (``keys.name_parts``: word by word from a cache)."""
    return [p.key for p in name_parts(name) if p.role is Role.NAME]


def subject_names(subject: Subject) -> tuple[str, ...]:
    """Every name of a subject, strong and weak (a weak alias still finds its holder), and
    an organisation's acronyms (``prepared.acronyms``)."""
    return subject.names + subject.weak_names + acronyms(subject)


def subject_slots(subject: Subject) -> list[list[Slot]]:
    """The slots of every reading of every name of a subject (``subject_names``): a
    person's as ``reading_slots`` gives them, an organisation's Latin names without their
    legal forms and fillers (``org_slots``)."""
    person = subject.schema == PERSON
    return [
        slots
        for name in subject_names(subject)
        for slots in (reading_slots(name) if person or is_other_script(name) else [org_slots(name)])
    ]


def nickname_slots(subject: Subject) -> list[list[Slot]]:
    """The slots of each reading of a person's Latin names with a word of a nickname group
    as each other name of the group (Bill Gates: William Gates; ``nicknames``). Asked by a
    query only: the listed William is found by the query's Bill as William, and posting
    every William under Bill and Will too made each lookup of a common English name walk
    them all."""
    found: list[list[Slot]] = []
    for parts in _latin_person_names(subject):
        words = [p.text for p in parts]
        for i, word in enumerate(words):
            for other in NICKNAMED.get(word, ()):
                found.append(latin_slots(" ".join([*words[:i], other, *words[i + 1 :]])))
    return found


def spaced_slots(subject: Subject, known: Callable[[str], bool]) -> list[list[Slot]]:
    """The slots of each reading of a person's Latin names with two neighbouring words glued
    where one of them is a key no listed subject has (``known``): a word split in two
    ("Abubakar Swa lleh", "Bak ht Gul") then finds its listing, as the scorer reads it
    (``features._spaced``). Asked by a query only, and only when one of its slots finds
    nothing: posting every two neighbouring words glued trebled the index."""
    found: list[list[Slot]] = []
    for parts in _latin_person_names(subject):
        words = [p.text for p in parts]
        for i in range(len(words) - 1):
            if known(parts[i].key) and known(parts[i + 1].key):
                continue
            found.append(
                latin_slots(" ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]]))
            )
    return found


def _latin_person_names(subject: Subject) -> list[list[KeyedPart]]:
    """The name words of a person's names in Latin letters (none for another subject)."""
    if subject.schema != PERSON:
        return []
    return [
        [p for p in name_parts(name) if p.role is Role.NAME]
        for name in subject.names
        if not is_other_script(name) and not is_arabic_script(name)
    ]


def org_slots(name: str) -> list[Slot]:
    """An organisation name's slots, the words rewritten as the scorer reads them
    (``orgs.org_name``: numbers as digits, so 1st and First meet) and its legal forms and
    fillers left out, as the scorer weighs them next to nothing: "Limited" or "Company"
    would otherwise weigh as much as the one word that names the firm, and rank thousands of
    other firms beside it. A name of nothing else keeps them. Words glued in camel case
    (SiemensAG) are also read apart, as ``latin_slots`` reads them."""
    if is_arabic_script(name):
        return name_slots(name)
    apart = disguises.camel_apart(name)
    glued = _org_word_slots(name)
    return _dedup(glued if apart == name else _org_word_slots(apart) + glued)


def _org_word_slots(name: str) -> list[Slot]:
    org = org_name(name)
    parts = [p for p in name_parts(org.text) if p.role is Role.NAME]
    kept = [p for p in parts if p.text not in org.legal_forms and p.text not in ORG_FILLERS]
    return _plain_slots(kept or parts)


def subject_terms(subject: Subject) -> set[str]:
    """The posting terms of a listed subject: keys and skeletons of all its names."""
    return reading_terms(subject_slots(subject))


def reading_terms(readings: list[list[Slot]]) -> set[str]:
    """The keys and skeletons of the slots of a subject's readings (``subject_slots``)."""
    terms: set[str] = set()
    for slots in readings:
        for slot in slots:
            terms.update(slot)
    terms.update(skeletons(tuple(terms)))
    return terms


SIGNED_WORDS = 4  # longer names are rarely typed whole
SIGNED_CHOICES = 16  # a query's signatures asked at most, per name


def listed_signatures(readings: list[list[Slot]]) -> list[str]:
    """The ``signature`` of each name of a listed subject's readings of up to
    ``SIGNED_WORDS`` words, its words' own keys."""
    return list(dict.fromkeys(signature(slot[0] for slot in s) for s in readings if _signed(s)))


def signature(keys: Iterable[str]) -> str:
    """A name as one string: its words' keys in the order of the alphabet. A query that
    names a listed name exactly, in any order and any spelling of one key (Mohamed Ali, ALI
    Mohammed, محمد علي), finds its holders by it (``signatures``), where a common name's
    words alone find hundreds (97 listed subjects hold both words of Mohamed Ali)."""
    return " ".join(sorted(keys))


def query_signatures(readings: list[list[Slot]]) -> list[str]:
    """The signatures a query's names may have: one key of each word, each choice while
    there are at most ``SIGNED_CHOICES``, else the words' own keys."""
    found: list[str] = []
    for slots in readings:
        if not _signed(slots):
            continue
        choices = math.prod(len(slot) for slot in slots)
        if choices > SIGNED_CHOICES:
            found.append(signature(slot[0] for slot in slots))
        else:
            found.extend(map(signature, itertools.product(*slots)))
    return list(dict.fromkeys(found))


def _signed(slots: list[Slot]) -> bool:
    return 0 < len(slots) <= SIGNED_WORDS


def shortest_name(subject: Subject) -> int:
    """The words of a subject's shortest name, strong or weak (an organisation's acronyms,
    one word each, left out), at most ``LONGEST``. Retrieval ranks candidates of equal
    score by it, fewest first: most queries tie at the cut (19 of 20 innocent travellers
    against UN and OFAC: 97 listed subjects hold both words of "Mohamed Ali"), and the
    scorer ranks first those with the least else in their names: "David" before "GOMEZ
    ORTIZ, David"."""
    words = (len(n.replace(",", " ").split()) for n in subject.names + subject.weak_names)
    return min(min(words, default=0), LONGEST)


def identifier_terms(subject: Subject) -> list[str]:
    """The normalised numbers a subject is found by (``MIN_IDENTIFIER`` characters or more)."""
    if not subject.identifiers:
        return []
    return [n for n, _ in normalised_identifiers(subject) if len(n) >= MIN_IDENTIFIER]


DATED_LIMIT = 10  # a birth date more listed subjects share finds none of them (index)


def date_terms(subject: Subject) -> list[str]:
    """The full birth dates (year, month and day) a person is found by."""
    return [d for d in subject.birth_dates if len(d) == 10]
