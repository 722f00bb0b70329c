"""Edit similarities of texts held as code points: text ``t`` of (``ptr``, ``cp``) is
``cp[ptr[t]:ptr[t + 1]]``.

Written by hand although rapidfuzz has the same algorithm because rapidfuzz works on Python
strings: bounding a query takes hundreds of edit distances of short texts, and what they
cost there was converting each string (a Python object scattered in memory) on every call,
not the algorithm. ``bit_patterns`` and ``similarities`` are called from other kernels
(``tokens``), so they are the compiled functions themselves, without a typed wrapper.
"""

from typing import Any

import numpy as np
from numba import njit

ASCII = 128  # code points with a precomputed pattern mask; others are looked up by scanning
WORD = 64  # bits of a machine word: patterns share one, side by side, as many as fit


@njit(cache=True)
def bit_patterns(ptr: Any, cp: Any) -> Any:
    """The texts of (``ptr``, ``cp``) as bit-parallel patterns for ``similarities``, packed
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
    """Optimal string alignment distance of ``a[a_lo:a_hi]`` and ``b[b_lo:b_hi]`` (edits
    and swaps of two neighbouring letters), one row of the dynamic programme at a time,
    the one before kept for the swaps (for a pattern longer than a word)."""
    n = b_hi - b_lo
    before = np.zeros(n + 1, dtype=np.int64)
    last = np.arange(n + 1)
    row = np.empty(n + 1, dtype=np.int64)
    for i in range(1, a_hi - a_lo + 1):
        row[0] = i
        for k in range(1, n + 1):
            cost = 0 if a[a_lo + i - 1] == b[b_lo + k - 1] else 1
            best = min(last[k] + 1, row[k - 1] + 1, last[k - 1] + cost)
            if (
                i > 1
                and k > 1
                and a[a_lo + i - 1] == b[b_lo + k - 2]
                and a[a_lo + i - 2] == b[b_lo + k - 1]
            ):
                best = min(best, before[k - 2] + 1)
            row[k] = best
        before, last, row = last, row, before
    return int(last[n])


@njit(cache=True)
def glued_distance(
    a: Any, a1_lo: int, a1_hi: int, a2_lo: int, a2_hi: int, b: Any, b_lo: int, b_hi: int
) -> int:
    """Levenshtein distance of ``a[a1_lo:a1_hi]`` followed by ``a[a2_lo:a2_hi]`` (two words
    glued, without copying them) and ``b[b_lo:b_hi]``, one row of the dynamic programme at
    a time."""
    n = b_hi - b_lo
    first = a1_hi - a1_lo
    row = np.arange(n + 1)
    for step in range(first + a2_hi - a2_lo):
        p = a1_lo + step if step < first else a2_lo + step - first
        diagonal = row[0]
        row[0] += 1
        for k in range(1, n + 1):
            above = row[k]
            cost = 0 if a[p] == b[b_lo + k - 1] else 1
            row[k] = min(above + 1, row[k - 1] + 1, diagonal + cost)
            diagonal = above
    return int(row[n])


@njit(cache=True)
def similarities(
    ptr: Any, cp: Any, patterns: Any, b_ptr: Any, b: Any, which: Any, out: Any
) -> None:
    """rapidfuzz's ``OSA.normalized_similarity`` (optimal string alignment: Levenshtein
    with a swap of two neighbouring letters one edit, as typists make it; 1 - distance /
    the longer length, 1 for two empty texts; bit for bit) of each text ``p`` of (``ptr``,
    ``cp``) with each text ``which[r]`` of (``b_ptr``, ``b``), into ``out[r, p]``;
    ``patterns`` is ``bit_patterns(ptr, cp)``.

    Distances are Hyyrö's bit-parallel form of Myers' algorithm with his transposition
    term (as rapidfuzz's), run for all the patterns of a word at once: the addition is kept
    from carrying from one lane into the next and the shifts start each lane afresh. A
    lane's distance is the text's length plus the vertical deltas of the last column, so
    nothing is tallied per character."""
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
            d0 = np.uint64(0)
            pm_before = np.uint64(0)
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
                swap = (((~d0 & pm) << one) & ~lo) & pm_before
                x = pm & vp
                d0 = ((((x & ~hi) + (vp & ~hi)) ^ ((x ^ vp) & hi)) ^ vp) | pm | vn | swap
                pm_before = pm
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
