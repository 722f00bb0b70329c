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
    LISTED_EXTRA,
    NAME_CAP,
    SHORT_FUZZY,
    SHORT_TOKEN,
    W_BIRTH_DATE,
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
Arrays = tuple[npt.NDArray[np.generic], ...]
SLACK = 1e-9  # sums taken in another order than the scorer's differ in the last bits


class Constants(NamedTuple):
    """The numbers of ``weights`` the kernels compute with, by name. They are passed in
    (``CONSTANTS``) rather than read as globals: numba freezes globals into its disk cache,
    which notices changes to this file only, so a weight refitted in ``weights`` would go
    unseen until the cache was cleared (and the bounds would no longer bound the scores)."""

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
    listed_extra: float
    name_cap: float
    short_fuzzy: float
    short_token: float
    w_birth_date: float
    w_country: float
    w_gender: float
    w_identifier: float
    w_name_exact: float
    w_name_similarity: float
    w_name_substitution: float
    weak_penalty: float


CONSTANTS: Floats = np.array(
    Constants(
        circa_years=CIRCA_YEARS,
        common_mass=COMMON_MASS,
        dob_apart=DOB_APART,
        dob_circa=DOB_CIRCA,
        dob_day=DOB_DAY,
        dob_far=DOB_FAR,
        dob_month=DOB_MONTH,
        dob_near=DOB_NEAR,
        dob_year=DOB_YEAR,
        far_years=FAR_YEARS,
        fuzzy_floor=FUZZY_FLOOR,
        glued_floor=GLUED_FLOOR,
        initial_match=INITIAL_MATCH,
        intercept=INTERCEPT,
        key_match=KEY_MATCH,
        listed_extra=LISTED_EXTRA,
        name_cap=NAME_CAP,
        short_fuzzy=SHORT_FUZZY,
        short_token=SHORT_TOKEN,
        w_birth_date=W_BIRTH_DATE,
        w_country=W_COUNTRY,
        w_gender=W_GENDER,
        w_identifier=W_IDENTIFIER,
        w_name_exact=W_NAME_EXACT,
        w_name_similarity=W_NAME_SIMILARITY,
        w_name_substitution=W_NAME_SUBSTITUTION,
        weak_penalty=WEAK_PENALTY,
    ),
    dtype=np.float64,
)
"""``Constants`` as the kernels take them, in field order: a plain array is the cheapest
argument to pass to a compiled function (a named tuple costs some microseconds a call)."""


# Edit distances, over texts held as code points: text ``t`` of (``ptr``, ``cp``) is
# ``cp[ptr[t]:ptr[t + 1]]``. Written by hand although rapidfuzz has the same algorithm
# because rapidfuzz works on Python strings: bounding a query takes hundreds of edit
# distances of short texts, and what they cost there was converting each string (a Python
# object scattered in memory) on every call, not the algorithm.

ASCII = 128  # code points with a precomputed pattern mask; others are looked up by scanning
WORD = 64  # bits of a machine word: patterns share one, side by side, as many as fit


@njit(cache=True)
def _patterns(ptr: Any, cp: Any) -> Any:
    """The texts of (``ptr``, ``cp``) as bit-parallel patterns for ``_similarities``, packed
    side by side into words. For each word: its lanes (``lane_ptr``: each lane's text and
    bits), the lowest and highest bit of each of its lanes, and for each code point below
    ``ASCII`` the bits of the positions holding it. Empty texts and texts longer than a
    word take no lane."""
    texts = ptr.shape[0] - 1
    one = np.uint64(1)
    lane_ptr = np.zeros(texts + 1, dtype=np.int64)
    lanes = np.empty(texts, dtype=np.int64)
    bits = np.empty(texts, dtype=np.uint64)
    low = np.zeros(texts, dtype=np.uint64)
    high = np.zeros(texts, dtype=np.uint64)
    masks = np.zeros((texts, ASCII), dtype=np.uint64)
    words = 0
    count = 0
    used = WORD  # bits taken in the current word
    for t in range(texts):
        m = ptr[t + 1] - ptr[t]
        if m == 0 or m > WORD:
            continue
        if used + m > WORD:
            words += 1
            used = 0
        w = words - 1
        lanes[count] = t
        bits[count] = (~np.uint64(0) >> np.uint64(WORD - m)) << np.uint64(used)
        low[w] |= one << np.uint64(used)
        high[w] |= one << np.uint64(used + m - 1)
        for i in range(ptr[t], ptr[t + 1]):
            if cp[i] < ASCII:
                masks[w, cp[i]] |= one << np.uint64(used + i - ptr[t])
        count += 1
        used += m
        lane_ptr[words] = count
    return lane_ptr[: words + 1], lanes[:count], bits[:count], low, high, masks


@njit(cache=True)
def _popcount(x: Any) -> int:
    """The number of bits set in the word ``x``."""
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True)
def _table_distance(a: Any, a_lo: int, a_hi: int, b: Any, b_lo: int, b_hi: int) -> int:
    """Levenshtein distance of ``a[a_lo:a_hi]`` and ``b[b_lo:b_hi]``, one row of the
    dynamic programme at a time (for a pattern longer than a word)."""
    n = b_hi - b_lo
    row = np.arange(n + 1)
    for p in range(a_lo, a_hi):
        diagonal = row[0]
        row[0] += 1
        for k in range(1, n + 1):
            above = row[k]
            cost = 0 if a[p] == b[b_lo + k - 1] else 1
            row[k] = min(above + 1, row[k - 1] + 1, diagonal + cost)
            diagonal = above
    return int(row[n])


@njit(cache=True)
def _similarities(
    ptr: Any, cp: Any, patterns: Any, b_ptr: Any, b: Any, which: Any, out: Any
) -> None:
    """rapidfuzz's ``Levenshtein.normalized_similarity`` (1 - distance / the longer length,
    1 for two empty texts; bit for bit) of each text ``p`` of (``ptr``, ``cp``) with each
    text ``which[r]`` of (``b_ptr``, ``b``), into ``out[r, p]``; ``patterns`` is
    ``_patterns(ptr, cp)``.

    Distances are Hyyrö's bit-parallel form of Myers' algorithm (as rapidfuzz's), run for
    all the patterns of a word at once: the addition is kept from carrying from one lane
    into the next and the shifts start each lane afresh. A lane's distance is the text's
    length plus the vertical deltas of the last column, so nothing is tallied per
    character."""
    lane_ptr, lanes, bits, low, high, masks = patterns
    one = np.uint64(1)
    for r in range(which.shape[0]):
        b_lo, b_hi = b_ptr[which[r]], b_ptr[which[r] + 1]
        n = b_hi - b_lo
        for p in range(ptr.shape[0] - 1):
            m = ptr[p + 1] - ptr[p]
            if m == 0:
                out[r, p] = 1.0 if n == 0 else 0.0
            elif m > WORD:
                distance = _table_distance(cp, ptr[p], ptr[p + 1], b, b_lo, b_hi)
                out[r, p] = 1.0 - distance / max(m, n)
        for w in range(lane_ptr.shape[0] - 1):
            lo, hi = low[w], high[w]
            vp = ~np.uint64(0)
            vn = np.uint64(0)
            for k in range(b_lo, b_hi):
                c = b[k]
                if c < ASCII:
                    pm = masks[w, c]
                else:
                    pm = np.uint64(0)
                    for lane in range(lane_ptr[w], lane_ptr[w + 1]):
                        first = bits[lane] & (~bits[lane] + one)
                        t = lanes[lane]
                        for i in range(ptr[t], ptr[t + 1]):
                            if cp[i] == c:
                                pm |= first << np.uint64(i - ptr[t])
                x = pm & vp
                d0 = ((((x & ~hi) + (vp & ~hi)) ^ ((x ^ vp) & hi)) ^ vp) | pm | vn
                hp = vn | ~(d0 | vp)
                hn = d0 & vp
                hp = (hp << one) | lo
                hn = (hn << one) & ~lo
                vp = hn | ~(d0 | hp)
                vn = hp & d0
            for lane in range(lane_ptr[w], lane_ptr[w + 1]):
                t = lanes[lane]
                distance = n + _popcount(vp & bits[lane]) - _popcount(vn & bits[lane])
                out[r, t] = 1.0 - distance / max(ptr[t + 1] - ptr[t], n)


@njit(cache=True)
def _similarity(
    edit: float,
    same_key: bool,
    shortest: int,
    longest: int,
    initial: bool,
    same_first: bool,
    cs: Constants,
) -> float:
    """``features.token_similarity`` of one pair of spellings, its edit similarity and the
    two lengths given."""
    if initial:
        if edit >= 1.0:
            return 1.0
        return cs.initial_match if same_first else 0.0
    if same_key:
        if shortest <= cs.short_token:
            return 0.5 + 0.5 * edit
        return cs.key_match + (1.0 - cs.key_match) * edit
    if edit < cs.fuzzy_floor or longest <= cs.short_fuzzy:  # features.fuzzy
        return 0.0
    return edit


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
def _distinct(rows: Any, wanted: Any, sb_ptr: Any, nm_ptr: Any, oc_ptr: Any, os_sp: Any) -> Any:
    """The distinct spellings of the rows ``rows`` where ``wanted``: for each spelling
    occurrence of those rows in order its slot, and for each slot its spelling id. The same
    spellings (Mohammed, Ali) recur across candidates; edit similarities are computed once
    per slot. Slots are found by a hash table sized to the rows, not by an array as long as
    the table's spellings, which each query would pay to fill."""
    most = 0
    for r in range(rows.shape[0]):
        if wanted[r]:
            c = rows[r]
            most += oc_ptr[nm_ptr[sb_ptr[c + 1]]] - oc_ptr[nm_ptr[sb_ptr[c]]]
    size = 16
    while size < 2 * most:
        size *= 2
    held = np.full(size, -1, dtype=np.int64)  # the spelling id at each place, -1 if none
    held_slot = np.empty(size, dtype=np.int64)
    slot_of = np.empty(most, dtype=np.int64)
    spelling = np.empty(most, dtype=np.int64)
    slots = 0
    at = 0
    for r in range(rows.shape[0]):
        if not wanted[r]:
            continue
        c = rows[r]
        for s in range(oc_ptr[nm_ptr[sb_ptr[c]]], oc_ptr[nm_ptr[sb_ptr[c + 1]]]):
            sp = os_sp[s]
            h = (sp * 2654435761) & (size - 1)
            while held[h] != sp and held[h] != -1:
                h = (h + 1) & (size - 1)
            if held[h] == -1:
                held[h] = sp
                held_slot[h] = slots
                spelling[slots] = sp
                slots += 1
            slot_of[at] = held_slot[h]
            at += 1
    return slot_of, spelling[:slots]


@njit(cache=True)
def _spelling_similarities(
    spelling: Any, sp_ptr: Any, sp: Any, sp_key: Any, q_key: Any, qs_ptr: Any, q: Any, cs: Constants
) -> Any:
    """For each distinct listed spelling (``_distinct``) and each query spelling: their edit
    similarity, and their token similarity where neither token is an initial (a token's
    role, not its spelling's: the kernel sees to those); and each listed spelling's first
    code point."""
    q_spellings = q_key.shape[0]
    edit = np.empty((spelling.shape[0], q_spellings))
    _similarities(qs_ptr, q, _patterns(qs_ptr, q), sp_ptr, sp, spelling, edit)
    token = np.empty((spelling.shape[0], q_spellings))
    first = np.zeros(spelling.shape[0], dtype=np.int64)
    for s in range(spelling.shape[0]):
        lo, hi = sp_ptr[spelling[s]], sp_ptr[spelling[s] + 1]
        if hi > lo:
            first[s] = sp[lo]
        for i in range(q_spellings):
            same_key = q_key[i] == sp_key[spelling[s]]
            q_len, s_len = qs_ptr[i + 1] - qs_ptr[i], hi - lo
            shortest, longest = min(q_len, s_len), max(q_len, s_len)
            token[s, i] = _similarity(edit[s, i], same_key, shortest, longest, False, False, cs)
    return edit, token, first


@njit(cache=True)
def _may_be_glued(
    k: int, n: int, qn_ptr: Any, qj_ptr: Any, nm_ptr: Any, jn_ptr: Any, cs: Constants
) -> bool:
    """Whether query name ``k`` and listed name ``n`` may be one name spaced differently:
    their numbers of tokens differ, and glued they can be alike (``GLUED_FLOOR``) only when
    their lengths are."""
    if nm_ptr[n + 1] - nm_ptr[n] == qn_ptr[k + 1] - qn_ptr[k]:
        return False
    q_len, r_len = qj_ptr[k + 1] - qj_ptr[k], jn_ptr[n + 1] - jn_ptr[n]
    return bool(abs(r_len - q_len) <= (1.0 - cs.glued_floor) * max(r_len, q_len))


@njit(cache=True)
def _glued(
    rows: Any,
    wanted: Any,
    sb_ptr: Any,
    nm_ptr: Any,
    jn_ptr: Any,
    jn: Any,
    qn_ptr: Any,
    qj_ptr: Any,
    q: Any,
    cs: Constants,
) -> Any:
    """The edit similarities of the query's names glued with those names of the rows
    ``rows`` (where ``wanted``) that may be one of them spaced differently
    (``_may_be_glued``), one row of them per such name, and for each name of the rows in
    order its row, or -1."""
    names = 0
    for r in range(rows.shape[0]):
        if wanted[r]:
            names += sb_ptr[rows[r] + 1] - sb_ptr[rows[r]]
    which = np.empty(names, dtype=np.int64)
    row_of = np.full(names, -1, dtype=np.int64)
    count = 0
    at = 0
    for r in range(rows.shape[0]):
        if not wanted[r]:
            continue
        for n in range(sb_ptr[rows[r]], sb_ptr[rows[r] + 1]):
            for k in range(qn_ptr.shape[0] - 1):
                if _may_be_glued(k, n, qn_ptr, qj_ptr, nm_ptr, jn_ptr, cs):
                    which[count] = n
                    row_of[at] = count
                    count += 1
                    break
            at += 1
    glued = np.empty((count, qn_ptr.shape[0] - 1))
    _similarities(qj_ptr, q, _patterns(qj_ptr, q), jn_ptr, jn, which[:count], glued)
    return glued, row_of


@njit(cache=True)
def _named(constants: Any) -> Constants:
    """``Constants`` from the array the kernels take (``CONSTANTS``); one of another
    length raises."""
    (
        circa_years, common_mass, dob_apart, dob_circa, dob_day, dob_far, dob_month, dob_near,
        dob_year, far_years, fuzzy_floor, glued_floor, initial_match, intercept,
        key_match, listed_extra, name_cap, short_fuzzy, short_token, w_birth_date, w_country,
        w_gender, w_identifier, w_name_exact, w_name_similarity, w_name_substitution,
        weak_penalty,
    ) = constants  # fmt: skip
    return Constants(
        circa_years, common_mass, dob_apart, dob_circa, dob_day, dob_far, dob_month, dob_near,
        dob_year, far_years, fuzzy_floor, glued_floor, initial_match, intercept,
        key_match, listed_extra, name_cap, short_fuzzy, short_token, w_birth_date, w_country,
        w_gender, w_identifier, w_name_exact, w_name_similarity, w_name_substitution,
        weak_penalty,
    )  # fmt: skip


@njit(cache=True)
def _bounds(rows: Any, table: Any, query: Any, compatible: Any, constants: Any) -> Any:
    """Score bounds of the table rows ``rows`` for one query (see ``bounds``)."""
    cs = _named(constants)
    (
        os_sp, oc_ptr, oc_w, oc_init, nm_ptr, nm_total, nm_weak, jn_ptr, jn, sb_ptr, sb_schema,
        sb_person, sb_gender, dt_ptr, dt, cy_ptr, cy, id_ptr, ids, ex_ptr, ex, sp_ptr, sp, sp_key,
    ) = table  # fmt: skip
    (
        q_key, q_ptr, q, qt_ptr, qt_w, qt_init, qn_ptr, qn_total, qn_weak,
        q_common, q_gender, q_dates, q_has_countries, q_countries, q_ids, q_exact,
    ) = query  # fmt: skip
    q_names = qn_ptr.shape[0] - 1
    q_spellings = q_key.shape[0]
    qs_ptr, qj_ptr = q_ptr[: q_spellings + 1], q_ptr[q_spellings:]  # spellings, names glued
    q_first = np.zeros(q_spellings, dtype=np.int64)
    for i in range(q_spellings):
        if qs_ptr[i + 1] > qs_ptr[i]:
            q_first[i] = q[qs_ptr[i]]
    wanted = np.empty(rows.shape[0], dtype=np.bool_)
    for r in range(rows.shape[0]):
        wanted[r] = compatible[sb_schema[rows[r]]]
    slot_of, spelling = _distinct(rows, wanted, sb_ptr, nm_ptr, oc_ptr, os_sp)
    edit, token, s_first = _spelling_similarities(
        spelling, sp_ptr, sp, sp_key, q_key, qs_ptr, q, cs
    )
    glued, glued_row = _glued(rows, wanted, sb_ptr, nm_ptr, jn_ptr, jn, qn_ptr, qj_ptr, q, cs)
    out = np.zeros(rows.shape[0])
    found_q = np.zeros(qt_w.shape[0])  # each query token's best similarity in a name
    at = 0  # the place in ``slot_of`` of the current row's first spelling occurrence
    name_at = 0  # that in ``glued_row`` of the current row's first name
    for r in range(rows.shape[0]):
        if not wanted[r]:
            continue
        c = rows[r]
        first_name, last_name = sb_ptr[c], sb_ptr[c + 1]
        first_spelling = oc_ptr[nm_ptr[first_name]]
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
        best = 0.0
        logit = -math.inf
        for n in range(first_name, last_name):
            r_total = nm_total[n]
            for k in range(q_names):
                q_lo, q_hi = qn_ptr[k], qn_ptr[k + 1]
                q_total = qn_total[k]
                # Each query token's best similarity in this name, and the other way round.
                for i in range(q_lo, q_hi):
                    found_q[i] = 0.0
                missed_r = 0.0
                for o in range(nm_ptr[n], nm_ptr[n + 1]):
                    column_best = 0.0
                    for i in range(q_lo, q_hi):
                        initial = qt_init[i] or oc_init[o]
                        sim = 0.0
                        for qs in range(qt_ptr[i], qt_ptr[i + 1]):
                            for ls in range(oc_ptr[o], oc_ptr[o + 1]):
                                s = slot_of[at + ls - first_spelling]
                                if initial:
                                    same_first = q_first[qs] == s_first[s]
                                    value = _similarity(
                                        edit[s, qs], False, 0, 0, True, same_first, cs
                                    )
                                else:
                                    value = token[s, qs]
                                sim = max(sim, value)
                        found_q[i] = max(found_q[i], sim)
                        column_best = max(column_best, sim)
                    missed_r += oc_w[o] * (1.0 - column_best)
                missed_q = 0.0
                for i in range(q_lo, q_hi):
                    missed_q += qt_w[i] * (1.0 - found_q[i])
                if _may_be_glued(k, n, qn_ptr, qj_ptr, nm_ptr, jn_ptr, cs):
                    g = glued[glued_row[name_at + n - first_name], k]
                    if g >= cs.glued_floor:
                        missed_q = min(missed_q, (1.0 - g) * q_total)
                        missed_r = min(missed_r, (1.0 - g) * r_total)
                penalty = cs.weak_penalty if nm_weak[n] or qn_weak[k] else 1.0
                extra = cs.listed_extra if sb_person[c] else 1.0
                value = penalty * (
                    1.0 - (missed_q + extra * missed_r) / max(q_total + extra * r_total, 1e-9)
                )
                common = (
                    min(0.0, (q_total - missed_q) / cs.common_mass - 1.0) if sb_person[c] else 0.0
                )
                born = dates * value if dates > 0 else dates
                here = (
                    cs.w_name_similarity * value
                    + cs.w_name_substitution * min(missed_q, missed_r)
                    + q_common * common
                    + cs.w_birth_date * born
                )
                best = max(best, value)
                logit = max(logit, here)
        at += oc_ptr[nm_ptr[last_name]] - first_spelling
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
        out[r] = score if same_id or exact else score * cs.name_cap
    return out


def bounds(rows: Ints, table: Arrays, query: tuple[object, ...], compatible: Bools) -> Floats:
    """Score bounds of the table rows ``rows`` for one query, in one compiled call (see
    ``bounds.bounds``): ``table`` holds the arrays of ``table.COLUMNS``, ``query`` those of
    ``bounds._query``, ``compatible`` which of the table's schemas the query may be. Edit
    similarities included: one per query spelling and distinct spelling of the rows, and
    one per query name and name of the rows that may be it spaced differently."""
    found: Floats = _bounds(rows, table, query, compatible, CONSTANTS)
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
