"""The listed table: subjects prepared on first use, removed ones inert, and concurrent
screenings that prepare rows at the same time see what a single thread sees."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from watchkeeper.matching.bounds import bounds
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.prepared import prepare
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.table import COLUMNS, ListedTable


def test_rows_are_prepared_on_first_use(un_subjects: tuple[Subject, ...]) -> None:
    table = ListedTable(un_subjects)
    assert table.prepared == []
    rows = table.rows(np.array([5, 2, 5], dtype=np.int64))
    assert rows.tolist() == [1, 0, 1]  # each subject once, by number
    assert [p.subject for p in table.prepared] == [un_subjects[2], un_subjects[5]]
    table.prepare_all()
    assert len(table.prepared) == len(un_subjects)


def test_a_removed_subject_bounds_to_zero() -> None:
    listed = Subject("Person", ("Ayman al-Zawahiri",), entity_id="a")
    table = ListedTable([listed, None])
    query = prepare(Subject("Person", ("Ayman al-Zawahiri",)))
    found = bounds(table, query, table.rows(np.array([0, 1], dtype=np.int64)))
    assert found[0] > 0.9 and found[1] == 0.0


def test_threads_preparing_rows_together_screen_as_one(un_subjects: tuple[Subject, ...]) -> None:
    queries = [
        Subject(s.schema, (name,))
        for s in un_subjects[::7]
        for name in (s.names + s.weak_names)[:2]
    ]
    alone = Screener(NameIndex.build(un_subjects))
    want = [[(h.entity_id, h.score) for h in alone.screen(q)] for q in queries]
    shared = Screener(NameIndex.build(un_subjects))  # a fresh table: every row prepared anew
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda q: [(h.entity_id, h.score) for h in shared.screen(q)], queries))
    assert got == want
    assert sum(map(len, want)) > 100


def test_texts_are_kept_as_code_points(un_subjects: tuple[Subject, ...]) -> None:
    """Each distinct spelling once, by id, with its key; each name glued, as the kernel
    reads them (an Arabic-script name: its romanised spellings)."""
    listed = Subject("Person", ("أيمن الظواهري",))
    table = ListedTable([listed, *un_subjects[:40]])
    table.prepare_all()
    columns = dict(zip([name for name, *_ in COLUMNS], table.arrays(), strict=True))

    def text(ptr: np.ndarray, cp: np.ndarray, number: int) -> str:
        return "".join(map(chr, cp[ptr[number] : ptr[number + 1]]))

    names = [n for p in table.prepared for n in p.names]
    assert [text(columns["jn_ptr"], columns["jn"], n) for n in range(len(names))] == [
        n.joined for n in names
    ]
    spellings = {s for n in names for t in n.tokens for s in t.spellings}
    assert len(columns["sp_ptr"]) == len(spellings) + 1
    for spelled, key in spellings:
        number = table.id_of("spelling", (spelled, key))
        assert text(columns["sp_ptr"], columns["sp"], number) == spelled
        assert columns["sp_key"][number] == table.id_of("key", key)
