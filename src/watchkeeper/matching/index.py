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

Identifiers. Every document and registry number of a listed subject (passport, ID, tax,
registration, IMO, LEI, BIC numbers, crypto addresses), normalised (``normalise_identifier``),
is posted in a dict beside the names: a query carrying one gets its holders as candidates
whatever their names, first and with retrieval score 1.0 (the scorer then decides, and the
identifier feature lifts them). Numbers shorter than ``MIN_IDENTIFIER`` are not posted.

Common keys. A key is *common* when more live subjects are posted under it than
``min(WALK_LIMIT, max(COMMON_FLOOR, COMMON_SHARE * subjects))``. A common key still counts in
the score of every candidate, but its posting list is not walked to find candidates: they come
from the query's other keys. Only when every key of a query name is common are the common
lists intersected (heaviest token first), falling back to the heaviest token's list, and at
most ``limit`` of them scored. ``LinearIndex`` scores every subject the same way without
skipping: the test oracle.

Cost. Scoring is vectorised: a query name's candidates (the walked postings, at most
``WALK_LIMIT`` each) are scored at once, slot by slot, by binary search in each term's sorted
posting, so a query costs about the same at 1,000 or 1,000,000 entries. Building costs one
key analysis per distinct word (``keys.plain_word``) and one sort of all (term, subject) pairs.
"""

from __future__ import annotations

import base64
import json
import threading
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import orjson
from followthemoney import model
from sqlalchemy import Engine, Row, Select, select

from watchkeeper.matching.kernels.retrieval import retrieve
from watchkeeper.matching.names.arabic import is_arabic_script, romanise
from watchkeeper.matching.names.keys import key, name_parts
from watchkeeper.matching.names.normalise import TITLES, Role
from watchkeeper.matching.names.rarity import TokenWeights
from watchkeeper.matching.names.scripts import is_other_script, readings
from watchkeeper.matching.prepared import acronyms, normalised_identifiers, reference_weights
from watchkeeper.matching.subject import DOCUMENT_KINDS, Subject
from watchkeeper.matching.table import ListedTable
from watchkeeper.store.loading import is_entry
from watchkeeper.store.reading import version_id
from watchkeeper.store.schema import entities

FORMAT = "watchkeeper.name-index"
VERSION = 1
FUZZY = 0.5  # a token matched only by its skeleton: likely the same name, one vowel off
MIN_SKELETON = 3  # shorter skeletons ("mr" for Omar, "l" for Ali) match half the list
COMMON_SHARE = 0.05  # a key in more than 5% of subjects is common...
COMMON_FLOOR = 50  # ...but small lists are walked in full...
WALK_LIMIT = 1_000  # ...and no list longer than this is walked at any size: a longer walk
# costs more than its candidates are worth (0.1% of a million entries, and p50 stays < 1 ms)
COMPACT_MIN = 4096  # changes (adds' postings, removals' terms) held before ``_compact``
SLOT_CACHE = 1 << 16  # token slots whose terms are remembered; the cache starts over after
MIN_IDENTIFIER = 5  # shorter numbers ("1", "N/A") are noise or shared by many, not retrieved
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
    "identifier_kinds",
)

# One token of a query name: the keys it may have (several for a romanised Arabic token).
Slot = tuple[str, ...]
Numbers = npt.NDArray[np.uint32]  # internal subject numbers, ascending
Ints = npt.NDArray[np.int64]  # subject numbers as the kernels take and give them
Scores = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_NO_NUMBERS: Numbers = np.zeros(0, dtype=np.uint32)
_NO_INTS: Ints = np.zeros(0, dtype=np.int64)
_NO_SCORES: Scores = np.zeros(0)


class _SlotTerms(NamedTuple):
    """One token slot as the retrieval kernel reads it: its term ids (keys, then
    skeletons: ``fuzzy``), its weight, the postings to walk, and whether a key is common."""

    terms: list[int]
    fuzzy: list[bool]
    weight: float
    walk: list[int]
    common: bool


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed subject worth scoring, with its retrieval score in [0, 1]."""

    subject: Subject
    score: float


@lru_cache(maxsize=1 << 20)
def skeleton(key: str) -> str | None:
    """The key without vowel slots, posted with a ``~`` so it never meets a key; None if short."""
    bare = key.translate(_VOWELS)
    return "~" + bare if len(bare) >= MIN_SKELETON else None


def reading_slots(name: str) -> list[list[Slot]]:
    """``name_slots`` of each reading of a name: one for most names, one per reading of a
    name ``scripts.readings`` reads (a Han name as Chinese and as Japanese)."""
    if not is_other_script(name):
        return [name_slots(name)]
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
            tuple(dict.fromkeys(k for s in group if s not in TITLES for k in _name_keys(s)))
            for group in groups
        ]
    else:
        slots = [(k,) for k in _name_keys(name)]
    return list(dict.fromkeys(slot for slot in slots if slot))


def _skeletons(slot: Slot) -> Slot:
    return tuple(s for s in map(skeleton, slot) if s is not None)


def _name_keys(name: str) -> list[str]:
    """Keys of a name's name parts (``keys.name_parts``: word by word from a cache)."""
    return [p.key for p in name_parts(name) if p.role is Role.NAME]


def subject_names(subject: Subject) -> tuple[str, ...]:
    """Every name of a subject, strong and weak (a weak alias still finds its holder), and
    an organisation's acronyms (``prepared.acronyms``)."""
    return subject.names + subject.weak_names + acronyms(subject)


def subject_terms(subject: Subject) -> set[str]:
    """The posting terms of a listed subject: keys and skeletons of all its names."""
    terms: set[str] = set()
    for name in subject_names(subject):
        for slots in reading_slots(name):
            for slot in slots:
                terms.update(slot)
    terms.update(_skeletons(tuple(terms)))
    return terms


def identifier_terms(subject: Subject) -> list[str]:
    """The normalised numbers a subject is found by (``MIN_IDENTIFIER`` characters or more)."""
    if not subject.identifiers:
        return []
    return [n for n, _ in normalised_identifiers(subject) if len(n) >= MIN_IDENTIFIER]


class _Scorer:
    """The retrieval score, shared by both indexes so the oracle scores exactly alike."""

    def __init__(self, weights: TokenWeights | None) -> None:
        self.weights = weights if weights is not None else reference_weights()

    def weight(self, key: str) -> float:
        return self.weights.weight(key)

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
    """Inverted index from name keys to listed subjects (see the module docstring).

    Postings live in two numpy arrays (``_offsets`` into ``_postings``, ascending numbers per
    term) built by one sort; ``add`` appends to small per-term tails and ``remove`` only marks
    the number dead, both folded back into the arrays once they grow (``_compact``). Numbers
    are never reused, so every posting, tail included, stays sorted."""

    def __init__(self, weights: TokenWeights | None = None) -> None:
        self._scorer = _Scorer(weights)
        self._numbers: dict[str, int] = {}  # entity id -> internal number
        self._subjects: list[Subject | None] = []  # by number; None once removed
        self._alive = np.zeros(0, dtype=np.bool_)  # by number, capacity may exceed _subjects
        self._terms: dict[str, int] = {}  # term -> term id
        self._live: list[int] = []  # by term id: live subjects posted under it
        self._offsets: Ints = np.zeros(1, dtype=np.int64)  # by term id, len = base terms + 1
        self._postings: Numbers = np.zeros(0, dtype=np.uint32)
        self._tails: dict[int, array[int]] = {}  # term id -> numbers added since _compact
        self._identifiers: dict[str, list[int]] = {}  # normalised number -> numbers, ascending
        self._changes = 0  # tail entries and removals since _compact
        self._masks: dict[frozenset[str], Bools] = {}  # live subjects of some lists, by number
        self._table: ListedTable | None = None  # the prepared subjects, once asked for
        self._slots: dict[Slot, _SlotTerms] = {}  # token slots resolved, until a change
        self._lock = threading.Lock()  # queries of several threads fold changes in once

    @classmethod
    def build(cls, subjects: Iterable[Subject], weights: TokenWeights | None = None) -> NameIndex:
        """An index of these listed subjects (each needs an ``entity_id``); a later subject
        with the same id replaces an earlier one. (term, number) pairs are collected in flat
        arrays and sorted once: far cheaper than growing a list per term."""
        index = cls(weights)
        term_ids = array("I")
        numbers = array("I")
        for subject in subjects:
            if subject.entity_id is None:
                raise ValueError("a listed subject needs an entity_id to be indexed")
            earlier = index._numbers.get(subject.entity_id)
            if earlier is not None:
                index._subjects[earlier] = None
            number = len(index._subjects)
            index._numbers[subject.entity_id] = number
            index._subjects.append(subject)
            index._post_identifiers(subject, number)
            for term in subject_terms(subject):
                term_ids.append(index._term_id(term))
                numbers.append(number)
        alive = np.array([s is not None for s in index._subjects], dtype=np.bool_)
        index._alive = alive
        tids = np.frombuffer(term_ids, dtype=np.uint32)
        nums = np.frombuffer(numbers, dtype=np.uint32)
        keep = alive[nums]
        index._set_postings(tids[keep], nums[keep])
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
        self._post_identifiers(subject, number)
        if number >= len(self._alive):
            grown = np.zeros(max(64, 2 * len(self._alive)), dtype=np.bool_)
            grown[: len(self._alive)] = self._alive
            self._alive = grown
        self._alive[number] = True
        self._masks.clear()
        self._table = None
        self._slots = {}
        for term in subject_terms(subject):
            tid = self._term_id(term)
            self._tails.setdefault(tid, array("I")).append(number)
            self._live[tid] += 1
            self._changes += 1
        self._maybe_compact()

    def remove(self, entity_id: str) -> None:
        """Take a subject out (a list version dropped it); KeyError if it is not here."""
        number = self._numbers.pop(entity_id)
        subject = self._subjects[number]
        assert subject is not None
        self._subjects[number] = None
        self._alive[number] = False
        for identifier in identifier_terms(subject):
            holders = self._identifiers[identifier]
            holders.remove(number)
            if not holders:
                del self._identifiers[identifier]
        self._masks.clear()
        self._table = None
        self._slots = {}
        for term in subject_terms(subject):
            self._live[self._terms[term]] -= 1
            self._changes += 1
        self._maybe_compact()

    def _post_identifiers(self, subject: Subject, number: int) -> None:
        for identifier in identifier_terms(subject):
            self._identifiers.setdefault(identifier, []).append(number)

    def knows(self, key: str) -> bool:
        """Whether some live subject is posted under this name key."""
        tid = self._terms.get(key)
        return tid is not None and self._live[tid] > 0

    def subjects(self) -> Iterator[Subject]:
        """The indexed subjects in insertion order."""
        return (s for s in self._subjects if s is not None)

    def table(self) -> ListedTable:
        """The indexed subjects, by number, as the scorer reads them (``table``): each
        prepared on first use. A new table after every change."""
        table = self._table
        if table is None:
            with self._lock:
                table = self._table
                if table is None:
                    table = self._table = ListedTable(self._subjects)
        return table

    def _fold(self) -> None:
        """Fold added postings into the arrays the retrieval kernel reads, once after
        changes (the first query does it, under the lock)."""
        if self._tails:
            with self._lock:
                if self._tails:
                    self._compact()

    def __getstate__(self) -> dict[str, object]:
        """Pickled without what is rebuilt on use (the table, the list masks) and the lock:
        a screener broadcast to Spark executors stays small."""
        return {**self.__dict__, "_table": None, "_masks": {}, "_slots": {}, "_lock": None}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def query(
        self, subject: Subject, limit: int = 20, lists: frozenset[str] | None = None
    ) -> list[Candidate]:
        """The ``limit`` best candidates for any of the subject's names, best first; with
        ``lists``, only subjects of those lists (one index serves every list of a store)."""
        numbers, scores = self.query_numbers(subject, limit, lists)
        out: list[Candidate] = []
        for number, score in zip(numbers.tolist(), scores.tolist(), strict=True):
            listed = self._subjects[number]
            assert listed is not None
            out.append(Candidate(listed, round(score, 6)))
        return out

    def query_numbers(
        self, subject: Subject, limit: int = 20, lists: frozenset[str] | None = None
    ) -> tuple[Ints, Scores]:
        """``query``'s candidates as subject numbers (of ``table``) and retrieval scores.

        The holders of the subject's identifiers come first (``_identified``). Each name's
        candidates come from its uncommon terms' postings plus ``_all_common``; each slot
        then scores every candidate (``kernels.retrieval``), in the same order of float
        additions as ``_Scorer.score``, so both indexes agree exactly."""
        self._fold()
        usable = self._alive if lists is None else self._of_lists(lists)
        identified = self._identified(subject, usable, limit)
        numbers, scores = self._by_names(subject, limit, usable)
        if not identified:
            return numbers, scores
        taken = set(identified)
        rest = np.array([n not in taken for n in numbers.tolist()], dtype=np.bool_)
        return (
            np.concatenate((np.array(identified, dtype=np.int64), numbers[rest]))[:limit],
            np.concatenate((np.ones(len(identified)), scores[rest]))[:limit],
        )

    def _identified(self, subject: Subject, usable: Bools, limit: int) -> list[int]:
        """The first ``limit`` live subjects holding one of the subject's identifiers, by
        number: one dict lookup per identifier."""
        found: set[int] = set()
        for identifier in identifier_terms(subject):
            found.update(self._identifiers.get(identifier, ()))
        return [n for n in sorted(found) if usable[n]][:limit]

    def _by_names(self, subject: Subject, limit: int, usable: Bools) -> tuple[Ints, Scores]:
        """The candidates by name keys (``query_numbers``)."""
        walk: list[int] = []
        walk_ptr = [0]
        extras: list[Ints] = []
        extra_ptr = [0]
        name_ptr = [0]
        slot_ptr = [0]
        terms: list[int] = []
        fuzzy: list[bool] = []
        weights: list[float] = []
        for slots in [s for name in subject_names(subject) for s in reading_slots(name)]:
            common: list[Slot] = []
            for slot in slots:
                found = self._slot_terms(slot)
                terms += found.terms
                fuzzy += found.fuzzy
                slot_ptr.append(len(terms))
                weights.append(found.weight)
                walk += found.walk
                if found.common:
                    common.append(slot)
            extra = self._all_common(common, limit, usable) if common else _NO_NUMBERS
            extras.append(extra.astype(np.int64))
            extra_ptr.append(extra_ptr[-1] + len(extras[-1]))
            walk_ptr.append(len(walk))
            name_ptr.append(len(weights))
        if not weights:
            return _NO_INTS, _NO_SCORES
        return retrieve(
            self._offsets,
            self._postings,
            usable,
            (np.array(walk_ptr, dtype=np.int64), np.array(walk, dtype=np.int64)),
            (np.array(extra_ptr, dtype=np.int64), np.concatenate(extras)),
            (
                np.array(name_ptr, dtype=np.int64),
                np.array(slot_ptr, dtype=np.int64),
                np.array(terms, dtype=np.int64),
                np.array(fuzzy, dtype=np.bool_),
                np.array(weights, dtype=np.float64),
            ),
            FUZZY,
            limit,
        )

    def _slot_terms(self, slot: Slot) -> _SlotTerms:
        """What the retrieval kernel needs of one token slot, kept until the index changes
        (the same names come back query after query)."""
        found = self._slots.get(slot)
        if found is not None:
            return found
        cap = self._common_cap()
        terms: list[int] = []
        fuzzy: list[bool] = []
        walk: list[int] = []
        common = False
        skeletons = _skeletons(slot)
        for term in slot + skeletons:
            tid = self._terms.get(term)
            if tid is None:
                continue
            terms.append(tid)
            fuzzy.append(term in skeletons and term not in slot)
            if not self._live[tid]:
                continue
            if self._live[tid] <= cap:
                walk.append(tid)
            elif term in slot:
                common = True
        found = _SlotTerms(terms, fuzzy, self._scorer.weight(slot[0]), walk, common)
        if len(self._slots) >= SLOT_CACHE:
            self._slots.clear()
        self._slots[slot] = found
        return found

    def _of_lists(self, lists: frozenset[str]) -> Bools:
        """Which numbers are live subjects of these lists (kept until the index changes)."""
        mask = self._masks.get(lists)
        if mask is None:
            mask = np.zeros(len(self._alive), dtype=np.bool_)
            mask[: len(self._subjects)] = [
                s is not None and s.list_name in lists for s in self._subjects
            ]
            self._masks[lists] = mask
        return mask

    def _holding(self, terms: Iterable[str], numbers: Numbers) -> Bools:
        """Which of these ascending numbers are posted under any of the terms; the shorter
        side is binary-searched in the longer."""
        held = np.zeros(len(numbers), dtype=np.bool_)
        for term in terms:
            tid = self._terms.get(term)
            if tid is None or not len(numbers):
                continue
            posting = self._posting(tid)
            if len(posting) < len(numbers):
                at = np.minimum(np.searchsorted(numbers, posting), len(numbers) - 1)
                held[at[numbers[at] == posting]] = True
            elif len(posting):
                at = np.minimum(np.searchsorted(posting, numbers), len(posting) - 1)
                held |= posting[at] == numbers
        return held

    def _common_cap(self) -> int:
        return min(WALK_LIMIT, max(COMMON_FLOOR, int(COMMON_SHARE * len(self._numbers))))

    def _all_common(self, slots: list[Slot], limit: int, usable: Bools) -> Numbers:
        """The first ``limit`` subjects with all these tokens, else with the heaviest one.
        Postings ascend, so these are the ones the oracle ranks first among equal scores."""
        heaviest, *others = sorted(slots, key=lambda s: -self._scorer.weight(s[0]))
        arrays = [self._posting(self._terms[k]) for k in heaviest if k in self._terms]
        both = arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays))
        for slot in others:
            narrower = both[self._holding(slot, both)]
            if not len(narrower):
                break
            both = narrower
        first = both[: 4 * limit]  # the dead are few; widen only when they are not
        first = first[usable[first]]
        if len(first) < limit and len(both) > 4 * limit:
            first = both[usable[both]]
        return first[:limit]

    def _term_id(self, term: str) -> int:
        tid = self._terms.get(term)
        if tid is None:
            tid = self._terms[term] = len(self._live)
            self._live.append(0)
        return tid

    def _posting(self, tid: int) -> Numbers:
        """Ascending numbers posted under a term, the dead included."""
        base = (
            self._postings[self._offsets[tid] : self._offsets[tid + 1]]
            if tid < self._bases
            else _NO_NUMBERS
        )
        tail = self._tails.get(tid)
        if tail is None:
            return base
        return np.concatenate((base, np.frombuffer(tail, dtype=np.uint32)))

    @property
    def _bases(self) -> int:
        return len(self._offsets) - 1

    def _maybe_compact(self) -> None:
        if self._changes > max(COMPACT_MIN, len(self._postings) // 8):
            self._compact()

    def _compact(self) -> None:
        """Fold the tails into the arrays and drop the dead."""
        lengths = np.diff(self._offsets)
        tids = [np.repeat(np.arange(self._bases, dtype=np.uint32), lengths)]
        nums = [self._postings]
        for tid, tail in self._tails.items():
            tids.append(np.full(len(tail), tid, dtype=np.uint32))
            nums.append(np.frombuffer(tail, dtype=np.uint32))
        all_tids, all_nums = np.concatenate(tids), np.concatenate(nums)
        keep = self._alive[all_nums]
        self._set_postings(all_tids[keep], all_nums[keep])

    def _set_postings(self, tids: Numbers, nums: Numbers) -> None:
        """Postings from (term id, number) pairs whose numbers ascend within each term."""
        order = np.argsort(tids, kind="stable")
        counts = np.bincount(tids, minlength=len(self._live))
        self._offsets = np.concatenate(([0], np.cumsum(counts)))
        self._postings = nums[order]
        self._live = counts.tolist()
        self._tails = {}
        self._changes = 0
        self._slots = {}

    def serialize(self) -> bytes:
        """Versioned JSON: the subjects and the postings (base64 of little-endian uint32)."""
        return orjson.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "subjects": [_subject_dict(s) if s else None for s in self._subjects],
                "postings": {
                    term: _encode(self._live_posting(tid))
                    for term, tid in self._terms.items()
                    if self._live[tid]
                },
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
        index._alive = np.array([s is not None for s in index._subjects], dtype=np.bool_)
        for number, subject in enumerate(index._subjects):
            if subject is not None:
                index._post_identifiers(subject, number)
        postings = [_decode(text) for text in doc["postings"].values()]
        index._terms = {term: tid for tid, term in enumerate(doc["postings"])}
        index._live = [0] * len(postings)
        lengths = [len(p) for p in postings]
        tids = np.repeat(np.arange(len(postings), dtype=np.uint32), lengths)
        index._set_postings(tids, np.concatenate([_NO_NUMBERS, *postings]))
        return index

    def _live_posting(self, tid: int) -> Numbers:
        posting = self._posting(tid)
        return posting[self._alive[posting]]


def same_candidates(got: list[Candidate], want: list[Candidate]) -> bool:
    """Whether an index answered like its oracle: the same scores position by position, and
    the same candidates above the last score (candidates tied at the cut are interchangeable)."""
    if [c.score for c in got] != [c.score for c in want]:
        return False
    cut = want[-1].score if want else 0.0
    return {c.subject.entity_id for c in got if c.score > cut} == {
        c.subject.entity_id for c in want if c.score > cut
    }


class LinearIndex:
    """Scores every subject with the index's retrieval score: slow, simple, the oracle."""

    def __init__(self, subjects: list[Subject], weights: TokenWeights | None = None) -> None:
        self._scorer = _Scorer(weights)
        self._subjects: list[Subject | None] = list(subjects)
        self._terms = [subject_terms(s) for s in subjects]
        self._identifiers = [set(identifier_terms(s)) for s in subjects]

    @classmethod
    def build(cls, subjects: Iterable[Subject], weights: TokenWeights | None = None) -> LinearIndex:
        """An oracle over these subjects."""
        return cls(list(subjects), weights)

    def query(self, subject: Subject, limit: int = 20) -> list[Candidate]:
        """The ``limit`` best subjects by retrieval score, scanning them all; a subject
        sharing an identifier scores 1.0."""
        scores: dict[int, float] = {}
        wanted = set(identifier_terms(subject))
        for number, identifiers in enumerate(self._identifiers):
            if wanted & identifiers:
                scores[number] = 1.0
        for slots in [s for name in subject_names(subject) for s in reading_slots(name)]:
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
        for subject in stored_subjects(engine, name):
            index.add(subject)
    return index


def stored_subjects(
    engine: Engine,
    list_name: str,
    number: int | None = None,
    record_ids: Collection[str] | None = None,
) -> Iterator[Subject]:
    """The listed subjects of version ``number`` of a list (the active one when None), only
    those of the entries ``record_ids`` when given (re-screening against a list's changes).
    The numbers of their passports, identity documents and wallets, which FtM files publish
    as entities of their own, are read first and added to their holders."""
    vid, _number = version_id(engine, list_name, number)
    query = select(entities.c.schema, entities.c.data).where(entities.c.version_id == vid)
    documents: dict[str, list[tuple[str, str]]] = {}
    held = query.where(entities.c.schema.in_(DOCUMENT_KINDS))
    for row in _rows(engine, held, record_ids):
        prop, kind = DOCUMENT_KINDS[row.schema]
        proxy = model.get_proxy(orjson.loads(row.data))
        for holder in proxy.get("holder"):
            documents.setdefault(holder, []).extend((v, kind) for v in proxy.get(prop))
    for row in _rows(engine, query, record_ids):
        schema = model.get(row.schema)
        if schema is None or not is_entry(schema):
            continue
        subject = Subject.from_entity(model.get_proxy(orjson.loads(row.data)), list_name)
        more = documents.get(subject.entity_id or "")
        yield subject.with_identifiers(more) if more else subject


def _rows(
    engine: Engine, query: Select[Any], record_ids: Collection[str] | None
) -> Iterator[Row[Any]]:
    """The rows of ``query``, of the entries ``record_ids`` when given, streamed."""
    wanted = sorted(record_ids) if record_ids is not None else [None]
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):  # bound the IN list on both backends
            part = query
            if record_ids is not None:
                part = query.where(entities.c.record_id.in_(wanted[start : start + 500]))
            yield from conn.execution_options(stream_results=True, yield_per=1000).execute(part)


def _subject_dict(subject: Subject) -> dict[str, object]:
    return {f: getattr(subject, f) for f in _SUBJECT_FIELDS}


def _subject_of(doc: dict[str, object]) -> Subject:
    values = {f: tuple(v) if isinstance(v, list) else v for f, v in doc.items()}
    return Subject(**values)  # type: ignore[arg-type]


def _encode(posting: Numbers) -> str:
    return base64.b64encode(posting.astype("<u4").tobytes()).decode("ascii")


def _decode(text: str) -> Numbers:
    posting: Numbers = np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)
    return posting
