"""Upper bounds of name alignment scores, for a batch of candidates at once.

Screening scores some twenty candidates per query, and most cannot reach the threshold: an
innocent traveller shares a token or two with each. Aligning every name pair of every
candidate (``features._assign``) costs far more than proving that it need not be done. The
bound credits each token with its best similarity to any token on the other side, which a
one-to-one pairing can only lower, so ``bound >= alignment score`` always holds (the test
suite checks it on every pair of the name bench and the UN list).

The token similarities of all candidates come from one ``rapidfuzz.process.cdist`` call
over the distinct spellings of their names (each listing ``Packed`` once, when it is
prepared) and are reduced per token, name and candidate with numpy. The formula is the one
of ``features.token_similarity`` on arrays.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.weights import (
    COMMON_MASS,
    W_BIRTH_DATE,
    W_COMMONNESS,
    W_NAME_SIMILARITY,
    W_NAME_SUBSTITUTION,
)

if TYPE_CHECKING:
    from watchkeeper.matching.prepared import PreparedName, Token

# The constants of ``features.token_similarity`` and ``features._assign``, which import them.
KEY_MATCH = 0.9  # tokens with one phonetic key, spelt differently: Mohamed ~ Mohammed
SHORT_TOKEN = 4  # tokens this short share keys by chance (Gale ~ Gul): the key counts for less
INITIAL_MATCH = 0.8  # an initial against a token starting with that letter
FUZZY_FLOOR = 0.4  # edit similarity below this is no match at all
GLUED_FLOOR = 0.85  # names this alike with spaces removed are one name spaced differently
WEAK_PENALTY = 0.85  # a weak alias ("Abu Ali") is worth less than a full name
SLACK = 1e-9  # sums taken in another order differ in the last bits

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_KEY_IDS: dict[str, int] = {}  # phonetic keys as integers, so that keys compare as arrays


def _key_id(key: str) -> int:
    return _KEY_IDS.setdefault(key, len(_KEY_IDS))


@dataclass(frozen=True, slots=True)
class Spellings:
    """The spellings of some tokens, flat, with per-spelling facts as arrays."""

    texts: tuple[str, ...]
    keys: Ints
    lengths: Ints
    firsts: Ints  # first letter's code point, for initials
    initial: Bools  # the spelling's token is an initial
    starts: Ints  # where each token's spellings begin in ``texts``
    weights: Floats  # per token

    @classmethod
    def of(cls, tokens: Sequence["Token"]) -> "Spellings":
        """Flatten ``tokens``' spellings (every token has at least one)."""
        texts: list[str] = []
        keys: list[int] = []
        initial: list[bool] = []
        starts: list[int] = []
        for token in tokens:
            starts.append(len(texts))
            for text, key in token.spellings:
                texts.append(text)
                keys.append(_key_id(key))
                initial.append(token.role is Role.INITIAL)
        return cls(
            texts=tuple(texts),
            keys=np.array(keys, dtype=np.int64),
            lengths=np.array([len(t) for t in texts], dtype=np.int64),
            firsts=np.array([ord(t[0]) if t else 0 for t in texts], dtype=np.int64),
            initial=np.array(initial, dtype=np.bool_),
            starts=np.array(starts, dtype=np.int64),
            weights=np.array([t.weight for t in tokens], dtype=np.float64),
        )


@dataclass(frozen=True, slots=True)
class Packed:
    """A listed subject's names as arrays: its distinct tokens once (a listing repeats its
    tokens across aliases), and each name as positions into them."""

    vocabulary: Spellings
    positions: Ints  # each name's token positions in the vocabulary, names one after another
    starts: Ints  # where each name begins in ``positions``
    counts: Ints  # tokens per name
    totals: Floats  # total token weight per name
    weak: Bools
    joined: tuple[str, ...]
    exact_keys: frozenset[tuple[str, ...]]  # sorted token texts of the strong names

    @classmethod
    def of(cls, names: Sequence["PreparedName"]) -> "Packed":
        """Pack these names (each with at least one token)."""
        distinct: dict[Token, int] = {}
        positions = [distinct.setdefault(t, len(distinct)) for n in names for t in n.tokens]
        counts = np.array([len(n.tokens) for n in names], dtype=np.int64)
        return cls(
            vocabulary=Spellings.of(list(distinct)),
            positions=np.array(positions, dtype=np.int64),
            starts=np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64),
            counts=counts,
            totals=np.array([n.total_weight for n in names], dtype=np.float64),
            weak=np.array([n.weak for n in names], dtype=np.bool_),
            joined=tuple(n.joined for n in names),
            exact_keys=frozenset(n.sorted_texts for n in names if not n.weak),
        )


class NameBound(NamedTuple):
    """A candidate's bounds: of its best name alignment score, of what the name-dependent
    features add to the logit (similarity, substitution, common names, a birth date's
    evidence weighed by similarity), and whether a strong name pair has the same tokens."""

    similarity: float
    logit: float
    exact: bool


NO_NAMES = NameBound(0.0, 0.0, False)
"""Without names every name feature is 0, and a birth date counts only against."""


def name_bounds(
    query: Sequence["PreparedName"],
    packs: Sequence[Packed],
    persons: Sequence[bool],
    evidence: Sequence[float],
) -> list[NameBound]:
    """Bounds for each candidate (``packs``); ``persons`` says which candidates are persons
    compared with a person (the common-name penalty applies), ``evidence`` is each one's
    birth-date evidence (``features.best_dates``, 0 when unknown)."""
    live = [i for i, p in enumerate(packs) if len(p.counts)]
    out = [NO_NAMES] * len(packs)
    if not live or not query:
        return out
    joined = _join([packs[i] for i in live])
    names_per = np.array([len(packs[i].counts) for i in live])
    person = np.repeat(np.array([persons[i] for i in live], dtype=np.bool_), names_per)
    dates = np.repeat(np.array([evidence[i] for i in live], dtype=np.float64), names_per)
    best = np.zeros(len(live))
    logit = np.full(len(live), -np.inf)
    for name in query:
        found = _bound_one(name, Spellings.of(name.tokens), joined, person, dates)
        best, logit = np.maximum(best, found[0]), np.maximum(logit, found[1])
    for slot, i in enumerate(live):
        exact = any(not n.weak and n.sorted_texts in packs[i].exact_keys for n in query)
        value = float(best[slot])
        out[i] = NameBound(value + SLACK if value > 0 else 0.0, float(logit[slot]) + SLACK, exact)
    return out


@dataclass(frozen=True, slots=True)
class _Joined:
    """Several candidates' ``Packed`` arrays end to end, positions shifted to match."""

    vocabulary: Spellings
    positions: Ints
    starts: Ints
    counts: Ints
    totals: Floats
    weak: Bools
    joined: tuple[str, ...]
    firsts: Ints  # where each candidate's names begin


def _join(packs: Sequence[Packed]) -> _Joined:
    vocabs = [p.vocabulary for p in packs]
    spelling_shift = np.cumsum([0] + [len(v.texts) for v in vocabs[:-1]])
    token_counts = [len(v.starts) for v in vocabs]
    token_shift = np.cumsum([0, *token_counts[:-1]])
    position_counts = [len(p.positions) for p in packs]
    position_shift = np.cumsum([0, *position_counts[:-1]])
    name_counts = [len(p.counts) for p in packs]
    vocabulary = Spellings(
        texts=tuple(chain.from_iterable(v.texts for v in vocabs)),
        keys=np.concatenate([v.keys for v in vocabs]),
        lengths=np.concatenate([v.lengths for v in vocabs]),
        firsts=np.concatenate([v.firsts for v in vocabs]),
        initial=np.concatenate([v.initial for v in vocabs]),
        starts=np.concatenate([v.starts for v in vocabs]) + np.repeat(spelling_shift, token_counts),
        weights=np.concatenate([v.weights for v in vocabs]),
    )
    return _Joined(
        vocabulary=vocabulary,
        positions=np.concatenate([p.positions for p in packs])
        + np.repeat(token_shift, position_counts),
        starts=np.concatenate([p.starts for p in packs]) + np.repeat(position_shift, name_counts),
        counts=np.concatenate([p.counts for p in packs]),
        totals=np.concatenate([p.totals for p in packs]),
        weak=np.concatenate([p.weak for p in packs]),
        joined=tuple(chain.from_iterable(p.joined for p in packs)),
        firsts=np.cumsum([0, *name_counts[:-1]]).astype(np.int64),
    )


def _bound_one(
    name: "PreparedName", query: Spellings, listed: _Joined, person: Bools, dates: Floats
) -> tuple[Floats, Floats]:
    """Each candidate's bounds for one query name (``NameBound``'s first two); ``person``
    and ``dates`` are given per listed name."""
    vocab = listed.vocabulary
    edit = cdist(
        query.texts, vocab.texts, scorer=Levenshtein.normalized_similarity, dtype=np.float64
    )
    same_key = query.keys[:, None] == vocab.keys[None, :]
    short = np.minimum(query.lengths[:, None], vocab.lengths[None, :]) <= SHORT_TOKEN
    keyed = np.where(short, 0.5 + 0.5 * edit, KEY_MATCH + (1.0 - KEY_MATCH) * edit)
    sims = np.where(same_key, keyed, np.where(edit >= FUZZY_FLOOR, edit, 0.0))
    initial = query.initial[:, None] | vocab.initial[None, :]
    if initial.any():
        letter = np.where(query.firsts[:, None] == vocab.firsts[None, :], INITIAL_MATCH, 0.0)
        sims = np.where(initial, np.where(edit >= 1.0, 1.0, letter), sims)
    tokens = np.maximum.reduceat(np.maximum.reduceat(sims, vocab.starts, axis=1), query.starts)
    column_best = tokens.max(axis=0)
    rows = np.maximum.reduceat(tokens[:, listed.positions], listed.starts, axis=1)
    missed_q = query.weights @ (1.0 - rows)
    missed_r = np.add.reduceat(
        (vocab.weights * (1.0 - column_best))[listed.positions], listed.starts
    )
    q_total = name.total_weight
    differ = np.flatnonzero(listed.counts != len(name.tokens))
    if len(differ):  # as in ``features._assign``: a name spaced differently
        others = [listed.joined[i] for i in differ]
        glued = cdist(
            [name.joined], others, scorer=Levenshtein.normalized_similarity, dtype=np.float64
        )[0]
        close = glued >= GLUED_FLOOR
        at = differ[close]
        missed_q[at] = np.minimum(missed_q[at], (1.0 - glued[close]) * q_total)
        missed_r[at] = np.minimum(missed_r[at], (1.0 - glued[close]) * listed.totals[at])
    penalty = np.where(listed.weak | name.weak, WEAK_PENALTY, 1.0)
    values = penalty * (1.0 - (missed_q + missed_r) / np.maximum(q_total + listed.totals, 1e-9))
    # The features of ``features`` on the bounds: substitution at its least, the common-name
    # penalty at its least (the most weight matched), a birth date weighed by similarity.
    common = np.where(person, np.minimum(0.0, (q_total - missed_q) / COMMON_MASS - 1.0), 0.0)
    logit = (
        W_NAME_SIMILARITY * values
        + W_NAME_SUBSTITUTION * np.minimum(missed_q, missed_r)
        + W_COMMONNESS * common
        + W_BIRTH_DATE * np.where(dates > 0, dates * values, dates)
    )
    similarity: Floats = np.maximum.reduceat(values, listed.firsts)
    name_logit: Floats = np.maximum.reduceat(logit, listed.firsts)
    return similarity, name_logit
