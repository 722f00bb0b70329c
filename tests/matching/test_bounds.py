"""Score bounds: never below the score they bound, so skipping by them loses no alert."""

import random

import numpy as np
import pytest

from watchkeeper.matching.bounds import all_bounds
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.kernels import constants
from watchkeeper.matching.prepared import prepare, prepare_uncached
from watchkeeper.matching.score import PRESETS, LogicWK
from watchkeeper.matching.screener import CANDIDATES, Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.table import ListedTable


def _queries(un_subjects: tuple[Subject, ...]) -> list[Subject]:
    """Listed names held out one at a time, with and without a birth date and a country,
    initials and weak aliases included, plus hand-written hard cases."""
    rng = random.Random(5)
    queries = [
        Subject("Person", ("أيمن الظواهري",)),
        Subject("Person", ("A. al-Zawahiri",), birth_dates=("1951-06-19",)),
        Subject("Person", ("Abu Mohamed al-Adnani",), birth_dates=("1977",)),
        Subject("Person", ("Mohammed Ali",), birth_dates=("1990-01-01",)),
        Subject("Person", ("AlZawahiri Ayman",)),
        Subject("Organization", ("Islamic State of Iraq and the Levant",)),
    ]
    for subject in rng.sample(un_subjects, 120):
        for name in (subject.names + subject.weak_names)[:3]:
            dates = subject.birth_dates[:1] if rng.random() < 0.5 else ("1985-03-02",)
            queries.append(Subject(subject.schema, (name,), birth_dates=dates))
    return queries


def test_bound_is_never_below_the_score(
    un_subjects: tuple[Subject, ...], un_index: NameIndex
) -> None:
    checked = 0
    for query in _queries(un_subjects):
        prepared = prepare(query)
        listed = [prepare(c.subject) for c in un_index.query(query, limit=20)]
        bounds = LogicWK.bounds(prepared, listed)
        for result, bound in zip(listed, bounds, strict=True):
            score = LogicWK.compare(prepared, result).score
            assert bound >= score, (query.names, result.subject.entity_id, bound, score)
            checked += 1
    assert checked > 2000


def test_name_pair_bounds_change_no_comparison(
    un_subjects: tuple[Subject, ...], un_index: NameIndex
) -> None:
    """Aligning only the name pairs whose bound reaches the best value found gives the
    comparison every pair gives: its score, its features and their details, its names."""
    pruned = 0
    for query in _queries(un_subjects)[:200]:
        listed = [c.subject for c in un_index.query(query, limit=20)]
        table = ListedTable(listed)
        rows = table.rows(np.arange(len(listed), dtype=np.int64))
        with_bounds, every_pair = prepare_uncached(query), prepare_uncached(query)
        found = all_bounds(table, with_bounds, rows)
        for i, row in enumerate(rows.tolist()):
            result = table.prepared[row]
            ceilings = found.of_row(i).tolist()
            fast = LogicWK.compare(with_bounds, result, None, ceilings)
            full = LogicWK.compare(every_pair, result)
            assert fast.as_dict() == full.as_dict(), (query.names, result.subject.entity_id)
            pruned += len(result.distinct_names) > 1
    assert pruned > 1000


def test_bound_is_tight_for_an_exact_name() -> None:
    listed = prepare(Subject("Person", ("Ayman al-Zawahiri", "Ayman Muhammad Rabi")))
    query = prepare(Subject("Person", ("Ayman al-Zawahiri",)))
    [bound] = LogicWK.bounds(query, [listed])
    assert bound == pytest.approx(LogicWK.compare(query, listed).score, abs=1e-6)


def test_bound_counts_a_glued_name_exactly_at_the_floor() -> None:
    """Glued, these names are 3 edits in 20 apart: a similarity of exactly ``GLUED_FLOOR``,
    which the scorer counts. (rapidfuzz's ``cdist`` with that ``score_cutoff`` gave 0 for
    it, and the bound fell below the score.)"""
    listed = prepare(Subject("Organization", ("CONGOCOM TRADING HOUSE",)))
    query = prepare(Subject("LegalEntity", ("CONGOMETTRADING HOUSE",)))
    [bound] = LogicWK.bounds(query, [listed])
    assert bound >= LogicWK.compare(query, listed).score > PRESETS["balanced"]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Nikolai Patr ushev", "Nikolai Platonovich Patrushev"),
        ("Nikolai Platonovich Patrushev", "Nikolai Patr ushev"),
        ("MOHAMMAD HASNI HAJI SSAD KHAN ZARKARI", "HAJI ASAD KHAN ZARKARI MOHAMMADHASNI"),
        ("HAJI ASAD KHAN ZARKARI MOHAMMADHASNI", "MOHAMMAD HASNI HAJI SSAD KHAN ZARKARI"),
    ],
)
def test_bound_counts_two_words_spaced_as_one(query: str, listed: str) -> None:
    """Two neighbouring words read as one word of the other name, on either side: the
    bound credits them as the scorer does, so the screener keeps the alert."""
    q, r = prepare(Subject("Person", (query,))), prepare(Subject("Person", (listed,)))
    [bound] = LogicWK.bounds(q, [r])
    assert bound >= LogicWK.compare(q, r).score > PRESETS["balanced"]


def test_bound_of_a_stranger_is_low() -> None:
    listed = prepare(Subject("Person", ("Ayman al-Zawahiri",), birth_dates=("1951-06-19",)))
    query = prepare(Subject("Person", ("Peter Smith",), birth_dates=("1990-01-01",)))
    assert LogicWK.bounds(query, [listed]) == [0.0]


def test_bounds_of_no_candidates_and_of_incompatible_schemas() -> None:
    query = prepare(Subject("Person", ("Ayman al-Zawahiri",)))
    assert LogicWK.bounds(query, []) == []
    company = prepare(Subject("Company", ("Ayman al-Zawahiri",)))
    assert LogicWK.bounds(query, [company]) == [0.0]


def test_screen_keeps_every_alert_candidates_would_give(
    un_subjects: tuple[Subject, ...], un_index: NameIndex
) -> None:
    screener = Screener(un_index, PRESETS["broad"])
    for query in _queries(un_subjects)[:150]:
        every = [h.entity_id for h in screener.candidates(query, limit=10) if h.alert]
        assert [h.entity_id for h in screener.screen(query, limit=10)] == every


def test_candidates_are_the_exact_top_k(
    un_subjects: tuple[Subject, ...], un_index: NameIndex
) -> None:
    screener = Screener(un_index)
    for query in _queries(un_subjects)[:120]:
        prepared = prepare(query)
        every = [
            screener._hit(prepared, prepare(c.subject))
            for c in un_index.query(query, limit=CANDIDATES)
        ]
        every.sort(key=lambda h: (-h.score, h.entity_id))
        got = screener.candidates(query, limit=5)
        assert [(h.entity_id, h.score) for h in got] == [(h.entity_id, h.score) for h in every[:5]]


def test_kernels_compute_with_the_weights_they_are_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound kernel takes the scorer's numbers as an argument: compiled code cached on
    disk would otherwise keep the numbers it was compiled with after ``weights`` changed."""
    listed = [prepare(Subject("Person", ("Ayman al-Zawahiri",)))]
    query = prepare(Subject("Person", ("Ayman al-Zawahiri",)))
    (before,) = LogicWK.bounds(query, listed)
    lower = constants.CONSTANTS.copy()
    lower[constants.Constants._fields.index("intercept")] -= 5.0
    monkeypatch.setattr(constants, "CONSTANTS", lower)
    (after,) = LogicWK.bounds(query, listed)
    assert after < before - 0.3
