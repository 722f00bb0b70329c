"""watchkeeper and logic-v2 over the same candidates: the index's top 20 for a query, every
one scored by both.

The screener's public ``candidates`` gives the index's candidates, each scored by
watchkeeper; logic-v2 (nomenklatura, the ``bench`` extra) scores the same pairs. Both see the
same facts: the query subject and the listed subject as watchkeeper indexes it, written as
FollowTheMoney entities for logic-v2 (names, weak aliases, birth dates, countries, gender,
document numbers), so a difference in score is the matcher's, not the data's.
"""

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from followthemoney import EntityProxy
from nomenklatura.matching import LogicV2, ScoringConfig

from entity_checks import entity_of
from name_bench import NK_THRESHOLD
from watchkeeper.matching.screener import CANDIDATES, Hit, Screener
from watchkeeper.matching.subject import Subject

V2_THRESHOLD = NK_THRESHOLD
"""logic-v2's alert threshold (yente's default)."""
CONFIG = ScoringConfig.defaults()
_SERIAL = itertools.count()


@dataclass(frozen=True, slots=True)
class Pair:
    """One candidate of a query: watchkeeper's hit (score, reason) and logic-v2's score."""

    hit: Hit
    v2: float


def fresh_id(side: str) -> str:
    """An entity id not used before: logic-v2 caches each entity's name analysis by its id
    (``lru_cache`` on ``EntityProxy.__hash__``), so an id used again would score the names
    of the entity that first had it."""
    return f"{side}{next(_SERIAL)}"


def entity(subject: Subject, entity_id: str) -> EntityProxy:
    """A subject as the FtM entity logic-v2 compares (properties its schema lacks are left
    out, as FtM does)."""
    props = {
        "name": list(subject.names),
        "weakAlias": list(subject.weak_names),
        "birthDate": list(subject.birth_dates),
        "country": list(subject.countries),
        "gender": [subject.gender] if subject.gender else [],
        "idNumber": list(subject.identifiers),
    }
    return entity_of(subject.schema, {k: v for k, v in props.items() if v}, entity_id)


class SideBySide:
    """Candidates of a screener's index scored by both matchers; listed entities are
    converted for logic-v2 once."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener
        self._entities: dict[Subject, EntityProxy] = {}

    def listed(self) -> dict[str, Subject]:
        """The index's listed subjects by entity id, as they are now."""
        return {s.entity_id or "": s for s in self.screener.index.subjects()}

    def pairs(self, query: Subject, listed: Mapping[str, Subject]) -> list[Pair]:
        """The index's top candidates for ``query``, best watchkeeper score first, each with
        logic-v2's score; ``listed`` maps a candidate's id to the subject indexed under it.
        Every distinct subject gets an entity id of its own (``fresh_id``): a held-out
        person's entry without the name is not the entry with it."""
        hits = self.screener.candidates(query, limit=CANDIDATES)
        if not hits:
            return []
        q = entity(query, fresh_id("q"))
        return [Pair(hit, self._v2(q, listed[hit.entity_id])) for hit in hits]

    def _v2(self, query: EntityProxy, subject: Subject) -> float:
        result = self._entities.get(subject)
        if result is None:
            result = self._entities[subject] = entity(subject, fresh_id("r"))
        return float(LogicV2.compare(query, result, CONFIG).score)


def first(pairs: list[Pair], v2: bool) -> tuple[str, float] | None:
    """The first alert's candidate by one matcher's score, ties broken by entity id as the
    screener breaks them: (entity id, score)."""
    if not pairs:
        return None
    scored = [(p.v2 if v2 else p.hit.score, p.hit.entity_id) for p in pairs]
    score, entity_id = min(scored, key=lambda s: (-s[0], s[1]))
    return entity_id, score
