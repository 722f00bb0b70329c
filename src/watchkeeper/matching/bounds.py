"""Upper bounds of scores, for many listed subjects at once.

Screening scores some twenty candidates per query, and most cannot reach the threshold: an
innocent traveller shares a token or two with each. Aligning every name pair of every
candidate (``features._assign``) costs far more than proving that it need not be done. The
bound credits each token with its best similarity to any token on the other side, which a
one-to-one pairing can only lower, and every other feature at its value (the common-name
penalty at its least, the exact-name bonus in full, a reversed lineage not at all), so
``bound >= score`` always holds (the test suite checks it on
every pair of the name bench and the UN list).

The listed side comes from a ``table.ListedTable`` (the index's listed subjects as flat
arrays). A query's bounds cost one compiled call (``kernels.score_bounds``), edit similarities
included, with the formulas of ``features``.
"""

from collections.abc import Hashable, Iterable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from watchkeeper.matching.features import commonness_query
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.prepared import PreparedSubject
from watchkeeper.matching.table import NONE, UNKNOWN, ListedTable, code_points, date_row
from watchkeeper.matching.weights import W_COMMONNESS

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def bounds(table: ListedTable, query: PreparedSubject, rows: Ints) -> Floats:
    """Upper bounds of ``LogicWK.compare(query, listed).score`` (default weights) for the
    listed subjects at ``rows`` of ``table`` (``table.rows``: the caller has them)."""
    return all_bounds(table, query, rows).scores


class Bounds(NamedTuple):
    """A query's bounds for some rows: of each row's score, and of each name pair's value
    to the name features (``features._name_value`` less its exact-name part), by which
    ``features.best_alignment`` aligns only the pairs that may be the best."""

    scores: Floats
    names: Floats
    """Row by row, each listed name's pairs with every query name in turn: +inf where the
    kernel says nothing (a row of another schema)."""
    starts: Ints
    """Where each row's name pairs begin in ``names``, and the end."""

    def of_row(self, i: int) -> Floats:
        """The name pair bounds of the ``i``-th row (listed name by query name)."""
        return self.names[self.starts[i] : self.starts[i + 1]]


def all_bounds(table: ListedTable, query: PreparedSubject, rows: Ints) -> Bounds:
    """The bounds of scores and name pairs for the listed subjects at ``rows``."""
    if not len(rows):
        return Bounds(np.zeros(0), np.zeros(0), np.zeros(1, dtype=np.int64))
    from watchkeeper.matching.kernels import score_bounds  # here: it loads numba

    found = score_bounds.bounds(
        rows, table.arrays(), _query(query, table), table.compatible(query.schema)
    )
    return Bounds(*found)


def _query(query: PreparedSubject, table: ListedTable) -> tuple[npt.NDArray[np.generic], ...]:
    """A prepared query as the bound kernel reads it, ids from ``table``, in four arrays
    (``score_bounds._unpacked`` reads them): each array costs a screening about a
    microsecond to make, and the kernel reads sixteen.

    - integers: a header of eight (how many spellings, tokens, names, countries,
      identifiers and exact names, the gender's id, whether countries were given), then the
      spellings' key ids, where each text ends (every spelling of every token of every name
      in order, then each name glued), where each token's spellings and each name's tokens
      begin, which tokens are initials and which names weak, and the ids of the countries,
      identifiers and exact names any listed subject has;
    - floats: the tokens' weights, the names' total weights, the commonness weight;
    - the texts as code points;
    - the birth dates as (year, month, day, parts) rows."""
    key_ids = table.ids_of("key")
    texts: list[str] = []
    ends = [0]
    keys: list[int] = []
    token_spellings = [0]
    weights: list[float] = []
    initial: list[int] = []
    name_tokens = [0]
    for name in query.names:
        for token in name.tokens:
            for text, key in token.spellings:
                texts.append(text)
                ends.append(ends[-1] + len(text))
                keys.append(key_ids.get(key, UNKNOWN))
            token_spellings.append(len(keys))
            weights.append(token.weight)
            initial.append(token.role is Role.INITIAL)
        name_tokens.append(len(weights))
    for name in query.names:
        texts.append(name.joined)
        ends.append(ends[-1] + len(name.joined))
    countries = _known(table, "country", query.countries)
    identifiers = _known(table, "identifier", query.identifiers)
    exact = _known(table, "exact", {n.sorted_texts for n in query.names if not n.weak})
    gender = query.gender
    header = [
        len(keys),
        len(weights),
        len(query.names),
        len(countries),
        len(identifiers),
        len(exact),
        NONE if gender is None else table.id_of("gender", gender),
        bool(query.countries),
    ]
    weak = [n.weak for n in query.names]
    ints = header + keys + ends + token_spellings + initial + name_tokens + weak
    return (
        np.array(ints + countries + identifiers + exact, dtype=np.int64),
        np.array(
            weights + [n.total_weight for n in query.names] + [_commonness_weight(query)],
            dtype=np.float64,
        ),
        code_points("".join(texts)),
        np.array([date_row(d) for d in query.birth_dates], dtype=np.int64).reshape(-1, 4),
    )


def _commonness_weight(query: PreparedSubject) -> float:
    """The weight of the common-name penalty for this query against a listed person."""
    return W_COMMONNESS if commonness_query(query) else 0.0


def _known(table: ListedTable, kind: str, values: Iterable[Hashable]) -> list[int]:
    """The table's ids of those values any listed subject has."""
    ids = table.ids_of(kind)
    return [ids[v] for v in values if v in ids]
