"""Candidate retrieval of ``index.NameIndex``, compiled: postings are ascending subject
numbers, merged and searched here in one call per query."""

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@njit(cache=True)
def _merged(a: Any, b: Any) -> Any:
    """The union of two ascending arrays, ascending, without repeats."""
    out = np.empty(a.shape[0] + b.shape[0], dtype=np.int64)
    i = j = k = 0
    while i < a.shape[0] or j < b.shape[0]:
        if j >= b.shape[0] or (i < a.shape[0] and a[i] < b[j]):
            value = a[i]
            i += 1
        elif i >= a.shape[0] or b[j] < a[i]:
            value = b[j]
            j += 1
        else:
            value = a[i]
            i += 1
            j += 1
        if k == 0 or out[k - 1] != value:
            out[k] = value
            k += 1
    return out[:k]


@njit(cache=True)
def _held(posting: Any, numbers: Any, held: Any) -> None:
    """Mark which of the ascending ``numbers`` are in the ascending ``posting``: a merge
    walk when the posting is short, binary search in it when it is long."""
    if posting.shape[0] <= 4 * numbers.shape[0]:
        j = 0
        for i in range(numbers.shape[0]):
            while j < posting.shape[0] and posting[j] < numbers[i]:
                j += 1
            if j < posting.shape[0] and posting[j] == numbers[i]:
                held[i] = True
    else:
        at = np.searchsorted(posting, numbers)
        for i in range(numbers.shape[0]):
            if at[i] < posting.shape[0] and posting[at[i]] == numbers[i]:
                held[i] = True


@njit(cache=True)
def _best_of(a: Any, a_scores: Any, b: Any, b_scores: Any) -> Any:
    """The union of two ascending candidate arrays, each number with its higher score."""
    out = np.empty(a.shape[0] + b.shape[0], dtype=np.int64)
    scores = np.empty(out.shape[0])
    i = j = k = 0
    while i < a.shape[0] or j < b.shape[0]:
        if j >= b.shape[0] or (i < a.shape[0] and a[i] < b[j]):
            out[k], scores[k] = a[i], a_scores[i]
            i += 1
        elif i >= a.shape[0] or b[j] < a[i]:
            out[k], scores[k] = b[j], b_scores[j]
            j += 1
        else:
            out[k], scores[k] = a[i], max(a_scores[i], b_scores[j])
            i += 1
            j += 1
        k += 1
    return out[:k], scores[:k]


@njit(cache=True)
def _top(numbers: Any, scores: Any, shortest: Any, limit: int) -> Any:
    """The ``limit`` best positive-scoring numbers, best first, ties by ``shortest`` and
    then by ascending number (of those tied at the cut, the first in that order)."""
    keep = scores > 0
    numbers, scores = numbers[keep], scores[keep]
    if scores.shape[0] > limit:  # only the ties at the k-th score need choosing
        kth = np.partition(scores.copy(), scores.shape[0] - limit)[scores.shape[0] - limit]
        above = scores > kth
        tied = numbers[scores == kth]
        room = limit - np.count_nonzero(above)
        tied = tied[np.argsort(shortest[tied], kind="mergesort")[:room]]  # stable
        numbers = np.concatenate((numbers[above], tied))
        scores = np.concatenate((scores[above], np.full(tied.shape[0], kth)))
    by_length = np.argsort(shortest[numbers], kind="mergesort")  # stable: numbers ascend
    order = by_length[np.argsort(-scores[by_length], kind="mergesort")][:limit]
    return numbers[order], scores[order]


@njit(cache=True)
def _retrieve(
    offsets: Any,
    postings: Any,
    usable: Any,
    walk: Any,
    extra: Any,
    slot_ptr: Any,
    terms: Any,
    fuzzy: Any,
    weights: Any,
    fuzzy_share: float,
) -> Any:
    """Candidates of one name and their retrieval scores (see ``retrieve``)."""
    pool = extra
    for tid in walk:
        posting = postings[offsets[tid] : offsets[tid + 1]].astype(np.int64)
        pool = _merged(pool, posting)
    keep = np.empty(pool.shape[0], dtype=np.bool_)
    for i in range(pool.shape[0]):
        keep[i] = usable[pool[i]]
    candidates = pool[keep]
    found = np.zeros(candidates.shape[0])
    total = 0.0
    exact = np.empty(candidates.shape[0], dtype=np.bool_)
    near = np.empty(candidates.shape[0], dtype=np.bool_)
    for s in range(slot_ptr.shape[0] - 1):
        weight = weights[s]
        total += weight
        exact[:] = False
        near[:] = False
        for t in range(slot_ptr[s], slot_ptr[s + 1]):
            tid = terms[t]
            posting = postings[offsets[tid] : offsets[tid + 1]]
            _held(posting, candidates, near if fuzzy[t] else exact)
        for i in range(candidates.shape[0]):
            if exact[i]:
                found[i] += weight
            elif near[i]:
                found[i] += fuzzy_share * weight
            else:
                found[i] += 0.0
    if total:
        for i in range(candidates.shape[0]):
            found[i] = found[i] / total
    return candidates, found


@njit(cache=True)
def _retrieve_names(
    offsets: Any,
    postings: Any,
    usable: Any,
    shortest: Any,
    walk_ptr: Any,
    walk: Any,
    extra_ptr: Any,
    extra: Any,
    name_ptr: Any,
    slot_ptr: Any,
    terms: Any,
    fuzzy: Any,
    weights: Any,
    fuzzy_share: float,
    limit: int,
) -> Any:
    """The best candidates over several names (see ``retrieve``)."""
    numbers = np.empty(0, dtype=np.int64)
    scores = np.empty(0)
    for k in range(name_ptr.shape[0] - 1):
        first, last = name_ptr[k], name_ptr[k + 1]
        found, found_scores = _retrieve(
            offsets,
            postings,
            usable,
            walk[walk_ptr[k] : walk_ptr[k + 1]],
            extra[extra_ptr[k] : extra_ptr[k + 1]],
            slot_ptr[first : last + 1] - slot_ptr[first],
            terms[slot_ptr[first] : slot_ptr[last]],
            fuzzy[slot_ptr[first] : slot_ptr[last]],
            weights[first:last],
            fuzzy_share,
        )
        numbers, scores = _best_of(numbers, scores, found, found_scores)
    return _top(numbers, scores, shortest, limit)


def retrieve(
    offsets: Ints,
    postings: npt.NDArray[np.uint32],
    usable: Bools,
    shortest: npt.NDArray[np.uint8],
    walk: tuple[Ints, Ints],
    extra: tuple[Ints, Ints],
    slots: tuple[Ints, Ints, Ints, Bools, Floats],
    fuzzy_share: float,
    limit: int,
) -> tuple[Ints, Floats]:
    """The ``limit`` best candidates of a subject's names, best first (ties by
    ``shortest``, the words of each subject's shortest name, then by ascending number),
    with their retrieval scores, a subject scoring by its best name. For each name
    (``walk``, ``extra`` and ``slots`` give each name's share by pointer arrays first): the
    postings of ``walk`` plus ``extra`` give its usable candidates, each scored slot by slot
    (a slot's weight when one of its ``terms`` holds it, ``fuzzy_share`` of it when only a
    skeleton term does), in the order of additions of ``candidates.RetrievalScorer.score``."""
    found: tuple[Ints, Floats] = _retrieve_names(
        offsets, postings, usable, shortest, *walk, *extra, *slots, fuzzy_share, limit
    )
    return found
