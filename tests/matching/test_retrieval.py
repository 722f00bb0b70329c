"""Screening without numba (``compiled=False``, what ``watchkeeper match`` does): the numpy
retrieval gives the kernels' candidates and scores bit for bit, and scoring every candidate
gives the hits the bounds give."""

import random

import numpy as np

from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject


def _queries(un_subjects: tuple[Subject, ...]) -> list[Subject]:
    """Every listed name and weak alias on its own (Arabic script included), each listed
    subject with all its names at once, and names that are all common keys or unknown."""
    queries = [Subject(s.schema, (name,)) for s in un_subjects for name in s.names + s.weak_names]
    queries += [Subject(s.schema, s.names) for s in un_subjects if s.names]
    queries += [Subject("Person", (name,)) for name in ("Mohammed Ali", "Al", "Xyzzy Qwerty")]
    return queries


def test_numpy_retrieval_is_the_kernels(
    un_subjects: tuple[Subject, ...], un_index: NameIndex
) -> None:
    rng = random.Random(3)
    queries = _queries(un_subjects)
    assert len(queries) > 4000
    for query in queries:
        for limit in (5, 20):
            kernel = un_index.query_numbers(query, limit, compiled=True)
            numpy = un_index.query_numbers(query, limit, compiled=False)
            assert kernel[0].tolist() == numpy[0].tolist(), query.names
            assert kernel[1].tolist() == numpy[1].tolist(), query.names
    allowed = np.array([rng.random() < 0.5 for _ in range(un_index.capacity)], dtype=np.bool_)
    for query in rng.sample(queries, 500):
        kernel = un_index.query_numbers(query, 20, allowed=allowed, compiled=True)
        numpy = un_index.query_numbers(query, 20, allowed=allowed, compiled=False)
        assert (kernel[0].tolist(), kernel[1].tolist()) == (numpy[0].tolist(), numpy[1].tolist())


def test_scoring_every_candidate_gives_the_bounded_hits(
    un_subjects: tuple[Subject, ...], un_index: NameIndex
) -> None:
    rng = random.Random(11)
    compiled = Screener(un_index, compiled=True)
    uncompiled = Screener(un_index, compiled=False)
    queries = [
        Subject("Person", ("Ayman al-Zawahiri",)),
        Subject("Person", ("أيمن الظواهري",), birth_dates=("1951-06-19",)),
        Subject("Organization", ("Islamic State of Iraq and the Levant",)),
    ]
    for subject in rng.sample(un_subjects, 150):
        dates = subject.birth_dates[:1] if rng.random() < 0.5 else ("1985-03-02",)
        queries.append(Subject(subject.schema, subject.names[:1], birth_dates=dates))
    for query in queries:
        for limit in (1, 5):
            want = [(h.entity_id, h.score, h.alert) for h in compiled.candidates(query, limit)]
            got = [(h.entity_id, h.score, h.alert) for h in uncompiled.candidates(query, limit)]
            assert got == want, query.names
        want = [(h.entity_id, h.score) for h in compiled.screen(query)]
        assert [(h.entity_id, h.score) for h in uncompiled.screen(query)] == want, query.names
