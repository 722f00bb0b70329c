"""A ``Subject`` in the form the scorer compares, computed once per subject.

Listed entities are prepared once when the index is built and a query once per screening,
so everything per-token that does not depend on the other side lives here: tagged parts,
phonetic keys, rarity weights, romanised alternatives for Arabic script, parsed birth
dates and normalised identifiers. ``prepare`` caches its results for the reference weights.
"""

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import pairwise

from watchkeeper import schemata
from watchkeeper.matching.names import disguises
from watchkeeper.matching.names.arabic import is_arabic_script, romanise
from watchkeeper.matching.names.baltic import baltic_stems
from watchkeeper.matching.names.chinese import chinese_syllables, pinyin_spellings, sound_key
from watchkeeper.matching.names.keys import KeyedPart, key, keyed_parts, name_parts, particle_key
from watchkeeper.matching.names.korean import korean_shaped, syllable_spellings
from watchkeeper.matching.names.nicknames import NICKNAME_SYMBOLS
from watchkeeper.matching.names.normalise import PARTICLES, SON_OF, TITLES, Role, normalise
from watchkeeper.matching.names.orgs import acronym, minor_letters, org_name
from watchkeeper.matching.names.rarity import MINOR, TokenWeights
from watchkeeper.matching.names.scripts import Reading, is_other_script, syllabic_readings
from watchkeeper.matching.subject import KINDS, Subject

# Legal forms and filler words of organisation names: they say almost nothing about which
# organisation it is (the name-token counts are of people, so they look rare there).
ORG_FILLERS: frozenset[str] = frozenset(
    {
        "the", "and", "of", "for", "ltd", "limited", "plc", "inc", "incorporated", "llc",
        "llp", "lp", "co", "company", "corp", "corporation", "gmbh", "ag", "sa", "sarl",
        "srl", "spa", "bv", "nv", "oy", "ab", "as", "kg", "pte", "pty", "jsc", "ojsc",
        "pjsc", "cjsc", "ooo", "oao", "zao", "group", "holding", "holdings", "international",
    }
)  # fmt: skip
PERSON = "Person"
INITIAL_WEIGHT = 0.3  # an initial narrows a name down a little, whatever the letter
SPELLINGS_PER_GROUP = 6  # romanised spellings kept per Arabic token group (4 found fewer on dev)
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_IMO = re.compile(r"IMO([0-9O]{7})")
_ASIDE = re.compile(r"\([^)]*\)")  # "381110042 (Expired 25 Jan. 2016)"
_BORN = re.compile(r",?\s+born\b", re.IGNORECASE)  # "..., born 1 Jan. 1953", "... born in 1963"
_PROSE = re.compile(r"[a-z]{2}")  # a word in lower case: the number comes with words
_PREFIX = re.compile(r"[A-Z]{1,2}")  # a series letter spaced from its digits: "A 0139243"
# Issuers' all-digit formats, by identifier kind, with their lengths: only there is a letter
# O read as a zero (a slip of typing or OCR), and only when the result has such a length.
DIGIT_FORMATS: dict[str, tuple[int, ...]] = {"imo": (7,), "inn": (10, 12), "ogrn": (13, 15)}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

Spelling = tuple[str, str]  # (normalised token text, phonetic key)

# The classes below are hashable by value (``unsafe_hash``) but not frozen: compiled, a
# frozen dataclass sets every field through ``object.__setattr__`` (a fifth of what
# preparing a screened name cost). No field is assigned after ``__post_init__``.


@dataclass(slots=True, unsafe_hash=True)
class Token:
    """One name part: its spellings (first the written one), role and rarity weight."""

    spellings: tuple[Spelling, ...]
    role: Role
    weight: float

    @property
    def text(self) -> str:
        """The token as written (or its most likely romanisation)."""
        return self.spellings[0][0]


@dataclass(slots=True, unsafe_hash=True)
class PreparedName:
    """One name as weighted tokens; ``weak`` marks a weak alias.

    The derived fields are flat per-token tuples computed once, so that aligning two names
    (done for every name pair of every comparison) is plain indexing."""

    name: str
    text: str
    tokens: tuple[Token, ...]
    weak: bool
    numbers: frozenset[str] = frozenset()
    """Numbers in an organisation's name, as digits ("Brigade Forty-Four": 44)."""
    legal_forms: frozenset[str] = frozenset()
    """An organisation's legal forms as their generic type (GmbH, Russian OOO, Kft.: llc)."""
    person: bool = True
    """A person's name: as the listed name, its words the query lacks weigh ``LISTED_EXTRA``
    (listed names carry patronymics and lineage that screened names leave out); any other's
    weigh in full (the "Westminister" of "Westminister Management Company" names another
    firm than "Management Company")."""
    parts: tuple[int, ...] | None = None
    """For each token, whether the source calls it a given name (``GIVEN``) or the family
    name (``FAMILY``), 0 when it does not say; None for a name without parts."""
    places: frozenset[str] = frozenset()
    """The words of an organisation's name that name a place ("Schweiz", "Europe")."""
    trade_words: frozenset[str] = frozenset()
    """The words of an organisation's name that say what kind of firm it is, not which
    (Bank, Oil, Management, Systems: rigour's symbols and domains)."""
    total_weight: float = field(init=False, repr=False, compare=False)
    """Sum of the token weights: what full coverage of this name is worth."""
    joined: str = field(init=False, repr=False, compare=False)
    """Token texts without spaces, to see glued names ("PolPot") as spaced ones."""
    starts: str = field(init=False, repr=False, compare=False)
    """Each token's first letter: which words two neighbouring words glued may be."""
    longest: int = field(init=False, repr=False, compare=False)
    """The longest token's length, and the shortest two neighbouring words glued (no
    initials, two letters each at least; a large number when none): for most name pairs
    these two say at once that no word is two of the other's (``features._spaced``)."""
    shortest_glued: int = field(init=False, repr=False, compare=False)
    texts: tuple[str, ...] = field(init=False, repr=False, compare=False)
    keys: tuple[str, ...] = field(init=False, repr=False, compare=False)
    weights: tuple[float, ...] = field(init=False, repr=False, compare=False)
    worded: bool = field(init=False, repr=False, compare=False)
    """Every token is a word (no initial, acronym or syllable), of one spelling or several
    (a Chinese syllable and the pinyin it may write): ``features`` compares spellings."""
    plain: bool = field(init=False, repr=False, compare=False)
    """Every token has one spelling and is no initial or acronym: ``texts`` and ``keys`` say
    it all."""
    sorted_texts: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """Token texts in order: two names can align exactly only when these are equal."""
    particles: tuple[bool, ...] = field(init=False, repr=False, compare=False)
    """For each token, whether it is a particle (al, bin, abu): it pairs only with another."""
    has_particles: bool = field(init=False, repr=False, compare=False)
    initials: tuple[bool, ...] = field(init=False, repr=False, compare=False)
    acronym: bool = field(init=False, repr=False, compare=False)
    """An organisation's initials ("PLA"), one ``Role.ACRONYM`` token."""
    generations: tuple[int, ...] | None = field(init=False, repr=False, compare=False)
    """For each token, how many "bin"/"ibn"/"ould" come before it (Ahmad bin Hasan: Ahmad
    0, Hasan 1, his father), -1 for a token outside the chain; None for a name without one."""
    aligned: tuple[object, ...] = field(init=False, repr=False, compare=False)
    """What aligning this name with another reads of it: every field but the name as
    written and as normalised (``name``, ``text``), from which the rest derive. Two names
    of one ``aligned`` ("al-Qaida", "Al Qaida") align alike with any name."""

    def __post_init__(self) -> None:
        # One pass over the tokens: every screened name is prepared, and most are never
        # scored (their bounds say so), so what this costs is most of what preparing costs.
        tokens = self.tokens
        texts: list[str] = []
        keys: list[str] = []
        weights: list[float] = []
        starts: list[str] = []
        particles: list[bool] = []
        initials: list[bool] = []
        total = 0.0
        longest = 0
        glued = 1 << 30  # ``shortest_glued``
        before = 0  # the length of the word before, 0 after an initial or at the start
        worded = single = True
        lineage = False
        for token in tokens:
            text, key_ = token.spellings[0]
            role = token.role
            texts.append(text)
            keys.append(key_)
            weights.append(token.weight)
            total += token.weight
            starts.append(text[:1] or " ")
            longest = max(longest, len(text))
            worded = worded and role not in _NOT_PLAIN
            single = single and len(token.spellings) == 1
            particles.append(role is Role.PARTICLE)
            initials.append(role is Role.INITIAL)
            lineage = lineage or (role is Role.PARTICLE and text in SON_OF)
            if role is Role.INITIAL:
                before = 0
                continue
            if before > 1 < len(text):
                glued = min(glued, before + len(text))
            before = len(text)
        self.total_weight = total
        self.joined = "".join(texts)
        self.starts = "".join(starts)
        self.longest = longest
        self.shortest_glued = glued
        self.texts = tuple(texts)
        self.keys = tuple(keys)
        self.weights = tuple(weights)
        self.worded = worded
        self.plain = worded and single
        self.sorted_texts = tuple(sorted(texts))
        self.particles = tuple(particles)
        self.has_particles = any(particles)
        self.initials = tuple(initials)
        self.acronym = len(tokens) == 1 and tokens[0].role is Role.ACRONYM
        self.generations = _generations(tokens) if lineage else None
        aligned = (
            tokens,
            self.weak,
            self.numbers,
            self.legal_forms,
            self.person,
            self.parts,
            self.places,
            self.trade_words,
        )
        self.aligned = aligned


# Roles whose similarity needs ``features.token_similarity``, not the plain fast path.
_NOT_PLAIN = (Role.INITIAL, Role.ACRONYM, Role.SYLLABLE, Role.KOREAN)


def _generations(tokens: tuple[Token, ...]) -> tuple[int, ...]:
    """``PreparedName.generations`` of a name with a "bin" (``__post_init__`` asks only
    then): -1 for a name outside the "bin" chain, such as a family name before or after it
    (Hamroui in "Hamroui Kamel ben Mouldi", al-Hamraoui in "Kamal ben Mouldi ben Hassan
    al-Hamraoui"), which names no generation."""
    lineage = [t.role is Role.PARTICLE and t.text in SON_OF for t in tokens]
    names = [i for i, t in enumerate(tokens) if t.role is not Role.PARTICLE]
    chained: set[int] = set()
    for before, after in pairwise(names):
        if any(lineage[before + 1 : after]):  # "bin" between two names: both in the chain
            chained.update((before, after))
    found: list[int] = []
    generation = 0
    for i, son_of in enumerate(lineage):
        found.append(generation if i in chained else -1)
        generation += son_of
    return tuple(found)


@dataclass(slots=True, unsafe_hash=True)
class PreparedSubject:
    """Everything the scorer reads from one subject, precomputed."""

    subject: Subject
    names: tuple[PreparedName, ...]
    birth_dates: tuple[tuple[int, ...], ...]
    countries: frozenset[str]
    gender: str | None
    identifiers: frozenset[str]
    identifier_kinds: tuple[tuple[str, str], ...] = ()  # (normalised number, kind) if known
    distinct_names: tuple[PreparedName, ...] = field(init=False, repr=False, compare=False)
    """``names`` less each that aligns as an earlier one does (``PreparedName.aligned``):
    choosing the best-aligned name pair, such a name could only tie with the earlier one, and
    a tie goes to the earlier. A third of the name pairs a screening compared were these."""
    distinct_at: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """Each distinct name's place in ``names`` (where the bound kernel's name bounds are)."""
    schema: str = field(init=False, repr=False, compare=False)
    """The FtM schema name of the subject (a field: every comparison reads it a few times)."""

    def __post_init__(self) -> None:
        seen: set[tuple[object, ...]] = set()
        distinct = []
        at = []
        for i, name in enumerate(self.names):
            if name.aligned not in seen:
                seen.add(name.aligned)
                distinct.append(name)
                at.append(i)
        self.distinct_names = tuple(distinct)
        self.distinct_at = tuple(at)
        self.schema = self.subject.schema


def prepare(subject: Subject, weights: TokenWeights | None = None) -> PreparedSubject:
    """The prepared form of ``subject``; cached when the reference weights are used."""
    if weights is None:
        return _prepare_reference(subject)
    return _prepare(subject, weights)


@cache
def reference_weights() -> TokenWeights:
    """The bundled reference token weights, loaded once."""
    return TokenWeights.reference()


PREPARED_CACHE = 4096
"""Subjects kept prepared for ``prepare``'s callers (``LogicWK.compare`` given plain
subjects). Screening prepares each query once (``prepare_uncached``) and an index's listed
subjects once, in its ``ListedTable``."""


@lru_cache(maxsize=PREPARED_CACHE)
def _prepare_reference(subject: Subject) -> PreparedSubject:
    return _prepare(subject, reference_weights())


def prepare_uncached(subject: Subject) -> PreparedSubject:
    """The prepared form of ``subject``, not cached: for a screened subject (a batch of a
    million customers would only crowd the cache and the garbage collector with subjects
    seen once) and for an index's listed subjects (its ``ListedTable`` keeps them)."""
    return _prepare(subject, reference_weights())


def _prepare(subject: Subject, weights: TokenWeights) -> PreparedSubject:
    is_person = subject.schema == PERSON
    typed = normalised_identifiers(subject)
    names = [p for n in subject.names for p in prepare_names(n, weights, False, is_person)]
    names += [p for n in subject.weak_names for p in prepare_names(n, weights, True, is_person)]
    if is_person and (subject.given_names or subject.family_names):
        given, family = _part_texts(subject.given_names), _part_texts(subject.family_names)
        names = [replace(n, parts=_parts(n, given - family, family - given)) for n in names]
    initials = [_acronym_name(a, weights) for a in acronyms(subject)]
    return PreparedSubject(
        subject=subject,
        names=tuple([n for n in names if n.tokens] + initials),
        birth_dates=tuple(d for d in map(parse_date, subject.birth_dates) if d),
        countries=frozenset(c.lower() for c in subject.countries),
        gender=subject.gender.lower() if subject.gender else None,
        identifiers=frozenset(number for number, _ in typed),
        identifier_kinds=tuple((number, kind) for number, kind in typed if kind),
    )


GIVEN, FAMILY = 1, 2  # ``PreparedName.parts``


def _part_texts(values: tuple[str, ...]) -> frozenset[str]:
    """The token texts of name parts, normalised as names are."""
    return frozenset(p.text for value in values for p in name_parts(value))


def _parts(name: PreparedName, given: frozenset[str], family: frozenset[str]) -> tuple[int, ...]:
    """Which of the name's tokens are given names and which the family name (a token in
    both or neither: 0)."""
    return tuple(GIVEN if t in given else FAMILY if t in family else 0 for t in name.texts)


def acronyms(subject: Subject) -> tuple[str, ...]:
    """An organisation's initials (``orgs.acronym``) as weak names of its own: lists and
    reports write "PLA" and "IRGC" as often as the full name. A weak name, since three
    letters name other organisations too."""
    if not schemata.is_a(subject.schema, "Organization"):
        return ()
    found = (acronym(name) for name in subject.names if not is_other_script(name))
    return tuple(dict.fromkeys(a for a in found if a and a not in subject.weak_names))


def _acronym_name(initials: str, weights: TokenWeights) -> PreparedName:
    """An organisation's initials as a weak name of one ``Role.ACRONYM`` token: "PLA" is the
    People's Liberation Army; "Nordic" is not the "NRDIC" of another, however alike."""
    token = Token(((initials, key(initials)),), Role.ACRONYM, weights.weight(key(initials)))
    return PreparedName(initials, initials, (token,), True, person=False)


def prepare_names(name: str, weights: TokenWeights, weak: bool, person: bool) -> list[PreparedName]:
    """``prepare_name``, or one prepared name per reading of a name in a script
    ``scripts.readings`` reads (a Han name as Chinese and as Japanese); an organisation's
    name of alternatives ("Al-Qa'ida/Islamic Army") also as each alternative; a disguised
    name (``disguises``) also as each name it may be: a person's in every way, a firm's only
    with its words in camel case read apart (7Eleven is no disguise). A reading keeps the
    name as written, for the explanation."""
    if not is_other_script(name):
        names = [name] if person else [name, *_alternatives(name)]
        read = disguises.readings(name) if person else _camel_read(name)
        return [prepare_name(n, weights, weak, person) for n in names] + [
            _as_written(prepare_name(r, weights, weak, person), name) for r in read
        ]
    return [
        _reading_name(name, r, Role.SYLLABLE if syllabic else Role.NAME, weights, weak, person)
        for r, syllabic in syllabic_readings(name)
    ]


def _camel_read(name: str) -> tuple[str, ...]:
    """A firm's name with its words in camel case read apart (SiemensAG), if it has any."""
    apart = disguises.camel_apart(name)
    return (apart,) if apart != name else ()


def _as_written(reading: PreparedName, name: str) -> PreparedName:
    """A disguised name's reading, named as written."""
    return replace(reading, name=name)


_ALTERNATIVE = re.compile(r"\s*/\s*")
_NAMING_WORD = re.compile(r"[^\W\d_]{3,}")  # a word of three letters or more


def _alternatives(name: str) -> list[str]:
    """The names a slash separates in an organisation's name, when each is a name of two
    words or more, one of three letters or more; none for a legal form or a prefix written
    with one (A/S, M/V), nor for words a slash joins ("Sales/Marketing GmbH")."""
    parts = _ALTERNATIVE.split(name)
    if len(parts) < 2:
        return []
    if not all(_NAMING_WORD.search(p) and len(normalise(p).split()) > 1 for p in parts):
        return []
    return parts


def _reading_name(
    name: str, reading: Reading, role: Role, weights: TokenWeights, weak: bool, person: bool
) -> PreparedName:
    """One reading as a name: each token's spellings are its alternatives."""
    tokens = [
        _token(tuple((s, key(s)) for s in spellings), role, weights, person)
        for spellings in reading
    ]
    text = " ".join(s[0] for s in reading)
    return PreparedName(name, text, tuple(tokens), weak, person=person)


def prepare_name(name: str, weights: TokenWeights, weak: bool, person: bool) -> PreparedName:
    """Weighted tokens of one name; Arabic script via its romanised spellings; other than a
    person's, with legal forms as their type and numbers as digits (``orgs``). A person's
    name is read without the remarks lists write into it (``without_remarks``)."""
    if person:
        name = without_remarks(name)
    if is_arabic_script(name):
        tokens = _arabic_tokens(name, weights, person)
    elif not person:
        return _org_name(name, weights, weak)
    else:
        parts = [i for p in name_parts(name) for i in _initials(p)]
        if _korean(parts):
            tokens = [_korean_token(p.text, weights) for p in parts]
        elif (syllables := _chinese(parts)) is not None:
            tokens = [_chinese_token(syllable, weights) for syllable in syllables]
        elif (stems := _baltic(parts)) is not None:
            tokens = [
                _token(tuple((s, key(s)) for s in w), Role.NAME, weights, True) for w in stems
            ]
        else:
            tokens = [
                _token(
                    _spellings(p) if p.text in NICKNAME_SYMBOLS else ((p.text, p.key),),
                    p.role,
                    weights,
                    person,
                )
                for p in parts
            ]
    return PreparedName(name, normalise(name), tuple(tokens), weak, person=person)


def _spellings(part: KeyedPart) -> tuple[Spelling, ...]:
    """A person's name word of a nickname group as written, then its groups' symbols, each
    its own key (Bill and William share one; ``nicknames``)."""
    written = (part.text, part.key)
    if part.role is not Role.NAME:
        return (written,)
    return (written, *((s, s) for s in NICKNAME_SYMBOLS[part.text]))


def without_remarks(name: str) -> str:
    """A person's name without the remarks a list writes into it: an aside in brackets
    ("Encep Nurjaman (birth name)", "Abdel Ilah Sabri (false identity related to ...)") and
    a birth given after the name ("Mohammad Ishaq Akhund born in 1963"); such words are no
    part of the name, and a screened name that lacks them must not count them missing. The
    name as written when nothing else would be left. (A company's brackets are its name:
    Deutsche Bank (Schweiz).)"""
    bare = _BORN.split(_ASIDE.sub(" ", name), maxsplit=1)[0].strip(" ,;")
    return bare if any(c.isalpha() for c in bare) else name


def _korean(parts: list[KeyedPart]) -> bool:
    """A Latin person's name of Korean shape (``korean.korean_shaped``), words only."""
    return all(p.role is Role.NAME for p in parts) and korean_shaped([p.text for p in parts])


def _chinese(parts: list[KeyedPart]) -> tuple[str, ...] | None:
    """The syllables of a Latin person's name of Chinese shape (``chinese``), words only."""
    if not all(p.role is Role.NAME for p in parts):
        return None
    return chinese_syllables([p.text for p in parts])


def _baltic(parts: list[KeyedPart]) -> list[tuple[str, ...]] | None:
    """Each word of a Latin person's name in Latvian or Lithuanian form with its stems
    (``baltic``), words only."""
    if not all(p.role is Role.NAME for p in parts):
        return None
    return baltic_stems([p.text for p in parts])


def _chinese_token(syllable: str, weights: TokenWeights) -> Token:
    """A Mandarin syllable in Latin letters, its pinyin readings as other spellings (Hsi:
    xi; Chin: jin, qin), compared as words are."""
    spellings = pinyin_spellings(syllable)
    weight = token_weight((syllable, key(syllable)), Role.NAME, weights, True)
    return Token(tuple((s, sound_key(s)) for s in spellings), Role.NAME, weight)


def _korean_token(word: str, weights: TokenWeights) -> Token:
    """A syllable of a Korean name in Latin letters: a spelling of the syllables it may
    write or nothing (``korean``), weighted as the word it is."""
    spellings = tuple((s, key(s)) for s in syllable_spellings(word))
    return Token(spellings, Role.KOREAN, token_weight(spellings[0], Role.NAME, weights, True))


def _initials(part: KeyedPart) -> tuple[KeyedPart, ...]:
    """A person's name word of two or three consonants, which no language writes as a name
    ("JC Juncker", "Tufail, S.M."), as the initials it is."""
    text = part.text
    if part.role is not Role.NAME or not 2 <= len(text) <= 3 or not text.isalpha():
        return (part,)
    if not text.isascii() or any(c in "aeiouy" for c in text):
        return (part,)
    return tuple(KeyedPart(c, Role.INITIAL, c) for c in text)


def _org_name(name: str, weights: TokenWeights, weak: bool) -> PreparedName:
    """An organisation's (or an unknown party's) name: its legal forms weigh ``MINOR``, a
    one-letter preposition (Russian s, "with", in a spelled-out OOO) is no initial, and a
    word rigour gives a symbol ("intl" for Int'l and International) has that symbol as a
    second spelling, so words of one meaning pair as equal (the bound kernel compares
    every spelling, so it sees them too); dotted initials are an acronym."""
    org = org_name(name)
    symbols: dict[str, list[str]] = {}
    for word, symbol in org.symbols:
        symbols.setdefault(word, []).append(symbol)
    tokens: list[Token] = []
    for part in name_parts(org.text):
        role = part.role
        if role is Role.INITIAL and part.text in minor_letters():
            role = Role.PARTICLE
        elif part.text in org.initialisms:
            role = Role.ACRONYM  # compared as spelt: N.A.B.C. is not A.B.C.
        spellings = [(part.text, part.key)]
        spellings += [(s, key(s)) for s in symbols.get(part.text, ()) if s != part.text]
        token = _token(tuple(spellings), role, weights, False)
        if part.text in org.legal_forms:
            token = Token(token.spellings, role, MINOR)
        tokens.append(token)
    return PreparedName(
        name,
        org.text,
        tuple(tokens),
        weak,
        org.numbers,
        org.legal_forms,
        person=False,
        places=org.places,
        trade_words=frozenset(symbols),
    )


def _token(
    spellings: tuple[Spelling, ...], role: Role, weights: TokenWeights, person: bool
) -> Token:
    return Token(spellings, role, token_weight(spellings[0], role, weights, person))


def token_weight(spelling: Spelling, role: Role, weights: TokenWeights, person: bool) -> float:
    """Rarity weight; initials a flat ``INITIAL_WEIGHT``, organisation fillers ``MINOR``."""
    if role is Role.INITIAL:
        return INITIAL_WEIGHT
    if not person and spelling[0] in ORG_FILLERS:
        return MINOR
    return weights.weight(spelling[1], role)


def _arabic_tokens(name: str, weights: TokenWeights, person: bool) -> list[Token]:
    """Tokens of an Arabic-script name: each romanised group's name parts, with the other
    spellings of the group as alternatives where they split into as many parts."""
    tokens: list[Token] = []
    groups = romanise(name, SPELLINGS_PER_GROUP)
    for at, group in enumerate(groups):
        variants = [keyed_parts(spelling) for spelling in group]
        if not variants or not variants[0]:
            continue
        first = variants[0]
        if len(group) == 1 and group[0] in TITLES:  # romanise spells honorifics as titles
            tokens.append(_token(((group[0], group[0]),), Role.TITLE, weights, person))
            continue
        if group[0] in PARTICLES and at + 1 < len(groups):  # بن, أبو: before a name
            tokens.append(
                _token(((group[0], particle_key(group[0])),), Role.PARTICLE, weights, person)
            )
            continue
        names = [_name_parts(v) for v in variants]
        for part in first:
            if part.role is not Role.NAME:
                tokens.append(_token(((part.text, part.key),), part.role, weights, person))
                continue
            index = names[0].index(part)
            alts = [(v[index].text, v[index].key) for v in names if len(v) == len(names[0])]
            tokens.append(_token(tuple(dict.fromkeys(alts)), part.role, weights, person))
    return tokens


def _name_parts(parts: tuple[KeyedPart, ...]) -> list[KeyedPart]:
    return [p for p in parts if p.role is Role.NAME]


def parse_date(text: str) -> tuple[int, ...]:
    """``1977-06-19`` -> (1977, 6, 19); a year or month prefix gives a shorter tuple."""
    match = _DATE.match(text.strip())
    if not match:
        return ()
    return tuple(int(g) for g in match.groups() if g is not None)


def normalise_identifier(text: str, kind: str = "") -> str:
    """Upper-case Latin letters and digits only: ``"p 123-456"`` -> ``"P123456"``, so that
    spacing, dashes and case never hide an equal number. An IMO number loses its prefix
    (``"IMO 9123456"`` -> ``"9123456"``, whatever its kind says). In an all-digit format
    (``DIGIT_FORMATS``: IMO, INN, OGRN) a letter O is a zero when that gives the format's
    length; other numbers mix letters and digits, so O and 0 stay apart there."""
    value = _NOT_ALNUM.sub("", number_of(text).upper())
    imo = _IMO.fullmatch(value)
    if imo is not None:
        value, kind = imo.group(1), "imo"
    lengths = DIGIT_FORMATS.get(kind)
    if lengths is not None:
        digits = value.replace("O", "0")
        if digits.isdigit() and len(digits) in lengths:
            return digits
    return value


def number_of(text: str) -> str:
    """The number in a value written with words, as the UN list writes many ("CAR diplomatic
    passport no. D00000898", "Libya 428720", "381110042 (Expired 25 Jan. 2016)"): asides in
    brackets dropped, then, where words in lower case remain, the last words holding a digit
    (with a series letter before them). A value without spaces (a crypto address) is kept."""
    if " " not in text:
        return text
    text = _ASIDE.sub(" ", text)
    if not _PROSE.search(text):
        return text
    words = text.split()
    start = len(words)
    while start > 0 and any(c.isdigit() for c in words[start - 1]):
        start -= 1
    if 0 < start < len(words) and _PREFIX.fullmatch(words[start - 1]):
        start -= 1
    return " ".join(words[start:])


def normalised_identifiers(subject: Subject) -> list[tuple[str, str]]:
    """A subject's identifiers normalised, each with its kind ("" when unknown); the first
    kind known for a number is kept."""
    found: dict[str, str] = {}
    for text, kind in subject.typed_identifiers():
        number = normalise_identifier(text, kind)
        if number and not found.get(number):
            found[number] = kind
    return list(found.items())


def shared_identifiers(query: PreparedSubject, result: PreparedSubject) -> str:
    """What the two share, in words an analyst reads: ``"same passport number: A1234567"``,
    by the listing's kind of number (the query's when the listing does not say), noting a
    query that gave it as another kind; ``"; "`` between numbers."""
    q_kinds, r_kinds = dict(query.identifier_kinds), dict(result.identifier_kinds)
    found: list[str] = []
    for number in sorted(query.identifiers & result.identifiers):
        given, listed = q_kinds.get(number, ""), r_kinds.get(number, "")
        words = KINDS.get(listed or given, "document number")
        other = f" (given as {KINDS[given]})" if given and listed and given != listed else ""
        found.append(f"same {words}: {number}{other}")
    return "; ".join(found)
