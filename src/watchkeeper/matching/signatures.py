"""Exact names in the candidate index, kept small: each listed name's signature
(``terms.signature``) as a 64-bit hash beside its holder's number, in two arrays sorted by
hash, plus the names added since.

Posted as terms beside the name keys, a million synthetic persons' signatures, nearly all
of them unique, more than doubled the index's memory (117 → 285 MB) for strings that are
only ever looked up whole; as hashes they cost 12 bytes each. A collision of two hashes
only hands the scorer one more candidate."""

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import numpy.typing as npt

BITS_PER_NAME = 8  # of the filter before the arrays (``Signatures.holders``)
Hashes = npt.NDArray[np.int64]
Numbers = npt.NDArray[np.uint32]
Bools = npt.NDArray[np.bool_]


@lru_cache(maxsize=1 << 16)
def signature_hash(signature: str) -> int:
    """A signature's stable 64-bit hash: Python's own ``hash`` of a string differs from one
    process to the next, and an index is stored and shared. Cached: common names come back
    query after query."""
    digest = hashlib.blake2b(signature.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


class Signatures:
    """Which subject numbers hold a name of each signature hash; the dead stay until
    ``compact`` (the index masks them, as it does its postings)."""

    def __init__(self, hashes: Hashes | None = None, numbers: Numbers | None = None) -> None:
        hashes = np.zeros(0, dtype=np.int64) if hashes is None else hashes
        numbers = np.zeros(0, dtype=np.uint32) if numbers is None else numbers
        order = np.lexsort((numbers, hashes))
        self.hashes: Hashes = hashes[order]
        self.numbers: Numbers = numbers[order]
        self._tail: dict[int, list[int]] = {}  # added since the arrays were built
        # A bit for each value of a hash's low bits, set for the arrays' hashes: most
        # queries name no listed name exactly, and a bit answers them for a fraction of a
        # binary search (of 10,000 travellers against UN and OFAC, one in eight passes it
        # and one in 27 names a listed name: 11.4 → 6.9 µs a query).
        size = max(1 << 12, 1 << (BITS_PER_NAME * len(hashes)).bit_length())
        bits = np.zeros(size, dtype=np.bool_)
        bits[hashes & (size - 1)] = True
        self._bits = np.packbits(bits, bitorder="little").tobytes()
        self._mask = size - 1

    def add(self, hashes: Iterable[int], number: int) -> None:
        """Post one subject's signature hashes."""
        for value in hashes:
            self._tail.setdefault(value, []).append(number)

    def holders(self, hashes: list[int]) -> set[int]:
        """The numbers that hold a name of one of these hashes, the dead included."""
        found: set[int] = set()
        bits, mask = self._bits, self._mask
        listed = [h for h in hashes if bits[(h & mask) >> 3] >> (h & 7) & 1]
        if listed:
            wanted = np.array(listed, dtype=np.int64)
            starts = np.searchsorted(self.hashes, wanted, side="left").tolist()
            ends = np.searchsorted(self.hashes, wanted, side="right").tolist()
            for start, end in zip(starts, ends, strict=True):
                found.update(self.numbers[start:end].tolist())
        if self._tail:
            for value in hashes:
                found.update(self._tail.get(value, ()))
        return found

    def live(self, alive: Bools) -> tuple[Hashes, Numbers]:
        """Every hash and holder, the added included and the dead dropped (what is stored)."""
        added = [(value, n) for value, numbers in self._tail.items() for n in numbers]
        hashes = np.concatenate((self.hashes, np.array([h for h, _ in added], dtype=np.int64)))
        numbers = np.concatenate((self.numbers, np.array([n for _, n in added], dtype=np.uint32)))
        keep = alive[numbers]
        return hashes[keep], numbers[keep]

    def compact(self, alive: Bools) -> "Signatures":
        """The same signatures in arrays, the added folded in and the dead dropped."""
        return Signatures(*self.live(alive))
