"""Korean names in Hangul and in the Latin spellings lists give them.

A Hangul syllable has four Latin spellings in use (North Korean, McCune-Reischauer, Revised
Romanization, the common South Korean one), and a Korean name is a surname and one to three
given-name syllables that lists write apart, hyphenated or glued. Jong, Jung and Chong may all
be 정, Ri and Lee 리, Ryong and Yong 룡: a Latin name of Korean shape compares its syllables by
the Hangul syllables each spelling may denote, so two spellings of one syllable are equal
however many letters differ. Two different syllables are still compared as spellings (Chol
and Chun alike as the letters are), not refused: the aliases lists give one North Korean
(Ri Myong-chul, Ri Pyong Chul; Han Bong Su, Han Jang Su, in the name bench's pairs of one
person) differ by whole syllables often enough that a screening must not drop them.

Written by hand, because no permissively licensed library has them: Revised Romanization of
a syllable (ICU gives ISO 11941; the RR library on PyPI is GPL), the conventional spellings
of common Korean surnames (Lee, Park, Choi are no system's output), the split of a Korean
name into surname and given-name syllables, and the North Korean spelling (McCune-Reischauer
with j for ㅈ and r for ㄹ). McCune-Reischauer comes from ICU (``Korean-Latin/BGN``).
"""

import re
from collections.abc import Sequence
from functools import cache, lru_cache

import icu

HANGUL = re.compile("[\uac00-\ud7a3]")
_FIRST, _LAST = 0xAC00, 0xD7A3  # the Hangul syllable block
_LETTERS = re.compile("[^a-z]")
_NIEUN, _IEUNG = 2, 11  # ㄴ and ㅇ as initial consonants
_TENSE = frozenset({1, 4, 8, 10, 13})  # ㄲ ㄸ ㅃ ㅆ ㅉ as initials
_SINO_FINALS = frozenset({0, 1, 4, 8, 16, 17, 21})  # none, ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ
_Y_MEDIALS = frozenset({2, 3, 6, 7, 12, 17, 20})  # ya, yae, yeo, ye, yo, yu, i

# Korean names: family name first, one syllable, or two for the few two-syllable surnames;
# then one to three given-name syllables, which lists write apart, hyphenated or glued
# (Kim Jong Un, Kim Jong-un, Kim Jongun).
KOREAN_NAME_SYLLABLES = 4
_TWO_SYLLABLE_SURNAMES = frozenset({"남궁", "황보", "제갈", "선우", "독고", "사공", "서문"})
# The spellings Koreans and lists use for the common surnames, which neither romanisation
# system gives (Statistics Korea's census counts: these cover about 85 % of Koreans).
_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"), "이": ("lee", "yi", "rhee", "i"), "리": ("ri", "lee", "li", "rhee"),
    "박": ("park", "pak", "bak"), "최": ("choi", "choe"), "정": ("jung", "jong", "chung", "jeong"),
    "강": ("kang", "gang"), "조": ("cho", "jo", "joe"), "윤": ("yoon", "yun"),
    "장": ("jang", "chang"), "임": ("lim", "im", "rim"), "림": ("rim", "lim"),
    "한": ("han",), "오": ("oh", "o"), "서": ("seo", "suh", "so"), "신": ("shin", "sin"),
    "권": ("kwon", "gwon"), "황": ("hwang",), "안": ("ahn", "an"), "송": ("song",),
    "류": ("ryu", "yoo", "yu"), "유": ("yoo", "yu"), "전": ("jeon", "chun", "jun", "chon"),
    "홍": ("hong",), "고": ("ko", "go"), "문": ("moon", "mun"), "양": ("yang",),
    "손": ("son", "sohn"), "배": ("bae", "pae"), "백": ("baek", "paek", "baik"),
    "허": ("heo", "huh", "ho"), "노": ("roh", "noh", "no"), "로": ("ro", "roh"),
    "남": ("nam",), "하": ("ha",), "곽": ("kwak", "gwak"), "성": ("sung", "seong", "song"),
    "차": ("cha",), "주": ("joo", "ju", "chu"), "우": ("woo", "u"), "구": ("koo", "gu", "ku"),
    "민": ("min",), "나": ("na", "ra"), "라": ("ra", "na"), "진": ("jin", "chin"),
    "지": ("ji", "chi"), "엄": ("um", "eom", "om"), "변": ("byun", "byeon", "pyon"),
    "채": ("chae",), "원": ("won",), "천": ("chun", "cheon", "chon"), "방": ("bang", "pang"),
    "공": ("kong", "gong"), "현": ("hyun", "hyeon", "hyon"), "함": ("ham",),
    "염": ("yeom", "yum", "yom"), "여": ("yeo", "yo"), "추": ("choo", "chu"),
    "도": ("do", "to"), "석": ("seok", "suk", "sok"), "선": ("sun", "seon", "son"),
    "설": ("seol", "sul", "sol"), "마": ("ma",), "길": ("gil", "kil"), "연": ("yeon", "yon"),
}  # fmt: skip
_CHIEUT = 12  # ㅈ, the 13th initial consonant of a Hangul syllable
_RIEUL = 5  # ㄹ
_FINAL_RIEUL = 8  # ㄹ as a final consonant
_EU = 18  # ㅡ, the vowel Korean adds inside foreign consonant clusters (블라디미르)


def korean_name(words: list[str]) -> tuple[tuple[str, ...], ...]:
    """Surname, then each given-name syllable as a token (Kim / Jong / Un), each with its
    spellings as the systems write them (the caller folds them to ASCII letters)."""
    syllables = [s for w in words for s in w if HANGUL.match(s)]
    joined = "".join(syllables[:2])
    cut = 2 if joined in _TWO_SYLLABLE_SURNAMES and len(syllables) > 2 else 1
    surname = "".join(syllables[:cut])
    spelt = _SURNAMES.get(surname, ())
    first = spelt + tuple("".join(p) for p in zip(*map(_syllable, surname), strict=True))
    return (first, *((*_syllable(s), _revised(_southern(s))) for s in syllables[cut:]))


# Revised Romanization of one syllable block, from its three jamo (Unicode composes a block
# as 0xAC00 + (initial * 21 + medial) * 28 + final). Written by hand: the permissively
# licensed libraries give ISO 11941 (ICU's Hangul-Latin: bag, la), not RR (bak, ra), and the
# RR library on PyPI is GPL.
_RR_INITIALS = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "-", "j", "jj", "ch", "k", "t",
    "p", "h",
)  # fmt: skip
_RR_MEDIALS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
    "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
_RR_FINALS = (
    "-", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p",
    "p", "t", "t", "ng", "t", "t", "k", "t", "p", "-",
)  # fmt: skip


def _revised(syllable: str) -> str:
    """The Revised Romanization of one Hangul syllable block on its own (김: gim, 박: bak)."""
    index = ord(syllable) - 0xAC00
    initial, medial, final = index // 588, index % 588 // 28, index % 28
    parts = (_RR_INITIALS[initial], _RR_MEDIALS[medial], _RR_FINALS[final])
    return "".join(part for part in parts if part != "-")


@cache
def _mr() -> icu.Transliterator:
    return icu.Transliterator.createInstance("NFD; Korean-Latin/BGN; Latin-ASCII")


@lru_cache(maxsize=16384)
def _syllable(syllable: str) -> tuple[str, str, str, str]:
    """One Hangul syllable as the North Korean spelling, McCune-Reischauer, Revised
    Romanization and the common South Korean spelling (eo as u: Sung, Jung, Hyun)."""
    rr = _revised(syllable)
    mr = _mr().transliterate(syllable).replace("'", "")
    initial = (ord(syllable) - 0xAC00) // 588
    north = mr
    if initial == _CHIEUT:
        north = "j" + mr.removeprefix("ch")
    elif initial == _RIEUL:
        north = rr  # the North keeps an initial r (Ri, Ryong) where the South drops it
    return north, mr, rr, rr.replace("eo", "u")


def hangul_word(word: str) -> list[str]:
    """A Hangul word read whole, as a transcribed foreign name: its syllables joined, and
    joined without the ㅡ Korean puts between foreign consonants (블라디미르: bladimir)."""
    syllables = [s for s in word if HANGUL.match(s)]
    romanised = [_syllable(s) for s in syllables]
    loan = "".join(
        r[2].replace("eu", "", 1) if _added_vowel(s) else r[2]
        for s, r in zip(syllables, romanised, strict=True)
    )
    loan = loan.replace("lr", "l").replace("ll", "l")
    return [loan, *("".join(r[i] for r in romanised) for i in range(3))]


def _added_vowel(syllable: str) -> bool:
    """Whether the syllable's vowel is ㅡ with no final consonant or ㄹ (르, 블, 스, 트)."""
    index = ord(syllable) - 0xAC00
    return index % 588 // 28 == _EU and index % 28 in (0, _FINAL_RIEUL)


# --- Korean names in Latin letters -------------------------------------------------------


@cache
def _denoted() -> dict[str, frozenset[str]]:
    """Each Latin spelling of a name syllable (any of the four systems, or a surname's usual
    spelling) to the Hangul syllables it may stand for, as the South writes them. Names are
    Sino-Korean syllables: no tense initial (ㄲ ㄸ ㅃ ㅆ ㅉ), no final but ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ."""
    table: dict[str, set[str]] = {}
    for code in range(_FIRST, _LAST + 1):
        index = code - _FIRST
        if index // 588 in _TENSE or index % 28 not in _SINO_FINALS:
            continue
        syllable = chr(code)
        for spelling in _syllable(syllable):
            table.setdefault(_LETTERS.sub("", spelling), set()).add(_southern(syllable))
    for surname, spellings in _SURNAMES.items():
        if len(surname) == 1:
            for spelling in spellings:
                table.setdefault(spelling, set()).add(_southern(surname))
    return {spelling: frozenset(syllables) for spelling, syllables in table.items() if spelling}


def _southern(syllable: str) -> str:
    """The syllable as the South writes it at the start of a word (the initial-sound rule:
    룡 is 용, 리 is 이, 라 is 나, 녀 is 여), so that Ryong and Yong, Ri and Yi, Ryul and Yul are
    one syllable, as lists of North and South spell the same name."""
    index = ord(syllable) - _FIRST
    initial, rest = index // 588, index % 588
    medial = rest // 28
    if initial == _RIEUL:
        initial = _IEUNG if medial in _Y_MEDIALS else _NIEUN
    elif initial == _NIEUN and medial in _Y_MEDIALS:
        initial = _IEUNG
    return chr(_FIRST + initial * 588 + rest)


@cache
def _surname_spellings() -> frozenset[str]:
    single = (spellings for surname, spellings in _SURNAMES.items() if len(surname) == 1)
    return frozenset(spelling for spellings in single for spelling in spellings)


def syllable_spellings(word: str) -> tuple[str, ...]:
    """A Latin syllable of a Korean name, then the Revised Romanization of every syllable it
    may write, as the South writes it (Chol: cheol, jeol...): two spellings of one syllable
    share one, two syllables none (Chol and Chun, Pong and Pyong)."""
    denoted = _denoted().get(word, frozenset())
    return (word, *sorted({_revised(syllable) for syllable in denoted} - {word}))


def korean_shaped(words: Sequence[str]) -> bool:
    """Whether a Latin name (lower-case ASCII words) reads as a Korean name: a common Korean
    surname first or last, and one to three more words, each a spelling of a syllable
    (Kim Yong Chol, Kim Yong-chol, Yong Chol KIM). Glued given names (Yongchol) are not read
    as syllables: the matcher's glued comparison serves them."""
    if not 2 <= len(words) <= KOREAN_NAME_SYLLABLES:
        return False
    surnames = _surname_spellings()
    if words[0] not in surnames and words[-1] not in surnames:
        return False  # before the syllable table: most names never need it built
    table = _denoted()
    return all(word in table for word in words)
