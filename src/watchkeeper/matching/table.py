"""The listed subjects of an index, prepared for the scorer and laid out as flat arrays.

The score bounds (``bounds``) and their compiled kernel read listed names as arrays, not
as Python objects: one row per prepared subject, and for each row its names, each name its
tokens, each token its spellings (a token or spelling shared by many listings is one row),
plus its birth dates, countries, identifiers and exact names. Each ``*_ptr`` array says
where a row's items begin in the next array.

Subjects are prepared on first use (``rows``), so that a list of a million entries costs
only what is screened against, and appended to the arrays, which grow by doubling; a
lock makes concurrent screenings of a service append one at a time. ``prepare_all``
prepares everything at once, before worker processes are forked to share it.
"""

import threading
from collections.abc import Hashable, Sequence

import numpy as np
import numpy.typing as npt

from watchkeeper.matching.features import schemas_compatible
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.prepared import PERSON, PreparedSubject, Token, prepare_uncached
from watchkeeper.matching.subject import Subject

Ints = npt.NDArray[np.int64]
NONE = -1  # no value (a gender, an unknown key): never equal to an id
UNKNOWN = -2  # a value the table has never seen: equal to no id, but known
MISSING = -1  # the row of a subject not prepared yet


class _Column:
    """A numpy array grown by appending, its capacity doubling."""

    def __init__(self, dtype: type, width: int = 0, first: object = None) -> None:
        shape = (16, width) if width else (16,)
        self.data: npt.NDArray[np.generic] = np.empty(shape, dtype=dtype)
        self.size = 0
        if first is not None:
            self.extend([first])

    def extend(self, values: Sequence[object]) -> None:
        end = self.size + len(values)
        if end > len(self.data):
            grown = np.empty((max(end, 2 * len(self.data)), *self.data.shape[1:]), self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        if values:
            self.data[self.size : end] = np.asarray(values, dtype=self.data.dtype)
        self.size = end

    def view(self) -> npt.NDArray[np.generic]:
        return self.data[: self.size]


# The arrays, in the order the bound kernel takes them: (name, dtype, width, first value).
# A ``*_ptr`` array starts with 0 and gets each row's end.
# 32-bit: a query reads rows scattered over the table, and half the bytes are half the
# cache misses.
COLUMNS: tuple[tuple[str, type, int, object], ...] = (
    ("sp_key", np.int32, 0, None),
    ("sp_len", np.int32, 0, None),
    ("sp_first", np.int32, 0, None),
    ("tk_ptr", np.int32, 0, 0),
    ("tk_sp", np.int32, 0, None),
    ("tk_w", np.float64, 0, None),
    ("tk_init", np.bool_, 0, None),
    ("nm_ptr", np.int32, 0, 0),
    ("nm_tok", np.int32, 0, None),
    ("nm_total", np.float64, 0, None),
    ("nm_weak", np.bool_, 0, None),
    ("sb_ptr", np.int32, 0, 0),
    ("sb_schema", np.int32, 0, None),
    ("sb_person", np.bool_, 0, None),
    ("sb_gender", np.int32, 0, None),
    ("dt_ptr", np.int32, 0, 0),
    ("dt", np.int32, 4, None),
    ("cy_ptr", np.int32, 0, 0),
    ("cy", np.int32, 0, None),
    ("id_ptr", np.int32, 0, 0),
    ("ids", np.int32, 0, None),
    ("ex_ptr", np.int32, 0, 0),
    ("ex", np.int32, 0, None),
)


class ListedTable:
    """Listed subjects, by number, prepared into rows of flat arrays on first use."""

    def __init__(self, subjects: Sequence[Subject | PreparedSubject | None]) -> None:
        self._subjects = list(subjects)
        self._rows = np.full(len(self._subjects), MISSING, dtype=np.int64)
        self.prepared: list[PreparedSubject] = []  # by row
        self._columns = {name: _Column(t, w, first) for name, t, w, first in COLUMNS}
        self.texts = _Column(object)  # by spelling
        self.joined = _Column(object)  # by name, glued
        self._ids: dict[str, dict[Hashable, int]] = {}
        self.schemas: list[str] = []  # by schema id
        self._compatible: dict[str, npt.NDArray[np.bool_]] = {}  # by query schema
        self._lock = threading.Lock()
        self._arrays: tuple[npt.NDArray[np.generic], ...] | None = None  # views, until rows grow

    def __len__(self) -> int:
        return len(self._subjects)

    def rows(self, numbers: Ints) -> Ints:
        """The rows of subjects ``numbers``, preparing those not prepared yet."""
        rows = self._rows[numbers]
        if (rows == MISSING).any():
            with self._lock:
                for number in numbers[self._rows[numbers] == MISSING].tolist():
                    self._add(number)
                self._arrays = None
            rows = self._rows[numbers]
        return rows

    def prepare_all(self) -> None:
        """Prepare every subject now."""
        self.rows(np.flatnonzero(self._rows == MISSING))

    def arrays(self) -> tuple[npt.NDArray[np.generic], ...]:
        """The arrays as they stand, in ``COLUMNS`` order (rows added later are not in
        them: take them after ``rows``)."""
        found = self._arrays
        if found is None:
            with self._lock:
                found = self._arrays = tuple(self._columns[n].view() for n, *_ in COLUMNS)
        return found

    def compatible(self, schema: str) -> npt.NDArray[np.bool_]:
        """Which of the table's schemas (by id) a query of ``schema`` may be."""
        found = self._compatible.get(schema)
        if found is None or len(found) < len(self.schemas):
            found = np.array([schemas_compatible(schema, s) for s in self.schemas], np.bool_)
            self._compatible[schema] = found
        return found

    def id_of(self, kind: str, value: Hashable) -> int:
        """The table's id for a value of one kind (a key, gender, schema, country...),
        ``UNKNOWN`` if no prepared subject has it."""
        return self._ids.get(kind, {}).get(value, UNKNOWN)

    def _new_id(self, kind: str, value: Hashable) -> tuple[int, bool]:
        """The id of a value of one kind, and whether it is new."""
        ids = self._ids.setdefault(kind, {})
        found = ids.get(value)
        if found is not None:
            return found, False
        ids[value] = len(ids)
        return ids[value], True

    def _id(self, kind: str, value: Hashable) -> int:
        return self._new_id(kind, value)[0]

    def _add(self, number: int) -> None:
        """Prepare subject ``number`` and append its row (an empty one if removed)."""
        given = self._subjects[number]
        subject = prepare_uncached(given) if isinstance(given, Subject) else given
        self._rows[number] = len(self.prepared)
        empty = PreparedSubject(Subject("", ()), (), (), frozenset(), None, frozenset())
        self.prepared.append(subject or empty)
        self._append_row(subject or empty)

    def _append_row(self, subject: PreparedSubject) -> None:
        c = self._columns
        for name in subject.names:
            c["nm_tok"].extend([self._token(t) for t in name.tokens])
            c["nm_ptr"].extend([c["nm_tok"].size])
            c["nm_total"].extend([name.total_weight])
            c["nm_weak"].extend([name.weak])
            self.joined.extend([name.joined])
        c["sb_ptr"].extend([c["nm_ptr"].size - 1])
        schema, new = self._new_id("schema", subject.schema)
        if new:
            self.schemas.append(subject.schema)
        c["sb_schema"].extend([schema])
        c["sb_person"].extend([subject.schema == PERSON])
        gender = subject.gender
        c["sb_gender"].extend([NONE if gender is None else self._id("gender", gender)])
        self._values("dt", [date_row(d) for d in subject.birth_dates])
        self._values("cy", [self._id("country", v) for v in subject.countries])
        self._values("ids", [self._id("identifier", v) for v in subject.identifiers])
        exact = {n.sorted_texts for n in subject.names if not n.weak}
        self._values("ex", [self._id("exact", v) for v in exact])

    def _values(self, column: str, values: Sequence[object]) -> None:
        """Append a row's values to ``column`` and their end to its pointer array."""
        self._columns[column].extend(values)
        self._columns[f"{column[:2]}_ptr"].extend([self._columns[column].size])

    def _token(self, token: Token) -> int:
        """The token's row, appended when first seen."""
        number, new = self._new_id("token", token)
        if new:
            c = self._columns
            c["tk_sp"].extend([self._spelling(s) for s in token.spellings])
            c["tk_ptr"].extend([c["tk_sp"].size])
            c["tk_w"].extend([token.weight])
            c["tk_init"].extend([token.role is Role.INITIAL])
        return number

    def _spelling(self, spelling: tuple[str, str]) -> int:
        """The spelling's row, appended when first seen."""
        number, new = self._new_id("spelling", spelling)
        if new:
            text, key = spelling
            c = self._columns
            self.texts.extend([text])
            c["sp_key"].extend([self._id("key", key)])
            c["sp_len"].extend([len(text)])
            c["sp_first"].extend([ord(text[0]) if text else 0])
        return number


def date_row(date: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A parsed date as (year, month, day, parts), unknown parts 0."""
    padded = (*date, 0, 0, 0)
    return padded[0], padded[1], padded[2], len(date)
