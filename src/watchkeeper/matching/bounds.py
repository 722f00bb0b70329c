"""Upper bounds of scores, for many listed subjects at once.

Screening scores some twenty candidates per query, and most cannot reach the threshold: an
innocent traveller shares a token or two with each. Aligning every name pair of every
candidate (``features._assign``) costs far more than proving that it need not be done. The
bound credits each token with its best similarity to any token on the other side, which a
one-to-one pairing can only lower, and every other feature at its value (the common-name
penalty at its least), so ``bound >= score`` always holds (the test suite checks it on
every pair of the name bench and the UN list).

The listed side comes from a ``table.ListedTable`` (the index's listed subjects as flat
arrays). A query's bounds cost one ``rapidfuzz.process.cdist`` between its spellings and
the distinct spellings of its candidates, and one compiled loop over the arrays
(``kernels.bounds``), with the formulas of ``features``.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from watchkeeper.matching import kernels
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.prepared import PreparedSubject
from watchkeeper.matching.table import NONE, UNKNOWN, ListedTable, date_row
from watchkeeper.matching.weights import GLUED_FLOOR

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
QUERY_PERSONS = ("Person", "LegalEntity")  # queries the common-name penalty applies to
_NO_GLUED = np.zeros((0, 0))


def bounds(table: ListedTable, query: PreparedSubject, numbers: Ints) -> Floats:
    """Upper bounds of ``LogicWK.compare(query, listed).score`` (default weights) for the
    listed subjects ``numbers`` of ``table``."""
    if not len(numbers):
        return np.zeros(0)
    rows = table.rows(numbers)
    arrays = table.arrays()
    q = _Query.of(query, table)
    spells, column, names, glued_column = kernels.spellings_of(
        rows, table.texts.size, q.shape, *table.paths()
    )
    edit = cdist(
        q.texts,
        table.texts.view()[spells],
        scorer=Levenshtein.normalized_similarity,
        dtype=np.float64,
    )
    glued = (
        cdist(
            q.joined,
            table.joined.view()[names],
            scorer=Levenshtein.normalized_similarity,
            dtype=np.float64,
            score_cutoff=GLUED_FLOOR,
        )
        if len(names)
        else _NO_GLUED
    )
    compatible = table.compatible(query.schema)
    return kernels.bounds(
        rows, column, edit, glued, glued_column, arrays, q.arrays, compatible, *q.facts
    )


@dataclass(frozen=True, slots=True)
class _Query:
    """A prepared query as the bound kernel reads it, ids from one table."""

    texts: list[str]  # every spelling of every token of every name, in order
    joined: list[str]  # each name glued
    shape: tuple[Ints, Ints]  # each name's number of tokens and glued length
    arrays: tuple[npt.NDArray[np.generic], ...]
    facts: tuple[object, ...]

    @classmethod
    def of(cls, query: PreparedSubject, table: ListedTable) -> "_Query":
        texts: list[str] = []
        keys: list[int] = []
        token_spellings: list[int] = [0]
        weights: list[float] = []
        initial: list[bool] = []
        name_tokens: list[int] = [0]
        for name in query.names:
            for token in name.tokens:
                for text, key in token.spellings:
                    texts.append(text)
                    keys.append(table.id_of("key", key))
                token_spellings.append(len(texts))
                weights.append(token.weight)
                initial.append(token.role is Role.INITIAL)
            name_tokens.append(len(weights))
        arrays = (
            np.array(keys, dtype=np.int64),
            np.array([len(t) for t in texts], dtype=np.int64),
            np.array([ord(t[0]) if t else 0 for t in texts], dtype=np.int64),
            np.array(token_spellings, dtype=np.int64),
            np.array(weights, dtype=np.float64),
            np.array(initial, dtype=np.bool_),
            np.array(name_tokens, dtype=np.int64),
            np.array([n.total_weight for n in query.names], dtype=np.float64),
            np.array([n.weak for n in query.names], dtype=np.bool_),
        )
        gender = query.gender
        facts = (
            query.schema in QUERY_PERSONS,
            NONE if gender is None else table.id_of("gender", gender),
            np.array([date_row(d) for d in query.birth_dates], dtype=np.int64).reshape(-1, 4),
            bool(query.countries),
            _known(table, "country", query.countries),
            _known(table, "identifier", query.identifiers),
            _known(table, "exact", {n.sorted_texts for n in query.names if not n.weak}),
        )
        joined = [n.joined for n in query.names]
        shape = (
            np.array([len(n.tokens) for n in query.names], dtype=np.int64),
            np.array([len(j) for j in joined], dtype=np.int64),
        )
        return cls(texts, joined, shape, arrays, facts)


def _known(table: ListedTable, kind: str, values: Iterable[Hashable]) -> Ints:
    """The table's ids of those values any listed subject has."""
    found = [table.id_of(kind, v) for v in values]
    return np.array([i for i in found if i != UNKNOWN], dtype=np.int64)
