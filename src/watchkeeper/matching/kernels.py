"""Compiled loops of the screening hot path (numba), over the flat arrays of ``bounds``.

Bounding twenty candidates is a few thousand multiply-adds; written as numpy array calls it
costs hundreds of microseconds of call overhead, as plain loops compiled by numba a few
microseconds. The formulas are those of ``features`` (token similarity, name alignment) and
``score`` (the logit), with every pairing at its best: see ``bounds`` for why that is an
upper bound. Kernels are compiled on first use and cached on disk (``cache=True``).

numba has no type hints, so each kernel is wrapped in a typed function of the same name.
"""

import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit

from watchkeeper.matching.weights import (
    CIRCA_YEARS,
    COMMON_MASS,
    DOB_APART,
    DOB_CIRCA,
    DOB_DAY,
    DOB_FAR,
    DOB_MONTH,
    DOB_NEAR,
    DOB_YEAR,
    FAR_YEARS,
    FUZZY_FLOOR,
    GLUED_FLOOR,
    INITIAL_MATCH,
    INTERCEPT,
    KEY_MATCH,
    NAME_CAP,
    SHORT_TOKEN,
    W_BIRTH_DATE,
    W_COMMONNESS,
    W_COUNTRY,
    W_GENDER,
    W_IDENTIFIER,
    W_NAME_EXACT,
    W_NAME_SIMILARITY,
    W_NAME_SUBSTITUTION,
    WEAK_PENALTY,
)

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
SLACK = 1e-9  # sums taken in another order than the scorer's differ in the last bits


class Constants(NamedTuple):
    """The numbers of ``weights`` the kernels compute with, passed in rather than read as
    globals: numba freezes globals into its disk cache, which notices changes to this file
    only, so a weight refitted in ``weights`` would go unseen until the cache was cleared
    (and the bounds would no longer bound the scores)."""

    circa_years: float
    common_mass: float
    dob_apart: float
    dob_circa: float
    dob_day: float
    dob_far: float
    dob_month: float
    dob_near: float
    dob_year: float
    far_years: float
    fuzzy_floor: float
    glued_floor: float
    initial_match: float
    intercept: float
    key_match: float
    name_cap: float
    short_token: float
    w_birth_date: float
    w_commonness: float
    w_country: float
    w_gender: float
    w_identifier: float
    w_name_exact: float
    w_name_similarity: float
    w_name_substitution: float
    weak_penalty: float


CONSTANTS = Constants(
    float(CIRCA_YEARS),
    float(COMMON_MASS),
    float(DOB_APART),
    float(DOB_CIRCA),
    float(DOB_DAY),
    float(DOB_FAR),
    float(DOB_MONTH),
    float(DOB_NEAR),
    float(DOB_YEAR),
    float(FAR_YEARS),
    float(FUZZY_FLOOR),
    float(GLUED_FLOOR),
    float(INITIAL_MATCH),
    float(INTERCEPT),
    float(KEY_MATCH),
    float(NAME_CAP),
    float(SHORT_TOKEN),
    float(W_BIRTH_DATE),
    float(W_COMMONNESS),
    float(W_COUNTRY),
    float(W_GENDER),
    float(W_IDENTIFIER),
    float(W_NAME_EXACT),
    float(W_NAME_SIMILARITY),
    float(W_NAME_SUBSTITUTION),
    float(WEAK_PENALTY),
)


@njit(cache=True)
def _spellings_of(
    rows: Any,
    spellings: int,
    q_tokens: Any,
    q_lengths: Any,
    sb_ptr: Any,
    nm_ptr: Any,
    nm_len: Any,
    oc_ptr: Any,
    os_sp: Any,
    cs: Constants,
) -> Any:
    """What the edit similarities of a query with these rows must cover (see
    ``spellings_of``); ``cs`` is ``CONSTANTS``."""
    seen = np.zeros(spellings, dtype=np.bool_)
    column = np.empty(spellings, dtype=np.int32)
    count = 0
    names = 0
    for c in rows:
        names += sb_ptr[c + 1] - sb_ptr[c]
        for s in range(oc_ptr[nm_ptr[sb_ptr[c]]], oc_ptr[nm_ptr[sb_ptr[c + 1]]]):
            spelling = os_sp[s]
            if not seen[spelling]:
                seen[spelling] = True
                column[spelling] = count
                count += 1
    found = np.empty(count, dtype=np.int64)
    glued = np.empty(names, dtype=np.int64)
    glued_column = np.full(names, -1, dtype=np.int64)
    at = 0
    glued_count = 0
    for c in rows:
        for n in range(sb_ptr[c], sb_ptr[c + 1]):
            # Glued names can be alike (``GLUED_FLOOR``) only when their lengths are.
            for k in range(q_tokens.shape[0]):
                longer = max(nm_len[n], q_lengths[k])
                if (
                    nm_ptr[n + 1] - nm_ptr[n] != q_tokens[k]
                    and abs(nm_len[n] - q_lengths[k]) <= (1.0 - cs.glued_floor) * longer
                ):
                    glued[glued_count] = n
                    glued_column[at] = glued_count
                    glued_count += 1
                    break
            at += 1
        for s in range(oc_ptr[nm_ptr[sb_ptr[c]]], oc_ptr[nm_ptr[sb_ptr[c + 1]]]):
            found[column[os_sp[s]]] = os_sp[s]
    return found, column, glued[:glued_count], glued_column


def spellings_of(
    rows: Ints, spellings: int, query: tuple[Ints, Ints], *paths: npt.NDArray[np.generic]
) -> tuple[Ints, Ints, Ints, Ints]:
    """What the edit similarities of a query with the table rows ``rows`` must cover: the
    distinct spelling ids of their names (of ``spellings`` in all), the column of each in
    that list (by spelling id), the names that may be the same as a query name glued
    (a different number of tokens, lengths within ``GLUED_FLOOR``), and for each name of
    the rows in order its column among those, or -1. ``query`` is the query names' token
    counts and glued lengths; ``paths`` the arrays of ``table.PATHS``."""
    arguments: Any = (rows, spellings, *query, *paths, CONSTANTS)
    found: tuple[Ints, Ints, Ints, Ints] = _spellings_of(*arguments)
    return found


@njit(cache=True)
def _similarity(
    edit: float, same_key: bool, short: bool, initial: bool, same_first: bool, cs: Constants
) -> float:
    """``features.token_similarity`` of one pair of spellings, its edit similarity given."""
    if initial:
        if edit >= 1.0:
            return 1.0
        return cs.initial_match if same_first else 0.0
    if same_key:
        if short:
            return 0.5 + 0.5 * edit
        return cs.key_match + (1.0 - cs.key_match) * edit
    return edit if edit >= cs.fuzzy_floor else 0.0


@njit(cache=True)
def _date_evidence(
    qy: int,
    qm: int,
    qd: int,
    qn: int,
    ry: int,
    rm: int,
    rd: int,
    rn: int,
    years: int,
    cs: Constants,
) -> float:
    """``features._date_evidence`` of two dates of ``qn`` and ``rn`` parts, the listed
    side giving ``years`` birth years."""
    gap = abs(qy - ry)
    if gap > cs.far_years:
        return cs.dob_far
    if gap == cs.far_years:
        return cs.dob_apart
    if gap:
        year_only = qn == 1 or rn == 1
        return cs.dob_circa if year_only and gap <= cs.circa_years else cs.dob_near
    shared = min(qn, rn)
    if shared >= 2 and qm != rm:
        return cs.dob_near
    if shared >= 3 and qd != rd:
        return cs.dob_near
    if shared == 1:
        return cs.dob_year / years
    return cs.dob_month if shared == 2 else cs.dob_day


@njit(cache=True)
def _any_shared(a: Any, a_lo: int, a_hi: int, b: Any) -> bool:
    for i in range(a_lo, a_hi):
        for j in range(b.shape[0]):
            if a[i] == b[j]:
                return True
    return False


@njit(cache=True)
def _bounds(
    rows: Any,
    column: Any,
    edit: Any,
    glued: Any,
    glued_column: Any,
    table: Any,
    query: Any,
    compatible: Any,
    q_person: bool,
    q_gender: int,
    q_dates: Any,
    q_has_countries: bool,
    q_countries: Any,
    q_ids: Any,
    q_exact: Any,
    cs: Constants,
) -> Any:
    """Score bounds of the table rows ``rows`` for one query (see ``bounds``): ``table``
    holds the arrays of ``table.COLUMNS``, ``query`` those of ``bounds._Query``.
    ``edit`` holds the edit similarity of each query spelling with each of the rows'
    spellings (``column`` says where each is), ``glued`` that of each query name, glued,
    with some names of the rows (``glued_column``: which, for each name in order)."""
    (
        os_sp, os_key, os_len, os_first, oc_ptr, oc_w, oc_init, nm_ptr, nm_total, nm_weak,
        _nm_len, sb_ptr, sb_schema, sb_person, sb_gender, dt_ptr, dt, cy_ptr, cy, id_ptr, ids,
        ex_ptr, ex,
    ) = table  # fmt: skip
    q_key, q_len, q_first, qt_ptr, qt_w, qt_init, qn_ptr, qn_total, qn_weak = query
    q_names = qn_ptr.shape[0] - 1
    out = np.zeros(rows.shape[0])
    found_q = np.zeros(qt_w.shape[0])  # each query token's best similarity in a name
    name_at = 0  # the place of the current listed name among the rows' names
    for slot in range(rows.shape[0]):
        c = rows[slot]
        first_name, last_name = sb_ptr[c], sb_ptr[c + 1]
        if not compatible[sb_schema[c]]:
            name_at += last_name - first_name
            continue
        # Birth dates: the best evidence over every pair (0 when a side has none).
        dates = 0.0
        if q_dates.shape[0] and dt_ptr[c + 1] > dt_ptr[c]:
            dates = -math.inf
            years = 0
            for b in range(dt_ptr[c], dt_ptr[c + 1]):
                years += 1
                for e in range(dt_ptr[c], b):
                    if dt[e, 0] == dt[b, 0]:
                        years -= 1
                        break
            for a in range(q_dates.shape[0]):
                for b in range(dt_ptr[c], dt_ptr[c + 1]):
                    found = _date_evidence(
                        q_dates[a, 0],
                        q_dates[a, 1],
                        q_dates[a, 2],
                        q_dates[a, 3],
                        dt[b, 0],
                        dt[b, 1],
                        dt[b, 2],
                        dt[b, 3],
                        years,
                        cs,
                    )
                    dates = max(dates, found)
        person = q_person and sb_person[c]
        best = 0.0
        logit = -math.inf
        for k in range(q_names):
            q_lo, q_hi = qn_ptr[k], qn_ptr[k + 1]
            q_total = qn_total[k]
            for n in range(first_name, last_name):
                # Each query token's best similarity in this name, and the other way round.
                found_q[q_lo:q_hi] = 0.0
                missed_r = 0.0
                for o in range(nm_ptr[n], nm_ptr[n + 1]):
                    column_best = 0.0
                    for i in range(q_lo, q_hi):
                        sim = 0.0
                        for qs in range(qt_ptr[i], qt_ptr[i + 1]):
                            for ls in range(oc_ptr[o], oc_ptr[o + 1]):
                                value = _similarity(
                                    edit[qs, column[os_sp[ls]]],
                                    q_key[qs] == os_key[ls],
                                    min(q_len[qs], os_len[ls]) <= cs.short_token,
                                    qt_init[i] or oc_init[o],
                                    q_first[qs] == os_first[ls],
                                    cs,
                                )
                                sim = max(sim, value)
                        found_q[i] = max(found_q[i], sim)
                        column_best = max(column_best, sim)
                    missed_r += oc_w[o] * (1.0 - column_best)
                missed_q = 0.0
                for i in range(q_lo, q_hi):
                    missed_q += qt_w[i] * (1.0 - found_q[i])
                r_total = nm_total[n]
                if nm_ptr[n + 1] - nm_ptr[n] != q_hi - q_lo:  # a name spaced differently
                    at = glued_column[name_at + n - first_name]
                    g = glued[k, at] if at >= 0 else 0.0
                    if g >= cs.glued_floor:
                        missed_q = min(missed_q, (1.0 - g) * q_total)
                        missed_r = min(missed_r, (1.0 - g) * r_total)
                penalty = cs.weak_penalty if nm_weak[n] or qn_weak[k] else 1.0
                value = penalty * (1.0 - (missed_q + missed_r) / max(q_total + r_total, 1e-9))
                common = min(0.0, (q_total - missed_q) / cs.common_mass - 1.0) if person else 0.0
                born = dates * value if dates > 0 else dates
                here = (
                    cs.w_name_similarity * value
                    + cs.w_name_substitution * min(missed_q, missed_r)
                    + cs.w_commonness * common
                    + cs.w_birth_date * born
                )
                best = max(best, value)
                logit = max(logit, here)
        name_at += last_name - first_name
        if logit == -math.inf:  # no names on a side: every name feature is 0
            logit = 0.0
        similarity = best + SLACK if best > 0 else 0.0
        same_id = _any_shared(ids, id_ptr[c], id_ptr[c + 1], q_ids)
        if similarity <= 0.0 and not same_id:
            continue
        exact = _any_shared(ex, ex_ptr[c], ex_ptr[c + 1], q_exact)
        country = 0.0
        if q_has_countries and cy_ptr[c + 1] > cy_ptr[c]:
            country = 1.0 if _any_shared(cy, cy_ptr[c], cy_ptr[c + 1], q_countries) else -1.0
        gender = -1.0 if q_gender != -1 and sb_gender[c] != -1 and q_gender != sb_gender[c] else 0.0
        total = (
            cs.intercept
            + logit
            + SLACK
            + (cs.w_name_exact if exact else 0.0)
            + cs.w_country * country
            + cs.w_gender * gender
            + (cs.w_identifier if same_id else 0.0)
        )
        score = 1.0 / (1.0 + math.exp(-total))
        out[slot] = score if same_id or exact else score * cs.name_cap
    return out


def bounds(*arrays: Any) -> Floats:
    """Typed face of the bound kernel (arguments as ``bounds.bounds`` passes them)."""
    arguments: Any = (*arrays, CONSTANTS)
    found: Floats = _bounds(*arguments)
    return found


# Candidate retrieval (``index.NameIndex``): postings are ascending subject numbers.


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
def _top(numbers: Any, scores: Any, limit: int) -> Any:
    """The ``limit`` best positive-scoring numbers, best first, ties by ascending number."""
    keep = scores > 0
    numbers, scores = numbers[keep], scores[keep]
    if scores.shape[0] > limit:  # only the ties at the k-th score need ordering
        kth = np.partition(scores.copy(), scores.shape[0] - limit)[scores.shape[0] - limit]
        top = scores >= kth
        numbers, scores = numbers[top], scores[top]
    order = np.argsort(-scores, kind="mergesort")[:limit]  # stable: numbers ascend
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
    """Candidates of one name and their retrieval scores (see ``index._score_name``)."""
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
    return _top(numbers, scores, limit)


def retrieve(
    offsets: Ints,
    postings: npt.NDArray[np.uint32],
    usable: Bools,
    walk: tuple[Ints, Ints],
    extra: tuple[Ints, Ints],
    slots: tuple[Ints, Ints, Ints, Bools, Floats],
    fuzzy_share: float,
    limit: int,
) -> tuple[Ints, Floats]:
    """The ``limit`` best candidates of a subject's names, best first (ties by ascending
    number), with their retrieval scores, a subject scoring by its best name. For each name
    (``walk``, ``extra`` and ``slots`` give each name's share by pointer arrays first): the
    postings of ``walk`` plus ``extra`` give its usable candidates, each scored slot by slot
    (a slot's weight when one of its ``terms`` holds it, ``fuzzy_share`` of it when only a
    skeleton term does), in the order of additions of ``index._Scorer.score``."""
    found: tuple[Ints, Floats] = _retrieve_names(
        offsets, postings, usable, *walk, *extra, *slots, fuzzy_share, limit
    )
    return found
