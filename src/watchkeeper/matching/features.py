"""The scorer's features, and the name alignment the name features read.

Alignment: every query token may pair with at most one listed token and the reverse; the pairing
maximises the rarity-weighted similarity, whatever the token order. Names are short (almost
always up to 8 tokens), so a greedy pick by value followed by pairwise swaps finds the best
assignment in practice at a fraction of the cost of an exact solver.

Features: pure functions ``(query, result) -> FtResult``; their one-line docstrings are the
public description of what each adds to a score (``score.LogicWK.FEATURES`` weights them).
"""

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz.distance import OSA, Levenshtein

from watchkeeper import schemata
from watchkeeper.matching.names.normalise import Role, fathers_name
from watchkeeper.matching.names.rarity import MINOR
from watchkeeper.matching.prepared import (
    FAMILY,
    GIVEN,
    PERSON,
    PreparedName,
    PreparedSubject,
    Token,
    shared_identifiers,
)
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
    EXTRA_WORD,
    FAR_YEARS,
    FUZZY_FLOOR,
    GLUED_FLOOR,
    INITIAL_MATCH,
    KEY_MATCH,
    LISTED_EXTRA,
    SHORT_FUZZY,
    SHORT_TOKEN,
    W_NAME_EXACT,
    W_NAME_SIMILARITY,
    W_NAME_SUBSTITUTION,
    WEAK_PENALTY,
)


class Pair(NamedTuple):
    """One aligned token pair: indexes into both names and their similarity (a tuple, as
    cheap to build as the hot path needs)."""

    query: int
    result: int
    similarity: float


class Alignment(NamedTuple):
    """How one query name aligned with one listed name, and what that is worth (a tuple:
    one is built per comparison)."""

    query: PreparedName
    result: PreparedName
    pairs: tuple[Pair, ...]
    score: float  # weighted similarity over both names' weights, weak penalty applied
    query_missed: float  # query weight left unmatched (similarity shortfall included)
    result_missed: float  # the same for the listed name
    exact: bool  # every token of both names matched with equal text
    substituted: float  # weight missed on both sides (``_Substituted``)


def token_similarity(a: Token, b: Token) -> float:
    """Best similarity over both tokens' spellings: equal text 1, equal key 0.9 or more,
    otherwise the normalised edit similarity, a swap of two neighbouring letters one edit
    (rapidfuzz's optimal string alignment: Bahkt ~ Bakht), 0 below ``FUZZY_FLOOR``."""
    if (a.role is Role.PARTICLE) != (b.role is Role.PARTICLE):
        return 1.0 if a.text == b.text else 0.0  # "al" is no part of "Asal", "Abu" of "Qanu"
    if a.role is Role.ACRONYM or b.role is Role.ACRONYM:
        return 1.0 if a.text == b.text else 0.0
    if a.role is Role.SYLLABLE or b.role is Role.SYLLABLE:
        spelt = {text for text, _ in a.spellings}  # a listed spelling or nothing
        return 1.0 if any(text in spelt for text, _ in b.spellings) else 0.0
    if a.role is b.role is Role.KOREAN:  # one syllable in two systems, or two spellings
        spelt = {text for text, _ in a.spellings}
        if any(text in spelt for text, _ in b.spellings):
            return 1.0
        return _spelling_similarity(a.spellings[0], b.spellings[0])
    if a.role is Role.INITIAL or b.role is Role.INITIAL:
        return _initial_similarity(a.text, b.text)
    if len(a.spellings) == 1 and len(b.spellings) == 1:  # the common case, kept fast
        best = _spelling_similarity(a.spellings[0], b.spellings[0])
    else:
        best = max(_spelling_similarity(x, y) for x in a.spellings for y in b.spellings)
    return best


def fuzzy(edit: float) -> float:
    """What the edit similarity of two spellings without a common key is worth: all of it,
    from ``FUZZY_FLOOR`` up (a squared or rescaled curve scored lower on the dev data:
    ``bench/fit_weights.py``, README)."""
    return edit if edit >= FUZZY_FLOOR else 0.0


def _spelling_similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    if a[0] == b[0]:
        return 1.0
    sim = OSA.normalized_similarity(a[0], b[0])
    if a[1] != b[1]:
        value = 0.0 if max(len(a[0]), len(b[0])) <= SHORT_FUZZY else fuzzy(sim)
    elif min(len(a[0]), len(b[0])) <= SHORT_TOKEN:
        value = 0.5 + 0.5 * sim
    else:
        value = KEY_MATCH + (1.0 - KEY_MATCH) * sim
    return 0.0 if value and fathers_name(a[0], b[0]) else value  # asked only when it matters


def _initial_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return INITIAL_MATCH if a[:1] == b[:1] else 0.0


class _Assigned(NamedTuple):
    """An assignment before it becomes an ``Alignment``: most name pairs of a comparison
    lose to a better one, so only the winner pays for the objects."""

    score: float
    chosen: list[tuple[int, int]]
    sims: list[float]
    query_missed: float
    result_missed: float
    exact: bool


def _assign(query: PreparedName, result: PreparedName) -> _Assigned:
    """Greedy assignment, improved by swaps, and its score; the token-pair similarities
    are a flat list indexed ``i * len(result) + j``. A name's missed weight is its total
    less what its paired tokens cover (an unpaired token covers nothing)."""
    sims = similarities(query, result)
    width = len(result.tokens)
    q_weights, r_weights = query.weights, result.weights
    chosen = _greedy(sims, q_weights, r_weights)
    if len(chosen) > 1:
        chosen = _improve(chosen, sims, q_weights, r_weights)
    chosen.sort()
    q_weight, r_weight = query.total_weight, result.total_weight
    missed_q, missed_r = q_weight, r_weight
    if query.plain and result.plain:  # no initials: the common case, kept fast
        for i, j in chosen:
            sim = sims[i * width + j]
            missed_q -= q_weights[i] * sim
            missed_r -= r_weights[j] * sim
    else:
        q_initials, r_initials = query.initials, result.initials
        for i, j in chosen:
            sim = sims[i * width + j]
            q_cover, r_cover = q_weights[i], r_weights[j]
            if q_initials[i] or r_initials[j]:  # an initial stands for a name, says no more
                q_cover = r_cover = min(q_cover, r_cover)
            missed_q -= q_cover * sim
            missed_r -= r_cover * sim
    missed_q, missed_r = max(missed_q, 0.0), max(missed_r, 0.0)
    extra = LISTED_EXTRA if result.person else 1.0
    if len(chosen) < max(len(q_weights), width) and (
        result.longest + 2 >= query.shortest_glued or query.longest + 2 >= result.shortest_glued
    ):
        missed_q, missed_r = _spaced(query, result, chosen, sims, (missed_q, missed_r), extra)
    if len(q_weights) != width:  # "PolPot" = "Pol Pot": spaced differently
        glued = OSA.normalized_similarity(query.joined, result.joined)
        if glued >= GLUED_FLOOR:
            missed_q = min(missed_q, (1.0 - glued) * q_weight)
            missed_r = min(missed_r, (1.0 - glued) * r_weight)
    penalty = WEAK_PENALTY if query.weak or result.weak else 1.0
    covered = missed_q + extra * missed_r
    score = penalty * (1.0 - covered / max(q_weight + extra * r_weight, 1e-9))
    return _Assigned(score, chosen, sims, missed_q, missed_r, _exact(query, result, chosen))


def _spaced(
    query: PreparedName,
    result: PreparedName,
    chosen: list[tuple[int, int]],
    sims: list[float],
    missed: tuple[float, float],
    extra: float,
) -> tuple[float, float]:
    """Missed weights after two neighbouring words of one name are read as one word of the
    other ("Patr ushev" and Patrushev, "Mohammad Hasni" and Mohammadhasni), where that
    covers more: a space added or lost, which the whole-name glue (``GLUED_FLOOR``) does not
    see when other words differ. The glued word replaces the pairs of its two words and of
    the word it is read as."""
    width = len(result.tokens)
    q_strong = r_strong = 0  # bit sets of the tokens paired as alike as GLUED_FLOOR asks
    for i, j in chosen:
        if sims[i * width + j] >= GLUED_FLOOR:
            q_strong |= 1 << i
            r_strong |= 1 << j
    found = reverse = []
    if q_strong != (1 << len(query.tokens)) - 1 and result.longest + 2 >= query.shortest_glued:
        found = _glued_words(query, result, q_strong)
    if r_strong != (1 << width) - 1 and query.longest + 2 >= result.shortest_glued:
        reverse = _glued_words(result, query, r_strong)
    if not (found or reverse):
        return missed
    partner_r = dict.fromkeys(range(width), -1)
    partner_q = dict.fromkeys(range(len(query.tokens)), -1)
    for i, j in chosen:
        partner_q[i], partner_r[j] = j, i
    best = (missed[0] + extra * missed[1], *missed)
    glued = [(i, i + 1, j, -1, sim) for i, j, sim in found]
    glued += [(i, -1, j, j + 1, sim) for j, i, sim in reverse]
    for q_a, q_b, r_a, r_b, sim in glued:
        dropped = {(i, partner_q[i]) for i in (q_a, q_b) if i >= 0 and partner_q[i] >= 0}
        dropped |= {(partner_r[j], j) for j in (r_a, r_b) if j >= 0 and partner_r[j] >= 0}
        missed_q, missed_r = missed
        for i, j in dropped:
            cover = _covers(query, result, i, j)
            missed_q += cover[0] * sims[i * width + j]
            missed_r += cover[1] * sims[i * width + j]
        q_weights, r_weights = query.weights, result.weights
        missed_q -= sim * sum(q_weights[i] for i in (q_a, q_b) if i >= 0)
        missed_r -= sim * sum(r_weights[j] for j in (r_a, r_b) if j >= 0)
        missed_q, missed_r = max(missed_q, 0.0), max(missed_r, 0.0)
        if missed_q + extra * missed_r < best[0]:
            best = (missed_q + extra * missed_r, missed_q, missed_r)
    return best[1], best[2]


def _glued_words(
    span: PreparedName, target: PreparedName, strong: int
) -> list[tuple[int, int, float]]:
    """Each pair of neighbouring words of ``span`` (words, not initials), one of them not
    in ``strong`` (the bit set of those already paired well), that glued is as alike a word
    of ``target`` as ``GLUED_FLOOR`` asks: the first word's place, the target word's and
    their similarity. Only target words of the same first letter and of a length within two
    are compared, so most names cost a string search."""
    texts, initials, starts = span.texts, span.initials, target.starts
    found: list[tuple[int, int, float]] = []
    for a in range(len(texts) - 1):
        if (strong >> a) & 3 == 3:
            continue
        first, second = texts[a], texts[a + 1]
        if len(first) < 2 or len(second) < 2 or initials[a] or initials[a + 1]:
            continue
        t = starts.find(first[0])
        glued = ""
        while t >= 0:
            word = target.texts[t]
            if abs(len(word) - len(first) - len(second)) <= 2:
                glued = glued or first + second
                sim = Levenshtein.normalized_similarity(glued, word)
                if sim >= GLUED_FLOOR:
                    found.append((a, t, sim))
            t = starts.find(first[0], t + 1)
    return found


def _covers(query: PreparedName, result: PreparedName, i: int, j: int) -> tuple[float, float]:
    """What the pair of query token ``i`` and listed token ``j`` covers of each at full
    similarity (``_assign``: an initial stands for a name and says no more)."""
    q_cover, r_cover = query.weights[i], result.weights[j]
    if query.initials[i] or result.initials[j]:
        return min(q_cover, r_cover), min(q_cover, r_cover)
    return q_cover, r_cover


def similarities(query: PreparedName, result: PreparedName) -> list[float]:
    """Token similarities, row by query token; names of plain tokens take the fast path,
    their edit similarities cached since the same names (Mohammed, Ali) recur endlessly."""
    if len(_EDITED) > EDITED_MAX:
        _EDITED.clear()
    if not (query.plain and result.plain):
        if query.worded and result.worded:
            return _spelt_similarities(query, result)
        return [token_similarity(a, b) for a in query.tokens for b in result.tokens]
    sims: list[float] = []
    append, cached = sims.append, _EDITED.get
    row = list(zip(result.texts, result.keys, strict=True))
    for a, key_a in zip(query.texts, query.keys, strict=True):
        for b, key_b in row:
            if a == b:
                append(1.0)
                continue
            same_key = key_a == key_b
            sim = cached((a, b, same_key))
            if sim is None:
                sim = _EDITED[a, b, same_key] = _plain_similarity(a, b, same_key)
            append(sim)
    if query.has_particles or result.has_particles:
        _unpair_particles(sims, query, result)
    return sims


def _spelt_similarities(query: PreparedName, result: PreparedName) -> list[float]:
    """``similarities`` of names of words, some of several spellings: each token pair is
    worth its best pair of spellings (``token_similarity``), every spelling pair's edit
    similarity cached as the plain path caches it."""
    sims: list[float] = []
    append, cached = sims.append, _EDITED.get
    r_spellings = [token.spellings for token in result.tokens]
    for token in query.tokens:
        for spellings in r_spellings:
            best = 0.0
            for a, key_a in token.spellings:
                for b, key_b in spellings:
                    if a == b:
                        best = 1.0
                        break
                    same_key = key_a == key_b
                    sim = cached((a, b, same_key))
                    if sim is None:
                        sim = _EDITED[a, b, same_key] = _plain_similarity(a, b, same_key)
                    best = max(best, sim)
                if best == 1.0:
                    break
            append(best)
    if query.has_particles or result.has_particles:
        _unpair_particles(sims, query, result)
    return sims


def _unpair_particles(sims: list[float], query: PreparedName, result: PreparedName) -> None:
    """A particle pairs only with itself or another particle: "al" is no part of "Asal",
    "Abu" none of "Qanu" (``token_similarity`` says the same of other names)."""
    width = len(result.particles)
    q_particles, r_particles = query.particles, result.particles
    for cell, sim in enumerate(sims):
        if sim > 0.0:  # most cells are 0 already: only a pair that would align is looked at
            i, j = divmod(cell, width)
            if q_particles[i] != r_particles[j] and query.texts[i] != result.texts[j]:
                sims[cell] = 0.0


def _plain_similarity(a: str, b: str, same_key: bool) -> float:
    """``token_similarity`` of two different one-spelling tokens that are no initials."""
    sim = OSA.normalized_similarity(a, b)
    if same_key:
        short = min(len(a), len(b)) <= SHORT_TOKEN
        value = 0.5 + 0.5 * sim if short else KEY_MATCH + (1.0 - KEY_MATCH) * sim
    else:
        value = 0.0 if max(len(a), len(b)) <= SHORT_FUZZY else fuzzy(sim)
    return 0.0 if value and fathers_name(a, b) else value  # asked only when it matters


EDITED_MAX = 1 << 16  # token pairs kept; the cache starts over when it holds more
_EDITED: dict[tuple[str, str, bool], float] = {}
"""By the two spellings and whether their keys agree, which the spellings alone do not say:
a Mandarin syllable's key (``chinese.sound_key``) is not the one a word of that spelling has
(Xi and Si are alike as syllables, apart as words)."""


def _greedy(
    sims: list[float], q_weights: tuple[float, ...], r_weights: tuple[float, ...]
) -> list[tuple[int, int]]:
    """Pairs by falling value, each token used once (ties: the earlier pair first)."""
    ranked = [
        (sim * (q_weights[i] + r_weights[j]), i, j)
        for (i, j), sim in zip(_cells(len(q_weights), len(r_weights)), sims, strict=True)
        if sim > 0.0
    ]
    ranked.sort(key=_value, reverse=True)  # stable: equal values keep their order
    used_q: set[int] = set()
    used_r: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for _, i, j in ranked:
        if i not in used_q and j not in used_r:
            used_q.add(i)
            used_r.add(j)
            chosen.append((i, j))
    return chosen


_value = itemgetter(0)


@lru_cache(maxsize=256)
def _cells(rows: int, columns: int) -> tuple[tuple[int, int], ...]:
    """The (row, column) of each cell of a flat ``rows`` x ``columns`` table, in order."""
    return tuple((i, j) for i in range(rows) for j in range(columns))


def _improve(
    chosen: list[tuple[int, int]],
    sims: list[float],
    q_weights: tuple[float, ...],
    r_weights: tuple[float, ...],
) -> list[tuple[int, int]]:
    """Swap partners of two pairs while that raises the total (greedy's usual misstep);
    a pair's value is its similarity times the weight of both tokens."""
    width = len(r_weights)
    for x in range(len(chosen)):
        for y in range(x + 1, len(chosen)):
            (i, j), (k, m) = chosen[x], chosen[y]
            wi, wk, wj, wm = q_weights[i], q_weights[k], r_weights[j], r_weights[m]
            swapped = sims[i * width + m] * (wi + wm) + sims[k * width + j] * (wk + wj)
            if swapped > sims[i * width + j] * (wi + wj) + sims[k * width + m] * (wk + wm):
                chosen[x], chosen[y] = (i, m), (k, j)
    return [(i, j) for i, j in chosen if sims[i * width + j] > 0.0]


def _alignment(
    query: PreparedName, result: PreparedName, assigned: _Assigned, substituted: float
) -> Alignment:
    width = len(result.tokens)
    sims = assigned.sims
    pairs = tuple([Pair(i, j, sims[i * width + j]) for i, j in assigned.chosen])
    return Alignment(
        query=query,
        result=result,
        pairs=pairs,
        score=assigned.score,
        query_missed=assigned.query_missed,
        result_missed=assigned.result_missed,
        exact=assigned.exact,
        substituted=substituted,
    )


def best_alignment(
    query: PreparedSubject, result: PreparedSubject, ceilings: Sequence[float] | None = None
) -> Alignment | None:
    """The alignment over all name pairs that the name features value most (similarity,
    substitution and exactness, by their weights in the scorer): a full name that
    substitutes a token loses to a shorter alias without one. Memoised for the last pair
    compared, since every name feature of one comparison reads it. ``ceilings``, the bound
    kernel's bounds of each name pair (``bounds.Bounds``), spare aligning the pairs that
    cannot be the best (``_most_valued``)."""
    last = _LAST.get("pair")
    if last is not None and last[0] is query and last[1] is result:
        return last[2]
    if len(query.names) == 1 and len(result.names) == 1:  # nothing to choose between
        q_name, r_name = query.names[0], result.names[0]
        assigned = _assign(q_name, r_name)
        substituted = min(assigned.query_missed, assigned.result_missed)
        alignment: Alignment | None = _alignment(q_name, r_name, assigned, substituted)
    else:
        alignment = _most_valued(query, result, ceilings)
    _LAST["pair"] = (query, result, alignment)
    return alignment


def _most_valued(
    query: PreparedSubject, result: PreparedSubject, ceilings: Sequence[float] | None
) -> Alignment | None:
    """The alignment of the name pair worth most to the name features (``_name_value``),
    of the names that align differently (``PreparedSubject.distinct_names``), the earlier
    pair on a tie. With ``ceilings`` the pairs are aligned by falling bound, until no bound
    reaches the best value found: a listing of many aliases has one or two worth aligning
    (a fifth of the pairs of the service's candidates)."""
    person = common_name_applies(query.schema, result.schema)
    pairs = _name_pairs(query, result, ceilings, person)
    substituted = _Substituted(result)
    if len(pairs) == 1:  # a name and an acronym it lacks: nothing to choose between
        _, _, q_name, r_name = pairs[0]
        assigned = _assign(q_name, r_name)
        return _alignment(q_name, r_name, assigned, substituted(q_name, assigned))
    if ceilings is not None:
        pairs.sort(key=_falling_bound)
    best: tuple[PreparedName, PreparedName, _Assigned, float] | None = None
    best_value, best_order = -math.inf, 0
    for bound, order, q_name, r_name in pairs:
        if bound < best_value:
            break
        candidate = _assign(q_name, r_name)
        # A pair that shares no word says nothing of identity, however little it costs (a
        # short weak alias, "John", against any name): any pair that aligns comes first.
        value, missed = -math.inf, 0.0
        if candidate.chosen:
            missed = substituted(q_name, candidate)
            value = _name_value(q_name, candidate, person, missed)
        if best is None or value > best_value or (value == best_value and order < best_order):
            best, best_value, best_order = (q_name, r_name, candidate, missed), value, order
    return None if best is None else _alignment(*best)


SUBSTITUTED_WORD = 0.1
"""Weight missed on both sides below which no word can be missing whole (the rarity weight
of the commonest words is about 0.2), only spellings' shortfalls: ``_Substituted`` leaves it."""


class _Substituted:
    """The weight a name pair misses on both sides, a query name's words found in any name
    of the listed subject counting as found: the names of one person hold different parts
    of it (Rukan Sulayman al-Majid takes Sulayman from one listed name and al-Majid from
    another), and a word of the person's is no sign of another person. Each query word is
    credited with its best similarity to a listed word of the same key (the bound kernel
    credits each with its best over every listed word, which is never less)."""

    def __init__(self, result: PreparedSubject) -> None:
        self.result = result
        # Made when first needed: most comparisons substitute nothing.
        self.texts: set[str] | None = None
        self.by_key: dict[str, list[Token]] | None = None
        self.found: dict[int, float] | None = None  # by query name (``id``): missed weight

    def __call__(self, query: PreparedName, assigned: _Assigned) -> float:
        missed = min(assigned.query_missed, assigned.result_missed)
        if missed < SUBSTITUTED_WORD or len(self.result.names) == 1:
            return missed  # no word missed whole on both sides, or no other listed name
        if self.found is None:
            self.found = {}
        found = self.found.get(id(query))
        if found is None:
            found = self.found[id(query)] = self._missed(query)
        return min(missed, found)

    def _missed(self, query: PreparedName) -> float:
        texts = self.texts
        if texts is None:  # the listed words as written, then by key if one is not there
            texts = self.texts = {text for name in self.result.names for text in name.texts}
        missed = 0.0
        for token, text, weight in zip(query.tokens, query.texts, query.weights, strict=True):
            if text not in texts:
                missed += weight * (1.0 - self._best(token))
        return missed

    def _best(self, token: Token) -> float:
        """The query word's best similarity to a listed word of one of its keys."""
        by_key = self.by_key
        if by_key is None:
            by_key = self.by_key = {}
            for name in self.result.names:
                for other in name.tokens:
                    for _, k in other.spellings:
                        by_key.setdefault(k, []).append(other)
        best = 0.0
        for _, k in token.spellings:
            for other in by_key.get(k, ()):
                best = max(best, token_similarity(token, other))
        return best


NamePair = tuple[float, int, PreparedName, PreparedName]
"""A name pair's bound of its value (+inf without ceilings), its order, and the names."""


def _name_pairs(
    query: PreparedSubject,
    result: PreparedSubject,
    ceilings: Sequence[float] | None,
    person: bool,
) -> list[NamePair]:
    """The name pairs that may align (``_may_pair``), in order, with the bound of each
    value: the kernel's ``ceilings`` (listed name by query name, of every name) plus the
    exact-name part (``_name_value``, ``person`` as there) where both names have the same
    words; +inf without ceilings."""
    pairs: list[NamePair] = []
    width = len(query.names)
    order = 0
    for q_at, q_name in zip(query.distinct_at, query.distinct_names, strict=True):
        for r_at, r_name in zip(result.distinct_at, result.distinct_names, strict=True):
            order += 1
            if not _may_pair(q_name, r_name):
                continue
            bound = math.inf
            if ceilings is not None:
                bound = ceilings[r_at * width + q_at]
                if q_name.sorted_texts == r_name.sorted_texts and not (q_name.weak or r_name.weak):
                    bound += W_NAME_EXACT * (_rare_share(q_name.total_weight) if person else 1.0)
            pairs.append((bound, order, q_name, r_name))
    return pairs


def _falling_bound(pair: NamePair) -> tuple[float, int]:
    return -pair[0], pair[1]


_LAST: dict[str, tuple[PreparedSubject, PreparedSubject, Alignment | None]] = {}


def _may_pair(query: PreparedName, result: PreparedName) -> bool:
    """Whether two names can align at all: an acronym ("PLA") only with a written name that
    holds it, never with the other side's acronym (two names of the same initials are not
    one); every other pair can (aligning an acronym with every name of the other side cost
    a tenth of the scorer's time)."""
    if query.acronym:
        return not result.acronym and query.texts[0] in result.texts
    return not result.acronym or result.texts[0] in query.texts


def _name_value(
    query: PreparedName, assigned: _Assigned, person: bool, substituted: float
) -> float:
    """What the name features will add to the logit for this name pair (``person``: the
    rarity weights apply, ``common_name_applies``; ``substituted`` by ``_Substituted``)."""
    value = W_NAME_SIMILARITY * assigned.score + W_NAME_SUBSTITUTION * substituted
    if assigned.exact:
        value += W_NAME_EXACT * (_rare_share(query.total_weight) if person else 1.0)
    return value


def _rare_share(weight: float) -> float:
    """How much of the rarity weight a person's name needs to stand on its own
    (``COMMON_MASS``) a matched ``weight`` has, at most all of it."""
    return min(1.0, weight / COMMON_MASS)


def _exact(query: PreparedName, result: PreparedName, chosen: list[tuple[int, int]]) -> bool:
    """Every token of both (strong) names paired with an equal one."""
    q_texts, r_texts = query.texts, result.texts
    return (
        not (query.weak or result.weak)
        and len(chosen) == len(q_texts) == len(r_texts)
        and all(q_texts[i] == r_texts[j] for i, j in chosen)
    )


Detail = str | Callable[[], str] | None
"""What a reviewer reads of a feature: text, or a function that writes it when it is read
(screening compares thousands of pairs for every explanation anyone reads)."""


FtResult = tuple[float, Detail]
"""A feature's value (0 when it says nothing) and its detail: a plain tuple, since every
comparison builds one per feature."""
_NOTHING: FtResult = (0.0, None)


def name_similarity(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Rarity-weighted similarity of the best-aligned name pair, covering both names."""
    best = best_alignment(query, result)
    if best is None:
        return (0.0, "no names to compare")
    return (best.score, lambda: f"{best.query.name!r} ~ {best.result.name!r}")


def name_substitution(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Weight missed on BOTH sides (a token replaced by another, Castro for Castillo): the
    strongest sign of a different person or company. A query word that another of the
    listed names holds is the person's own, not a replacement (``_Substituted``)."""
    best = best_alignment(query, result)
    if best is None:
        return _NOTHING
    missed = best.substituted
    return (missed, (lambda: f"substituted weight {missed:.2f}") if missed else None)


def name_exact(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Every token of both names is the same, in any order; for persons, worth as much as
    the name is rare (an exact "Mohammed Ali" is still thousands of people)."""
    best = best_alignment(query, result)
    if best is None or not best.exact:
        return _NOTHING
    if not common_name_applies(query.schema, result.schema):
        return (1.0, "all tokens equal")
    share = _rare_share(best.query.total_weight)
    return (share, lambda: f"all tokens equal, a name {share:.0%} as rare as one that stands alone")


def name_lineage(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Aligned names stand in the other order around "bin", "ibn" or "ould" (Ahmad bin
    Hasan, Hasan bin Ahmad): a father and his son, two people, however alike the tokens.
    Only the names of the chain count (``PreparedName.generations``): not a particle (the
    "al" of Nour al-Din may pair with the "al" of al-Drissi), nor a family name before or
    after the chain. Likewise a given name and a family name that swap places where both
    sources say which is which (FtM ``firstName`` and ``lastName``: Friedrich Hans is not
    Hans Friedrich)."""
    best = best_alignment(query, result)
    if best is None:
        return _NOTHING
    if best.query.parts is not None and best.result.parts is not None:
        swapped = _swapped(best, best.query.parts, best.result.parts)
        if swapped is not None:
            given, family = swapped
            return (-1.0, lambda: f"given and family names swapped: {given} and {family}")
    if best.query.generations is None or best.result.generations is None:
        return _NOTHING
    q_generations, r_generations = best.query.generations, best.result.generations
    places = [
        (q_generations[p.query], r_generations[p.result], p.query)
        for p in best.pairs
        if q_generations[p.query] >= 0 <= r_generations[p.result]
    ]
    crossed = next(
        ((a, b) for q_a, r_a, a in places for q_b, r_b, b in places if q_a < q_b and r_a > r_b),
        None,
    )
    if crossed is None:
        return _NOTHING
    first, second = (best.query.tokens[i].text for i in crossed)
    return (-1.0, lambda: f"lineage reversed: {first} bin {second} against {second} bin {first}")


def _swapped(
    best: Alignment, q_parts: tuple[int, ...], r_parts: tuple[int, ...]
) -> tuple[str, str] | None:
    """The query's given and family name tokens that align with the listed family and
    given name tokens, when both do."""
    crossing = {(q_parts[p.query], r_parts[p.result]): p.query for p in best.pairs}
    given, family = crossing.get((GIVEN, FAMILY)), crossing.get((FAMILY, GIVEN))
    if given is None or family is None:
        return None
    return best.query.tokens[given].text, best.query.tokens[family].text


def name_numbers(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """The aligned names hold different numbers ("Victory" and "Victory 3", "Fund" and "Fund
    I"): numbered companies, funds and units are different entities, however alike the words.
    "Brigade Forty-Four" and "Brigade 44" hold the same. (Not run for listed persons:
    numbers are read in organisations' names only.)"""
    best = best_alignment(query, result)
    if best is None or best.query.numbers == best.result.numbers:
        return _NOTHING
    q, r = best.query.numbers, best.result.numbers
    return (-1.0, lambda: f"numbers differ: {_listed(q)} vs {_listed(r)}")


def legal_form(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Both names give a legal form and they differ (a joint-stock company and a limited
    company of one name are two companies); the same form in two languages (Kft., Korlátolt
    Felelősségű Társaság) is the same. (Not run for listed persons.)"""
    best = best_alignment(query, result)
    if best is None:
        return _NOTHING
    q, r = best.query.legal_forms, best.result.legal_forms
    if not q or not r or q & r:
        return _NOTHING
    return (-1.0, lambda: f"legal forms differ: {_listed(q)} vs {_listed(r)}")


def name_extra_word(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """The aligned organisation names differ by a word that says which firm it is: the
    query's own ("CRYSTALORD SYSTEMS" against "CRYSTALORD", "Deutsche Bank Trust Company"
    against "Deutsche Bank": another firm of the group, or another firm), or the listed
    name's when the query matched only words of a trade ("Management Company" against
    "Westminister Management Company"). A listed name's extra words against a query that
    names the firm are its full name ("Rosneft" is a lead on "Rosneft Oil Company", "VTB" on
    "VTB Bank"). Not a legal form or a filler (they weigh little), nor a place ("Deutsche
    Bank (Schweiz)", "Faberlic Europe": a branch is the group), nor a word read as two or as
    an abbreviation of the other's. (Not run for listed persons: their names leave out given
    names and patronymics.)"""
    best = best_alignment(query, result)
    if best is None:
        return _NOTHING
    extra = _extra_words(best.query, {p.query for p in best.pairs}, best.query_missed)
    if not _names_the_firm(best):
        extra += _extra_words(best.result, {p.result for p in best.pairs}, best.result_missed)
    if not extra:
        return _NOTHING
    words = ", ".join(extra)
    return (-1.0, lambda: f"a word on one side only: {words}")


def _names_the_firm(best: Alignment) -> bool:
    """Whether a query word that says which firm it is found its match: not a filler or
    legal form, an initial, or a word of a trade (``PreparedName.trade_words``)."""
    name = best.query
    return any(
        name.weights[p.query] > MINOR
        and not name.initials[p.query]
        and name.texts[p.query] not in name.trade_words
        for p in best.pairs
    )


def _extra_words(name: PreparedName, paired: set[int], missed: float) -> list[str]:
    """The unpaired words of ``name`` when the weight it leaves unmatched, places aside,
    reaches ``EXTRA_WORD`` (a word the alignment reads as glued with another is paired in
    weight though not in ``pairs``: the missed weight says so)."""
    unpaired = [i for i in range(len(name.tokens)) if i not in paired]
    places = sum(name.weights[i] for i in unpaired if name.texts[i] in name.places)
    if missed - places < EXTRA_WORD:
        return []
    return [name.texts[i] for i in unpaired if name.texts[i] not in name.places]


def _listed(values: frozenset[str]) -> str:
    return ", ".join(sorted(values)) or "none"


def common_name_applies(query_schema: str, result_schema: str) -> bool:
    """Whether a listed person is compared with someone who may be a person: the rarity
    weights are those of person names (a payment's creditor may be of unknown kind)."""
    return result_schema == PERSON and query_schema in (PERSON, "LegalEntity")


def commonness_query(query: PreparedSubject) -> bool:
    """Whether a common name says little about who the query is: one that gives a birth date
    which did not confirm the name, or a party of unknown kind (a name in a text, a payment's
    creditor), whose name must stand on its own. Not a person given by name alone (an
    analyst's search, a name-only record): nothing could confirm the name, and every listed
    person of that name is a lead (a weight of its own was fitted to 0.007 on the dev data)."""
    return query.schema == "LegalEntity" or (query.schema == PERSON and bool(query.birth_dates))


def name_commonness(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """The aligned tokens are common ones (Mohammed Ali): on its own such a name says little
    about who someone is, until a birth date or a document number confirms it. Persons only:
    the rarity weights are those of person names, which say nothing of company names."""
    if not commonness_query(query):
        return _NOTHING
    return _commonness(query, result)


def _commonness(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    best = best_alignment(query, result)
    if best is None:
        return _NOTHING
    matched = _canonical_mass(best)
    share = _rare_share(matched)
    if share >= 1.0 - 1e-9:  # sums in another order differ in the last bits
        return _NOTHING
    return (
        share - 1.0,
        lambda: (
            f"common name: matched tokens weigh {matched:.2f} of the {COMMON_MASS} a name needs"
        ),
    )


def _canonical_mass(best: Alignment) -> float:
    """The query's matched rarity weight, each aligned token weighing no more than its
    listed counterpart: a misspelling's key is rarer than the name's ("Wladimir"), and
    must not make the match look rarer than the right spelling would."""
    q_weights, r_weights = best.query.weights, best.result.weights
    excess = sum(
        max(0.0, q_weights[p.query] - r_weights[p.result]) * p.similarity for p in best.pairs
    )
    return best.query.total_weight - best.query_missed - excess


def birth_date(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Birth dates agree (day best, year mild, circa for year-only listings) or clearly
    disagree (years more than two apart); the best pair of dates counts. Agreement only
    confirms a name match, so it counts in proportion to the name similarity: two strangers
    born the same day are still strangers."""
    best = best_dates(query, result)
    if best is None:
        return _NOTHING
    value, q, r = best
    if value <= 0:
        verdict = "mismatch" if value else "neither for nor against"
        return (value, lambda: f"birth date {_iso(q)} vs {_iso(r)}: {verdict}")
    names = best_alignment(query, result)
    similarity = names.score if names is not None else 0.0
    return (
        value * similarity,
        lambda: (
            f"birth date {_iso(q)} vs {_iso(r)}: match, weighed by name similarity {similarity:.2f}"
        ),
    )


def best_dates(
    query: PreparedSubject, result: PreparedSubject
) -> tuple[float, tuple[int, ...], tuple[int, ...]] | None:
    """The strongest evidence over all pairs of birth dates, with the pair; None when a
    side has none."""
    if not query.birth_dates or not result.birth_dates:
        return None
    years = len({r[0] for r in result.birth_dates})
    return max(
        (_date_evidence(q, r, years), q, r) for q in query.birth_dates for r in result.birth_dates
    )


def _date_evidence(q: tuple[int, ...], r: tuple[int, ...], years: int = 1) -> float:
    """How much two dates agree; a bare year shared with a listing that gives ``years``
    birth years (a range "1965 to 1969", several guesses) says that much less: a random
    traveller shares one of five years five times as often."""
    gap = abs(q[0] - r[0])
    if gap > FAR_YEARS:
        return DOB_FAR
    if gap == FAR_YEARS:
        return DOB_APART
    if gap:
        year_only = len(q) == 1 or len(r) == 1
        return DOB_CIRCA if year_only and gap <= CIRCA_YEARS else DOB_NEAR
    shared = min(len(q), len(r))
    if q[:shared] != r[:shared]:
        return DOB_NEAR
    return {1: DOB_YEAR / years, 2: DOB_MONTH, 3: DOB_DAY}[shared]


def _iso(date: tuple[int, ...]) -> str:
    return "-".join([f"{date[0]:04d}", *(f"{part:02d}" for part in date[1:])])


def country(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Countries overlap (small boost) or the query's are all missing from the listing's
    (small penalty)."""
    if not query.countries or not result.countries:
        return _NOTHING
    shared = query.countries & result.countries
    if shared:
        return (1.0, lambda: f"country match: {', '.join(sorted(shared))}")
    q, r = query.countries, result.countries
    return (-1.0, lambda: f"country mismatch: {', '.join(sorted(q))} vs {', '.join(sorted(r))}")


def gender(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """Both genders known and different."""
    if query.gender and result.gender and query.gender != result.gender:
        return (-1.0, lambda: f"gender mismatch: {query.gender} vs {result.gender}")
    return _NOTHING


def identifier(query: PreparedSubject, result: PreparedSubject) -> FtResult:
    """A document or registry number, normalised, is the same on both: near-decisive. The
    detail says which kind of number ("same passport number: A1234567")."""
    if query.identifiers & result.identifiers:
        return (1.0, lambda: shared_identifiers(query, result))
    return _NOTHING


@lru_cache(maxsize=1024)
def schemas_compatible(a: str, b: str) -> bool:
    """Whether one schema extends the other (Company and Organization: yes; Person and
    Organization: no), so that both could describe one entity."""
    if not schemata.known(a) or not schemata.known(b):
        return a == b
    return schemata.is_a(a, b) or schemata.is_a(b, a)
