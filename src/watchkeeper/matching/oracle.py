"""The linear index: the candidate index's test oracle (``index.NameIndex``).

It scores every subject with the index's retrieval score, skipping nothing (no common keys,
no walk limit): slow, simple, and what the index must answer like (``same_candidates``).
"""

from __future__ import annotations

from collections.abc import Iterable

from watchkeeper.matching.candidates import Candidate, RetrievalScorer
from watchkeeper.matching.names.rarity import TokenWeights
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.terms import (
    DATED_LIMIT,
    date_terms,
    identifier_terms,
    nickname_slots,
    shortest_name,
    spaced_slots,
    subject_slots,
    subject_terms,
)


def same_candidates(got: list[Candidate], want: list[Candidate]) -> bool:
    """Whether an index answered like its oracle: the same scores position by position, and
    the same candidates above the last score (candidates tied at the cut are interchangeable)."""
    if [c.score for c in got] != [c.score for c in want]:
        return False
    cut = want[-1].score if want else 0.0
    return {c.subject.entity_id for c in got if c.score > cut} == {
        c.subject.entity_id for c in want if c.score > cut
    }


class LinearIndex:
    """Scores every subject with the index's retrieval score: slow, simple, the oracle."""

    def __init__(self, subjects: list[Subject], weights: TokenWeights | None = None) -> None:
        self._scorer = RetrievalScorer(weights)
        self._subjects: list[Subject | None] = list(subjects)
        self._terms = [subject_terms(s) for s in subjects]
        self._known: set[str] = set().union(*self._terms)
        self._shortest = [shortest_name(s) for s in subjects]
        self._identifiers = [set(identifier_terms(s)) for s in subjects]
        self._dates = [set(date_terms(s)) for s in subjects]

    @classmethod
    def build(cls, subjects: Iterable[Subject], weights: TokenWeights | None = None) -> LinearIndex:
        """An oracle over these subjects."""
        return cls(list(subjects), weights)

    def query(self, subject: Subject, limit: int = 20) -> list[Candidate]:
        """The ``limit`` best subjects by retrieval score, scanning them all; a subject
        sharing an identifier scores 1.0."""
        scores: dict[int, float] = {}
        wanted = set(identifier_terms(subject))
        for number, identifiers in enumerate(self._identifiers):
            if wanted & identifiers:
                scores[number] = 1.0
        readings = subject_slots(subject) + nickname_slots(subject)
        if not all(self._known.intersection(slot) for slots in readings for slot in slots):
            readings += spaced_slots(subject, self._known.__contains__)
        for slots in readings:
            for number, terms in enumerate(self._terms):
                score = self._scorer.score(slots, terms.__contains__)
                if score > scores.get(number, 0.0):
                    scores[number] = score
        ranked = self._ranked(scores)[:limit]
        found = [Candidate(self._subject(n), round(scores[n], 6)) for n in ranked]
        return found + self._born(subject, set(ranked))

    def _ranked(self, scores: dict[int, float]) -> list[int]:
        """The scoring numbers, best first; ties by the words of the shortest name, then in
        insertion order, so both indexes break them alike."""
        positive = [n for n, score in scores.items() if score > 0]
        return sorted(positive, key=lambda n: (-scores[n], self._shortest[n], n))

    def _subject(self, number: int) -> Subject:
        subject = self._subjects[number]
        assert subject is not None
        return subject

    def _born(self, subject: Subject, ranked: set[int]) -> list[Candidate]:
        """The subjects born on one of the subject's full birth dates that ranking left out,
        score 0 (``index.DATED_LIMIT``)."""
        born: set[int] = set()
        for date in date_terms(subject):
            holders = [n for n, dates in enumerate(self._dates) if date in dates]
            if len(holders) <= DATED_LIMIT:
                born.update(holders)
        listed = [(n, self._subjects[n]) for n in sorted(born - ranked)]
        return [Candidate(s, 0.0) for _, s in listed if s is not None]
