"""Upper bounds of scores, for many listed subjects at once.

Screening scores some twenty candidates per query, and most cannot reach the threshold: an
innocent traveller shares a token or two with each. Aligning every name pair of every
candidate (``features._assign``) costs far more than proving that it need not be done. The
bound credits each token with its best similarity to any token on the other side, which a
one-to-one pairing can only lower, and every other feature at its value (the common-name
penalty at its least), so ``bound >= score`` always holds (the test suite checks it on
every pair of the name bench and the UN list).

``ListedTable`` holds the prepared listed subjects of an index as flat arrays (spellings,
tokens, names, dates, countries, identifiers, each table pointing into the next), built once.
A query's bounds then cost one ``rapidfuzz.process.cdist`` between its spellings and the
distinct spellings of its candidates, and one compiled loop over the arrays
(``kernels.bounds``), with the formulas of ``features``.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from watchkeeper.matching import kernels
from watchkeeper.matching.features import schemas_compatible
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.prepared import PERSON, PreparedSubject, Token
from watchkeeper.matching.weights import GLUED_FLOOR

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
QUERY_PERSONS = ("Person", "LegalEntity")  # queries the common-name penalty applies to
NONE = -1  # no value (a gender, an unknown key): never equal to an id
UNKNOWN = -2  # a value the table has never seen: equal to no id, but known


class _Columns:
    """The table's arrays while it is built: Python lists, one per array, and the ids given
    to spellings, keys, tokens and the values of each kind (schema, gender, country...)."""

    def __init__(self) -> None:
        self.ints: dict[str, list[int]] = {}
        self.floats: dict[str, list[float]] = {}
        self.texts: dict[str, list[str]] = {"sp_text": [], "nm_joined": []}
        self.ids: dict[str, dict[Hashable, int]] = {}

    def add(self, column: str, *values: int) -> None:
        self.ints.setdefault(column, []).extend(values)

    def add_float(self, column: str, value: float) -> None:
        self.floats.setdefault(column, []).append(value)

    def id_of(self, kind: str, value: Hashable) -> int:
        """The id of ``value`` among the values of its kind; ``new`` when first seen."""
        ids = self.ids.setdefault(kind, {})
        return ids.setdefault(value, len(ids))

    def seen(self, kind: str, value: Hashable) -> int | None:
        return self.ids.setdefault(kind, {}).get(value)

    def ints_of(self, column: str, width: int = 0) -> Ints:
        found = np.array(self.ints.get(column, []), dtype=np.int64)
        return found.reshape(-1, width) if width else found

    def flags_of(self, column: str) -> Bools:
        return np.array(self.ints.get(column, []), dtype=np.bool_)

    def floats_of(self, column: str) -> Floats:
        return np.array(self.floats.get(column, []), dtype=np.float64)

    def starts_of(self, column: str) -> Ints:
        """Where each row's items begin, from the row sizes added to ``column``."""
        return np.cumsum([0, *self.ints.get(column, [])], dtype=np.int64)


class ListedTable:
    """The prepared listed subjects of an index as arrays, by subject number (``None`` for a
    removed one), and their score bounds for a query (``bounds``).

    Arrays, each ``*_ptr`` giving where a row's items begin in the next: spellings (``sp_``:
    key id, length, first letter), tokens (``tk_``: spellings, weight, initial or not;
    equal tokens of different listings are one row), names (``nm_``: tokens, total weight,
    weak or not), subjects (``sb_``: names, schema, person or not, gender) and per subject
    its birth dates (year, month, day, parts), countries, identifiers and exact names (the
    sorted token texts of its strong names)."""

    def __init__(self, prepared: Sequence[PreparedSubject | None]) -> None:
        self.prepared = list(prepared)
        c = _Columns()
        for subject in self.prepared:
            self._add_subject(c, subject)
        # Object arrays: a query's share is taken by one fancy index, not a Python loop.
        self._texts = np.array(c.texts["sp_text"], dtype=object)
        self._joined = np.array(c.texts["nm_joined"], dtype=object)
        self._ids = c.ids
        self._schemas = [str(s) for s in c.ids.get("schema", {})]  # by id
        self._arrays = (
            c.ints_of("sp_key"),
            c.ints_of("sp_len"),
            c.ints_of("sp_first"),
            c.starts_of("tk_n"),
            c.ints_of("tk_sp"),
            c.floats_of("tk_w"),
            c.flags_of("tk_init"),
            c.starts_of("nm_n"),
            c.ints_of("nm_tok"),
            c.floats_of("nm_total"),
            c.flags_of("nm_weak"),
            c.starts_of("sb_n"),
            c.ints_of("sb_schema"),
            c.flags_of("sb_person"),
            c.ints_of("sb_gender"),
            c.starts_of("dt_n"),
            c.ints_of("dt", 4),
            c.starts_of("cy_n"),
            c.ints_of("cy"),
            c.starts_of("id_n"),
            c.ints_of("ids"),
            c.starts_of("ex_n"),
            c.ints_of("ex"),
        )
        # What ``kernels.spellings_of`` reads: subjects' names, names' tokens, tokens' spellings.
        self._paths = (self._arrays[11], self._arrays[7], self._arrays[8], *self._arrays[3:5])

    def _add_subject(self, c: _Columns, subject: PreparedSubject | None) -> None:
        if subject is None:  # removed from the index: no names, nothing matches
            c.add("sb_n", 0)
            c.add("sb_schema", c.id_of("schema", ""))
            c.add("sb_person", False)
            c.add("sb_gender", NONE)
            for column in ("dt_n", "cy_n", "id_n", "ex_n"):
                c.add(column, 0)
            return
        c.add("sb_n", len(subject.names))
        for name in subject.names:
            c.add("nm_n", len(name.tokens))
            c.add("nm_tok", *(self._token(c, t) for t in name.tokens))
            c.add_float("nm_total", name.total_weight)
            c.add("nm_weak", name.weak)
            c.texts["nm_joined"].append(name.joined)
        c.add("sb_schema", c.id_of("schema", subject.schema))
        c.add("sb_person", subject.schema == PERSON)
        c.add("sb_gender", NONE if subject.gender is None else c.id_of("gender", subject.gender))
        c.add("dt_n", len(subject.birth_dates))
        c.add("dt", *(v for d in subject.birth_dates for v in _date_row(d)))
        c.add("cy_n", len(subject.countries))
        c.add("cy", *(c.id_of("country", v) for v in subject.countries))
        c.add("id_n", len(subject.identifiers))
        c.add("ids", *(c.id_of("identifier", v) for v in subject.identifiers))
        exact = {n.sorted_texts for n in subject.names if not n.weak}
        c.add("ex_n", len(exact))
        c.add("ex", *(c.id_of("exact", v) for v in exact))

    def _token(self, c: _Columns, token: Token) -> int:
        """The token's row, added when first seen."""
        number = c.seen("token", token)
        if number is None:
            number = c.id_of("token", token)
            c.add("tk_n", len(token.spellings))
            c.add("tk_sp", *(self._spelling(c, s) for s in token.spellings))
            c.add_float("tk_w", token.weight)
            c.add("tk_init", token.role is Role.INITIAL)
        return number

    def _spelling(self, c: _Columns, spelling: tuple[str, str]) -> int:
        """The spelling's row, added when first seen."""
        number = c.seen("spelling", spelling)
        if number is None:
            number = c.id_of("spelling", spelling)
            text, key = spelling
            c.texts["sp_text"].append(text)
            c.add("sp_key", c.id_of("key", key))
            c.add("sp_len", len(text))
            c.add("sp_first", ord(text[0]) if text else 0)
        return number

    def __len__(self) -> int:
        return len(self.prepared)

    def bounds(self, query: PreparedSubject, numbers: Ints) -> Floats:
        """Upper bounds of ``LogicWK.compare(query, listed).score`` (default weights) for the
        listed subjects ``numbers``."""
        if not len(numbers):
            return np.zeros(0)
        spells, column, names = kernels.spellings_of(numbers, len(self._texts), *self._paths)
        q = _Query.of(query, self)
        edit = cdist(
            q.texts,
            self._texts[spells],
            scorer=Levenshtein.normalized_similarity,
            dtype=np.float64,
        )
        glued = cdist(
            q.joined,
            self._joined[names],
            scorer=Levenshtein.normalized_similarity,
            dtype=np.float64,
            score_cutoff=GLUED_FLOOR,
        )
        compatible = np.array(
            [schemas_compatible(query.schema, s) if s else False for s in self._schemas],
            dtype=np.bool_,
        )
        return kernels.bounds(
            numbers, column, edit, glued, *self._arrays, *q.arrays, compatible, *q.facts
        )

    def id_of(self, kind: str, value: Hashable) -> int:
        """The table's id for a value of one kind (a key, gender, country...), ``UNKNOWN``
        if no listed subject has it."""
        return self._ids.get(kind, {}).get(value, UNKNOWN)


def _date_row(date: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A parsed date as (year, month, day, parts), unknown parts 0."""
    padded = (*date, 0, 0, 0)
    return padded[0], padded[1], padded[2], len(date)


@dataclass(frozen=True, slots=True)
class _Query:
    """A prepared query as the bound kernel reads it, ids from one table."""

    texts: list[str]  # every spelling of every token of every name, in order
    joined: list[str]  # each name glued
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
            np.array([_date_row(d) for d in query.birth_dates], dtype=np.int64).reshape(-1, 4),
            bool(query.countries),
            _known(table, "country", query.countries),
            _known(table, "identifier", query.identifiers),
            _known(table, "exact", {n.sorted_texts for n in query.names if not n.weak}),
        )
        return cls(texts, [n.joined for n in query.names], arrays, facts)


def _known(table: ListedTable, kind: str, values: Iterable[Hashable]) -> Ints:
    """The table's ids of those values any listed subject has."""
    found = [table.id_of(kind, v) for v in values]
    return np.array([i for i in found if i != UNKNOWN], dtype=np.int64)
