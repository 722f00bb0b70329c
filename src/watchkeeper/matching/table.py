"""The listed subjects of an index, prepared for the scorer and laid out as flat arrays.

The score bounds (``bounds``) and their compiled kernel read listed names as arrays, not
as Python objects: one row per prepared subject, and for each row its names, each name its
tokens, each token its spellings, plus its birth dates, countries, identifiers and exact
names. Each ``*_ptr`` array says where an item's parts begin in the next array. Texts (the
distinct spellings, each name glued) are code points, so that the kernel computes their
edit distances itself instead of handing Python strings to rapidfuzz.

Subjects are prepared on first use (``rows``), so that a list of a million entries costs
only what is screened against, and appended to the arrays, which grow by doubling; a
lock makes concurrent screenings of a service append one at a time. ``prepare_all``
prepares everything at once, before worker processes are forked to share it.
"""

import threading
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from watchkeeper.matching.features import schemas_compatible
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.prepared import PERSON, PreparedSubject, prepare_uncached
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

    def extend(self, values: Sequence[object] | npt.NDArray[np.generic]) -> None:
        end = self.size + len(values)
        if end > len(self.data):
            grown = np.empty((max(end, 2 * len(self.data)), *self.data.shape[1:]), self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        if end > self.size:
            self.data[self.size : end] = np.asarray(values, dtype=self.data.dtype)
        self.size = end

    def view(self) -> npt.NDArray[np.generic]:
        return self.data[: self.size]


# The arrays, in the order the bound kernel takes them: (name, dtype, width, first value).
# A ``*_ptr`` array starts with 0 and gets each row's end.
# 32-bit: a query reads rows scattered over the table, and half the bytes are half the
# cache misses. A name's tokens (occurrences, ``oc_``) and their spellings (``os_``) are laid
# out in place, row after row, for the same reason: a candidate's names are read in one
# sweep; only ``os_sp`` refers to the table of distinct spellings (``sp_``: key, code
# points), which a query reads once per distinct spelling of its candidates.
COLUMNS: tuple[tuple[str, type, int, object], ...] = (
    ("os_sp", np.int32, 0, None),
    ("oc_ptr", np.int32, 0, 0),
    ("oc_w", np.float64, 0, None),
    ("oc_init", np.bool_, 0, None),
    ("nm_ptr", np.int32, 0, 0),
    ("nm_total", np.float64, 0, None),
    ("nm_weak", np.bool_, 0, None),
    ("jn_ptr", np.int32, 0, 0),  # by name: its glued text in ``jn``
    ("jn", np.uint32, 0, None),
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
    ("sp_ptr", np.int32, 0, 0),  # by spelling: its text in ``sp``
    ("sp", np.uint32, 0, None),
    ("sp_key", np.int32, 0, None),
)


class ListedTable:
    """Listed subjects, by number, prepared into rows of flat arrays on first use."""

    def __init__(self, subjects: Sequence[Subject | PreparedSubject | None]) -> None:
        self._subjects = list(subjects)
        self._rows = np.full(len(self._subjects), MISSING, dtype=np.int64)
        self._complete = not self._subjects  # every subject prepared: ``rows`` looks up only
        self.prepared: list[PreparedSubject] = []  # by row
        self._columns = {name: _Column(t, w, first) for name, t, w, first in COLUMNS}
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
        if self._complete:  # a service's table after ``prepare_all``
            return rows
        if (rows == MISSING).any():
            with self._lock:
                missing = np.unique(numbers[self._rows[numbers] == MISSING])
                added = [self._add(number) for number in missing.tolist()]
                # Published only once appended, and after the old views are dropped: a
                # screening of another thread that sees a row also sees the arrays holding it.
                self._arrays = None
                self._rows[missing] = added
                self._complete = len(self.prepared) == len(self._subjects)
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

    def ids_of(self, kind: str) -> Mapping[Hashable, int]:
        """The table's ids of the values of one kind (``id_of`` of many, one lookup each)."""
        return self._ids.get(kind, {})

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

    def _add(self, number: int) -> int:
        """Prepare subject ``number`` and append its row (an empty one if removed)."""
        given = self._subjects[number]
        subject = prepare_uncached(given) if isinstance(given, Subject) else given
        empty = PreparedSubject(Subject("", ()), (), (), frozenset(), None, frozenset())
        self._append_row(subject or empty)
        self.prepared.append(subject or empty)
        return len(self.prepared) - 1

    def _append_row(self, subject: PreparedSubject) -> None:
        row: dict[str, list[object]] = {name: [] for name, *_ in COLUMNS}
        sizes = {name: self._columns[name].size for name in ("os_sp", "oc_w", "nm_total")}
        texts = {"sp": self._columns["sp"].size, "jn": self._columns["jn"].size}
        spelled: list[str] = []  # the spellings first seen in this row, by id
        for name in subject.names:
            for token in name.tokens:
                for text, key in token.spellings:
                    number, first_seen = self._new_id("spelling", (text, key))
                    row["os_sp"].append(number)
                    if first_seen:
                        spelled.append(text)
                        texts["sp"] += len(text)
                        row["sp_ptr"].append(texts["sp"])
                        row["sp_key"].append(self._id("key", key))
                row["oc_ptr"].append(sizes["os_sp"] + len(row["os_sp"]))
                row["oc_w"].append(token.weight)
                row["oc_init"].append(token.role is Role.INITIAL)
            row["nm_ptr"].append(sizes["oc_w"] + len(row["oc_w"]))
            row["nm_total"].append(name.total_weight)
            row["nm_weak"].append(name.weak)
            texts["jn"] += len(name.joined)
            row["jn_ptr"].append(texts["jn"])
        self._columns["sp"].extend(code_points("".join(spelled)))
        self._columns["jn"].extend(code_points("".join(n.joined for n in subject.names)))
        row["sb_ptr"].append(sizes["nm_total"] + len(row["nm_total"]))
        schema, new = self._new_id("schema", subject.schema)
        if new:
            self.schemas.append(subject.schema)
        row["sb_schema"].append(schema)
        row["sb_person"].append(subject.schema == PERSON)
        gender = subject.gender
        row["sb_gender"].append(NONE if gender is None else self._id("gender", gender))
        exact = {n.sorted_texts for n in subject.names if not n.weak}
        values: dict[str, list[object]] = {
            "dt": [date_row(d) for d in subject.birth_dates],
            "cy": [self._id("country", v) for v in subject.countries],
            "ids": [self._id("identifier", v) for v in subject.identifiers],
            "ex": [self._id("exact", v) for v in exact],
        }
        for column, found in values.items():
            row[column] = found
            pointer = f"{column[:2]}_ptr"
            row[pointer].append(self._columns[column].size + len(found))
        for column, items in row.items():
            if items:
                self._columns[column].extend(items)


def code_points(text: str) -> npt.NDArray[np.uint32]:
    """The code points of ``text``, as the kernels compare texts."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def date_row(date: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A parsed date as (year, month, day, parts), unknown parts 0."""
    padded = (*date, 0, 0, 0)
    return padded[0], padded[1], padded[2], len(date)
