"""Candidate index: which listed subjects are worth scoring for a query, without a scan.

The scorer is too slow to run against a million entries, so an inverted index over name keys
picks a few dozen candidates first. Each listed subject is posted under the keys and key
skeletons of every name token (``terms``); a candidate's retrieval score is the share of a
query name's rarity weight found in its keys (``candidates``).

Identifiers. Every document and registry number of a listed subject (passport, ID, tax,
registration, IMO, LEI, BIC numbers, crypto addresses), normalised (``normalise_identifier``),
is posted in a dict beside the names: a query carrying one gets its holders as candidates
whatever their names, first and with retrieval score 1.0 (the scorer then decides, and the
identifier feature lifts them). Numbers shorter than ``terms.MIN_IDENTIFIER`` are not posted.

Birth dates. Every full birth date is posted the same way: a query carrying one also gets the
subjects born that day, after its other candidates and with retrieval score 0, so that an
alias sharing no rare word with the query (a kunya, a nickname, a common name) is still
scored; the scorer decides, and a date alone never alerts (the names must share a token). A
date more than ``DATED_LIMIT`` subjects share (a list's placeholder, 1 January) finds none.

Common keys. A key is *common* when more live subjects are posted under it than
``min(WALK_LIMIT, max(COMMON_FLOOR, COMMON_SHARE * subjects))``. A common key still counts in
the score of every candidate, but its posting list is not walked to find candidates: they come
from the query's other keys. Only when every key of a query name is common are the common
lists intersected (heaviest token first), falling back to the heaviest token's list, and at
most ``limit`` of them scored. ``oracle.LinearIndex`` scores every subject the same way
without skipping: the test oracle.

Cost. Scoring is vectorised: a query name's candidates (the walked postings, at most
``WALK_LIMIT`` each) are scored at once, slot by slot, by binary search in each term's sorted
posting, so a query costs about the same at 1,000 or 1,000,000 entries. Building costs one
key analysis per distinct word (``keys.plain_word``) and one sort of all (term, subject) pairs.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Iterator
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from watchkeeper.matching import index_format
from watchkeeper.matching.candidates import FUZZY, Candidate, RetrievalScorer
from watchkeeper.matching.names.rarity import TokenWeights
from watchkeeper.matching.postings import Numbers, Postings
from watchkeeper.matching.signatures import Signatures, signature_hash
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.table import ListedTable
from watchkeeper.matching.terms import (
    DATED_LIMIT,
    Slot,
    date_terms,
    identifier_terms,
    listed_signatures,
    nickname_slots,
    query_signatures,
    reading_terms,
    shortest_name,
    skeletons,
    spaced_slots,
    subject_slots,
    subject_terms,
)

COMMON_SHARE = 0.05  # a key in more than 5% of subjects is common...
COMMON_FLOOR = 50  # ...but small lists are walked in full...
WALK_LIMIT = 1_000  # ...and no list longer than this is walked at any size: a longer walk
# costs more than its candidates are worth (0.1% of a million entries, and p50 stays < 1 ms)
SLOT_CACHE = 1 << 16  # token slots whose terms are remembered; the cache starts over after

_Item = TypeVar("_Item", bound=np.generic)
Ints = npt.NDArray[np.int64]  # subject numbers as the kernels take and give them
Scores = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_NO_NUMBERS: Numbers = np.zeros(0, dtype=np.uint32)
_NO_INTS: Ints = np.zeros(0, dtype=np.int64)
_NO_SCORES: Scores = np.zeros(0)


class _SlotTerms(NamedTuple):
    """One token slot as the retrieval kernel reads it: its term ids (keys, then
    skeletons: ``fuzzy``), its weight, the postings to walk, whether a key is common, and
    whether a key has a live subject (``known``)."""

    terms: list[int]
    fuzzy: list[bool]
    weight: float
    walk: list[int]
    common: bool
    known: bool


class NameIndex:
    """Inverted index from name keys to listed subjects (see the module docstring).

    Postings are kept by ``postings.Postings``; ``remove`` marks the number dead here
    (``_alive``), and the dead are dropped from the postings when they are compacted."""

    def __init__(self, weights: TokenWeights | None = None) -> None:
        self._scorer = RetrievalScorer(weights)
        self._numbers: dict[str, int] = {}  # entity id -> internal number
        self._subjects: list[Subject | None] = []  # by number; None once removed
        self._alive = np.zeros(0, dtype=np.bool_)  # by number, capacity may exceed _subjects
        self._shortest = np.zeros(0, dtype=np.uint8)  # by number: ``terms.shortest_name``
        self._postings = Postings()
        self._signatures = Signatures()  # exact names (``terms.signature``), hashed
        self._identifiers: dict[str, list[int]] = {}  # normalised number -> numbers, ascending
        self._dated: dict[str, list[int]] = {}  # full birth date -> numbers, ascending
        self._masks: dict[frozenset[str], Bools] = {}  # live subjects of some lists, by number
        self._table: ListedTable | None = None  # the prepared subjects, once asked for
        self._slots: dict[Slot, _SlotTerms] = {}  # token slots resolved, until a change
        self._commons: dict[tuple[tuple[Slot, ...], int], Numbers] = {}  # ``_all_common``'s
        self._lock = threading.Lock()  # queries of several threads fold changes in once

    @classmethod
    def build(cls, subjects: Iterable[Subject], weights: TokenWeights | None = None) -> NameIndex:
        """An index of these listed subjects (each needs an ``entity_id``); a later subject
        with the same id replaces an earlier one. (term, number) pairs are collected in flat
        arrays and sorted once: far cheaper than growing a list per term."""
        index = cls(weights)
        term_ids = array("I")
        numbers = array("I")
        signed = array("q")
        signed_numbers = array("I")
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
            readings = subject_slots(subject)
            for term in reading_terms(readings):
                term_ids.append(index._postings.term_id(term))
                numbers.append(number)
            for name in listed_signatures(readings):
                signed.append(signature_hash(name))
                signed_numbers.append(number)
        alive = np.array([s is not None for s in index._subjects], dtype=np.bool_)
        index._alive = alive
        index._shortest = _shortest(index._subjects)
        tids = np.frombuffer(term_ids, dtype=np.uint32)
        nums = np.frombuffer(numbers, dtype=np.uint32)
        keep = alive[nums]
        index._postings.set_pairs(tids[keep], nums[keep])
        hashes = np.frombuffer(signed, dtype=np.int64)
        holders = np.frombuffer(signed_numbers, dtype=np.uint32)
        kept = alive[holders]
        index._signatures = Signatures(hashes[kept], holders[kept])
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
            capacity = max(64, 2 * len(self._alive))
            self._alive = _grown(self._alive, capacity)
            self._shortest = _grown(self._shortest, capacity)
        self._alive[number] = True
        self._shortest[number] = shortest_name(subject)
        self._masks.clear()
        self._table = None
        self._slots = {}
        self._commons = {}
        readings = subject_slots(subject)
        for term in reading_terms(readings):
            self._postings.post(term, number)
        self._signatures.add(map(signature_hash, listed_signatures(readings)), number)
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
        for date in date_terms(subject):
            born = self._dated[date]
            born.remove(number)
            if not born:
                del self._dated[date]
        self._masks.clear()
        self._table = None
        self._slots = {}
        self._commons = {}
        for term in subject_terms(subject):
            self._postings.unpost(term)
        self._maybe_compact()

    def _post_identifiers(self, subject: Subject, number: int) -> None:
        for identifier in identifier_terms(subject):
            self._identifiers.setdefault(identifier, []).append(number)
        for date in date_terms(subject):
            self._dated.setdefault(date, []).append(number)

    def knows(self, key: str) -> bool:
        """Whether some live subject is posted under this name key."""
        tid = self._postings.terms.get(key)
        return tid is not None and self._postings.live[tid] > 0

    def subjects(self) -> Iterator[Subject]:
        """The indexed subjects in insertion order."""
        return (s for s in self._subjects if s is not None)

    def numbered(self) -> Iterator[tuple[int, Subject]]:
        """Each live subject with its number: the position a mask of ``query_numbers``'s
        ``allowed`` gives it."""
        return ((n, s) for n, s in enumerate(self._subjects) if s is not None)

    @property
    def capacity(self) -> int:
        """The length of a mask of subjects (``query_numbers``'s ``allowed``)."""
        return len(self._alive)

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
        if self._postings.has_tails:
            with self._lock:
                if self._postings.has_tails:
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
        self,
        subject: Subject,
        limit: int = 20,
        lists: frozenset[str] | None = None,
        allowed: Bools | None = None,
        compiled: bool = True,
    ) -> tuple[Ints, Scores]:
        """``query``'s candidates as subject numbers (of ``table``) and retrieval scores;
        with ``allowed`` (a mask of ``capacity`` by number), only the subjects it marks.

        The holders of the subject's identifiers come first (``_identified``), then those of
        a name it names exactly (``_named``): a common name's words alone tie hundreds. Each name's
        candidates come from its uncommon terms' postings plus ``_all_common``; each slot
        then scores every candidate (``kernels.retrieval``), in the same order of float
        additions as ``RetrievalScorer.score``, so both indexes agree exactly. Not
        ``compiled``, the same is done with numpy (``retrieval``): the same answer, without
        loading numba, for a process that asks one query."""
        self._fold()
        usable = self._alive if lists is None else self._of_lists(lists)
        if allowed is not None:
            usable = usable & allowed
        readings = subject_slots(subject) + nickname_slots(subject)
        first = self._identified(subject, usable, limit)
        identified = set(first)
        first += [n for n in self._named(readings, usable, limit) if n not in identified]
        numbers, scores = self._by_names(subject, readings, limit, usable, compiled)
        if first:
            taken = set(first)
            found = zip(numbers.tolist(), scores.tolist(), strict=True)
            rest = [(n, s) for n, s in found if n not in taken]
            numbers = np.array(first + [n for n, _ in rest], dtype=np.int64)[:limit]
            scores = np.array([1.0] * len(first) + [s for _, s in rest])[:limit]
        born = [n for n in self._born(subject, usable) if n not in set(numbers.tolist())]
        if not born:
            return numbers, scores
        return (
            np.concatenate((numbers, np.array(born, dtype=np.int64))),
            np.concatenate((scores, np.zeros(len(born)))),
        )

    def _identified(self, subject: Subject, usable: Bools, limit: int) -> list[int]:
        """The first ``limit`` live subjects holding one of the subject's identifiers, by
        number: one dict lookup per identifier."""
        found: set[int] = set()
        for identifier in identifier_terms(subject):
            found.update(self._identifiers.get(identifier, ()))
        return [n for n in sorted(found) if usable[n]][:limit]

    def _named(self, readings: list[list[Slot]], usable: Bools, limit: int) -> list[int]:
        """The first ``limit`` live subjects with a name the query names exactly, in any
        word order and spelling of one key (``terms.signature``), by number."""
        found = self._signatures.holders(list(map(signature_hash, query_signatures(readings))))
        return [n for n in sorted(found) if usable[n]][:limit]

    def _born(self, subject: Subject, usable: Bools) -> list[int]:
        """The live subjects born on one of the subject's full birth dates, by number; a
        date more than ``DATED_LIMIT`` of them share (a list's placeholder) finds none."""
        found: set[int] = set()
        for date in date_terms(subject):
            holders = self._dated.get(date, ())
            if len(holders) <= DATED_LIMIT:
                found.update(holders)
        return [n for n in sorted(found) if usable[n]]

    def _by_names(
        self,
        subject: Subject,
        readings: list[list[Slot]],
        limit: int,
        usable: Bools,
        compiled: bool,
    ) -> tuple[Ints, Scores]:
        """The candidates by name keys (``query_numbers``) of the subject's ``readings``."""
        walk: list[int] = []
        walk_ptr = [0]
        extras: list[Ints] = []
        extra_ptr = [0]
        name_ptr = [0]
        slot_ptr = [0]
        terms: list[int] = []
        fuzzy: list[bool] = []
        weights: list[float] = []
        if not all(self._slot_terms(slot).known for slots in readings for slot in slots):
            readings = readings + spaced_slots(subject, self.knows)  # a word split in two
        for slots in readings:
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
        # Imported here: the kernels' module loads numba, which a single query never needs.
        if compiled:
            from watchkeeper.matching.kernels.retrieval import retrieve
        else:
            from watchkeeper.matching.retrieval import retrieve
        return retrieve(
            self._postings.offsets,
            self._postings.postings,
            usable,
            self._shortest,
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
        common = known = False
        bare = skeletons(slot)
        for term in slot + bare:
            tid = self._postings.terms.get(term)
            if tid is None:
                continue
            terms.append(tid)
            fuzzy.append(term in bare and term not in slot)
            live = self._postings.live[tid]
            if not live:
                continue
            known = known or term in slot
            if live <= cap:
                walk.append(tid)
            elif term in slot:
                common = True
        found = _SlotTerms(terms, fuzzy, self._scorer.weight(slot[0]), walk, common, known)
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

    def _common_cap(self) -> int:
        return min(WALK_LIMIT, max(COMMON_FLOOR, int(COMMON_SHARE * len(self._numbers))))

    def _all_common(self, slots: list[Slot], limit: int, usable: Bools) -> Numbers:
        """The first ``limit`` subjects with all these tokens, else with the heaviest one,
        by the words of their shortest name, then by number: the ones the oracle ranks
        first among equal scores. Kept for the whole index until it changes: common names
        come back query after query, and ordering thousands of holders costs tens of
        microseconds."""
        whole = usable is self._alive
        key = (tuple(slots), limit)
        found = self._commons.get(key) if whole else None
        if found is not None:
            return found
        heaviest, *others = sorted(slots, key=lambda s: -self._scorer.weight(s[0]))
        terms = self._postings.terms
        arrays = [self._postings.posting(terms[k]) for k in heaviest if k in terms]
        both = arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays))
        for slot in others:
            narrower = both[self._postings.holding(slot, both)]
            if not len(narrower):
                break
            both = narrower
        found = both[usable[both]]
        if len(found) > limit:  # a stable sort of bytes: a radix sort, numbers ascend in ties
            found = np.sort(found[np.argsort(self._shortest[found], kind="stable")[:limit]])
        if whole:
            if len(self._commons) >= SLOT_CACHE:
                self._commons.clear()
            self._commons[key] = found
        return found

    def _maybe_compact(self) -> None:
        if self._postings.crowded:
            self._compact()

    def _compact(self) -> None:
        """Fold added postings into the arrays and drop the dead; slots are resolved anew."""
        self._postings.compact(self._alive)
        self._signatures = self._signatures.compact(self._alive)
        self._slots = {}
        self._commons = {}

    def serialize(self) -> bytes:
        """Versioned JSON (``index_format``): the subjects, the live postings and
        signatures."""
        terms, live = self._postings.terms, self._postings.live
        return index_format.dump(
            self._subjects,
            {term: self._live_posting(tid) for term, tid in terms.items() if live[tid]},
            self._signatures.live(self._alive),
        )

    @classmethod
    def deserialize(cls, data: bytes, weights: TokenWeights | None = None) -> NameIndex:
        """An index from ``serialize``'s bytes; ValueError for another format or version."""
        subjects, postings, (hashes, holders) = index_format.load(data)
        index = cls(weights)
        index._signatures = Signatures(hashes, holders)
        index._subjects = subjects
        index._numbers = {
            s.entity_id: n for n, s in enumerate(index._subjects) if s and s.entity_id
        }
        index._alive = np.array([s is not None for s in index._subjects], dtype=np.bool_)
        index._shortest = _shortest(index._subjects)
        for number, subject in enumerate(index._subjects):
            if subject is not None:
                index._post_identifiers(subject, number)
        index._postings = Postings.of(postings)
        return index

    def _live_posting(self, tid: int) -> Numbers:
        posting = self._postings.posting(tid)
        return posting[self._alive[posting]]


def _grown(values: npt.NDArray[_Item], capacity: int) -> npt.NDArray[_Item]:
    """The array with zeros after it up to ``capacity``."""
    grown = np.zeros(capacity, dtype=values.dtype)
    grown[: len(values)] = values
    return grown


def _shortest(subjects: list[Subject | None]) -> npt.NDArray[np.uint8]:
    """``terms.shortest_name`` by number (0 where removed)."""
    return np.array([shortest_name(s) if s else 0 for s in subjects], dtype=np.uint8)


def from_store(
    engine: Engine, list_names: list[str], weights: TokenWeights | None = None
) -> NameIndex:
    """An index of the entries (persons, organisations, vessels...) of each list's active
    version; rows are streamed and their JSON dropped once the subject is made."""
    # Reading entities needs followthemoney; a cached index (``index_cache``) does not.
    from watchkeeper.matching.stored import stored_subjects

    index = NameIndex(weights)
    for name in list_names:
        for subject in stored_subjects(engine, name):
            index.add(subject)
    return index
