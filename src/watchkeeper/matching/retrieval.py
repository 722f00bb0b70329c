"""Candidate retrieval of one query with numpy: ``kernels.retrieval.retrieve``'s candidates and
scores, bit for bit, without numba.

Loading numba and the compiled kernels from their disk cache costs a process about 0.7 s,
far more than the kernels save on one query. A process that screens a single subject
(``watchkeeper match``) retrieves with this instead: the same postings merged, the same
float additions in the same order per candidate, the same ties (``tests/matching`` checks
both on every name of the UN list). Whoever screens many subjects keeps the kernels.
"""

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Postings = npt.NDArray[np.uint32]


def retrieve(
    offsets: Ints,
    postings: Postings,
    usable: Bools,
    shortest: npt.NDArray[np.uint8],
    walk: tuple[Ints, Ints],
    extra: tuple[Ints, Ints],
    slots: tuple[Ints, Ints, Ints, Bools, Floats],
    fuzzy_share: float,
    limit: int,
) -> tuple[Ints, Floats]:
    """The ``limit`` best candidates of a subject's names, best first (ties by
    ``shortest``, then by ascending number), with their retrieval scores: what
    ``kernels.retrieval.retrieve`` gives for the same arguments (see there)."""
    walk_ptr, walk_ids = walk
    extra_ptr, extra_numbers = extra
    name_ptr, slot_ptr, terms, fuzzy, weights = slots
    numbers: list[Ints] = []
    scores: list[Floats] = []
    for k in range(len(name_ptr) - 1):
        walked = [_posting(offsets, postings, t) for t in walk_ids[walk_ptr[k] : walk_ptr[k + 1]]]
        pool = np.unique(
            np.concatenate([extra_numbers[extra_ptr[k] : extra_ptr[k + 1]], *walked])
        ).astype(np.int64)
        candidates = pool[usable[pool]]
        found = np.zeros(len(candidates))
        total = 0.0
        for s in range(name_ptr[k], name_ptr[k + 1]):
            weight = weights[s]
            total += weight
            exact = np.zeros(len(candidates), dtype=np.bool_)
            near = np.zeros(len(candidates), dtype=np.bool_)
            for t in range(slot_ptr[s], slot_ptr[s + 1]):
                held = _held(_posting(offsets, postings, terms[t]), candidates)
                if fuzzy[t]:
                    near |= held
                else:
                    exact |= held
            found += np.where(exact, weight, np.where(near, fuzzy_share * weight, 0.0))
        if total:
            found = found / total
        numbers.append(candidates)
        scores.append(found)
    return _top(*_best_of(numbers, scores), shortest, limit)


def _posting(offsets: Ints, postings: Postings, tid: int) -> Postings:
    return postings[offsets[tid] : offsets[tid + 1]]


def _held(posting: Postings, numbers: Ints) -> Bools:
    """Which of ``numbers`` are in the ascending ``posting``."""
    if not len(posting):
        return np.zeros(len(numbers), dtype=np.bool_)
    at = np.searchsorted(posting, numbers)
    held: Bools = (at < len(posting)) & (posting[np.minimum(at, len(posting) - 1)] == numbers)
    return held


def _best_of(numbers: list[Ints], scores: list[Floats]) -> tuple[Ints, Floats]:
    """Every number found for some name, ascending, with its best score of any name."""
    if not numbers:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    every, which = np.unique(np.concatenate(numbers), return_inverse=True)
    best = np.full(len(every), -np.inf)
    np.maximum.at(best, which, np.concatenate(scores))
    return every, best


def _top(
    numbers: Ints, scores: Floats, shortest: npt.NDArray[np.uint8], limit: int
) -> tuple[Ints, Floats]:
    """The ``limit`` best positive-scoring numbers, best first, ties by ``shortest`` and
    then by ascending number (as the kernel)."""
    keep = scores > 0
    numbers, scores = numbers[keep], scores[keep]
    order = np.lexsort((numbers, shortest[numbers], -scores))[:limit]
    return numbers[order], scores[order]
