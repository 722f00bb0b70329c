"""The scorer: ``LogicWK`` compares a query subject with a listed one.

Design follows nomenklatura's logic-v2: an algorithm is a table of features, each a pure
function with a weight. Here the weighted sum is a logit, so ``score = sigmoid(intercept +
sum(weight * value))``. The weights are fitted on dev data only (``bench/fit_weights.py``:
UN alias hold-out, innocent travellers, name bench) and the intercept calibrates scores on
the name bench's dev pairs; gender and identifier weights are set by hand, in the same logit
units.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from watchkeeper.matching.bounds import bounds
from watchkeeper.matching.features import (
    Alignment,
    Detail,
    FtResult,
    best_alignment,
    birth_date,
    country,
    gender,
    identifier,
    legal_form,
    name_commonness,
    name_exact,
    name_extra_word,
    name_lineage,
    name_numbers,
    name_similarity,
    name_substitution,
    schemas_compatible,
)
from watchkeeper.matching.names.rarity import MINOR
from watchkeeper.matching.prepared import PERSON, PreparedSubject, prepare
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.table import ListedTable
from watchkeeper.matching.weights import (
    INTERCEPT,
    NAME_CAP,
    W_BIRTH_DATE,
    W_COMMONNESS,
    W_COUNTRY,
    W_EXTRA_WORD,
    W_GENDER,
    W_IDENTIFIER,
    W_LEGAL_FORM,
    W_LINEAGE,
    W_NAME_EXACT,
    W_NAME_SIMILARITY,
    W_NAME_SUBSTITUTION,
    W_NUMBERS,
)

FeatureFunc = Callable[[PreparedSubject, PreparedSubject], FtResult]


@dataclass(frozen=True, slots=True)
class Feature:
    """One row of the feature table: a function, its logit weight, whether it only
    qualifies (adjusts) a score the name features made, and whom it is about: listed
    persons only (``persons=True``), listed others only (``False``) or anyone (``None``).
    A feature that cannot apply is not run (it would say nothing: compare runs millions of
    times)."""

    func: FeatureFunc
    weight: float
    qualifier: bool = False
    persons: bool | None = None

    @property
    def name(self) -> str:
        """The feature's name, as used in explanations and weight overrides."""
        return self.func.__name__


@dataclass(frozen=True, slots=True)
class FeatureLine:
    """What one feature found and what it added to (or took from) the logit."""

    feature: str
    value: float
    contribution: float
    detail: str | None


@dataclass(frozen=True, slots=True)
class TokenLine:
    """One aligned token pair of the best name pair."""

    query: str
    result: str
    similarity: float


@dataclass(frozen=True, slots=True)
class NameLine:
    """The best-aligned name pair: aligned tokens and those left over on either side."""

    query_name: str
    result_name: str
    weak: bool
    tokens: tuple[TokenLine, ...]
    unmatched_query: tuple[str, ...]
    unmatched_result: tuple[str, ...]


LineData = tuple[str, float, float, Detail]  # a FeatureLine's fields, the detail unwritten


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A score in [0, 1] and the explanation of how it was reached."""

    score: float
    lines: tuple[LineData, ...]  # each FeatureLine's fields, turned into one when read
    alignment: Alignment | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()

    @property
    def features(self) -> tuple[FeatureLine, ...]:
        """What each feature found, built on demand (most results are never read)."""
        return tuple(
            FeatureLine(name, value, contribution, detail() if callable(detail) else detail)
            for name, value, contribution, detail in self.lines
        )

    @property
    def names(self) -> NameLine | None:
        """The best-aligned name pair, built on demand (most results are never read)."""
        return _name_line(self.alignment)

    def is_match(self, preset: str = "balanced") -> bool:
        """Whether the score reaches the threshold of ``preset`` (see ``PRESETS``)."""
        return self.score >= PRESETS[preset]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: score, features, names, notes. What ``dataclasses.asdict``
        gives, written out: the service builds several per request, and asdict's generic
        walk was a fifth of a match request's time."""
        names = self.names
        return {
            "score": self.score,
            "features": [
                {
                    "feature": line.feature,
                    "value": line.value,
                    "contribution": line.contribution,
                    "detail": line.detail,
                }
                for line in self.features
            ],
            "names": _name_dict(names) if names else None,
            "notes": list(self.notes),
        }


# Thresholds on the calibrated score (``bench/fit_weights.py``, dev data only): balanced,
# the default, lets 0.6 innocent travellers in 1,000 alert; strict is the lowest with
# name-bench precision at or above 0.95, broad the highest with recall at or above 0.90.
PRESETS: dict[str, float] = {"strict": 0.658, "balanced": 0.454, "broad": 0.371}
DEFAULT_PRESET = "balanced"


class LogicWK:
    """Watchkeeper's screening matcher.

    Names decide: each query name is aligned with each listed name (strong names, and weak
    aliases at a discount; Arabic script through its romanised spellings), pairing tokens by
    phonetic key and edit similarity in the best order, weighting each token by how rare it
    is, and counting unmatched tokens on both sides against the match. Birth dates,
    countries, gender and document numbers then move the score up or down; a person is
    never matched with an organisation. Scores are calibrated probabilities: 0.9 means
    right about nine times in ten on the labelled dev pairs.

    Config: ``compare(..., weights={"birth_date": 4.0})`` overrides feature weights (logit
    units) by feature name for one call.
    """

    NAME: ClassVar[str] = "logic-wk"
    FEATURES: ClassVar[tuple[Feature, ...]] = (
        Feature(name_similarity, W_NAME_SIMILARITY),
        Feature(name_substitution, W_NAME_SUBSTITUTION),
        Feature(name_exact, W_NAME_EXACT),
        Feature(name_lineage, W_LINEAGE),
        Feature(name_numbers, W_NUMBERS, persons=False),
        Feature(legal_form, W_LEGAL_FORM, persons=False),
        Feature(name_extra_word, W_EXTRA_WORD, persons=False),
        Feature(name_commonness, W_COMMONNESS, qualifier=True, persons=True),
        Feature(birth_date, W_BIRTH_DATE, qualifier=True),
        Feature(country, W_COUNTRY, qualifier=True),
        Feature(gender, W_GENDER, qualifier=True),
        Feature(identifier, W_IDENTIFIER, qualifier=True),
    )

    @classmethod
    def compare(
        cls,
        query: PreparedSubject | Subject,
        result: PreparedSubject | Subject,
        weights: Mapping[str, float] | None = None,
        ceilings: Sequence[float] | None = None,
    ) -> MatchResult:
        """Score ``result`` (a listed subject) against ``query``; ``Subject``s are prepared
        (and cached) on the way in. Incompatible schemas score 0, and so do names without
        one token in common unless an identifier is shared. ``ceilings``, the bound
        kernel's name pair bounds for this pair (``bounds.Bounds.of_row``), spare aligning
        name pairs that cannot be the best: the same result, sooner."""
        q = query if isinstance(query, PreparedSubject) else prepare(query)
        r = result if isinstance(result, PreparedSubject) else prepare(result)
        if not schemas_compatible(q.schema, r.schema):
            line: LineData = ("schema", 0.0, 0.0, f"{q.schema} cannot be {r.schema}")
            return MatchResult(0.0, (line,), notes=("incompatible schemas: score 0",))
        if ceilings is not None:
            best_alignment(q, r, ceilings)  # the name features read it memoised
        lines: list[LineData] = []
        logit = INTERCEPT
        for func, name, weight in _plan(cls.FEATURES, weights, r.schema == PERSON):
            value, detail = func(q, r)
            contribution = weight * value
            logit += contribution
            lines.append((name, value, contribution, detail))
        score = _sigmoid(logit)
        best = best_alignment(q, r)
        same_id = bool(q.identifiers & r.identifiers)
        notes: tuple[str, ...] = ()
        if not same_id and not _substantive(best):
            score, notes = 0.0, _NO_NAME_NOTES
        elif not same_id and not (best and best.exact):
            score *= NAME_CAP
            notes = _CAPPED_NOTES
        return MatchResult(score, tuple(lines), best, notes)

    @classmethod
    def bounds(cls, query: PreparedSubject, results: Sequence[PreparedSubject]) -> list[float]:
        """Upper bounds of ``compare(query, result).score`` (default weights) for many
        results, at a fraction of the cost (``bounds.ListedTable``). A screener skips the
        results whose bound is below what it needs; the test suite checks that no bound is
        below its score. (A screener bounds against its index's table, built once.)"""
        table = ListedTable(results)
        rows = table.rows(np.arange(len(results), dtype=np.int64))
        return [float(b) for b in bounds(table, query, rows)]


_NO_NAME_NOTES = ("no name token in common but titles, particles, legal forms",)
_CAPPED_NOTES = (f"names not exactly equal: score scaled by {NAME_CAP}",)
Plan = tuple[tuple[FeatureFunc, str, float], ...]
# By the id of a feature table (a class attribute, kept alive) and whether the listed
# subject is a person.
_PLANS: dict[tuple[int, bool], Plan] = {}


def _plan(features: tuple[Feature, ...], weights: Mapping[str, float] | None, person: bool) -> Plan:
    """The function, name and weight (``weights`` overriding by name) of each feature that
    applies to a listed person (``person``) or other; the default plans are made once per
    feature table, since compare runs millions of times."""
    if weights:
        return _made(features, weights, person)
    plan = _PLANS.get((id(features), person))
    if plan is None:
        plan = _PLANS[id(features), person] = _made(features, {}, person)
    return plan


def _made(features: tuple[Feature, ...], weights: Mapping[str, float], person: bool) -> Plan:
    return tuple(
        (f.func, f.name, weights.get(f.name, f.weight))
        for f in features
        if f.persons is None or f.persons == person
    )


def _substantive(best: Alignment | None) -> bool:
    """Whether the names share a token that says who or what it is: sharing only "AB",
    "Ltd", "al" or "Dr." says nothing, and in a person's name initials only stand for names
    ("N.N." is not Nursultan Nazarbayev): one word must pair with a word. (A company's
    letters are its name: AT&T.)"""
    if best is None:
        return False
    q_weights, r_weights = best.query.weights, best.result.weights
    person = best.result.person
    q_initials, r_initials = best.query.initials, best.result.initials
    return any(
        q_weights[p.query] > MINOR
        and r_weights[p.result] > MINOR
        and not (person and (q_initials[p.query] or r_initials[p.result]))
        for p in best.pairs
    )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _name_dict(names: NameLine) -> dict[str, Any]:
    """``asdict(names)``: the same keys, tuples kept as tuples."""
    return {
        "query_name": names.query_name,
        "result_name": names.result_name,
        "weak": names.weak,
        "tokens": tuple(
            {"query": t.query, "result": t.result, "similarity": t.similarity} for t in names.tokens
        ),
        "unmatched_query": names.unmatched_query,
        "unmatched_result": names.unmatched_result,
    }


def _name_line(best: Alignment | None) -> NameLine | None:
    if best is None:
        return None
    q_tokens, r_tokens = best.query.tokens, best.result.tokens
    pairs = tuple(
        TokenLine(q_tokens[p.query].text, r_tokens[p.result].text, round(p.similarity, 3))
        for p in best.pairs
    )
    q_used = {p.query for p in best.pairs}
    r_used = {p.result for p in best.pairs}
    return NameLine(
        query_name=best.query.name,
        result_name=best.result.name,
        weak=best.query.weak or best.result.weak,
        tokens=pairs,
        unmatched_query=tuple(t.text for i, t in enumerate(q_tokens) if i not in q_used),
        unmatched_result=tuple(t.text for i, t in enumerate(r_tokens) if i not in r_used),
    )
