"""Indexes of PDQ hashes that return every hash within a Hamming distance of a query.

Three with one interface: ``LinearIndex`` scans every row (XOR and bit count over uint64
words), exact by construction and the test oracle of the others; ``MultiIndex`` is
multi-index hashing in numpy; ``FaissIndex`` is FAISS's ``IndexBinaryMultiHash`` on the same
principle. Both multi-index ones cut a hash into 16 substrings of 16 bits. By the
pigeonhole principle two hashes within ``16 * (f + 1) - 1`` bits agree within ``f`` bits on
at least one substring, so probing each substring's buckets at up to ``f`` flipped bits
(``f = 1`` for the default distance 31) finds every true match, and verifying the
candidates on all 256 bits drops the rest: recall 1.0, not an approximation.

``MultiIndex`` is the default for large banks: it keeps one uint32 id per hash per
substring (64 bytes a hash, plus the 32 of the hash), where FAISS keeps an int64 in a hash
map (over 128), which at 10 million hashes is the difference between under and over 1 GB
(bench/results/image_match.md).
"""

from abc import ABC, abstractmethod
from itertools import combinations
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt
from numba import njit

from watchkeeper.lanes.images.codes import BYTES, Codes

Ids = npt.NDArray[np.int64]
SUBSTRINGS = 16
SUBSTRING_BITS = 16
LINEAR_LIMIT = 50_000
"""Up to this many hashes a plain scan is as fast as any index and costs nothing to build."""


class HashIndex(ABC):
    """Every hash within ``max_distance`` of a query, as (row numbers, distances)."""

    NAME: str

    @classmethod
    @abstractmethod
    def build(cls, codes: Codes, max_distance: int) -> "HashIndex":
        """An index over ``codes`` (rows of 32 bytes) for queries up to ``max_distance``."""

    @abstractmethod
    def query(self, code: Codes, max_distance: int) -> tuple[Ids, Ids]:
        """Rows within ``max_distance`` of ``code`` (32 bytes) and their distances, by row."""

    @property
    @abstractmethod
    def nbytes(self) -> int:
        """Memory the index holds, hashes included."""


def _distances(rows: npt.NDArray[np.uint64], code: Codes) -> Ids:
    """Hamming distances from ``code`` to each row of uint64 words."""
    counts = np.bitwise_count(rows ^ code.reshape(-1).view(np.uint64))
    found: Ids = counts.sum(axis=1, dtype=np.int64)
    return found


class LinearIndex(HashIndex):
    """Exact scan of every hash: fastest for small banks and the oracle of the others."""

    NAME = "linear"

    def __init__(self, codes: Codes) -> None:
        self.words = np.ascontiguousarray(codes).view(np.uint64)

    @classmethod
    def build(cls, codes: Codes, max_distance: int) -> "LinearIndex":
        return cls(codes)

    def query(self, code: Codes, max_distance: int) -> tuple[Ids, Ids]:
        found = _distances(self.words, code)
        rows = np.flatnonzero(found <= max_distance)
        return rows, found[rows]

    @property
    def nbytes(self) -> int:
        return int(self.words.nbytes)


@njit(cache=True)
def _popcount(x: Any) -> Any:
    """Bits set in a uint64 (the SWAR count, which LLVM compiles to one instruction)."""
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True)
def _verify(words: Any, ids: Any, first: Any, last: Any, query: Any, max_distance: int) -> Any:
    """Rows of the buckets ``first[i]:last[i]`` of ``ids`` within ``max_distance`` of
    ``query`` (4 uint64 words), and their distances; a row may come more than once.

    Each candidate is a read from a random place in the bank, so the candidates' first two
    words are gathered in a loop without branches first (the processor keeps many such reads
    in flight), and only those within the distance on these 128 bits are read further."""
    total = 0
    for b in range(first.shape[0]):
        total += last[b] - first[b]
    candidates = np.empty(total, dtype=np.int64)
    at = 0
    for b in range(first.shape[0]):
        for position in range(first[b], last[b]):
            candidates[at] = ids[position]
            at += 1
    head = np.empty((total, 2), dtype=np.uint64)
    for i in range(total):
        head[i, 0] = words[candidates[i], 0]
        head[i, 1] = words[candidates[i], 1]
    rows = np.empty(total, dtype=np.int64)
    found = np.empty(total, dtype=np.int64)
    count = 0
    for i in range(total):
        distance = _popcount(head[i, 0] ^ query[0]) + _popcount(head[i, 1] ^ query[1])
        if distance > max_distance:  # most candidates are far: half the bits tell
            continue
        row = candidates[i]
        distance += _popcount(words[row, 2] ^ query[2]) + _popcount(words[row, 3] ^ query[3])
        if distance <= max_distance:
            rows[count] = row
            found[count] = distance
            count += 1
    return rows[:count], found[:count]


def _verified(
    words: npt.NDArray[np.uint64],
    ids: npt.NDArray[np.uint32],
    first: Ids,
    last: Ids,
    query: npt.NDArray[np.uint64],
    max_distance: int,
) -> tuple[Ids, Ids]:
    """Typed face of ``_verify`` (numba has no type hints): compiled because numpy's
    gather, XOR, bit count and sum over 40,000 candidates of a 10M bank make four passes
    and three temporary arrays where one loop needs none."""
    found: tuple[Ids, Ids] = _verify(words, ids, first, last, query, max_distance)
    return found


def _flip_masks(flips: int) -> npt.NDArray[np.int64]:
    """Every 16-bit mask with at most ``flips`` bits set."""
    masks = [0]
    for count in range(1, flips + 1):
        masks += [sum(1 << bit for bit in bits) for bits in combinations(range(16), count)]
    return np.array(masks, dtype=np.int64)


def flips_for(max_distance: int) -> int:
    """Bits to flip per substring so that no hash within ``max_distance`` is missed."""
    return max_distance // SUBSTRINGS


class MultiIndex(HashIndex):
    """Multi-index hashing in numpy: for each of the 16 substrings, the row numbers sorted
    by the substring's value and where each of the 65,536 values starts among them."""

    NAME = "mih"

    def __init__(self, codes: Codes, ids: npt.NDArray[np.uint32], starts: Ids) -> None:
        self.words = np.ascontiguousarray(codes).view(np.uint64)
        self.ids = ids  # (16 * n,): table t's rows at [t * n, (t + 1) * n)
        self.starts = starts  # (16, 65537): global positions in ``ids``
        self._masks: dict[int, npt.NDArray[np.int64]] = {}

    @classmethod
    def build(cls, codes: Codes, max_distance: int) -> "MultiIndex":
        n = len(codes)
        assert n < 2**32, "row numbers are kept as uint32"
        keys = np.ascontiguousarray(codes).view(">u2")  # (n, 16) substrings, big-endian
        ids = np.empty((SUBSTRINGS, n), dtype=np.uint32)
        starts = np.zeros((SUBSTRINGS, 2**SUBSTRING_BITS + 1), dtype=np.int64)
        for table in range(SUBSTRINGS):
            column = keys[:, table]
            np.cumsum(np.bincount(column, minlength=2**SUBSTRING_BITS), out=starts[table, 1:])
            ids[table] = np.argsort(column, kind="stable")
        starts += (np.arange(SUBSTRINGS, dtype=np.int64) * n)[:, None]
        return cls(codes, ids.reshape(-1), starts)

    def query(self, code: Codes, max_distance: int) -> tuple[Ids, Ids]:
        flips = flips_for(max_distance)
        if flips not in self._masks:
            self._masks[flips] = _flip_masks(flips)
        probes = code.reshape(-1).view(">u2").astype(np.int64)[:, None] ^ self._masks[flips]
        tables = np.arange(SUBSTRINGS)[:, None]
        first = self.starts[tables, probes].ravel()
        last = self.starts[tables, probes + 1].ravel()
        query = np.ascontiguousarray(code.reshape(-1)).view(np.uint64)
        rows, found = _verified(self.words, self.ids, first, last, query, max_distance)
        # A hash close on several substrings is a candidate several times: deduplicate the
        # few matches, not the many candidates.
        rows, at = np.unique(rows, return_index=True)
        return rows, found[at]

    @property
    def nbytes(self) -> int:
        return int(self.words.nbytes + self.ids.nbytes + self.starts.nbytes)


class FaissIndex(HashIndex):
    """FAISS ``IndexBinaryMultiHash`` (16 tables of 16 bits), probed at enough flipped bits
    for the distance; its range search verifies candidates on the whole hash."""

    NAME = "faiss"

    def __init__(self, index: faiss.IndexBinaryMultiHash, size: int) -> None:
        self.index = index
        self.size = size

    @classmethod
    def build(cls, codes: Codes, max_distance: int) -> "FaissIndex":
        index = faiss.IndexBinaryMultiHash(BYTES * 8, SUBSTRINGS, SUBSTRING_BITS)
        index.nflip = flips_for(max_distance)
        index.add(np.ascontiguousarray(codes))
        return cls(index, len(codes))

    def query(self, code: Codes, max_distance: int) -> tuple[Ids, Ids]:
        # nflip is read at query time; the radius of a binary range search is exclusive.
        self.index.nflip = flips_for(max_distance)
        _, found, rows = self.index.range_search(code.reshape(1, BYTES), max_distance + 1)
        order = np.argsort(rows)
        return rows[order].astype(np.int64), found[order].astype(np.int64)

    @property
    def nbytes(self) -> int:
        # Codes plus one int64 id per hash per table; the hash maps' own overhead comes on top.
        return self.size * (BYTES + SUBSTRINGS * 8)


INDEXES: dict[str, type[HashIndex]] = {
    kind.NAME: kind for kind in (LinearIndex, MultiIndex, FaissIndex)
}


def build_index(codes: Codes, max_distance: int, kind: str = "auto") -> HashIndex:
    """The index for ``codes``: ``auto`` scans small banks and uses ``MultiIndex`` above
    ``LINEAR_LIMIT`` hashes; ``linear``, ``mih`` or ``faiss`` force one."""
    if kind == "auto":
        kind = LinearIndex.NAME if len(codes) <= LINEAR_LIMIT else MultiIndex.NAME
    return INDEXES[kind].build(codes, max_distance)
