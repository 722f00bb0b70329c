"""A candidate of the name index and its retrieval score, computed alike by both indexes.

The retrieval score of a candidate for one query name is the share of the name's rarity
weight (``TokenWeights``) found in the candidate's keys: a token counts fully when a key
matches and ``FUZZY`` when only the skeleton does (``terms.skeleton``). A query with
several names takes its best.
"""

from collections.abc import Callable
from dataclasses import dataclass

from watchkeeper.matching.names.rarity import TokenWeights
from watchkeeper.matching.prepared import reference_weights
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.terms import Slot, skeleton

FUZZY = 0.5  # a token matched only by its skeleton: likely the same name, one vowel off


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed subject worth scoring, with its retrieval score in [0, 1]."""

    subject: Subject
    score: float


class RetrievalScorer:
    """The retrieval score, shared by both indexes so the oracle scores exactly alike."""

    def __init__(self, weights: TokenWeights | None) -> None:
        self.weights = weights if weights is not None else reference_weights()

    def weight(self, key: str) -> float:
        return self.weights.weight(key)

    def score(self, slots: list[Slot], has: Callable[[str], bool]) -> float:
        """Share of the slots' weight matched: a key fully, a skeleton by ``FUZZY``."""
        total = found = 0.0
        for slot in slots:
            weight = self.weight(slot[0])  # the most likely spelling speaks for the token
            total += weight
            if any(has(k) for k in slot):
                found += weight
            elif any(s is not None and has(s) for s in map(skeleton, slot)):
                found += FUZZY * weight
        return found / total if total else 0.0
