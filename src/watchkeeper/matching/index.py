"""Candidate index: which listed subjects are worth scoring for a query, without a scan.

The scorer is too slow to run against a million entries, so an inverted index over name keys
picks a few dozen candidates first. Each listed subject is posted under the phonetic key of
every name token (``keys.key``; Arabic-script names through ``romanise``, so an Arabic query
finds a Latin-only list and back) and under the key's *skeleton*, the key without vowels, so a
spelling one vowel off still meets (Zawahri ``zewehri`` and Zawahiri ``zeweheri`` share
``~zwhr``). Particles and titles are not posted: they say nothing about who someone is.

The retrieval score of a candidate for one query name is the share of the name's rarity
weight (``TokenWeights``) found in the candidate's keys: a token counts fully when a key
matches and ``FUZZY`` when only the skeleton does. A query with several names takes its best.

Common keys. A key is *common* when its posting list is longer than
``min(WALK_LIMIT, max(COMMON_FLOOR, COMMON_SHARE * subjects))``. A common key still counts in
the score of every candidate, but its posting list is not walked to find candidates: they come
from the query's other keys. Only when every key of a query name is common are the common
lists intersected (numpy, one per token), falling back to the heaviest token's list, and at
most ``WALK_LIMIT`` of them scored. So "Mohammed Ali" costs the same at 1,000 or 1,000,000
entries. ``LinearIndex`` scores every subject the same way without skipping: the test oracle.
"""

from __future__ import annotations

import base64
import json
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial

import numpy as np
import orjson
from followthemoney import model
from sqlalchemy import Engine, select

from watchkeeper.matching.names.arabic import is_arabic_script, romanise
from watchkeeper.matching.names.keys import keyed_parts
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.names.rarity import TokenWeights
from watchkeeper.matching.subject import Subject
from watchkeeper.store.loading import is_entry
from watchkeeper.store.reading import version_id
from watchkeeper.store.schema import entities

FORMAT = "watchkeeper.name-index"
VERSION = 1
FUZZY = 0.5  # a token matched only by its skeleton: likely the same name, one vowel off
MIN_SKELETON = 3  # shorter skeletons ("mr" for Omar, "l" for Ali) match half the list
COMMON_SHARE = 0.05  # a key in more than 5% of subjects is common...
COMMON_FLOOR = 50  # ...but small lists are walked in full...
WALK_LIMIT = 10_000  # ...and no posting list longer than this is walked at any size
_VOWELS = str.maketrans("", "", "aeiou")
_SUBJECT_FIELDS = (
    "schema",
    "names",
    "weak_names",
    "birth_dates",
    "countries",
    "gender",
    "identifiers",
    "entity_id",
    "list_name",
)

# One token of a query name: the keys it may have (several for a romanised Arabic token).
Slot = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed subject worth scoring, with its retrieval score in [0, 1]."""

    subject: Subject
    score: float


def skeleton(key: str) -> str | None:
    """The key without vowel slots, posted with a ``~`` so it never meets a key; None if short."""
    bare = key.translate(_VOWELS)
    return "~" + bare if len(bare) >= MIN_SKELETON else None


def name_slots(name: str) -> list[Slot]:
    """Keys of a name's tokens, one slot per token; Arabic script goes through ``romanise``."""
    if is_arabic_script(name):
        groups = romanise(name)
        slots = [tuple(dict.fromkeys(k for s in group for k in _name_keys(s))) for group in groups]
    else:
        slots = [(k,) for k in _name_keys(name)]
    return list(dict.fromkeys(slot for slot in slots if slot))


def _name_keys(name: str) -> list[str]:
    return [p.key for p in keyed_parts(name) if p.role is Role.NAME]


def subject_names(subject: Subject) -> tuple[str, ...]:
    """Every name of a subject, strong and weak: a weak alias still finds its holder."""
    return subject.names + subject.weak_names


def subject_terms(subject: Subject) -> set[str]:
    """The posting terms of a listed subject: keys and skeletons of all its names."""
    terms: set[str] = set()
    for name in subject_names(subject):
        for slot in name_slots(name):
            terms.update(slot)
    terms.update(s for s in map(skeleton, list(terms)) if s is not None)
    return terms


class _Scorer:
    """The retrieval score, shared by both indexes so the oracle scores exactly alike."""

    def __init__(self, weights: TokenWeights | None) -> None:
        self.weights = weights if weights is not None else _reference()
        self._memo: dict[str, float] = {}

    def weight(self, key: str) -> float:
        if key not in self._memo:
            self._memo[key] = self.weights.weight(key)
        return self._memo[key]

    def score(self, slots: list[Slot], has: Callable[[str], bool]) -> float:
        """Share of the slots' weight matched: a key fully, a skeleton by ``FUZZY``."""
        total = found = 0.0
        for slot in slots:
            weight = self.weight(slot[0])  # the most likely spelling speaks for the token
            total += weight
            if any(has(k) for k in slot):
                found += weight
            elif any(s is not None and has(s) for s in map(skeleton, slot)):
                found += FUZZY * weight
        return found / total if total else 0.0


@cache
def _reference() -> TokenWeights:
    """The bundled weights, read once (about a second)."""
    return TokenWeights.reference()


def _ranked(
    scores: dict[int, float], subjects: list[Subject | None], limit: int
) -> list[Candidate]:
    """Best first; ties in insertion order, so both indexes break them alike."""
    order = sorted((item for item in scores.items() if item[1] > 0), key=lambda i: (-i[1], i[0]))
    out: list[Candidate] = []
    for number, score in order[:limit]:
        subject = subjects[number]
        assert subject is not None
        out.append(Candidate(subject, round(score, 6)))
    return out


class NameIndex:
    """Inverted index from name keys to listed subjects (see the module docstring)."""

    def __init__(self, weights: TokenWeights | None = None) -> None:
        self._scorer = _Scorer(weights)
        self._numbers: dict[str, int] = {}  # entity id -> internal number
        self._subjects: list[Subject | None] = []  # by number; None once removed
        self._postings: dict[str, array[int]] = {}  # term -> ascending numbers

    @classmethod
    def build(cls, subjects: Iterable[Subject], weights: TokenWeights | None = None) -> NameIndex:
        """An index of these listed subjects (each needs an ``entity_id``)."""
        index = cls(weights)
        for subject in subjects:
            index.add(subject)
        return index

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._numbers

    def add(self, subject: Subject) -> None:
        """Index one subject; one already there under its id is replaced."""
        if subject.entity_id is None:
            raise ValueError("a listed subject needs an entity_id to be indexed")
        if subject.entity_id in self._numbers:
            self.remove(subject.entity_id)
        number = len(self._subjects)  # always the highest, so postings stay sorted
        self._numbers[subject.entity_id] = number
        self._subjects.append(subject)
        for term in subject_terms(subject):
            self._postings.setdefault(term, array("I")).append(number)

    def remove(self, entity_id: str) -> None:
        """Take a subject out (a list version dropped it); KeyError if it is not here."""
        number = self._numbers.pop(entity_id)
        subject = self._subjects[number]
        assert subject is not None
        self._subjects[number] = None
        for term in subject_terms(subject):
            posting = self._postings[term]
            del posting[bisect_left(posting, number)]
            if not posting:
                del self._postings[term]

    def subjects(self) -> Iterator[Subject]:
        """The indexed subjects in insertion order."""
        return (s for s in self._subjects if s is not None)

    def query(self, subject: Subject, limit: int = 20) -> list[Candidate]:
        """The ``limit`` best candidates for any of the subject's names, best first."""
        scores: dict[int, float] = {}
        for name in subject_names(subject):
            slots = name_slots(name)
            for number in self._gather(slots, limit):
                score = self._scorer.score(slots, partial(self._has, number=number))
                if score > scores.get(number, 0.0):
                    scores[number] = score
        return _ranked(scores, self._subjects, limit)

    def _common_cap(self) -> int:
        return min(WALK_LIMIT, max(COMMON_FLOOR, int(COMMON_SHARE * len(self._numbers))))

    def _gather(self, slots: list[Slot], limit: int) -> set[int]:
        """Numbers of the candidates for one name: its uncommon terms' postings walked in
        full, plus the first ``limit`` subjects holding all its common tokens (docstring)."""
        cap = self._common_cap()
        found: set[int] = set()
        common: list[Slot] = []
        for slot in slots:
            for term in slot + tuple(s for s in map(skeleton, slot) if s is not None):
                posting = self._postings.get(term)
                if posting is None:
                    continue
                if len(posting) <= cap:
                    found.update(posting)
                elif term in slot and slot not in common:
                    common.append(slot)
        return found | self._all_common(common, limit)

    def _all_common(self, slots: list[Slot], limit: int) -> set[int]:
        """The first ``limit`` subjects with all these tokens, else with the heaviest one.
        Postings ascend, so these are the ones the oracle ranks first among equal scores."""
        lists = []
        for slot in sorted(slots, key=lambda s: -self._scorer.weight(s[0])):
            arrays = [self._numbers_of(k) for k in slot if k in self._postings]
            lists.append(arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays)))
        if not lists:
            return set()
        both = lists[0]
        for other in lists[1:]:
            narrower = np.intersect1d(both, other, assume_unique=True)
            if not len(narrower):
                break
            both = narrower
        return set(both[:limit].tolist())

    def _numbers_of(self, term: str) -> np.ndarray[tuple[int], np.dtype[np.uint32]]:
        return np.frombuffer(self._postings[term], dtype=np.uint32)

    def _has(self, term: str, number: int) -> bool:
        posting = self._postings.get(term)
        if posting is None:
            return False
        at = bisect_left(posting, number)
        return at < len(posting) and posting[at] == number

    def serialize(self) -> bytes:
        """Versioned JSON: the subjects and the postings (base64 of little-endian uint32)."""
        return orjson.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "subjects": [_subject_dict(s) if s else None for s in self._subjects],
                "postings": {term: _encode(p) for term, p in self._postings.items()},
            }
        )

    @classmethod
    def deserialize(cls, data: bytes, weights: TokenWeights | None = None) -> NameIndex:
        """An index from ``serialize``'s bytes; ValueError for another format or version."""
        doc = json.loads(data)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} document")
        if doc.get("version") != VERSION:
            raise ValueError(f"{FORMAT} version {doc.get('version')!r}; this code reads {VERSION}")
        index = cls(weights)
        index._subjects = [_subject_of(s) if s else None for s in doc["subjects"]]
        index._numbers = {
            s.entity_id: n for n, s in enumerate(index._subjects) if s and s.entity_id
        }
        index._postings = {term: _decode(text) for term, text in doc["postings"].items()}
        return index


class LinearIndex:
    """Scores every subject with the index's retrieval score: slow, simple, the oracle."""

    def __init__(self, subjects: list[Subject], weights: TokenWeights | None = None) -> None:
        self._scorer = _Scorer(weights)
        self._subjects: list[Subject | None] = list(subjects)
        self._terms = [subject_terms(s) for s in subjects]

    @classmethod
    def build(cls, subjects: Iterable[Subject], weights: TokenWeights | None = None) -> LinearIndex:
        """An oracle over these subjects."""
        return cls(list(subjects), weights)

    def query(self, subject: Subject, limit: int = 20) -> list[Candidate]:
        """The ``limit`` best subjects by retrieval score, scanning them all."""
        scores: dict[int, float] = {}
        for name in subject_names(subject):
            slots = name_slots(name)
            for number, terms in enumerate(self._terms):
                score = self._scorer.score(slots, terms.__contains__)
                if score > scores.get(number, 0.0):
                    scores[number] = score
        return _ranked(scores, self._subjects, limit)


def from_store(
    engine: Engine, list_names: list[str], weights: TokenWeights | None = None
) -> NameIndex:
    """An index of the entries (persons, organisations, vessels...) of each list's active
    version; rows are streamed and their JSON dropped once the subject is made."""
    index = NameIndex(weights)
    for name in list_names:
        for subject in _stored_subjects(engine, name):
            index.add(subject)
    return index


def _stored_subjects(engine: Engine, list_name: str) -> Iterator[Subject]:
    vid, _number = version_id(engine, list_name, None)
    query = select(entities.c.schema, entities.c.data).where(entities.c.version_id == vid)
    with engine.connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
        for row in rows:
            schema = model.get(row.schema)
            if schema is None or not is_entry(schema):
                continue
            proxy = model.get_proxy(orjson.loads(row.data))
            yield Subject.from_entity(proxy, list_name)


def _subject_dict(subject: Subject) -> dict[str, object]:
    return {f: getattr(subject, f) for f in _SUBJECT_FIELDS}


def _subject_of(doc: dict[str, object]) -> Subject:
    values = {f: tuple(v) if isinstance(v, list) else v for f, v in doc.items()}
    return Subject(**values)  # type: ignore[arg-type]


def _encode(posting: array[int]) -> str:
    if sys.byteorder != "little":
        posting = array("I", posting)
        posting.byteswap()
    return base64.b64encode(posting.tobytes()).decode("ascii")


def _decode(text: str) -> array[int]:
    posting = array("I")
    posting.frombytes(base64.b64decode(text))
    if sys.byteorder != "little":
        posting.byteswap()
    return posting
