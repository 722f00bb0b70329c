"""Latin readings of names in scripts other than Latin, Arabic and Cyrillic.

A name in Hangul, kana, Han, Thai, Hebrew, Greek or an Indic, Khmer, Myanmar, Georgian or
Armenian script has more than one Latin spelling that lists use, and a Han name more than
one reading. ``readings`` gives every plausible reading of a name, each a list of tokens,
each token its Latin spellings with the most conventional first; the matcher prepares and
indexes each reading as a name of its own and each token's spellings as alternatives.

Libraries, one per script: Hangul through ``korean`` (ICU's McCune-Reischauer and a table
of Revised Romanization); Han through ``pypinyin`` (pinyin
and Wade-Giles), ``cutlet`` (Japanese readings, also of kana, on fugashi and UniDic) and,
for a name of Korean length, Unicode's Korean readings (``hanja``);
Thai through ``pythainlp`` (the Royal Institute system, RTGS); Greek through ICU
(``Greek-Latin/BGN``) and rigour; everything else through ``anyascii`` with rigour's
ICU-backed ``ascii_text`` beside.

Written by hand, because no permissively licensed library has them: a few spelling rules
of loanwords in Hangul, katakana, Greek and Hebrew.
"""

import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

import icu
from anyascii import anyascii
from rigour.text.translit import ascii_text

from watchkeeper.matching.names.forms import latin_forms
from watchkeeper.matching.names.hanja import hangul
from watchkeeper.matching.names.korean import (
    HANGUL,
    KOREAN_NAME_SYLLABLES,
    hangul_word,
    korean_name,
)

if TYPE_CHECKING:
    import cutlet

Spellings = tuple[str, ...]
Reading = tuple[Spellings, ...]

# Letters of the scripts read here; Latin, Arabic and Cyrillic names never match (the
# caller tests ``str.isascii`` first, so a Latin name costs one call).
_HANDLED = re.compile(
    "[\u0370-\u03ff\u1f00-\u1fff"  # Greek
    "\u0530-\u058f"  # Armenian
    "\u0590-\u05ff"  # Hebrew
    "\u0900-\u0dff"  # Devanagari, Bengali ... Sinhala
    "\u0e00-\u0fff"  # Thai, Lao, Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u10a0-\u10ff\u1c90-\u1cbf"  # Georgian
    "\u1200-\u139f"  # Ethiopic
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff\u31f0-\u31ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"  # Hangul
)
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_THAI = re.compile("[\u0e00-\u0e7f]")
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_HEBREW = re.compile("[\u0590-\u05ff]")
_KHMER = re.compile("[\u1780-\u17ff]")
_NOT_LETTER = re.compile("[^a-z]")
MAX_SPELLINGS = 6  # per token: each one is compared and posted, so keep the best few


def is_other_script(name: str) -> bool:
    """Whether ``name`` has a letter of a script read here (never true of ASCII)."""
    return not name.isascii() and _HANDLED.search(name) is not None


@lru_cache(maxsize=16384)
def readings(name: str) -> tuple[Reading, ...]:
    """Every reading of ``name``: tokens, each with its Latin spellings, best first."""
    return tuple(reading for reading, _ in syllabic_readings(name))


@lru_cache(maxsize=16384)
def syllabic_readings(name: str) -> tuple[tuple[Reading, bool], ...]:
    """``readings``, each with whether its tokens are syllables of a Chinese or Korean name
    (习近平: xi, jin, ping; 김정은: kim, jong, un), whose every accepted spelling is listed:
    a spelling an edit away from them is another syllable (Jong and Jung are both given
    for 정; Nam and Ung are two syllables)."""
    words = _words(unicodedata.normalize("NFKC", name))
    found: list[tuple[Reading, bool]] = []
    for reader in _readers(words):
        reading = tuple(t for t in reader(words) if t)
        if reading and reading not in [r for r, _ in found]:
            found.append((reading, reader in _SYLLABIC))
    return tuple(found)


def _readers(words: list[str]) -> list[Callable[[list[str]], Reading]]:
    """Which readings a name has: a Han name is read as Chinese and as Japanese, a short
    Hangul name as a Korean name and as a word-for-word transcription; and any name with a
    word that Wikidata knows as a form of a name, with that name's Latin spellings."""
    text = "".join(words)
    known = [_known] if any(latin_forms(w) for w in words) else []
    if HANGUL.search(text):
        syllables = sum(len(HANGUL.findall(w)) for w in words)
        korean = syllables <= KOREAN_NAME_SYLLABLES and len(words) <= 2
        return [_korean_name, _plain, *known] if korean else [_plain, *known]
    if _KANA.search(text):
        return [_japanese, *known]
    if _HAN.search(text):
        return [_chinese, _japanese, *_hanja_readers(words), *known]
    return [_plain, *known]


def _words(text: str) -> list[str]:
    """Words split on spaces and punctuation (the katakana middle dot ・ included)."""
    out: list[str] = []
    word: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in "LMN":
            word.append(char)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def _unique(spellings: Iterable[str]) -> Spellings:
    """Lower-case ASCII letters only, duplicates and empties dropped, at most a few."""
    clean = (_NOT_LETTER.sub("", anyascii(s).lower()) for s in spellings)
    return tuple(dict.fromkeys(s for s in clean if s))[:MAX_SPELLINGS]


def _plain(words: list[str]) -> Reading:
    return tuple(_word(w) for w in words)


@lru_cache(maxsize=65536)
def _word(word: str) -> Spellings:
    """Spellings of one word read as a whole (not as a Korean or Chinese name)."""
    if HANGUL.search(word):
        return _unique(hangul_word(word))
    if _THAI.search(word):
        return _unique([_thai(word), anyascii(word)])
    if _GREEK.search(word):
        return _greek(word)
    if _HEBREW.search(word):
        return _hebrew(word)
    if _KHMER.search(word):
        return _khmer(word)
    if not _HANDLED.search(word):
        return _unique([ascii_text(word)])
    return _unique([anyascii(word), ascii_text(word)])


def _known(words: list[str]) -> Reading:
    """Each word as the Latin spellings of the names Wikidata says it is a form of
    (``forms``: 弗拉基米尔 is Vladimir, which no reading of its syllables gives), a word
    it does not know as ``_plain`` reads it."""
    return tuple(latin_forms(w) or _word(w) for w in words)


def _korean_name(words: list[str]) -> Reading:
    return tuple(_unique(spellings) for spellings in korean_name(words))


def _hanja_readers(words: list[str]) -> list[Callable[[list[str]], Reading]]:
    """A name of Korean length (two words at most, ``KOREAN_NAME_SYLLABLES`` characters),
    all of them Han characters with a Korean reading, is also read as Korean (金正恩)."""
    if len(words) > 2 or sum(map(len, words)) > KOREAN_NAME_SYLLABLES:
        return []
    return [_hanja] if all(_HAN.fullmatch(c) for w in words for c in w) else []


def _hanja(words: list[str]) -> Reading:
    """Han characters read as the Korean syllables of a name (``hanja``: 金正恩 김정은)."""
    read = [hangul(w) for w in words]
    return _korean_name([w for w in read if w]) if all(read) else ()


# --- Chinese and Japanese ---------------------------------------------------------------


def _chinese(words: list[str]) -> Reading:
    """One token per Han syllable, pinyin then Wade-Giles (Xi/Hsi, Jin/Chin, Ping): lists
    write the given name apart, hyphenated or glued, and the matcher compares glued names."""
    out: list[Spellings] = []
    for word in words:
        out.extend(_han_syllable(char) for char in word)
    return tuple(out)


@lru_cache(maxsize=16384)
def _han_syllable(char: str) -> Spellings:
    if not _HAN.match(char):
        return _word(char)
    pypinyin = pypinyin_module()
    pinyin = pypinyin.lazy_pinyin(char, style=pypinyin.Style.NORMAL, v_to_u=True)
    wade = pypinyin.lazy_pinyin(char, style=pypinyin.Style.WADEGILES)
    return _unique([*pinyin, *wade])


@cache
def pypinyin_module() -> ModuleType:
    """pypinyin, imported at the first Han name and without its phrase dictionary or copies
    of its dictionaries (``PYPINYIN_NO_PHRASES``, ``PYPINYIN_NO_DICT_COPY``, its own memory
    switches): 13 MB and 0.05 s instead of 58 MB and 0.3 s. One character at a time, as
    read here, reads the same without them (a test checks every character); the switches
    are read at import only, so the environment is left as it was."""
    switches = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
    before = {name: os.environ.get(name) for name in switches}
    os.environ.update(dict.fromkeys(switches, "1"))
    try:
        import pypinyin
    finally:
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
    return pypinyin


@cache
def _cutlet() -> "cutlet.Cutlet":
    """cutlet's Hepburn romaji over fugashi's MeCab segmentation with UniDic (MIT and BSD;
    pykakasi, which reads the same, is GPL)."""
    import cutlet  # with fugashi and MeCab, some 10 MB: only for a Japanese name

    katsu = cutlet.Cutlet()
    katsu.use_foreign_spelling = False  # its dictionary of loanwords: kana read as written
    return katsu


def _japanese(words: list[str]) -> Reading:
    """cutlet's segments (山田太郎: yamada, tarou) in Hepburn, with long vowels shortened
    as passports and lists write them (Taro), and katakana read as a loanword."""
    out: list[Spellings] = []
    for word in words:
        out.extend(_japanese_word(word))
    return tuple(out)


@lru_cache(maxsize=16384)
def _japanese_word(word: str) -> Reading:
    out: list[Spellings] = []
    katsu = _cutlet()
    for segment in katsu.tagger(word):
        hepburn = katsu.romaji_word(segment).lower()
        short = re.sub(r"([aeiou])\1|(o)u", r"\1\2", hepburn)
        spellings = [short, hepburn]
        if all("\u30a0" <= c <= "\u30ff" for c in segment.surface):
            spellings.insert(0, _katakana_loan(short))
        out.append(_unique(spellings))
    return tuple(out)


def _katakana_loan(romaji: str) -> str:
    """Katakana for a foreign name: チ and ジ stand for ti and di (プーチン: Putin) and a
    final u or o after a consonant is the vowel katakana adds (ウラジーミル: -mir)."""
    text = re.sub(r"chi", "ti", romaji)
    text = re.sub(r"ji", "di", text)
    return re.sub(r"(?<=[^aeiou])(?:u|o)$", "", text)


# --- Thai, Greek, Hebrew ----------------------------------------------------------------


def _thai(word: str) -> str:
    """RTGS, the Royal Institute system the Thai state writes names in (สมชาย: Somchai)."""
    from pythainlp.transliterate import romanize  # its import loads dictionaries: lazily

    return romanize(word, engine="royin")


@cache
def _greek_bgn() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Greek-Latin/BGN; Latin-ASCII")


def _greek(word: str) -> Spellings:
    """Greek as rigour and BGN write it, and as it sounds in a foreign name: ντ d, μπ b,
    γκ g and omicron-upsilon u (Βλαντίμιρ Πούτιν: Vladimir Putin)."""
    bgn = _greek_bgn().transliterate(word).lower()
    sound = re.sub(r"n[dt]", "d", bgn)
    sound = re.sub(r"m[bp]", "b", sound)
    sound = re.sub(r"ng|gk", "g", sound).replace("ou", "u")
    return _unique([ascii_text(word), bgn, sound])


def _hebrew(word: str) -> Spellings:
    """Hebrew writes few vowels: the letters as written, and waw and yod between
    consonants read as the vowels they mostly are (o/u, i), an initial פ as p (פוטין: putin)."""
    letters = anyascii(word).lower()
    vowels = re.sub(r"(?<=[^aeiou])v(?=[^aeiou]|$)", "u", letters)
    vowels = re.sub(r"(?<=[^aeiou])y(?=[^aeiou]|$)", "i", vowels)
    vowels = re.sub(r"^f", "p", vowels)
    return _unique([vowels, letters, vowels.replace("u", "o")])


def _khmer(word: str) -> Spellings:
    """Khmer as anyascii writes it (the UNGEGN vowels ei, ou, ie), and with the plain
    vowels a foreign name has (វ៉្លាឌីមៀរ: vladimir)."""
    letters = anyascii(word).lower()
    plain = letters.replace("ei", "i").replace("ou", "u").replace("ie", "i")
    return _unique([letters, plain])


# The readers whose tokens are syllables (defined last: they are).
_SYLLABIC: tuple[Callable[[list[str]], Reading], ...] = (_korean_name, _hanja, _chinese)
