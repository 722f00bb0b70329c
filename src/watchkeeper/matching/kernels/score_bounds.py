"""The score bound of many listed subjects for one query, in one compiled call (see
``matching.bounds``, which builds its arrays): the formulas of ``features`` (token
similarity, name alignment) and ``score`` (the logit), with every pairing at its best."""

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from watchkeeper.matching.kernels import constants
from watchkeeper.matching.kernels.constants import Constants, named
from watchkeeper.matching.kernels.edit import glued_distance
from watchkeeper.matching.kernels.tokens import (
    distinct_spellings,
    glued_similarities,
    may_be_glued,
    spelling_similarities,
    token_similarity,
)

CALLEES = {
    "constants": "96014521538a17e0",
    "edit": "91e5ed2602cb3821",
    "tokens": "48f3de49a4251494",
}
"""The kernel modules whose kernels these call, each with its source's digest: see
``tokens.CALLEES``."""

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Arrays = tuple[npt.NDArray[np.generic], ...]
SLACK = 1e-9  # sums taken in another order than the scorer's differ in the last bits


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
def _spaced_similarity(
    a: Any, a1_lo: int, a1_hi: int, a2_lo: int, a2_hi: int, b: Any, b_lo: int, b_hi: int
) -> float:
    """``features._spaced``'s similarity of two words glued, ``a[a1_lo:a1_hi]`` then
    ``a[a2_lo:a2_hi]``, with the word ``b[b_lo:b_hi]``: rapidfuzz's normalised Levenshtein
    similarity, 0 where ``_spaced`` does not look (a word shorter than two letters,
    another first letter, lengths more than two apart)."""
    first, second, n = a1_hi - a1_lo, a2_hi - a2_lo, b_hi - b_lo
    m = first + second
    if first < 2 or second < 2 or n == 0 or a[a1_lo] != b[b_lo] or abs(m - n) > 2:
        return 0.0
    return 1.0 - glued_distance(a, a1_lo, a1_hi, a2_lo, a2_hi, b, b_lo, b_hi) / max(m, n)


@njit(cache=True)
def _spaced(
    found_q: Any, found_r: Any, q_lo: int, q_hi: int, o_lo: int, o_hi: int,
    q: Any, qs_ptr: Any, qt_ptr: Any, qt_init: Any, q_first: Any,
    sp: Any, sp_ptr: Any, os_sp: Any, oc_ptr: Any, oc_init: Any, floor: float,
    slots: Any, s_first: Any, s_length: Any,
) -> None:  # fmt: skip
    """Credit two neighbouring words of one name and the word of the other they may be,
    glued (``features._spaced``), with that similarity: each query token's best in
    ``found_q``, each listed token's (from ``o_lo``) in ``found_r``. ``slots`` gives each
    listed spelling occurrence's slot (from the name's first, ``oc_ptr[o_lo]``), and
    ``s_first`` and ``s_length`` each slot's first code point and length: most pairs fail
    ``_spaced_similarity``'s first letter or length test, and reading those of the slots
    (a few hundred, together in memory) instead of the table's texts (scattered over
    megabytes) halves what this costs a query."""
    base = oc_ptr[o_lo]
    for i in range(q_lo, q_hi - 1):
        if qt_init[i] or qt_init[i + 1]:
            continue
        a, b = qt_ptr[i], qt_ptr[i + 1]
        glued = qs_ptr[a + 1] - qs_ptr[a] + qs_ptr[b + 1] - qs_ptr[b]
        for o in range(o_lo, o_hi):
            slot = slots[oc_ptr[o] - base]
            if s_first[slot] != q_first[a] or abs(glued - s_length[slot]) > 2:
                continue
            s = os_sp[oc_ptr[o]]
            g = _spaced_similarity(
                q, qs_ptr[a], qs_ptr[a + 1], qs_ptr[b], qs_ptr[b + 1], sp, sp_ptr[s], sp_ptr[s + 1]
            )
            if g >= floor:
                found_q[i] = max(found_q[i], g)
                found_q[i + 1] = max(found_q[i + 1], g)
                found_r[o - o_lo] = max(found_r[o - o_lo], g)
    for o in range(o_lo, o_hi - 1):
        if oc_init[o] or oc_init[o + 1]:
            continue
        s_slot, t_slot = slots[oc_ptr[o] - base], slots[oc_ptr[o + 1] - base]
        glued = s_length[s_slot] + s_length[t_slot]
        if s_length[s_slot] < 2 or s_length[t_slot] < 2:
            continue
        s, t = os_sp[oc_ptr[o]], os_sp[oc_ptr[o + 1]]
        for i in range(q_lo, q_hi):
            a = qt_ptr[i]
            if q_first[a] != s_first[s_slot] or abs(glued - qs_ptr[a + 1] + qs_ptr[a]) > 2:
                continue
            g = _spaced_similarity(
                sp, sp_ptr[s], sp_ptr[s + 1], sp_ptr[t], sp_ptr[t + 1], q, qs_ptr[a], qs_ptr[a + 1]
            )
            if g >= floor:
                found_q[i] = max(found_q[i], g)
                found_r[o - o_lo] = max(found_r[o - o_lo], g)
                found_r[o + 1 - o_lo] = max(found_r[o + 1 - o_lo], g)


@njit(cache=True)
def _spaced_windows(
    s_first: Any, s_length: Any, q_first: Any, qs_ptr: Any, qt_ptr: Any, qt_init: Any, qn_ptr: Any
) -> Any:
    """For each slot (a distinct listed spelling, as ``_spaced`` reads them): whether it
    passes the first letter and length tests of some two neighbouring query words glued,
    and the glued lengths of two listed words beginning with it that pass them for some
    query word (from ``lo`` to ``hi``; none when ``lo > hi``). Computed once a query, so
    that ``_may_be_spaced`` tells at a glance the names ``_spaced`` need not see."""
    glued_q = np.zeros(s_first.shape[0], dtype=np.bool_)
    lo = np.full(s_first.shape[0], 1 << 30, dtype=np.int64)
    hi = np.full(s_first.shape[0], -1, dtype=np.int64)
    for k in range(qn_ptr.shape[0] - 1):
        for i in range(qn_ptr[k], qn_ptr[k + 1]):
            a = qt_ptr[i]
            length = qs_ptr[a + 1] - qs_ptr[a]
            glued = -1  # two neighbouring words of one name, neither an initial
            if i + 1 < qn_ptr[k + 1] and not qt_init[i] and not qt_init[i + 1]:
                b = qt_ptr[i + 1]
                glued = length + qs_ptr[b + 1] - qs_ptr[b]
            for s in range(s_first.shape[0]):
                if s_first[s] == q_first[a]:
                    glued_q[s] = glued_q[s] or (glued >= 0 and abs(glued - s_length[s]) <= 2)
                    lo[s] = min(lo[s], length - 2)
                    hi[s] = max(hi[s], length + 2)
    return glued_q, lo, hi


@njit(cache=True)
def _may_be_spaced(
    o_lo: int, o_hi: int, oc_ptr: Any, oc_init: Any, slot_of: Any, shift: int, s_length: Any,
    windows: Any,
) -> bool:  # fmt: skip
    """Whether any word of the listed name ``o_lo:o_hi``, or two neighbouring words, pass
    ``_spaced``'s first letter and length tests against some query words (``windows``):
    most names pass none, and skip the call, whose dozen arrays cost more than its tests."""
    glued_q, lo, hi = windows
    for o in range(o_lo, o_hi):
        s = slot_of[shift + oc_ptr[o]]
        if glued_q[s]:
            return True
        if o + 1 < o_hi and not (oc_init[o] or oc_init[o + 1]):
            t = slot_of[shift + oc_ptr[o + 1]]
            glued = s_length[s] + s_length[t]
            if s_length[s] >= 2 and s_length[t] >= 2 and lo[s] <= glued <= hi[s]:
                return True
    return False


@njit(cache=True)
def _unpacked(query: Any) -> Any:
    """The sixteen arrays and values of a query that ``bounds._query`` packs into four."""
    ints, floats, q, q_dates = query
    spellings, tokens, names = ints[0], ints[1], ints[2]
    parts = []  # the integer arrays after the header, in order
    at = 8
    for size in (
        spellings, spellings + names + 1, tokens + 1, tokens, names + 1, names,
        ints[3], ints[4], ints[5],
    ):  # fmt: skip
        parts.append(ints[at : at + size])
        at += size
    q_key, q_ptr, qt_ptr, qt_init, qn_ptr, qn_weak, q_countries, q_ids, q_exact = parts
    return (
        q_key, q_ptr, q, qt_ptr, floats[:tokens], qt_init != 0, qn_ptr,
        floats[tokens : tokens + names], qn_weak != 0, floats[tokens + names], ints[6],
        q_dates, ints[7] != 0, q_countries, q_ids, q_exact,
    )  # fmt: skip


@njit(cache=True)
def _bounds(rows: Any, table: Any, query: Any, compatible: Any, values: Any) -> Any:
    """Score bounds of the table rows ``rows`` for one query (see ``bounds``), each name
    pair's bound of its name value (row ``r``'s from ``starts[r]``, listed name by query
    name; +inf for rows of other schemas), and ``starts``."""
    cs = named(values)
    (
        os_sp, oc_ptr, oc_w, oc_init, nm_ptr, nm_total, nm_weak, jn_ptr, jn, sb_ptr, sb_schema,
        sb_person, sb_gender, dt_ptr, dt, cy_ptr, cy, id_ptr, ids, ex_ptr, ex, sp_ptr, sp, sp_key,
    ) = table  # fmt: skip
    (
        q_key, q_ptr, q, qt_ptr, qt_w, qt_init, qn_ptr, qn_total, qn_weak,
        q_common, q_gender, q_dates, q_has_countries, q_countries, q_ids, q_exact,
    ) = _unpacked(query)  # fmt: skip
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
    slot_of, spelling = distinct_spellings(rows, wanted, sb_ptr, nm_ptr, oc_ptr, os_sp)
    edit, token, s_first, s_length = spelling_similarities(
        spelling, sp_ptr, sp, sp_key, q_key, qs_ptr, q, cs
    )
    windows = _spaced_windows(s_first, s_length, q_first, qs_ptr, qt_ptr, qt_init, qn_ptr)
    glued, glued_row = glued_similarities(
        rows, wanted, sb_ptr, nm_ptr, jn_ptr, jn, qn_ptr, qj_ptr, q, cs
    )
    out = np.zeros(rows.shape[0])
    found_q = np.zeros(qt_w.shape[0])  # each query token's best similarity in a name
    longest = 0
    widest = 0  # the most name pairs of a row
    starts = np.empty(rows.shape[0] + 1, dtype=np.int64)
    starts[0] = 0
    for r in range(rows.shape[0]):
        for n in range(sb_ptr[rows[r]], sb_ptr[rows[r] + 1]):
            longest = max(longest, nm_ptr[n + 1] - nm_ptr[n])
        starts[r + 1] = starts[r] + (sb_ptr[rows[r] + 1] - sb_ptr[rows[r]]) * q_names
        widest = max(widest, starts[r + 1] - starts[r])
    names = np.full(starts[-1], np.inf)
    found_r = np.zeros(longest)  # each listed token's best similarity, the same way
    # Each name pair's missed weights, name value and logit less its substitution term,
    # kept until every name of the row is seen: the substitution term counts a query
    # word found in any listed name as found (``features._Substituted``).
    pair_q, pair_r = np.empty(widest), np.empty(widest)
    pair_value, pair_rest = np.empty(widest), np.empty(widest)
    anywhere = np.zeros(qt_w.shape[0])  # each query token's best similarity in any name
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
        anywhere[:] = 0.0
        for n in range(first_name, last_name):
            r_total = nm_total[n]
            spaced = _may_be_spaced(
                nm_ptr[n], nm_ptr[n + 1], oc_ptr, oc_init, slot_of, at - first_spelling, s_length,
                windows,
            )  # fmt: skip
            for k in range(q_names):
                q_lo, q_hi = qn_ptr[k], qn_ptr[k + 1]
                q_total = qn_total[k]
                # Each query token's best similarity in this name, and the other way round.
                for i in range(q_lo, q_hi):
                    found_q[i] = 0.0
                o_lo, o_hi = nm_ptr[n], nm_ptr[n + 1]
                for o in range(o_lo, o_hi):
                    column_best = 0.0
                    for i in range(q_lo, q_hi):
                        initial = qt_init[i] or oc_init[o]
                        sim = 0.0
                        for qs in range(qt_ptr[i], qt_ptr[i + 1]):
                            for ls in range(oc_ptr[o], oc_ptr[o + 1]):
                                s = slot_of[at + ls - first_spelling]
                                if initial:
                                    same_first = q_first[qs] == s_first[s]
                                    value = token_similarity(
                                        edit[s, qs], False, 0, 0, True, same_first, cs
                                    )
                                else:
                                    value = token[s, qs]
                                sim = max(sim, value)
                        found_q[i] = max(found_q[i], sim)
                        column_best = max(column_best, sim)
                    found_r[o - o_lo] = column_best
                if spaced:
                    _spaced(
                        found_q, found_r, q_lo, q_hi, o_lo, o_hi, q, qs_ptr, qt_ptr, qt_init,
                        q_first, sp, sp_ptr, os_sp, oc_ptr, oc_init, cs.glued_floor,
                        slot_of[at + oc_ptr[o_lo] - first_spelling :], s_first, s_length,
                    )  # fmt: skip
                missed_r = 0.0
                for o in range(o_lo, o_hi):
                    missed_r += oc_w[o] * (1.0 - found_r[o - o_lo])
                missed_q = 0.0
                for i in range(q_lo, q_hi):
                    missed_q += qt_w[i] * (1.0 - found_q[i])
                    anywhere[i] = max(anywhere[i], found_q[i])
                if may_be_glued(k, n, qn_ptr, qj_ptr, nm_ptr, jn_ptr, cs):
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
                at_pair = (n - first_name) * q_names + k
                pair_q[at_pair], pair_r[at_pair], pair_value[at_pair] = missed_q, missed_r, value
                pair_rest[at_pair] = (
                    cs.w_name_similarity * value + q_common * common + cs.w_birth_date * born
                )
                best = max(best, value)
        for k in range(q_names):
            missed_anywhere = 0.0
            for i in range(qn_ptr[k], qn_ptr[k + 1]):
                missed_anywhere += qt_w[i] * (1.0 - anywhere[i])
            for at_pair in range(k, (last_name - first_name) * q_names, q_names):
                substituted = min(pair_q[at_pair], missed_anywhere, pair_r[at_pair])
                logit = max(logit, pair_rest[at_pair] + cs.w_name_substitution * substituted)
                names[starts[r] + at_pair] = (
                    cs.w_name_similarity * pair_value[at_pair]
                    + cs.w_name_substitution * substituted
                    + SLACK
                )
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
    return out, names, starts


def bounds(
    rows: Ints, table: Arrays, query: tuple[object, ...], compatible: Bools
) -> tuple[Floats, Floats, Ints]:
    """Score bounds of the table rows ``rows`` for one query, in one compiled call (see
    ``bounds.bounds``): ``table`` holds the arrays of ``table.COLUMNS``, ``query`` those of
    ``bounds._query``, ``compatible`` which of the table's schemas the query may be; with
    the name pair bounds and where each row's begin (``bounds.Bounds``). Edit similarities
    included: one per query spelling and distinct spelling of the rows, and one per query
    name and name of the rows that may be it spaced differently."""
    found: tuple[Floats, Floats, Ints] = _bounds(
        rows, table, query, compatible, constants.CONSTANTS
    )
    return found
