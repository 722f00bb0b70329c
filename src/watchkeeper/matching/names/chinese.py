"""Chinese names in the Latin spellings lists and passports give them: pinyin and Wade-Giles.

One Mandarin syllable has a pinyin spelling (Xi, Jin, Zedong) and a Wade-Giles one (Hsi,
Chin, Tse-tung), which Taiwan's passports, older lists and history books still use, with
the apostrophes of aspiration mostly dropped (P'ing is written Ping, so Ping may be pinyin
bing or ping). A Latin name of Chinese shape is read syllable by syllable, a glued given
name split (Jinping: jin ping), and each syllable gets the pinyin spellings it may write
as alternatives, so Hsi Chin-ping meets Xi Jinping and Mao Tse-tung Mao Zedong.

The syllables and their Wade-Giles forms come from pypinyin (its dictionary's readings
and its Wade-Giles style, derived once and shipped: ``pinyin_table``); written here: the
surnames that mark a name as Chinese (the hundred most common, in pinyin, after the
Ministry of Public Security's 2019 count) and the passport spellings of ü (Lyu, Lv, Lu).
"""

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from watchkeeper.matching.names import pinyin_table

# The hundred most common Chinese surnames, in pinyin (ü as v, as pypinyin writes it).
_SURNAMES = frozenset({
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
    "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo", "zheng", "liang", "xie", "song",
    "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan",
    "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lv", "ding", "ren", "lu",
    "yao", "shen", "zhong", "cui", "tan", "liao", "fan", "jin", "shi", "jia", "xia", "fu",
    "fang", "zou", "xiong", "bai", "meng", "qin", "qiu", "hou", "yin", "xue", "yan", "duan",
    "lei", "long", "tao", "gu", "mao", "hao", "gong", "shao", "wan", "qian", "dai", "mo",
    "kong", "xiang", "chang", "kang",
})  # fmt: skip
MAX_SYLLABLES = 4  # a surname of one or two syllables and a given name of one to three


@cache
def _spellings() -> dict[str, frozenset[str]]:
    """Each Latin spelling of a Mandarin syllable to the pinyin syllables it may write."""
    return pinyin_table.load()


def _surname_spellings() -> frozenset[str]:
    table = _spellings()
    return frozenset(s for s, pinyin in table.items() if pinyin & _SURNAMES)


@lru_cache(maxsize=65536)
def split_syllables(word: str) -> tuple[str, ...] | None:
    """``word`` as Mandarin syllables: itself, or a glued given name cut in two (jinping:
    jin, ping; the longer first syllable wins: xian stays one; a second syllable never
    starts with a, o or e, which pinyin would have marked with an apostrophe); None when it
    is neither. Kept: every Latin person's name screened asks it of its first word."""
    table = _spellings()
    if word in table:
        return (word,)
    longest = _longest()
    if len(word) > 2 * longest:  # most words: no two syllables make them
        return None
    for cut in range(min(len(word) - 1, longest), max(len(word) - longest, 1) - 1, -1):
        head, tail = word[:cut], word[cut:]
        if head in table and tail in table and tail[0] not in "aoe":
            return head, tail  # pinyin marks a syllable starting a, o, e: Xi'an, not Xian
    return None


@cache
def _longest() -> int:
    """The letters of the longest syllable spelling (Zhuang, Chuang: 6)."""
    return max(map(len, _spellings()))


def chinese_syllables(words: Sequence[str]) -> tuple[str, ...] | None:
    """The syllables of a Latin name of Chinese shape (lower-case ASCII words), None for
    any other name. Chinese shape: every word one syllable or a glued two, no more than
    four in all, and a common surname first or last (Wang Fang, Fang Wang), a glued given
    name beside a one-syllable surname (Xi Jinping; not two glued words: Kawa Panga) or
    three syllables written apart (Hsi Chin-ping: hyphens split)."""
    if not 2 <= len(words) <= MAX_SYLLABLES:
        return None
    splits: list[tuple[str, ...]] = []
    for word in words:  # most names fail on their first word: stop there
        split = split_syllables(word)
        if split is None:
            return None
        splits.append(split)
    syllables = tuple(s for split in splits for s in split)
    if len(syllables) > MAX_SYLLABLES:
        return None
    surnames = _surname_spellings()
    glued = len(words) == 2 and sorted(len(split) for split in splits) == [1, 2]
    apart = len(words) == len(syllables) == 3
    return syllables if glued or apart or words[0] in surnames or words[-1] in surnames else None


# Initials and finals that ears and spellers outside China confuse, each as its class:
# x, s and sh (Xi heard and written Shi or Si), q, c and ch, and a final n for ng
# (Jinpin for Jinping). Pinyin tells them apart, so the key makes them alike, never equal.
_SOUNDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:x|sh|s)"), "S"),
    (re.compile(r"^(?:q|ch|c)"), "C"),
    (re.compile(r"ng$"), "n"),
)


def sound_key(spelling: str) -> str:
    """The key of a Mandarin syllable's spelling that ``features`` compares: confusable
    initials and finals as one class (``_SOUNDS``), so Shi and Xi are alike, not equal."""
    for pattern, code in _SOUNDS:
        spelling = pattern.sub(code, spelling)
    return spelling


def pinyin_spellings(syllable: str) -> tuple[str, ...]:
    """A Latin syllable, then the pinyin syllables it may write (Chin: jin, qin)."""
    return (syllable, *sorted(_spellings().get(syllable, frozenset()) - {syllable}))
