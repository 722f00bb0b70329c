# The tables below are Arabic script, which RUF001 takes for look-alikes of Latin letters.
# ruff: noqa: RUF001
"""Latin spellings for Arabic-script names, the way Latin sanctions lists write them.

Neither rigour nor Watchman romanises Arabic script, and ICU writes consonants only
("mḥmd"), which no Latin list uses. ``romanise`` gives each name token a few lowercase
Latin spellings, most likely first, from three sources:

* a lexicon of name tokens learnt from Wikidata English-Arabic person-name pairs
  (``data/arabic_names.tsv.gz``, built by ``bench/build_arabic_lexicon.py``; CC0);
* spelling rules for tokens the lexicon lacks: a letter table, plus the short vowels that
  Arabic leaves unwritten inserted as Latin lists do, searched with a small beam; and the
  same tokens read as a name from another language written in Arabic script (Lavrov,
  Ortega), vowels as written and g, v, p, ch for the letters that borrow them;
* particles and clitics: the article ال, عبد with the word after it, بن/ابن, أبو, بنت.

Output contract for the matcher:

* one list per token group; each spelling is lowercase ``a-z`` plus ``-`` and `` ``;
* ``-`` only ever joins the article to its word ("al-zawahiri", "ash-shami", "el-masri"),
  so the part after the hyphen is the bare word; removing hyphens gives the joined form;
* عبد and the word after it (also written joined, عبدالله) form one group, spelt
  "abdullah", "abd allah", "abd al-rahman", "abdul rahman", "abdelrahman", "abdurrahman";
  compare such spellings with spaces and hyphens removed;
* بن, ابن, أبو, بنت are groups of their own ("bin", "abu", "bint");
* spellings that differ only by spaces and hyphens are given once.
"""

import gzip
import heapq
import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files
from operator import itemgetter

Options = tuple[tuple[str, float], ...]
Scored = list[tuple[str, float]]

LEXICON_FILE = "arabic_names.tsv.gz"
# Rule spellings kept after the lexicon's for a lexicon hit: the lexicon lists the spellings
# Wikidata saw, the rules add the plain spelling a list may use instead (tuned on dev).
RULE_SLOTS = 1

# Letters whose Latin form does not depend on their place in the word. Weights only order
# the alternatives: 1.0 is what Latin lists usually write. ع, ء and ئ write no Latin letter
# themselves; the vowel around them comes from the short-vowel slots.
_CONSONANTS: dict[str, Options] = {
    "ب": (("b", 1.0),),
    "ت": (("t", 1.0),),
    "ث": (("th", 1.0), ("s", 0.4)),
    "ج": (("j", 1.0), ("g", 0.5)),
    "ح": (("h", 1.0),),
    "خ": (("kh", 1.0),),
    "د": (("d", 1.0),),
    "ذ": (("dh", 1.0), ("z", 0.6), ("d", 0.3)),
    "ر": (("r", 1.0),),
    "ز": (("z", 1.0),),
    "س": (("s", 1.0),),
    "ش": (("sh", 1.0),),
    "ص": (("s", 1.0),),
    "ض": (("d", 1.0), ("dh", 0.5)),
    "ط": (("t", 1.0),),
    "ظ": (("z", 1.0), ("dh", 0.5)),
    "ع": (("", 1.0),),
    "غ": (("gh", 1.0), ("g", 0.4)),
    "ف": (("f", 1.0),),
    "ق": (("q", 1.0), ("k", 0.6)),
    "ك": (("k", 1.0),),
    "ل": (("l", 1.0),),
    "م": (("m", 1.0),),
    "ن": (("n", 1.0),),
    "ه": (("h", 1.0),),
    "ء": (("", 1.0),),
    "ئ": (("", 1.0),),
    # Persian, Urdu and Pashto letters without an Arabic twin.
    "پ": (("p", 1.0),),
    "چ": (("ch", 1.0),),
    "ژ": (("zh", 1.0), ("j", 0.4)),
    "گ": (("g", 1.0),),
    "ڤ": (("v", 1.0),),
    "ځ": (("z", 1.0), ("dz", 0.6)),
    "څ": (("s", 1.0), ("ts", 0.6)),
    "ښ": (("sh", 1.0), ("kh", 0.6)),
    "ږ": (("zh", 1.0), ("g", 0.5)),
}

# Persian, Dari, Pashto and Urdu read some Arabic letters otherwise: ض ذ ظ as z (Ewaz,
# Zia, Nazir), ث as s. A name is read so when it has a letter only those alphabets use.
_PERSIAN_LETTERS = frozenset("کیپچژگےۀہھٹڈڑںځښډړږګڼۍې")
_PERSIAN_CONSONANTS: dict[str, Options] = {
    "ض": (("z", 1.0), ("d", 0.5)),
    "ذ": (("z", 1.0), ("dh", 0.4)),
    "ظ": (("z", 1.0),),
    "ث": (("s", 1.0), ("th", 0.4)),
    "ك": (("k", 1.0), ("g", 0.6)),
}
# A final ی is "i" in those names (Wali, Hanafi), "a" in Arabic loans (Musa, Isa); after z
# it is mostly the Pashto tribal suffix -zai (Noorzai, Ishaqzai, Stanekzai).
_PERSIAN_FINAL_I: Options = (("i", 1.0), ("a", 0.5), ("y", 0.4))
_PASHTO_ZAI: Options = (("ai", 1.0), ("i", 0.8))
_ZAI = "زي"  # the suffix -zai as folded (ی becomes ي)

# Alef at the start of a word carries an unwritten short vowel (احمد ahmad, ابراهيم
# ibrahim, أسامة osama/usama); inside a word it is a long ā.
_ALEF_INITIAL: dict[str, Options] = {
    "ا": (("a", 1.0), ("i", 0.6), ("e", 0.3)),
    "أ": (("a", 1.0), ("o", 0.4), ("u", 0.4)),
    "إ": (("i", 1.0), ("e", 0.5)),
    "آ": (("a", 1.0),),
    "ٱ": (("a", 1.0),),
}
_ALEF_MEDIAL: dict[str, Options] = {
    "ا": (("a", 1.0),),
    "أ": (("a", 1.0), ("", 0.5)),
    "إ": (("i", 1.0), ("e", 0.5)),
    "آ": (("a", 1.0),),
    "ٱ": (("a", 1.0),),
}

# و and ي as long vowels (ū, ī, or the diphthongs aw, ay that Latin lists also write).
_LONG_U: Options = (("u", 1.0), ("ou", 0.6), ("o", 0.6), ("oo", 0.3), ("aw", 0.3))
_FINAL_U: Options = (("u", 1.0), ("o", 0.6), ("ou", 0.5))
_LONG_I: Options = (("i", 1.0), ("ee", 0.4), ("ay", 0.4), ("ei", 0.3))
_FINAL_I: Options = (("i", 1.0), ("y", 0.6), ("ee", 0.3))
_SEMIVOWEL_CONSONANT: dict[str, Options] = {"و": (("w", 1.0),), "ي": (("y", 1.0),)}
# ي ending a two-letter word is the doubled consonant of a short name, the vowel a unwritten
# before it: حي Hai/Hayy (Abdul Hai), مي Mai.
_SHORT_AY: Options = (("ai", 1.0), ("ay", 0.8), ("i", 0.6))

# Vowel letters with one reading wherever they stand. ة before an article is the construct
# state (جبهة النصرة jabhat al-nusra), so it gets its own row.
_ENDINGS: dict[str, Options] = {
    "ة": (("a", 1.0), ("ah", 0.5), ("at", 0.3)),
    "ى": (("a", 1.0), ("i", 0.35)),
    "ؤ": (("u", 1.0), ("o", 0.6)),
}
_TA_MARBUTA_CONSTRUCT: Options = (("at", 1.0), ("a", 0.8), ("ah", 0.4))

# Unwritten short vowels between two consonants. After the first consonant a vowel must
# follow (Arabic has no initial clusters); before a word-final consonant "a" is the usual
# Latin choice (hasan, ahmad); elsewhere a cluster is as likely as a vowel (ahmad,
# baghdadi, jabha); after a long ā the fāʿil pattern gives "i" (khalid, nasir, fatima).
_SLOT_FORCED: Options = (("a", 1.0), ("u", 0.5), ("i", 0.45), ("o", 0.4), ("e", 0.35))
_SLOT_MEDIAL: Options = (("", 1.0), ("a", 0.9), ("e", 0.3), ("u", 0.3), ("i", 0.3))
_SLOT_FINAL: Options = (("a", 1.0), ("", 0.5), ("e", 0.35), ("i", 0.3), ("u", 0.3))
_SLOT_AFTER_LONG_A: Options = (("i", 1.0), ("e", 0.6), ("a", 0.3))

# Names from other languages written in Arabic script (Лавров لافروف, Ortega أورتيغا, Igor
# إيغور) write their vowels as letters and borrow letters for sounds Arabic lacks: غ for g,
# ف for v, ب for p, ج for zh, تش for ch. Read with the rules above, they get the short vowels
# of an Arabic name inserted (lafiruf, awrtigha); ``_foreign_spellings`` reads them as
# written instead, with these letter values.
_FOREIGN_LETTERS: dict[str, Options] = {
    **{letter: options[:1] for letter, options in _CONSONANTS.items()},
    "ب": (("b", 1.0), ("p", 0.7)),
    "ث": (("t", 1.0), ("th", 0.8)),
    "ج": (("j", 1.0), ("g", 0.7), ("zh", 0.6)),
    "ذ": (("z", 1.0), ("d", 0.6)),
    "غ": (("g", 1.0), ("gh", 0.6)),
    "ف": (("f", 1.0), ("v", 0.9)),
    "ق": (("k", 1.0), ("q", 0.6)),
    "ك": (("k", 1.0), ("c", 0.6)),
    "ا": (("a", 1.0),),
    "أ": (("a", 1.0),),
    "إ": (("i", 1.0), ("e", 0.8)),
    "آ": (("a", 1.0),),
    "ٱ": (("a", 1.0),),
    "ة": (("a", 1.0),),
    "ى": (("a", 1.0),),
    "ؤ": (("u", 1.0),),
}
_FOREIGN_O: Options = (("o", 1.0), ("u", 0.9))
_FOREIGN_I: Options = (("i", 1.0), ("e", 0.9))
_FOREIGN_SEMIVOWEL: dict[str, Options] = {"و": (("v", 1.0), ("w", 0.8)), "ي": (("y", 1.0),)}
# ف ending وف/يف is the v of a Slavic surname (لافروف Lavrov, لبيديف Lebedev).
_FOREIGN_OV: Options = (("v", 1.0), ("f", 0.8))
_FOREIGN_DIGRAPHS: dict[str, Options] = {"تش": (("ch", 1.0), ("tsh", 0.5))}
# Spellings of that reading added for a word the lexicon lacks, after the rules' own.
FOREIGN_SLOTS = 2

# Particles written as words of their own; each stays a group of its own.
_PARTICLES: dict[str, Options] = {
    "بن": (("bin", 1.0), ("ben", 0.6), ("ibn", 0.5)),
    "ابن": (("ibn", 1.0), ("bin", 0.6), ("ben", 0.5)),
    "بنت": (("bint", 1.0),),
    "ابو": (("abu", 1.0), ("abou", 0.6), ("abo", 0.3)),
    "ابي": (("abi", 1.0),),
    "ابا": (("aba", 1.0),),
    "الله": (("allah", 1.0), ("alla", 0.3)),
    "عبدالله": (("abdullah", 1.0), ("abd allah", 0.8), ("abdulla", 0.5), ("abdellah", 0.4)),
}

# The article ال: "al-" first, the Egyptian/Maghrebi "el-" next, and before a sun letter
# the assimilated form (ad-din, ash-shami, ar-rahman) that careful transcriptions use.
_ARTICLE = "ال"
_ABD = "عبد"
_ARTICLE_FORMS: Options = (("al", 1.0), ("el", 0.6))
_ASSIMILATED_WEIGHT = 0.55
_SUN_LETTERS: dict[str, str] = {
    "ت": "t",
    "ث": "th",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ن": "n",
}
# عبد + article + word, as Latin lists join them; "{sun}" is the assimilated consonant.
_ABD_ARTICLE_FORMS: tuple[tuple[str, float], ...] = (
    ("abd al-{}", 1.0),
    ("abdul {}", 0.9),
    ("abdel{}", 0.8),
    ("abdu{sun}{}", 0.7),
)
# Weight of the n-th lexicon spelling, so lexicon ranks combine with article weights.
_LEXICON_DECAY = 0.7

_SHADDA = "\u0651"
# Particles are looked up with hamza-carrying alefs written bare (أبو and ابو alike).
_BARE_ALEF = str.maketrans("أإآٱ", "اااا")
_LONG_A = "ا"
# Vowel letters: a و/ي before one of these is a consonant (عواد awwad, يحيى yahya).
_VOWEL_LETTERS = frozenset("اأإآٱىة")

# Presentation forms are undone by NFKC; these fold Persian, Urdu and Pashto spellings onto
# the Arabic letters the lexicon is keyed by, and map Arabic-Indic digits to ASCII.
_FOLD = str.maketrans(
    {
        "ک": "ك",
        "ی": "ي",
        "ے": "ي",
        "ۀ": "ة",
        "ە": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ٹ": "ت",
        "ڈ": "د",
        "ڑ": "ر",
        "ں": "ن",
        # Pashto letters read as their Arabic or Persian twins by Latin lists.
        "ټ": "ت",
        "ډ": "د",
        "ړ": "ر",
        "ڼ": "ن",
        "ګ": "گ",
        "ې": "ي",
        "ۍ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
# Harakat, the superscript alef (names are spelt without it: الرحمن, not الرحمٰن), Quranic
# marks and tatweel are dropped; shadda is kept, it doubles a consonant.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u0650\u0652-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f]")
_TOKEN = re.compile("[\u0621-\u064a\u0651\u0671-\u06d3\u06fa-\u06ff\u0750-\u077fa-z0-9]+")


def is_arabic_script(text: str) -> bool:
    """Whether the text has any Arabic-script letter (Arabic, Persian, Urdu)."""
    return _ARABIC_LETTER.search(unicodedata.normalize("NFKC", text)) is not None


def normalise_arabic(text: str) -> str:
    """The form names are looked up in: letters folded, marks dropped, digits in ASCII."""
    return _folded(unicodedata.normalize("NFKC", text))


def _folded(nfkc: str) -> str:
    """``normalise_arabic`` of text already in NFKC."""
    return _MARKS.sub("", nfkc.translate(_FOLD).lower())


def lexicon_key(word: str) -> str:
    """The lexicon's key for a normalised word. Shadda and the hamza on an initial alef are
    often left unwritten and change no Latin spelling, so the key goes without them."""
    word = word.replace(_SHADDA, "")
    return word[:1].translate(_BARE_ALEF) + word[1:]


def rule_spellings(word: str, limit: int = 8) -> list[str]:
    """Spellings of one normalised word by the letter rules alone, best first."""
    return [spelling for spelling, _weight in _rule_spellings(word, False)[:limit]]


def romanise(text: str, limit: int = 4) -> list[list[str]]:
    """Latin spellings, most likely first and at most ``limit``, for each token group; an
    honorific (``_TITLES``) as the Latin title it is, which the name analysis weighs down."""
    nfkc = unicodedata.normalize("NFKC", text)
    persian = not _PERSIAN_LETTERS.isdisjoint(nfkc)  # before folding makes them Arabic
    words = [part for word in _TOKEN.findall(_folded(nfkc)) for part in _compound(word)]
    groups = _groups(words)
    spelt = []
    for index, group in enumerate(groups):
        title = _titles().get(group[0]) if len(group) == 1 else None
        if title is not None:
            spelt.append([title])
            continue
        construct = index + 1 < len(groups) and _has_article(groups[index + 1][-1])
        spelt.append(spell_group(group, construct, limit, persian))
    return spelt


# Honorifics written before Arabic and Persian names (Faker, customer files and letterheads
# write them; lists rarely do), each as the Latin title ``normalise.TITLES`` knows. Left out
# because they are names too: السيد (Sayyid), الأمير (Amir), الملك (Malik), آقا (Agha).
_TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "dr": ("الدكتور", "دكتور", "الدكتورة", "دكتورة", "دکتر", "د"),
    "muhandis": ("المهندس", "مهندس", "المهندسة", "مهندسة", "م"),
    "ustadh": ("الأستاذ", "الاستاذ", "أستاذ", "استاذ", "الأستاذة", "استاد"),
    "shaykh": ("الشيخ", "شيخ"),
    "haji": ("الحاج", "الحاجة", "حاج", "حاجی", "حاجي"),
    "mrs": ("السيدة", "خانم", "بانو"),
    "miss": ("الآنسة", "الانسة", "دوشیزه"),
    "mr": ("آقای",),
}


@cache
def _titles() -> dict[str, str]:
    """``_TITLE_WORDS`` by their folded Arabic forms."""
    return {_folded(w): latin for latin, words in _TITLE_WORDS.items() for w in words}


# First elements of the compound given names Persian writes as one word: محمدامین
# (Mohammad-Amin), محمدرضا, علیرضا, امیرحسین.
_COMPOUND_FIRSTS = ("محمد", "علی", "علي", "امیر", "امير", "میر", "مير")


@lru_cache(maxsize=65536)
def _compound(word: str) -> tuple[str, ...]:
    """A compound given name split into its two names, when both are names the lexicon
    knows; any other word as it is."""
    for first in map(_folded, _COMPOUND_FIRSTS):
        rest = word[len(first) :]
        if word.startswith(first) and len(rest) >= 3 and lexicon_key(rest) in _lexicon():
            return (first, rest)
    return (word,)


def _groups(words: list[str]) -> list[tuple[str, ...]]:
    """Split joined عبد+word and pair a free-standing عبد with the word after it."""
    split: list[str] = []
    for word in words:
        if word.startswith(_ABD) and _has_article(word[len(_ABD) :]):
            split.extend((_ABD, word[len(_ABD) :]))
        else:
            split.append(word)
    groups: list[tuple[str, ...]] = []
    index = 0
    while index < len(split):
        if split[index] == _ABD and index + 1 < len(split):
            groups.append((_ABD, split[index + 1]))
            index += 2
        else:
            groups.append((split[index],))
            index += 1
    return groups


def _has_article(word: str) -> bool:
    """Whether the word starts with the article and has a word of two letters after it."""
    return word.startswith(_ARTICLE) and len(word.replace(_SHADDA, "")) >= 4


@lru_cache(maxsize=65536)
def spell_group(
    group: tuple[str, ...], construct: bool, limit: int, persian: bool = False
) -> list[str]:
    """Spellings of one group, cached: names repeat a small set of tokens. ``persian``:
    the name is in a Persian-script alphabet (``_PERSIAN_LETTERS``)."""
    if len(group) == 2:
        return _best(_abd_spellings(group[1], limit, persian), limit)
    best = _best(_word_spellings(group[0], construct, limit, persian), limit)
    if not _may_be_foreign(group[0]):
        return best
    foreign = _foreign_spellings(group[0])[:FOREIGN_SLOTS]
    return _best([(spelling, 1.0) for spelling in (*best, *foreign)], limit + FOREIGN_SLOTS)


def _may_be_foreign(word: str) -> bool:
    """Whether a word may be a name of another language: one the lexicon lacks, neither a
    particle nor article + word (a word it knows keeps the spellings Wikidata saw)."""
    return (
        _ARABIC_LETTER.search(word) is not None
        and word.translate(_BARE_ALEF) not in _PARTICLES
        and lexicon_key(word) not in _lexicon()
        and not _has_article(word)
    )


def _word_spellings(word: str, construct: bool, limit: int, persian: bool) -> Scored:
    """A single word: particle, whole-word lexicon entry, article + word, or plain word."""
    if not _ARABIC_LETTER.search(word):
        return [(word, 1.0)]
    particle = _PARTICLES.get(word.translate(_BARE_ALEF))
    if particle is not None:
        return list(particle)
    if lexicon_key(word) not in _lexicon() and _has_article(word):
        return _article_spellings(word[len(_ARTICLE) :], limit, persian)
    return _stem_spellings(word, construct, limit, persian)


def _abd_spellings(word: str, limit: int, persian: bool) -> Scored:
    """عبد + word: the joined lexicon entry, then the forms Latin lists build from the word."""
    joined = _ABD + word
    if joined in _PARTICLES:
        return list(_PARTICLES[joined])
    scored = _from_lexicon(joined, limit)
    if not _has_article(word):
        scored += [
            (f"abd {stem}", weight) for stem, weight in _stem_spellings(word, False, limit, persian)
        ]
        return scored
    stem = word[len(_ARTICLE) :]
    sun = _SUN_LETTERS.get(stem.replace(_SHADDA, "")[0], "l")
    for spelling, weight in _stem_spellings(stem, False, limit, persian):
        scored += [
            (form.format(spelling, sun=sun), weight * form_weight)
            for form, form_weight in _ABD_ARTICLE_FORMS
        ]
    return scored


def _article_spellings(stem: str, limit: int, persian: bool) -> Scored:
    """Article + word: "al-", "el-" and, before a sun letter, the assimilated form."""
    sun = _SUN_LETTERS.get(stem.replace(_SHADDA, "")[0])
    forms = list(_ARTICLE_FORMS)
    if sun is not None:
        forms.append(("a" + sun, _ASSIMILATED_WEIGHT))
    return [
        (f"{article}-{spelling}", weight * article_weight)
        for spelling, weight in _stem_spellings(stem, False, limit, persian)
        for article, article_weight in forms
    ]


def _stem_spellings(word: str, construct: bool, limit: int, persian: bool) -> Scored:
    """Lexicon spellings (all but ``RULE_SLOTS`` places), then rule spellings."""
    lexical = _from_lexicon(word, limit - RULE_SLOTS) or _tribal(word, limit, persian)
    if construct and word.endswith("ة"):
        lexical = [(_construct_form(spelling), weight) for spelling, weight in lexical]
    top = lexical[-1][1] if lexical else 1.0
    ruled = [
        (spelling, weight * top) for spelling, weight in _rule_spellings(word, construct, persian)
    ]
    return lexical + ruled


def _tribal(word: str, limit: int, persian: bool) -> Scored:
    """A Pashto tribal name the lexicon lacks, a name it knows and -zai (اسحاقزی Ishaqzai,
    احمدزی Ahmadzai): the name's spellings with "zai" (the letter rules would read Ashaqizai)."""
    stem = word.removesuffix(_ZAI)
    if not persian or stem == word or len(stem) < 2:
        return []
    return [
        (f"{spelling}zai", weight) for spelling, weight in _from_lexicon(stem, limit - RULE_SLOTS)
    ]


def _construct_form(spelling: str) -> str:
    """Ta marbuta before an article is read "t": jabha → jabhat, jabhah → jabhat."""
    return spelling.removesuffix("h") + "t" if spelling.endswith(("a", "ah")) else spelling


def _from_lexicon(word: str, limit: int) -> Scored:
    """Up to ``limit`` lexicon spellings, weighted by rank."""
    return [
        (spelling, _LEXICON_DECAY**rank)
        for rank, spelling in enumerate(_lexicon().get(lexicon_key(word), ())[: max(limit, 0)])
    ]


def _best(scored: Scored, limit: int) -> list[str]:
    """The ``limit`` best spellings, each once when spaces and hyphens are ignored."""
    seen: set[str] = set()
    best: list[str] = []
    for spelling, _weight in sorted(scored, key=lambda item: -item[1]):
        key = spelling.replace("-", "").replace(" ", "")
        if key and key not in seen:
            seen.add(key)
            best.append(spelling)
            if len(best) == limit:
                break
    return best


@lru_cache(maxsize=65536)
def _rule_spellings(word: str, construct: bool, persian: bool = False, beam: int = 4) -> Scored:
    """Spell a word letter by letter, keeping the ``beam`` best partial spellings."""
    partial: Scored = [("", 1.0)]
    for options in _units(word, construct, persian):
        if len(options) == 1:
            latin, weight = options[0]
            partial = [(text + latin, score * weight) for text, score in partial]
            continue
        grown = [
            (text + latin, score * weight) for text, score in partial for latin, weight in options
        ]
        partial = heapq.nlargest(beam, grown, key=itemgetter(1))
    top = partial[0][1] if partial else 1.0
    return [(text, score / top) for text, score in partial]


@lru_cache(maxsize=65536)
def _foreign_spellings(word: str, beam: int = 4) -> tuple[str, ...]:
    """Spellings of a word read as a foreign name written in Arabic script (see
    ``_FOREIGN_LETTERS``), best first."""
    partial: Scored = [("", 1.0)]
    for options in _foreign_units(_letters(word)):
        grown = [
            (text + latin, score * weight) for text, score in partial for latin, weight in options
        ]
        partial = heapq.nlargest(beam, grown, key=itemgetter(1))
    return tuple(text for text, _score in partial if text)


def _foreign_units(letters: list[tuple[str, bool]]) -> list[Options]:
    """The letters' Latin alternatives as a foreign name writes them: no unwritten vowels,
    و and ي vowels (o, i) except first and between vowels, initial او and اي one vowel."""
    units: list[Options] = []
    vowel_before = False
    index = 0
    while index < len(letters):
        letter, doubled = letters[index]
        pair = letter + (letters[index + 1][0] if index + 1 < len(letters) else "")
        step, vowel = 1, letter in _VOWEL_LETTERS or letter == "ؤ"
        if pair in _FOREIGN_DIGRAPHS:
            options, step = _FOREIGN_DIGRAPHS[pair], 2
        elif index == 0 and pair in ("او", "أو", "اي", "إي"):
            options, step, vowel = (_FOREIGN_O if pair[1] == "و" else _FOREIGN_I), 2, True
        elif letter in "وي":
            vowel_after = index + 1 < len(letters) and letters[index + 1][0] in _VOWEL_LETTERS
            vowel = not (index == 0 or (vowel_before and vowel_after))
            if vowel:
                options = _FOREIGN_O if letter == "و" else _FOREIGN_I
            else:
                options = _FOREIGN_SEMIVOWEL[letter]
        elif letter == "ف" and index == len(letters) - 1 and vowel_before and index > 1:
            options = _FOREIGN_OV if letters[index - 1][0] in "وي" else _FOREIGN_LETTERS[letter]
        else:
            options = _FOREIGN_LETTERS[letter]
        units.append(tuple((latin * 2, w) for latin, w in options) if doubled else options)
        vowel_before = vowel
        index += step
    return units


def _units(word: str, construct: bool, persian: bool) -> list[Options]:
    """The word as a list of Latin alternatives, short-vowel slots included."""
    letters = _letters(word)
    units: list[Options] = []
    kinds: list[str] = []
    for index, (_char, doubled) in enumerate(letters):
        kind, options = _letter(letters, index, construct)
        if persian:
            options = _persian(letters, index, options)
        if kind == "C" and kinds and kinds[-1] == "C":
            units.append(_slot(letters, index))
            kinds.append("V")
        units.append(
            tuple((latin * 2, weight) for latin, weight in options) if doubled else options
        )
        kinds.append(kind)
    return units


def _letters(word: str) -> list[tuple[str, bool]]:
    """Letters with a flag for a shadda (doubling) on them."""
    letters: list[tuple[str, bool]] = []
    for char in word:
        if char == _SHADDA:
            if letters:
                letters[-1] = (letters[-1][0], True)
        elif char in _CONSONANTS or char in _ALEF_MEDIAL or char in _ENDINGS or char in "وي":
            letters.append((char, False))
    return letters


def _letter(letters: list[tuple[str, bool]], index: int, construct: bool) -> tuple[str, Options]:
    """Kind ("C" consonant, "V" vowel) and Latin alternatives of one letter in context."""
    letter, doubled = letters[index]
    last = index == len(letters) - 1
    if letter in _CONSONANTS:
        return "C", _CONSONANTS[letter]
    if letter in _ALEF_MEDIAL:
        return "V", (_ALEF_INITIAL if index == 0 else _ALEF_MEDIAL)[letter]
    if letter == "ة" and construct:
        return "V", _TA_MARBUTA_CONSTRUCT
    if letter in _ENDINGS:
        return "V", _ENDINGS[letter]
    after_vowel = index > 0 and _letter(letters, index - 1, construct)[0] == "V"
    before_vowel = not last and letters[index + 1][0] in _VOWEL_LETTERS
    if index == 0 or doubled or after_vowel or before_vowel:
        return "C", _SEMIVOWEL_CONSONANT[letter]
    if letter == "و":
        return "V", _FINAL_U if last else _LONG_U
    if last and index == 1:
        return "V", _SHORT_AY
    return "V", _FINAL_I if last else _LONG_I


def _persian(letters: list[tuple[str, bool]], index: int, options: Options) -> Options:
    """A letter's alternatives as a Persian-script name reads it (``_PERSIAN_LETTERS``)."""
    letter = letters[index][0]
    if letter in _PERSIAN_CONSONANTS:
        return _PERSIAN_CONSONANTS[letter]
    if index == len(letters) - 1 and index >= 2 and letter in "يى":
        if letters[index - 1][0] == "ز":
            return _PASHTO_ZAI
        if options in (_FINAL_I, _ENDINGS["ى"]):
            return _PERSIAN_FINAL_I
    return options


def _slot(letters: list[tuple[str, bool]], index: int) -> Options:
    """The unwritten short vowel before the consonant at ``index``."""
    if index == 1:
        return _SLOT_FORCED
    if index >= 3 and letters[index - 2][0] == _LONG_A:
        return _SLOT_AFTER_LONG_A
    if index == len(letters) - 1:
        return _SLOT_FINAL
    return _SLOT_MEDIAL


@cache
def _lexicon() -> dict[str, tuple[str, ...]]:
    """The shipped lexicon, read once: normalised Arabic token → spellings, best first."""
    data = files("watchkeeper").joinpath("data", LEXICON_FILE).read_bytes()
    lexicon: dict[str, tuple[str, ...]] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            arabic, spellings = line.split("\t")
            lexicon[arabic] = tuple(spellings.split(","))
    return lexicon
