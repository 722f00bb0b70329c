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

import faiss
import numpy as np
import numpy.typing as npt

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
        sizes = self.starts[tables, probes + 1].ravel() - first
        # The positions of every probed bucket, laid end to end without a Python loop.
        offsets = np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
        candidates = self.ids[offsets + np.arange(offsets.size)]
        found = _distances(np.take(self.words, candidates, axis=0), code)
        keep = found <= max_distance
        # A hash close on several substrings is a candidate several times: deduplicate the
        # few matches, not the many candidates.
        rows, first = np.unique(candidates[keep], return_index=True)
        return rows.astype(np.int64), found[keep][first]

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
