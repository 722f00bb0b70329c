"""Listed names inside free text: payment remittance lines and whole documents.

Screening every span of a text as a name would cost a screening per span (milliseconds
each), so a ``NameBook`` of the listed names decides first, by hash lookups alone, which
spans could be a listed name at all:

* every listed name (Latin script) is reduced to the *terms* of its name words: the
  phonetic key's consonant skeleton (``terms.skeleton``: Zawahiri and Zawahri are both
  ``~zwhr``), or the key itself when the skeleton is too short. Titles and particles (Dr,
  al-, Abu, bin) carry no term: they may stand inside a span but never make one;
* a span of two to ``MAX_WORDS`` words is a *candidate* when it starts and ends with a
  capitalised word, has no sentence or line break inside (``_gap``: spaces, one comma, or
  the period of a title), holds at least ``MIN_KEYS`` terms, and every one of its terms is
  a term of one and the same listed name, in any order ("Zawahiri, Ayman" = "Ayman
  al-Zawahiri");
* it must name all of that name's terms, or ``PARTIAL_MIN`` of them and ``PARTIAL_COVER``
  of the name ("New York" is not "Tindaya Properties of New York"); a span of two terms
  needs one ``UNCOMMON`` word (rarity weight), so "Ali Khan" is nobody in running text;
* the candidate is then screened as a name (``Screener.screen``, cached by its text) and
  only hits on entities that have such a name are kept: "John Smith" never reaches
  ALWAYS SMOOTH LTD, whatever the scorer would say. The entities within ``MARGIN`` of the
  best hit are all kept (the UN and the OFAC record of one person).

One-word names. A name of one term ("Hamas", "Al-Qaida", "Taliban", "FOREST") or
an acronym of up to ``SHORT`` letters or digits ("AQI", "ISI", "IS", "M23") is ambiguous in
running text. Such a mention *stands alone* only when it is the primary name of an
organisation and longer than ``SHORT`` (Hamas, Al-Qaida, Taliban), matched by its exact key
and written capitalised; every other one is a *supporting* mention (``Mention.alone``
False) that a caller keeps only beside other evidence for the same entity
(``MentionFinder.supporting``). Acronyms match only when written in capitals exactly as
listed ("ISI", never "Isi" or "is"). A person's one-word name ("Hassan") is never used: a
single given name is anybody's.
"""

import bisect
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.names.arabic import is_arabic_script
from watchkeeper.matching.names.normalise import PARTICLES, TITLES
from watchkeeper.matching.prepared import reference_weights
from watchkeeper.matching.score import PRESETS
from watchkeeper.matching.screener import CANDIDATES, Hit, Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.terms import forget_name_analyses, skeleton, word_keys

MAX_WORDS = 5  # listed names rarely run longer; a longer span is two names or a sentence
MIN_KEYS = 2  # one shared key is any common first name
PARTIAL_MIN = 3  # terms a span needs to name part of a longer name ("Aiman Muhammed al-Zawahiri")
PARTIAL_COVER = 2 / 3  # ...and the share of that name's terms it must have: not "New York"
UNCOMMON = 0.6  # rarity weight one word of a two-word mention needs: not "Ali Khan"
MARGIN = 0.1  # a span names the entities scoring within this of its best hit
SHORT = 4  # a one-word name this short is an acronym or a nickname (AQI, ISIL, M23)
CACHE_LIMIT = 1 << 20  # distinct words and spans remembered by one finder
ALONE_SCHEMAS = frozenset({"Organization"})  # whose one-word primary name stands alone
_WORD = re.compile("[^\\W\\d_][\\w'\u2019\u2018-]*")  # letters, then apostrophes and hyphens too
_GLUE = TITLES | PARTICLES  # may stand inside a name, never make one
_COMPACT = re.compile(r"[\W_]+")

OTHER, GLUE, NAME = 0, 1, 2  # what a word of the text can be
JOINED, PERIOD, APART = 0, 1, 2  # what stands between a word and the one before it
_BREAKS = frozenset('\n.;:!?()[]{}"\u201c\u201d|/')
Words = list[tuple[int, int, int, "_Word", int]]  # (number, start, end, word, gap) of a text


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text that names a listed entity: where, what, and the hit. ``alone``
    is False for a one-word name or acronym that counts only beside other evidence."""

    start: int
    end: int
    text: str
    hit: Hit
    alone: bool = True


@dataclass(frozen=True, slots=True)
class _Word:
    """What one word of a text is to the book (computed once per distinct word)."""

    kind: int  # OTHER, GLUE or NAME (every term is a term of some listed name)
    capital: bool
    terms: tuple[str, ...]
    single: str | None  # its key, when a one-word name has it
    acronym: str | None  # its letters, when listed as an acronym
    uncommon: bool  # a key rare enough to make a two-word name on its own (``UNCOMMON``)


class NameBook:
    """The listed names of an index by term, for the span test (see the module docstring).
    A snapshot: ``book_of`` makes a new one when the index's size changes."""

    def __init__(self, subjects: Iterable[Subject]) -> None:
        self.subjects: list[Subject] = []
        self.numbers: dict[str, int] = {}  # entity id -> subject number
        self._owner: list[int] = []  # name number -> subject number
        self._size: list[int] = []  # name number -> its number of distinct terms
        self.postings: dict[str, frozenset[int]] = {}  # term -> names of two terms or more
        self.singles: dict[str, list[tuple[int, bool]]] = {}  # key -> (subject, alone)
        self.acronyms: dict[str, set[int]] = {}  # letters -> subjects
        postings: dict[str, set[int]] = {}
        for subject in subjects:
            number = len(self.subjects)
            self.subjects.append(subject)
            self.numbers[subject.entity_id or ""] = number
            for name in subject.names + subject.weak_names:
                if not is_arabic_script(name):
                    self._add(number, subject, name, postings)
        self.postings = {term: frozenset(names) for term, names in postings.items()}

    def _add(self, number: int, subject: Subject, name: str, postings: dict[str, set[int]]) -> None:
        keys = word_keys(name)
        if len(keys) >= MIN_KEYS:
            terms = {term_of(k) for k in keys}
            for term in terms:
                postings.setdefault(term, set()).add(len(self._owner))
            self._owner.append(number)
            self._size.append(len(terms))
        elif len(keys) == 1:
            letters = _COMPACT.sub("", name)
            if len(letters) <= SHORT:
                self.acronyms.setdefault(letters.upper(), set()).add(number)
            elif subject.schema != "Person":  # a person's one name is any namesake's
                alone = subject.schema in ALONE_SCHEMAS and name == subject.names[0]
                self.singles.setdefault(keys[0], []).append((number, alone))

    def subjects_of(self, names: frozenset[int], terms: int) -> frozenset[int]:
        """The subjects owning one of these names that a span of ``terms`` of their terms
        names: all of them, or ``PARTIAL_MIN`` and ``PARTIAL_COVER`` of them."""
        return frozenset(
            self._owner[n]
            for n in names
            if terms == self._size[n]
            or (terms >= PARTIAL_MIN and terms >= PARTIAL_COVER * self._size[n])
        )


def term_of(key: str) -> str:
    """A name word's term: its skeleton, or the key when the skeleton is too short."""
    return skeleton(key) or key


_BOOKS: "weakref.WeakKeyDictionary[NameIndex, tuple[int, NameBook]]" = weakref.WeakKeyDictionary()


def book_of(index: NameIndex) -> NameBook:
    """The book of an index, built once (seconds for UN + OFAC) and rebuilt when the
    index gains or loses subjects."""
    kept = _BOOKS.get(index)
    if kept is None or kept[0] != len(index):
        kept = _BOOKS[index] = (len(index), NameBook(index.subjects()))
        forget_name_analyses()  # the listed names' analyses: the book has what it needs
    return kept[1]


@dataclass(frozen=True, slots=True)
class _Candidate:
    first: int  # positions in the list of glue and name words
    last: int
    subjects: frozenset[int]


class MentionFinder:
    """Finds listed names in texts for one screener; keep one for a batch of texts, since
    it remembers every distinct word and span it has judged."""

    def __init__(self, screener: Screener, schema: str = "LegalEntity") -> None:
        self.screener = screener
        self.schema = schema
        self.book = book_of(screener.index)
        self._words: dict[str, _Word] = {}
        self._hits: dict[str, list[Hit]] = {}
        self._names: dict[tuple[str, ...], frozenset[int]] = {}
        self._subjects: dict[tuple[str, ...], frozenset[int]] = {}
        self._last: tuple[str, Words] | None = None
        self._weights = reference_weights()

    def find(self, text: str) -> list[Mention]:
        """Mentions that stand alone, in reading order; of overlapping spans the one with
        the best hit wins, and keeps a mention for each entity it names."""
        words = self._words_of(text)
        found: list[list[Mention]] = []
        for candidate in self._candidates(words):
            start, end = words[candidate.first][1], words[candidate.last][2]
            span = text[start:end]
            hits = _near_best([h for h in self._screen(span) if self._owned(h, candidate.subjects)])
            if hits:
                found.append([Mention(start, end, span, hit) for hit in hits])
        for _n, start, end, word, _g in words:
            if word.single is not None and word.capital:
                alone = {s for s, ok in self.book.singles.get(word.single, ()) if ok}
                hits = _near_best(
                    [h for h in self._screen(text[start:end]) if self._owned(h, alone)]
                )
                if hits:
                    found.append([Mention(start, end, text[start:end], h) for h in hits])
        return _best(found)

    def supporting(
        self, text: str, entity_ids: set[str], taken: Iterable[tuple[int, int]] = ()
    ) -> list[Mention]:
        """One-word names and acronyms of these entities outside the ``taken`` spans
        (start, end): the mentions that count only beside other evidence (``alone``
        False)."""
        taken = list(taken)
        wanted = {n for n, s in enumerate(self.book.subjects) if s.entity_id in entity_ids}
        found: list[Mention] = []
        for _n, start, end, word, _g in self._words_of(text):
            subjects = set(self.book.acronyms.get(word.acronym or "", ()))
            subjects.update(s for s, _ in self.book.singles.get(word.single or "", ()))
            subjects &= wanted
            if not subjects or any(start < e and s < end for s, e in taken):
                continue
            span = text[start:end]
            query = Subject(self.schema, (span,))
            for hit in self.screener.candidates(query, CANDIDATES):
                if self._owned(hit, subjects):
                    found.append(Mention(start, end, span, hit, alone=False))
        return found

    def _words_of(self, text: str) -> Words:
        """(number, start, end, word, gap) of the glue and name words of ``text``; the
        words of the last text are kept for ``supporting``."""
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        self._last = None  # a window's words (tens of MB) are let go before the next's
        out: Words = []
        known = self._words.get
        previous = 0
        for number, match in enumerate(_WORD.finditer(text)):
            word = known(match.group())
            if word is None:
                word = self._learn(match.group())
            start = match.start()
            if word.kind:
                out.append((number, start, match.end(), word, _gap(text[previous:start])))
            previous = match.end()
        self._last = (text, out)
        return out

    def _learn(self, text: str) -> _Word:
        if len(self._words) >= CACHE_LIMIT:
            self._words.clear()
        capital = not text.islower()
        if text.casefold() in _GLUE:
            word = _Word(GLUE, capital, (), None, None, False)
        else:
            keys = word_keys(text)
            terms = tuple(dict.fromkeys(term_of(k) for k in keys))
            letters = _COMPACT.sub("", text)
            acronym = letters if letters.isupper() and letters in self.book.acronyms else None
            single = keys[0] if len(keys) == 1 and keys[0] in self.book.singles else None
            listed = terms and all(t in self.book.postings for t in terms)
            kind = NAME if listed or acronym or single else OTHER
            uncommon = any(self._weights.weight(k) >= UNCOMMON for k in keys)
            word = _Word(kind, capital, terms if listed else (), single, acronym, uncommon)
        self._words[text] = word
        return word

    def _candidates(self, words: Words) -> list[_Candidate]:
        """Spans whose terms all belong to one listed name (see the module docstring)."""
        found: list[_Candidate] = []
        for first, (number, _s, _e, word, _g) in enumerate(words):
            if not word.capital:
                continue
            terms: tuple[str, ...] = ()
            names: frozenset[int] | None = None
            uncommon = False
            for last in range(first, min(first + MAX_WORDS, len(words))):
                following = words[last]
                if last > first and following[0] != number + (last - first):
                    break  # an ordinary word in between
                gap = following[4]
                if last > first and (
                    gap == APART or (gap == PERIOD and words[last - 1][3].kind != GLUE)
                ):
                    break  # a sentence or line ends in between (a period only after "Dr")
                if following[3].terms:
                    uncommon = uncommon or following[3].uncommon
                    terms = tuple(sorted(set(terms).union(following[3].terms)))
                    names = self._names_with(terms)
                    if not names:
                        break
                elif following[3].kind == NAME:
                    break  # an acronym or one-word name: no term of a longer name
                ends = following[3].terms and following[3].capital and last > first
                if ends and names and len(terms) >= MIN_KEYS and (uncommon or len(terms) > 2):
                    subjects = self._subjects_with(terms, names)
                    if subjects:
                        found.append(_Candidate(first, last, subjects))
        return found

    def _names_with(self, terms: tuple[str, ...]) -> frozenset[int]:
        """Listed names (of two terms or more) holding every one of these terms."""
        names = self._names.get(terms)
        if names is None:
            postings = sorted((self.book.postings[t] for t in terms), key=len)
            names = postings[0].intersection(*postings[1:])
            if len(self._names) >= CACHE_LIMIT:
                self._names.clear()
            self._names[terms] = names
        return names

    def _subjects_with(self, terms: tuple[str, ...], names: frozenset[int]) -> frozenset[int]:
        subjects = self._subjects.get(terms)
        if subjects is None:
            if len(self._subjects) >= CACHE_LIMIT:
                self._subjects.clear()
            subjects = self._subjects[terms] = self.book.subjects_of(names, len(terms))
        return subjects

    def _screen(self, span: str) -> list[Hit]:
        """The screener's alerts for a span as a name, remembered by its spelling."""
        key = " ".join(span.casefold().split())
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= CACHE_LIMIT:
                self._hits.clear()
            hits = self._hits[key] = self.screener.screen(Subject(self.schema, (span,)), CANDIDATES)
        return hits

    def _owned(self, hit: Hit, subjects: frozenset[int] | set[int]) -> bool:
        return self.book.numbers.get(hit.entity_id, -1) in subjects


def mentions(
    text: str, index: NameIndex, threshold: float = PRESETS["strict"], schema: str = "LegalEntity"
) -> list[Mention]:
    """Listed entities named in ``text`` (``MentionFinder.find``). The threshold is the
    strict preset by default: a span of free text is not a name field, and ordinary words
    ("import of") must not pass for one."""
    return MentionFinder(Screener(index, threshold), schema).find(text)


def _gap(between: str) -> int:
    """Whether two words may belong to one name: only spaces and a comma between them
    (JOINED), a period as after a title (PERIOD), or anything else (APART)."""
    if between == " ":
        return JOINED
    if between.count("\n") > 1 or any(c in _BREAKS for c in between.replace(".", "", 1)):
        return APART
    if "." in between:
        return PERIOD
    return JOINED if between.strip() in ("", ",") else APART


def _near_best(hits: list[Hit]) -> list[Hit]:
    """The hits within ``MARGIN`` of the best (hits come best first)."""
    return [h for h in hits if h.score >= hits[0].score - MARGIN] if hits else []


def _best(found: list[list[Mention]]) -> list[Mention]:
    """Non-overlapping spans, the best hit first (the longer span on a tie); every entity
    of a kept span is kept. Returned in reading order, best hit first within a span."""
    starts: list[int] = []  # of the kept spans, which never overlap: ends ascend alike
    kept: list[list[Mention]] = []
    for group in sorted(found, key=lambda g: (-g[0].hit.score, g[0].start - g[0].end)):
        first = group[0]
        at = bisect.bisect_right(starts, first.start)
        if at and kept[at - 1][0].end > first.start:
            continue  # overlaps the kept span starting before it
        if at < len(kept) and kept[at][0].start < first.end:
            continue  # overlaps the kept span starting after it
        starts.insert(at, first.start)
        kept.insert(at, group)
    return [m for group in kept for m in group]
