"""Posting lists of the candidate index: for each term, the ascending numbers of the
subjects posted under it.

They live in two numpy arrays (``offsets`` into ``postings``) built by one sort: the
retrieval kernel reads them as they are. ``post`` appends to small per-term tails and
``unpost`` only counts a number out of its terms (the caller marks it dead), both folded
back into the arrays once they grow (``compact``). Numbers are never reused, so every
posting, tail included, stays sorted.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

COMPACT_MIN = 4096  # changes (adds' postings, removals' terms) held before ``compact``

Numbers = npt.NDArray[np.uint32]  # internal subject numbers, ascending
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_NO_NUMBERS: Numbers = np.zeros(0, dtype=np.uint32)


class Postings:
    """Terms by id, each with its posting and its count of live subjects."""

    def __init__(self) -> None:
        self.terms: dict[str, int] = {}  # term -> term id
        self.live: list[int] = []  # by term id: live subjects posted under it
        self.offsets: Ints = np.zeros(1, dtype=np.int64)  # by term id, len = base terms + 1
        self.postings: Numbers = np.zeros(0, dtype=np.uint32)
        self._tails: dict[int, array[int]] = {}  # term id -> numbers added since compact
        self._changes = 0  # tail entries and removals since compact

    @classmethod
    def of(cls, postings: dict[str, Numbers]) -> Postings:
        """Postings from each term's ascending numbers, term ids in the dict's order."""
        found = cls()
        found.terms = {term: tid for tid, term in enumerate(postings)}
        found.live = [0] * len(postings)
        lengths = [len(p) for p in postings.values()]
        tids = np.repeat(np.arange(len(postings), dtype=np.uint32), lengths)
        found.set_pairs(tids, np.concatenate([_NO_NUMBERS, *postings.values()]))
        return found

    def term_id(self, term: str) -> int:
        """The term's id, a new one for a new term."""
        tid = self.terms.get(term)
        if tid is None:
            tid = self.terms[term] = len(self.live)
            self.live.append(0)
        return tid

    def post(self, term: str, number: int) -> None:
        """Post a live subject under a term: ``number`` is higher than any posted yet."""
        tid = self.term_id(term)
        self._tails.setdefault(tid, array("I")).append(number)
        self.live[tid] += 1
        self._changes += 1

    def unpost(self, term: str) -> None:
        """Count one subject posted under the term out: it is dead from now on."""
        self.live[self.terms[term]] -= 1
        self._changes += 1

    def posting(self, tid: int) -> Numbers:
        """Ascending numbers posted under a term, the dead included."""
        base = (
            self.postings[self.offsets[tid] : self.offsets[tid + 1]]
            if tid < self._bases
            else _NO_NUMBERS
        )
        tail = self._tails.get(tid)
        if tail is None:
            return base
        return np.concatenate((base, np.frombuffer(tail, dtype=np.uint32)))

    def holding(self, terms: Iterable[str], numbers: Numbers) -> Bools:
        """Which of these ascending numbers are posted under any of the terms; the shorter
        side is binary-searched in the longer."""
        held = np.zeros(len(numbers), dtype=np.bool_)
        for term in terms:
            tid = self.terms.get(term)
            if tid is None or not len(numbers):
                continue
            posting = self.posting(tid)
            if len(posting) < len(numbers):
                at = np.minimum(np.searchsorted(numbers, posting), len(numbers) - 1)
                held[at[numbers[at] == posting]] = True
            elif len(posting):
                at = np.minimum(np.searchsorted(posting, numbers), len(posting) - 1)
                held |= posting[at] == numbers
        return held

    @property
    def _bases(self) -> int:
        return len(self.offsets) - 1

    @property
    def has_tails(self) -> bool:
        """Whether postings were added since the arrays were last built."""
        return bool(self._tails)

    @property
    def crowded(self) -> bool:
        """Whether enough changes are held to be worth a ``compact``."""
        return self._changes > max(COMPACT_MIN, len(self.postings) // 8)

    def compact(self, alive: Bools) -> None:
        """Fold the tails into the arrays and drop the numbers not ``alive``."""
        lengths = np.diff(self.offsets)
        tids = [np.repeat(np.arange(self._bases, dtype=np.uint32), lengths)]
        nums = [self.postings]
        for tid, tail in self._tails.items():
            tids.append(np.full(len(tail), tid, dtype=np.uint32))
            nums.append(np.frombuffer(tail, dtype=np.uint32))
        all_tids, all_nums = np.concatenate(tids), np.concatenate(nums)
        keep = alive[all_nums]
        self.set_pairs(all_tids[keep], all_nums[keep])

    def set_pairs(self, tids: Numbers, nums: Numbers) -> None:
        """Postings from (term id, number) pairs whose numbers ascend within each term."""
        order = np.argsort(tids, kind="stable")
        counts = np.bincount(tids, minlength=len(self.live))
        self.offsets = np.concatenate(([0], np.cumsum(counts)))
        self.postings = nums[order]
        self.live = counts.tolist()
        self._tails = {}
        self._changes = 0
