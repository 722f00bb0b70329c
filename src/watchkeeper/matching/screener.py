"""Screening: candidates from the name index, scores from the matcher, alerts above a threshold.

A ``Screener`` is built once from the active versions of some lists and then screens one
subject or a batch. Every hit is a lead for a person to review, never a decision.
"""

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from watchkeeper.errors import UsageError
from watchkeeper.matching.bounds import all_bounds
from watchkeeper.matching.index import NameIndex, from_store
from watchkeeper.matching.prepared import PreparedSubject, prepare_uncached
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS, LogicWK, MatchResult
from watchkeeper.matching.subject import Subject
from watchkeeper.sources.references import REFERENCE_PREFIXES

CANDIDATES = 20
"""Candidates scored per query: the index ranks by rare shared name keys, the scorer decides."""

# What a positive feature contribution says in an alert's one-line reason; the identifier
# feature says which kind of number in its detail ("same passport number: A1234567").
EVIDENCE = {
    "birth_date": "DOB",
    "country": "nationality",
    "gender": "gender",
}
NAME_EVIDENCE = 0.5  # names less alike than this are no evidence beside a shared number


@dataclass(frozen=True)
class Hit:
    """One listed entity a subject may be, with the score and why."""

    entity_id: str
    list_name: str
    name: str
    score: float
    alert: bool
    result: MatchResult
    schema: str
    """The listed entity's FtM schema (a candidate's type, whatever the query's)."""

    @property
    def reference(self) -> str:
        """The publisher's reference (QDi.325 for un-QDi.325), else the entity id."""
        for prefix in REFERENCE_PREFIXES:
            if self.entity_id.startswith(prefix):
                return self.entity_id[len(prefix) :]
        return self.entity_id

    @property
    def reason(self) -> str:
        """One line an analyst reads first: "name + DOB match un-QDi.325 (...), score 0.97",
        "same passport number match ..." when only a document number is shared."""
        found: list[str] = []
        alike = 1.0
        for line in self.result.features:
            if line.feature == "name_similarity":
                alike = line.value
            elif line.contribution <= 0:
                continue
            elif line.feature in EVIDENCE:
                found.append(EVIDENCE[line.feature])
            elif line.feature == "identifier" and line.detail:
                kinds = (part.split(": ")[0] for part in line.detail.split("; "))
                found.extend(dict.fromkeys(kinds))
        if alike >= NAME_EVIDENCE or not any(f.startswith("same ") for f in found):
            found.insert(0, "name")
        return f"{' + '.join(found)} match {self.entity_id} ({self.name}), score {self.score:.2f}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "entity_id": self.entity_id,
            "list": self.list_name,
            "reference": self.reference,
            "name": self.name,
            "score": round(self.score, 4),
            "alert": self.alert,
            "explanation": self.result.as_dict(),
        }


class Matcher(Protocol):
    """What a lane needs of a screener: a ``Screener`` over one index, or the service's
    screener over the lists of a dataset."""

    @property
    def threshold(self) -> float: ...

    def screen(self, subject: Subject, limit: int = 10) -> list[Hit]: ...


def threshold_of(threshold: float | None, preset: str | None) -> float:
    """The alert threshold from an explicit value or a preset name (default: balanced)."""
    if threshold is not None:
        if not 0.0 < threshold <= 1.0:
            raise UsageError(f"threshold {threshold} must be in (0, 1]")
        return threshold
    name = preset or DEFAULT_PRESET
    if name not in PRESETS:
        raise UsageError(f"unknown preset {name!r}; use one of: {', '.join(PRESETS)}")
    return PRESETS[name]


class Screener:
    """Screens subjects against one name index.

    ``compiled``: retrieve and bound with the numba kernels (``kernels``), which pay for
    themselves after a few screenings but cost a process about 0.7 s to load. A process
    that screens one subject (``watchkeeper match``) passes False: candidates are retrieved
    with numpy (``retrieval``) and every one is scored, which gives the same hits and
    scores (a bound is never below the score) without loading numba at all."""

    def __init__(
        self,
        index: NameIndex,
        threshold: float = PRESETS[DEFAULT_PRESET],
        compiled: bool = True,
    ) -> None:
        self.index = index
        self.threshold = threshold
        self.compiled = compiled

    @classmethod
    def from_store(
        cls, engine: Engine, lists: list[str], threshold: float = PRESETS[DEFAULT_PRESET]
    ) -> "Screener":
        """A screener over the active versions of ``lists`` in the store."""
        return cls(from_store(engine, lists), threshold)

    def prepare_all(self) -> None:
        """Prepare every listed subject for the scorer now (the index's ``table``) and load
        the compiled kernels with one screening, so the first screenings do not pay for
        either and forked workers share the work."""
        self.index.table().prepare_all()
        for subject in itertools.islice(self.index.subjects(), 1):
            self.screen(subject)

    def candidates(
        self,
        subject: Subject,
        limit: int = CANDIDATES,
        weights: Mapping[str, float] | None = None,
        lists: frozenset[str] | None = None,
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> list[Hit]:
        """The best-scoring listed entities, alerts or not, best first (for explanations);
        ``weights`` override the scorer's feature weights by feature name, ``lists`` keeps
        to the entities of those lists and ``allowed`` to those it marks (by index number:
        the service's filters). At least ``CANDIDATES`` are retrieved, more for a larger
        ``limit``."""
        pool = max(CANDIDATES, limit)
        numbers, _ = self.index.query_numbers(subject, pool, lists, allowed, self.compiled)
        query = prepare_uncached(subject)
        if weights:  # the bounds hold for the default weights only: score them all
            return self._all(query, numbers, limit, 0.0, weights)
        return self._best(query, numbers, limit, 0.0)

    def screen(
        self,
        subject: Subject,
        limit: int = 10,
        lists: frozenset[str] | None = None,
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> list[Hit]:
        """The alerts for ``subject``: hits at or above the threshold, best first (of the
        entities of ``lists`` and ``allowed`` when given, as ``candidates``). A subject with
        no candidate is not prepared."""
        numbers, _ = self.index.query_numbers(subject, CANDIDATES, lists, allowed, self.compiled)
        if not len(numbers):
            return []
        return self._best(prepare_uncached(subject), numbers, limit, self.threshold)

    def _best(
        self, query: PreparedSubject, numbers: npt.NDArray[np.int64], limit: int, floor: float
    ) -> list[Hit]:
        """The ``limit`` best hits scoring at least ``floor``, exactly as if every candidate
        were scored. Candidates are scored in order of their score bound (``bounds``),
        and scoring stops once no bound reaches the floor or the ``limit``-th score found:
        most candidates of an innocent traveller are never scored, and the bound costs a
        fraction of a score. Not ``compiled``, every candidate is scored instead."""
        if not self.compiled:
            return self._all(query, numbers, limit, floor)
        table = self.index.table()
        rows = table.rows(numbers)
        found = all_bounds(table, query, rows)
        scores = found.scores.tolist()
        if max(scores, default=-1.0) < floor:  # an innocent traveller's usual answer
            return []
        hits: list[Hit] = []
        kth = -1.0  # the limit-th best score so far, once there are that many
        for i in sorted(range(len(scores)), key=scores.__getitem__, reverse=True):  # stable
            if scores[i] < floor or scores[i] < kth:
                break
            hits.append(self._hit(query, table.prepared[rows[i]], None, found.of_row(i).tolist()))
            if len(hits) >= limit:
                kth = sorted((h.score for h in hits), reverse=True)[limit - 1]
        return self._ranked([h for h in hits if h.score >= floor], limit)

    def _all(
        self,
        query: PreparedSubject,
        numbers: npt.NDArray[np.int64],
        limit: int,
        floor: float,
        weights: Mapping[str, float] | None = None,
    ) -> list[Hit]:
        """The ``limit`` best hits scoring at least ``floor``, every candidate scored."""
        table = self.index.table()
        listed = [table.prepared[row] for row in table.rows(numbers).tolist()]
        hits = (self._hit(query, r, weights) for r in listed)
        return self._ranked([h for h in hits if h.score >= floor], limit)

    def _hit(
        self,
        query: PreparedSubject,
        prepared: PreparedSubject,
        weights: Mapping[str, float] | None = None,
        ceilings: list[float] | None = None,
    ) -> Hit:
        result = LogicWK.compare(query, prepared, weights, ceilings)
        listed = prepared.subject
        return Hit(
            entity_id=listed.entity_id or "",
            list_name=listed.list_name or "",
            name=listed.names[0] if listed.names else "",
            score=result.score,
            alert=result.score >= self.threshold,
            result=result,
            schema=listed.schema,
        )

    @staticmethod
    def _ranked(hits: list[Hit], limit: int) -> list[Hit]:
        hits.sort(key=lambda h: (-h.score, h.entity_id))
        return hits[:limit]

    def screen_many(self, subjects: Iterable[Subject], limit: int = 10) -> Iterator[list[Hit]]:
        """The alerts for each subject, in order."""
        for subject in subjects:
            yield self.screen(subject, limit)
