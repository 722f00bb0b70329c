"""Token similarity in the bound kernel: of each listed spelling with each query spelling,
and of names that may be one name spaced differently (``features.token_similarity`` and
the glued-name alignment, compiled)."""

from typing import Any

import numpy as np
from numba import njit

from watchkeeper.matching.kernels.constants import Constants
from watchkeeper.matching.kernels.edit import bit_patterns, similarities

CALLEES = {"edit": "91e5ed2602cb3821"}
"""The kernel modules whose kernels these call, each with its source's digest
(``tests/matching/test_kernels.py`` checks them). numba's disk cache of a kernel notices
changes to its own file only, and holds its callees' code compiled in: a callee's change
must come with a change here, or these kernels would run its old code from the cache."""


@njit(cache=True)
def token_similarity(
    edit: float,
    same_key: bool,
    shortest: int,
    longest: int,
    initial: bool,
    same_first: bool,
    cs: Constants,
) -> float:
    """``features.token_similarity`` of one pair of spellings, its edit similarity and the
    two lengths given. Equal spellings are alike whatever their keys (a Mandarin
    syllable's key is not the one a word of that spelling has)."""
    if edit >= 1.0:
        return 1.0
    if initial:
        return cs.initial_match if same_first else 0.0
    if same_key:
        if shortest <= cs.short_token:
            return 0.5 + 0.5 * edit
        return cs.key_match + (1.0 - cs.key_match) * edit
    if edit < cs.fuzzy_floor or longest <= cs.short_fuzzy:  # features.fuzzy
        return 0.0
    return edit


@njit(cache=True)
def distinct_spellings(
    rows: Any, wanted: Any, sb_ptr: Any, nm_ptr: Any, oc_ptr: Any, os_sp: Any
) -> Any:
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
def spelling_similarities(
    spelling: Any, sp_ptr: Any, sp: Any, sp_key: Any, q_key: Any, qs_ptr: Any, q: Any, cs: Constants
) -> Any:
    """For each distinct listed spelling (``distinct_spellings``) and each query spelling:
    their edit similarity, and their token similarity where neither token is an initial (a
    token's role, not its spelling's: the kernel sees to those); and each listed spelling's
    first code point and length (read here once, not from the table's scattered texts at
    every occurrence)."""
    q_spellings = q_key.shape[0]
    edit = np.empty((spelling.shape[0], q_spellings))
    similarities(qs_ptr, q, bit_patterns(qs_ptr, q), sp_ptr, sp, spelling, edit)
    token = np.empty((spelling.shape[0], q_spellings))
    first = np.zeros(spelling.shape[0], dtype=np.int64)
    length = np.empty(spelling.shape[0], dtype=np.int64)
    for s in range(spelling.shape[0]):
        lo, hi = sp_ptr[spelling[s]], sp_ptr[spelling[s] + 1]
        length[s] = hi - lo
        if hi > lo:
            first[s] = sp[lo]
        for i in range(q_spellings):
            same_key = q_key[i] == sp_key[spelling[s]]
            q_len, s_len = qs_ptr[i + 1] - qs_ptr[i], hi - lo
            shortest, longest = min(q_len, s_len), max(q_len, s_len)
            token[s, i] = token_similarity(
                edit[s, i], same_key, shortest, longest, False, False, cs
            )
    return edit, token, first, length


@njit(cache=True)
def may_be_glued(
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
def glued_similarities(
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
    (``may_be_glued``), one row of them per such name, and for each name of the rows in
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
                if may_be_glued(k, n, qn_ptr, qj_ptr, nm_ptr, jn_ptr, cs):
                    which[count] = n
                    row_of[at] = count
                    count += 1
                    break
            at += 1
    glued = np.empty((count, qn_ptr.shape[0] - 1))
    similarities(qj_ptr, q, bit_patterns(qj_ptr, q), jn_ptr, jn, which[:count], glued)
    return glued, row_of
