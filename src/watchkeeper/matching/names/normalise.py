"""Name normalisation and part tagging: one comparable token form for every script.

``normalise`` gives casefolded, punctuation-free, ASCII-Latin text (Arabic script is kept for
the romaniser in ``arabic.py``). ``analyse`` splits a name into parts and tags each one as a
title, a particle, an initial or an ordinary name, splitting glued Arabic particles so that
"Abdelrahman", "Abdul Rahman" and "Abd al-Rahman" give the same parts.

Library work: NFKC is ``unicodedata``; tokenising (which drops apostrophes, ʿayn/hamza
signs and combining marks, and splits on hyphens and other punctuation) is
``rigour.names.tokenize_name``; transliteration is ``rigour.text.translit.ascii_text``
(rigour's own spellings for Cyrillic, Greek, Armenian, Georgian and Hangul, ICU-backed
``normality`` for the rest: Han to pinyin, Hebrew, Devanagari, ...) and script detection
is ``rigour.text.scripts``. Written by hand here, because no library has them for romanised
Arabic: the title and particle tables, the glued-particle rules and the comma-order rule.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from rigour._core import person_name_prefixes_list
from rigour.names import tokenize_name
from rigour.text.scripts import text_scripts
from rigour.text.translit import ascii_text


class Role(StrEnum):
    """What a name part is, which decides how much it counts in a match."""

    TITLE = "title"
    PARTICLE = "particle"
    INITIAL = "initial"
    NAME = "name"
    ACRONYM = "acronym"  # an organisation's initials: equal or nothing
    SYLLABLE = "syllable"  # of a Chinese or Korean name read from its script: a spelling or nothing
    KOREAN = "korean"  # a syllable of a Korean name in Latin letters: against another, one
    # syllable in any system (Jong, Jung) is equal, two are as alike as their spellings


@dataclass(frozen=True, slots=True)
class Part:
    """One normalised name token and its role."""

    text: str
    role: Role


@dataclass(frozen=True, slots=True)
class NameAnalysis:
    """A name as parts in reading order ("LAST, First" is turned into "First LAST")."""

    name: str
    parts: tuple[Part, ...]

    def texts(self, *roles: Role) -> list[str]:
        """Texts of the parts with one of ``roles`` (all parts when none are given)."""
        return [p.text for p in self.parts if not roles or p.role in roles]


# Honorifics and religious or scholarly titles, tagged wherever they stand: they say
# nothing about who the person is, so the matcher weights them down (it keeps them).
HONORIFICS: frozenset[str] = frozenset(
    {
        # English and European
        "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir",
        "lord", "lady", "rev", "reverend", "hon", "herr", "frau", "mme", "monsieur",
        # Military and police ranks (lists write "General Major Mupenzi", "Colonel ...")
        "general", "gen", "colonel", "col", "lieutenant", "lt", "captain", "capt",
        "commander", "cmdr", "brigadier", "admiral", "marshal", "sergeant", "sgt", "major",
        # Arabic, Persian, South Asian, West African religious and social titles
        "shaykh", "sheikh", "sheik", "shaikh", "shaich", "cheikh", "cheik", "haji", "hajji",
        "hajj", "hadji", "alhaji", "alhaj", "alhadji", "mullah", "mulla", "molla", "maulavi",
        "mawlawi", "maulvi", "moulavi", "molvi", "maulana", "mawlana", "moulana", "ustadh",
        "ustaz", "ayatollah", "hojatoleslam", "hujjatulislam", "muhandis", "mohandes",
        # Generational suffixes ("REYES JR.", "Santos, III"): no part of who someone is, and
        # "Jr" is no pair of initials
        "jr", "jnr", "sr", "snr", "ii", "iii", "iv",
    }
)  # fmt: skip

# Heads of state and government, ministers and royalty, in the languages the lists and the
# screened names use (written as ``_tokens`` folds them: Präsident -> prasident, Президент ->
# prezident). rigour's person prefixes (``PERSON_NAME_PREFIXES``, read below) cover English
# and German; these are the same offices as Wikidata labels them in other languages (Q30461
# president, Q14212 prime minister, Q83307 minister, Q12097 king, Q2285706 head of state).
# Words that are also names (Sultan, Rais, Malik, Shah; King, Prince, Mayor) are left out.
OFFICES: frozenset[str] = frozenset(
    {
        "president", "presidente", "presidenta", "presidentin", "presidentti", "presiden",
        "presidenten", "presedinte", "presedintele", "predsjednik", "predsednik",
        "predsjednica", "prezident", "prezidenta", "prezydent", "prezidentas", "prezidents",
        "elnok", "proedros", "baskan", "baskani", "cumhurbaskani", "premier", "minister",
        "ministre", "ministro", "ministr", "bakan", "chancellor", "kanzler", "kanzlerin",
        "chairman", "chairwoman", "emperor", "empress", "konig", "konigin", "korol", "tsar",
        "excellency", "majesty", "highness", "honourable", "honorable", "senator", "senador",
        "governor", "gobernador", "ambassador",
    }
)  # fmt: skip


def _rigour_titles() -> frozenset[str]:
    """The one-word honorifics of rigour's person-name prefix table (Mr, Herr, Präsident,
    Excellency, ...), folded as ``_tokens`` folds a name."""
    words = (_tokens(prefix) for prefix in person_name_prefixes_list())
    return frozenset(w[0] for w in words if len(w) == 1 and len(w[0]) > 1)


# Titles that are also common given names ("Amir Khan", "Imam Samudra"): a title only
# when they open the name and at least two other name tokens follow.
NAME_TITLES: frozenset[str] = frozenset(
    {"amir", "emir", "imam", "qari", "sayyid", "sayed", "syed", "mufti", "hafiz", "mirza"}
)

# Written short forms of given names, as passports, payment messages and lists abbreviate
# them (Malaysian and Singaporean Mohd, Bangladeshi Md, Mhd/Muhd in the Gulf): read in full.
ABBREVIATIONS: dict[str, str] = {
    **dict.fromkeys(("mhd", "muhd", "mohd", "mohamd", "mhmd", "md"), "muhammad"),
    "abdl": "abdul",
}

# Particles that link or introduce name parts; each is a particle only when another token
# follows it (so a trailing "Ben" or "Abu" stays a name). Keys for them are in keys.py.
ARTICLES: frozenset[str] = frozenset({"al", "el", "ul", "ol"})  # al-, Urdu -ul-, Persian -ol-
SON_OF: frozenset[str] = frozenset({"bin", "ben", "ibn", "ould", "bint", "binti", "binte"})
FATHER_OF: frozenset[str] = frozenset({"abu", "abou"})
MOTHER_OF: frozenset[str] = frozenset({"umm", "um", "oum"})
# "Servant of": always followed by an attribute of God, usually with the article.
# ("Abdi", "Abdou", "Abdu" are left out: they are given names in their own right.)
SERVANT_OF: frozenset[str] = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdur", "abdoul", "abdol"}
)
EUROPEAN: frozenset[str] = frozenset(
    {
        "de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du",
        "dos", "das", "des", "do", "ter", "ten", "zu",
    }
)  # fmt: skip
PARTICLES: frozenset[str] = ARTICLES | SON_OF | FATHER_OF | MOTHER_OF | SERVANT_OF | EUROPEAN

# Sun-letter assimilation: al- before t th d dh r z s sh n is written ad-, ar-, as-, ash-,
# ud-, es- ...; such a token is the article only when the next token starts with the same
# consonant ("ad-Din", "ar-Rahman", "es Sayed"), which keeps "An", "As", "Ed" as names.
_ASSIMILATED = re.compile(r"^[aeu](sh|th|dh|[tdrzsn])$")

# Glued particles, split off so that glued and spaced spellings give the same parts.
# abd + linking article or vowel + rest: Abdelrahman, Abdurrahman, Abdirahman, Abdullah.
_GLUED_SERVANT = re.compile(
    r"^(?P<particle>abd)(?P<link>[aeiou]l|[aeiou](?P<sun>[tdrzsn])(?=(?P=sun))|[aeiou](?=[^aeiou]))"
    r"(?P<rest>[a-z]{2,})$"
)
# abu + consonant-initial rest: Abubakar, Aboubakar.
_GLUED_FATHER = re.compile(r"^(?P<particle>abou|abu)(?P<rest>[^aeiou][a-z]{3,})$")
# al/el + a nisba (adjective of origin, ending -i/-y), the common glued surname form:
# Albaghdadi, Alzawahiri, Elbaradei. Anything else starting al/el (Ali, Alan, Elena,
# Albert, Alexander) is left whole. Italian surnames such as Alfieri are split too, but
# consistently, so this only costs "Alfieri" = "Al Fieri".
_GLUED_ARTICLE = re.compile(r"^(?P<particle>al|el)(?P<rest>[a-z]{4,}[iy])$")
# Theophoric second elements glued to the first: Salahuddin, Nasreddine (-ud-din) and
# Hidayatullah, Ruhollah (-ullah); split into first + article + "din"/"lah". The doubled d
# and the ul/ol/al link (not el/il) keep Claudine, Marcella and Camilla whole.
_GLUED_SUFFIX = (
    re.compile(r"^(?P<first>[a-z]{3,}?)(?P<link>[aeiou]d)(?P<second>dine?)$"),
    # the same with the d written once, as French transcriptions often do (Nouredine,
    # Salahedine, Nouradine, Nuradin, Nurudin): only after e or a, or u before "din",
    # which keeps Claudine, Geraldine and Amandine whole
    re.compile(r"^(?P<first>[a-z]{3,}?)(?P<link>[ae](?=dine?$)|u(?=din$))(?P<second>dine?)$"),
    # the article written out (Nureldine, Nasreldin, Kamaleldin)
    re.compile(r"^(?P<first>[a-z]{3,}?)(?P<link>el)(?P<second>dine?)$"),
    re.compile(r"^(?P<first>[a-z]{3,}?)(?P<link>[uoa]l|el(?=lah$))(?P<second>lah?)$"),
    # the same with the l written once, as Afghan, Indonesian and Bosnian spellings do
    # (Sanaulah, Hidayatulah, Ezatolah); the final h keeps Ursula and Paula whole
    re.compile(r"^(?P<first>[a-z]{3,}?)(?P<link>[uo](?=lah$))(?P<second>lah)$"),
    # -ur-rahman, its r written once or twice (Habiburrahman, Azizirahman, Fazlurrehman)
    re.compile(r"^(?P<first>[a-z]{3,}?)(?P<link>[aeiou]r)(?P<second>r?[ae]hm[aeo]n)$"),
)
# The same elements standing alone: "Hidayat Ullah", "Allah", "Salah Eddine", "Uddin".
_STANDALONE_SUFFIX = (
    re.compile(r"^(?P<link>[aeiou]d)(?P<second>dine?)$"),
    re.compile(r"^(?P<link>[uoa]l)(?P<second>lah)$"),
)


# Marks for ʿayn and hamza in romanised Arabic (Hay'at, Du'a, Sa`id, also written with
# curly quotes or an acute accent), removed before NFKC: NFKC turns the spacing acute
# accent into a space plus a combining accent, which would split the word.
_APOSTROPHES = str.maketrans(
    dict.fromkeys(
        "'`\N{RIGHT SINGLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}\N{ACUTE ACCENT}"
        "\N{PRIME}\N{MODIFIER LETTER APOSTROPHE}\N{MODIFIER LETTER TURNED COMMA}"
        "\N{MODIFIER LETTER LEFT HALF RING}\N{MODIFIER LETTER RIGHT HALF RING}",
        "",
    )
)


def normalise(text: str) -> str:
    """Casefolded ASCII-Latin tokens joined by single spaces; Arabic script is kept."""
    return " ".join(_tokens(text))


def tokens(name: str) -> list[str]:
    """Normalised tokens of a name in reading order ("LAST, First" gives First LAST)."""
    return [p.text for p in analyse(name).parts]


@lru_cache(maxsize=65536)
def analyse(name: str) -> NameAnalysis:
    """Split a name into tagged parts; glued particles are split off first."""
    words: list[str] = []
    for word in _tokens(_reorder(name)):
        word = _PATRONYMIC.sub(_patronymic, ABBREVIATIONS.get(word, word))
        words.extend(_split_glued(word))
    return NameAnalysis(name, tuple(_tag(words)))


# East Slavic patronymics as the languages around them transcribe them: Russian -ovich is
# Ukrainian -ovych, Belarusian -avich, German -owitsch, French -ovitch, Dutch -ovitsj,
# Polish -owicz, Romanian -ovici, Hungarian -ovics, Czech -ovič (folded -ovic), Swedish
# -ovitj; the feminine -ovna likewise. Each is read as the Russian form, so that
# Wladimirowitsch and Vladimirovich differ only in the name. (Serbian and Croatian -ović
# are surnames, not patronymics, and end in -ovic too: they keep their ending only when
# the word is the last of a name, which ``_patronymic`` cannot see, so -ovic is left out.)
_PATRONYMIC = re.compile(
    r"(?<=[a-z]{3})(?:[oe]v|[oe]w|av|iv)(?:itsch|itsj|itch|itj|ych|icz|ici|ics|ich)$"
    r"|(?<=[a-z]{3})(?:[oe]v|[oe]w|av|iv)(?:na)$"
)


def _patronymic(match: re.Match[str]) -> str:
    return "ovna" if match[0].endswith("na") else "ovich"


_FOLDED = ("ovich", "ovna")
FATHERS_NAME_FLOOR = 0.8
"""How alike a word and a patronymic's stem must be to read as the name it was formed on
(Sergei and Sergeyevich's stem Sergey: 0.83)."""


def fathers_name(a: str, b: str) -> bool:
    """Whether one of two words is a (folded) patronymic formed on the other: Oleksandrovich
    is the father's name, Oleksandr the person's own, so the two are different name parts and
    never pair (Oleksandr Zelenskyy is not Volodymyr Oleksandrovych Zelenskyy)."""
    for patronymic, other in ((a, b), (b, a)):
        if patronymic.endswith(_FOLDED) and not other.endswith(_FOLDED):
            stem = patronymic[: -5 if patronymic.endswith("ovich") else -4]
            return Levenshtein.normalized_similarity(stem, other) >= FATHERS_NAME_FLOOR
    return False


def _reorder(name: str) -> str:
    """Turn "LAST, First" into "First LAST"; other commas are plain separators."""
    head, comma, tail = name.partition(",")
    if not comma or "," in tail or not head.strip() or not tail.strip():
        return name
    return f"{tail} {head}"


def forget() -> None:
    """Empty this module's caches of analysed names (see ``terms.forget_name_analyses``)."""
    analyse.cache_clear()
    _tokens.cache_clear()


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    folded = _DOTTED.sub(" ", folded).replace("%", " percent")
    out: list[str] = []
    for token in tokenize_name(folded):
        if token.isascii() or "Arabic" in text_scripts(token):
            out.append(token)
        else:
            out.extend(tokenize_name(ascii_text(token.translate(_KHA)).casefold()))
    return tuple(out)


# A dot between two words of two letters or more parts them (Yunos.Umpara.Moklis, as user
# names are written); rigour's tokenizer glues them, as it rightly glues initials (J.C.).
# A per cent sign, which it drops, is read as the word (3%ers: the Three Percenters).
_DOTTED = re.compile(r"(?<=[^\W\d_]{2})\.(?=[^\W\d_]{2})")

# The Cyrillic letter kha as kh, as the lists and passports write it (ICAO 9303, BGN/PCGN
# for Russian, the Ukrainian and Belarusian official systems: Mikhail, Khodorkovsky,
# Abdurakhmanov), where rigour's transliteration writes h (Mihail): h and kh are different
# sounds to the keys (Halid is not Khalid), so a Cyrillic name missed its listing's spelling.
_KHA = str.maketrans({"\N{CYRILLIC SMALL LETTER HA}": "kh"})


def _split_glued(word: str) -> list[str]:
    """Split a glued particle or theophoric suffix off a token ("abdelrahman")."""
    for pattern in (_GLUED_SERVANT, _GLUED_FATHER, _GLUED_ARTICLE):
        match = pattern.match(word)
        if match:
            link = match.groupdict().get("link")
            rest = match["rest"]
            article = [link] if link and link.endswith(("l", rest[0])) else []
            if link and link.endswith("l") and rest == "ah":  # the l written once: Abdulah
                rest = "lah"
            return [match["particle"], *article, rest]
    for pattern in _GLUED_SUFFIX + _STANDALONE_SUFFIX:
        match = pattern.match(word)
        if match:
            first = _single_final(match.groupdict().get("first"))
            link, second = match["link"], match["second"]
            if len(link) == 1:  # the consonant written once: Nouredine (ed dine), Sanaulah
                link += second[0]
            if link[0] in "io":  # the article's vowel written i or o: Nuriddin, Ruhollah
                link = "u" + link[1:]
            if second[0] in "ae":  # the r of rahman written once: Azizirahman
                second = "r" + second
            return [first, link, second] if first else [link, second]
    return [word]


def _single_final(first: str | None) -> str | None:
    """The first element of a glued theophoric name with a doubled last consonant written
    once (Nourreddine, Nourredine: nour), as its other spellings write it; a short one
    keeps it (Izzeddine: izz)."""
    if first and len(first) > 3 and first[-1] == first[-2] and first[-1] not in "aeiouy":
        return first[:-1]
    return first


def _tag(words: list[str]) -> list[Part]:
    parts: list[Part] = []
    for index, word in enumerate(words):
        role = _role(word, index, words[index + 1 :])
        parts.append(Part(canonical_particle(word) if role is Role.PARTICLE else word, role))
    return parts


# One spelling for each particle of the same meaning, so that they pair as equal: the
# article however assimilated (al, el, ul, ed, ad, ash: Nour ed-Dine is Nour al-Din), "son
# of" (bin, ben, ibn, ould), "daughter of", "father of", "mother of", "servant of" (Abdul,
# Abdel, Abdur: abd with the article's vowel). European particles keep their own.
_CANONICAL_PARTICLES: dict[str, str] = {
    **dict.fromkeys(ARTICLES, "al"),
    **dict.fromkeys(("bin", "ben", "ibn", "ould"), "bin"),
    **dict.fromkeys(("bint", "binti", "binte"), "bint"),
    **dict.fromkeys(FATHER_OF, "abu"),
    **dict.fromkeys(MOTHER_OF, "umm"),
    **dict.fromkeys(SERVANT_OF, "abd"),
}


def canonical_particle(word: str) -> str:
    """The one spelling of a particle's meaning (``_CANONICAL_PARTICLES``); an assimilated
    article (``ad`` before Din) is the article."""
    found = _CANONICAL_PARTICLES.get(word)
    if found is not None:
        return found
    return "al" if _ASSIMILATED.match(word) else word


def _role(word: str, index: int, following: list[str]) -> Role:
    if word in TITLES and (index > 0 or following):
        return Role.TITLE
    if word in NAME_TITLES and index == 0 and len(_names(following)) >= 2:
        return Role.TITLE
    if following and _is_particle(word, following[0]):
        return Role.PARTICLE
    if len(word) == 1 and word.isascii() and word.isalpha():
        return Role.INITIAL
    return Role.NAME


def may_be_article(word: str) -> bool:
    """Whether a normalised word is the article before some words (``ad`` before ``Din``),
    though a name before others ("An", "As", "Ed")."""
    return _ASSIMILATED.match(word) is not None


def _is_particle(word: str, nxt: str) -> bool:
    if word in PARTICLES:
        return True
    match = _ASSIMILATED.match(word)
    return match is not None and nxt.startswith(match[1])


def _names(words: list[str]) -> list[str]:
    return [w for w in words if w not in PARTICLES and w not in TITLES]


# Every title; defined last, since folding rigour's prefixes needs ``_tokens``.
TITLES: frozenset[str] = HONORIFICS | OFFICES | _rigour_titles()
