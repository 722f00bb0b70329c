"""Indexes of PDQ hashes that return every hash within a Hamming distance of a query.

Three with one interface: ``LinearIndex`` scans every row (XOR and bit count over uint64
words), exact by construction and the test oracle of the others; ``MultiIndex`` is
multi-index hashing in numpy; ``FaissIndex`` is FAISS's ``IndexBinaryMultiHash`` on the same
principle. Both cut a hash into substrings and rest on the pigeonhole principle: if each
substring ``t`` is probed at up to ``r_t`` flipped bits and the ``r_t + 1`` sum to more than
the distance, two hashes within the distance agree within ``r_t`` bits on some substring
``t``, so the probes find every true match, and verifying the candidates on all 256 bits
drops the rest: recall 1.0, not an approximation.

``MultiIndex`` (the default for large banks) cuts each 64-bit word into 22, 22 and 20 bits:
twelve substrings, probed at 2, 2 and 1 bits for distance 31 (8 * 3 + 4 * 2 = 32). At 10
million hashes that reaches about 5,600 candidates through 2,116 buckets, where 16
substrings of 16 bits probed at 1 bit (FAISS's layout, and this index's before) reach
41,000: the verification's random reads of 32-byte rows were most of the time. It keeps one
uint32 row number per hash per substring and 4 bytes per bucket: 48 + 15 bytes a hash plus
the 32 of the hash, under 1 GB at 10 million; FAISS keeps an int64 per hash per substring in
hash maps, over 128 (bench/results/image_match.md).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from math import comb

import faiss
import numpy as np
import numpy.typing as npt

from watchkeeper.lanes.images.codes import BYTES, Codes

Ids = npt.NDArray[np.int64]
Starts = npt.NDArray[np.uint32]
WORDS = BYTES // 8
WORD_PIECES = ((0, 22), (22, 22), (44, 20))
"""How ``MultiIndex`` cuts each of a hash's four 64-bit words: (first bit, bits) of three
substrings, twelve in all."""
SCAN_RATIO = 2
"""A probed bucket or candidate (cache misses) costs about twice a scanned row (measured at
10 million hashes: 37 against 16 ns): ``MultiIndex`` scans instead where probing costs more,
at distances far beyond 31."""
SUBSTRINGS = 16
SUBSTRING_BITS = 16
"""``FaissIndex``'s substrings."""
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


def _words(code: Codes) -> npt.NDArray[np.uint64]:
    """One hash (32 bytes, any shape) as its four uint64 words."""
    return np.ascontiguousarray(code).reshape(-1).view(np.uint64)


def _distances(rows: npt.NDArray[np.uint64], code: Codes) -> Ids:
    """Hamming distances from ``code`` to each row of four uint64 words.

    The four bit counts are summed as uint16 lanes of one uint64 by a multiply, which puts
    their sum (at most 256, so no carries) in the top lane: numpy's ``sum(axis=1)`` over a
    last axis of 4 costs about three times as much."""
    counts = np.bitwise_count(rows ^ _words(code)).astype(np.uint16)
    lanes = counts.view(np.uint64).reshape(-1)
    found: Ids = (lanes * 0x0001_0001_0001_0001 >> 48).astype(np.int64)
    return found


def _scan(words: npt.NDArray[np.uint64], code: Codes, max_distance: int) -> tuple[Ids, Ids]:
    """Every row within ``max_distance`` of ``code`` and its distance, by row."""
    found = _distances(words, code)
    rows = np.flatnonzero(found <= max_distance)
    return rows, found[rows]


class LinearIndex(HashIndex):
    """Exact scan of every hash: fastest for small banks and the oracle of the others."""

    NAME = "linear"

    def __init__(self, codes: Codes) -> None:
        self.words = np.ascontiguousarray(codes).view(np.uint64)

    @classmethod
    def build(cls, codes: Codes, max_distance: int) -> "LinearIndex":
        return cls(codes)

    def query(self, code: Codes, max_distance: int) -> tuple[Ids, Ids]:
        return _scan(self.words, code, max_distance)

    @property
    def nbytes(self) -> int:
        return int(self.words.nbytes)


def flips_for(max_distance: int) -> int:
    """Bits ``FaissIndex`` flips per 16-bit substring so that no hash within
    ``max_distance`` is missed."""
    return max_distance // SUBSTRINGS


def probe_radii(max_distance: int, bits: list[int]) -> list[int]:
    """Bits to flip in each of ``MultiIndex``'s keys so that no hash within
    ``max_distance`` is missed: the radii plus one sum to more than ``max_distance``; -1
    leaves a table out. The spare bits go to the widest keys, whose buckets are smallest."""
    need = max_distance + 1
    radii = [need // len(bits) - 1] * len(bits)
    widest = sorted(range(len(bits)), key=lambda table: -bits[table])
    for table in widest[: need % len(bits)]:
        radii[table] += 1
    return radii


def _key_bits(size: int) -> list[int]:
    """Bits each of ``MultiIndex``'s tables keys on: its whole substring, but at most
    floor(log2(size)) - 1, so buckets hold 2 to 4 rows on average. More buckets would cost 4
    bytes each and save little: probing an empty bucket is a cache miss too."""
    cap = max(1, size.bit_length() - 2)
    return [min(bits, cap) for _ in range(WORDS) for _, bits in WORD_PIECES]


@dataclass(frozen=True)
class _Probes:
    """Every bucket one distance probes, one entry per probe."""

    tables: Ids
    """The table probed."""
    flips: npt.NDArray[np.uint64]
    """The bits flipped in the query's key."""
    starts_at: Ids
    """Where the table's bucket bounds begin in ``MultiIndex.starts``."""
    ids_at: Ids
    """Where the table's row numbers begin in ``MultiIndex.ids``."""


class MultiIndex(HashIndex):
    """Multi-index hashing in numpy over 12 substrings (``WORD_PIECES``): for each, the
    row numbers sorted by the substring's key, and where each key's rows start among them."""

    NAME = "mih"

    def __init__(
        self, codes: Codes, bits: list[int], ids: npt.NDArray[np.uint32], starts: Starts
    ) -> None:
        self.words = np.ascontiguousarray(codes).view(np.uint64)
        self.bits = bits  # table t keys on the low bits[t] bits of its substring
        self.ids = ids  # (12 * n,): table t's rows at [t * n, (t + 1) * n), by key
        self.starts = starts  # table by table, 2**bits[t] + 1 bucket bounds within the table
        tables = np.arange(len(bits))
        self._word = tables // len(WORD_PIECES)
        self._shift = np.array([WORD_PIECES[t % len(WORD_PIECES)][0] for t in tables], np.uint64)
        self._mask = np.array([2**width - 1 for width in bits], dtype=np.uint64)
        self._probes: dict[int, _Probes | None] = {}

    @classmethod
    def build(cls, codes: Codes, max_distance: int) -> "MultiIndex":
        n = len(codes)
        assert n < 2**32, "row numbers are kept as uint32"
        words = np.ascontiguousarray(codes).view(np.uint64)
        bits = _key_bits(n)
        rows = np.arange(n, dtype=np.uint64)
        ids = np.empty((len(bits), n), dtype=np.uint32)
        starts = []
        for table, width in enumerate(bits):
            shift = WORD_PIECES[table % len(WORD_PIECES)][0]
            word = words[:, table // len(WORD_PIECES)]
            keys = ((word >> shift) & (2**width - 1)).astype(np.uint32)
            bounds = np.zeros(2**width + 1, dtype=np.uint32)
            np.cumsum(np.bincount(keys, minlength=2**width), out=bounds[1:])
            starts.append(bounds)
            # Key and row packed in one uint64 sort a third faster than a stable argsort.
            packed = keys.astype(np.uint64) << 32 | rows
            packed.sort()
            ids[table] = packed.astype(np.uint32)  # the low half: the row
        return cls(codes, bits, ids.reshape(-1), np.concatenate(starts))

    def query(self, code: Codes, max_distance: int) -> tuple[Ids, Ids]:
        if max_distance not in self._probes:
            self._probes[max_distance] = self._plan(max_distance)
        probes = self._probes[max_distance]
        if probes is None:
            return _scan(self.words, code, max_distance)
        keys = (_words(code)[self._word] >> self._shift) & self._mask
        at = probes.starts_at + (keys[probes.tables] ^ probes.flips).astype(np.int64)
        first = self.starts[at].astype(np.int64)
        sizes = self.starts[at + 1] - first
        # The positions of every probed bucket's rows, laid end to end without a Python loop.
        ends = np.cumsum(sizes)
        offsets = np.repeat(first + probes.ids_at - (ends - sizes), sizes)
        candidates = self.ids[offsets + np.arange(offsets.size)]
        found = _distances(np.take(self.words, candidates, axis=0), code)
        keep = found <= max_distance
        # A hash close on several substrings is a candidate several times: deduplicate the
        # few matches, not the many candidates.
        rows, first = np.unique(candidates[keep], return_index=True)
        return rows.astype(np.int64), found[keep][first]

    def _plan(self, max_distance: int) -> _Probes | None:
        """The buckets to probe for ``max_distance``, or None where a scan is cheaper."""
        n = len(self.words)
        radii = probe_radii(max_distance, self.bits)
        volumes = [
            sum(comb(w, k) for k in range(r + 1)) for w, r in zip(self.bits, radii, strict=True)
        ]
        reached = sum(v * (1 + n / 2**w) for v, w in zip(volumes, self.bits, strict=True))
        if reached * SCAN_RATIO > n:
            return None
        flips: dict[tuple[int, int], npt.NDArray[np.uint64]] = {}
        tables, masks = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.uint64)]
        for table, (width, radius) in enumerate(zip(self.bits, radii, strict=True)):
            if radius < 0:
                continue
            if (width, radius) not in flips:
                values = np.arange(2**width, dtype=np.uint64)
                flips[width, radius] = values[np.bitwise_count(values) <= radius]
            masks.append(flips[width, radius])
            tables.append(np.full(masks[-1].size, table, dtype=np.int64))
        probed = np.concatenate(tables)
        bases = np.cumsum([0] + [2**width + 1 for width in self.bits])
        return _Probes(probed, np.concatenate(masks), bases[probed], probed * n)

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
