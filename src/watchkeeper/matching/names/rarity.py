"""How much a name token says about identity: weights from token frequency.

"Mohammed Ali" matches thousands of people and "Zawahiri" a handful, so the matcher scales
each token's contribution by its rarity. The weight is the IDF ``log(total / (count + 1))``
mapped linearly onto ``[COMMON, RARE]``: the most frequent key gets ``COMMON``, a key never
seen gets ``RARE``. (A plain IDF over log(total) squeezes everything into 0.35..1, too
little spread for "Ali" against "Zawahiri".) Titles and particles get ``MINOR`` whatever
their counts. Counts are keyed by ``keys.key``, so every spelling of a name shares one count.

The bundled reference counts (``data/name_token_counts.tsv.gz``, built by
``bench/build_name_counts.py``) come from the Latin side of Wikidata person-name tokens
(CC0); counts from list entities can be added with ``counts_from_entities``.
"""

import gzip
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from watchkeeper.matching.names.keys import keyed_parts
from watchkeeper.matching.names.normalise import Role

if TYPE_CHECKING:  # only listed entities are counted: a query needs no followthemoney
    from followthemoney import EntityProxy

RARE = 1.0  # a key never seen
COMMON = 0.1  # the most frequent key: even "Mohammed" still counts a little
MINOR = 0.05  # titles and particles: kept, but they say almost nothing
MEMO_LIMIT = 1 << 18  # weights remembered; the memo starts over when it holds more

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "name_token_counts.tsv.gz"
# Entity properties holding names, for list frequencies.
NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")


@dataclass(frozen=True, slots=True)
class TokenWeights:
    """IDF-like weights for phonetic keys (see the module docstring)."""

    counts: Mapping[str, int]
    total: int
    top: int  # count of the most frequent key
    _memo: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    """Weights computed so far, by key (every query token asks again)."""

    @classmethod
    def build(cls, counts: Mapping[str, int], total: int) -> "TokenWeights":
        """Weights for ``counts`` out of ``total`` token occurrences."""
        top = max(counts.values(), default=0)
        return cls(dict(counts), max(total, top, 1), top)

    @classmethod
    def reference(cls) -> "TokenWeights":
        """Weights from the bundled Wikidata name-token counts."""
        counts = load_counts()
        return cls.build(counts, sum(counts.values()))

    def weight(self, key: str, role: Role = Role.NAME) -> float:
        """Weight of one key: ``MINOR`` for titles and particles, else the clipped IDF."""
        if role in (Role.TITLE, Role.PARTICLE):
            return MINOR
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[key] = self._weight(key)
        return found

    def _weight(self, key: str) -> float:
        rarest = math.log(self.total)
        commonest = math.log(self.total / (self.top + 1))
        if rarest <= commonest:
            return RARE
        idf = math.log(self.total / (self.counts.get(key, 0) + 1))
        share = (idf - commonest) / (rarest - commonest)
        return COMMON + (RARE - COMMON) * min(1.0, max(0.0, share))

    def combined(self, counts: Mapping[str, int]) -> "TokenWeights":
        """Weights from these counts plus more (list frequencies on top of the reference)."""
        merged = Counter(self.counts)
        merged.update(counts)
        return TokenWeights.build(merged, self.total + sum(counts.values()))


def counts_from_names(names: Iterable[str]) -> Counter[str]:
    """Key counts of the name tokens (not titles or particles) of these names."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(p.key for p in keyed_parts(name) if p.role is Role.NAME)
    return counts


def counts_from_entities(entities: Iterable["EntityProxy"]) -> Counter[str]:
    """Key counts of the names of FollowTheMoney entities, each distinct name once."""
    return counts_from_names(
        name for entity in entities for name in {v for p in NAME_PROPS for v in _get(entity, p)}
    )


def _get(entity: "EntityProxy", prop: str) -> list[str]:
    return entity.get(prop, quiet=True)


def load_counts(path: Path | None = None) -> dict[str, int]:
    """Read a ``key<TAB>count`` gzip file; ``#`` lines are the header."""
    counts: dict[str, int] = {}
    with gzip.open(path or REFERENCE, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            token, count = line.rstrip("\n").split("\t")
            counts[token] = int(count)
    return counts
