"""The candidate index on the bundled UN list, checked against the linear oracle."""

import random
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from watchkeeper.matching.candidates import Candidate
from watchkeeper.matching.index import NameIndex, from_store
from watchkeeper.matching.names.arabic import is_arabic_script
from watchkeeper.matching.names.keys import keyed_parts
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.oracle import LinearIndex, same_candidates
from watchkeeper.matching.postings import COMPACT_MIN
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.terms import DATED_LIMIT, name_keys

ORACLE_QUERIES = 200


def _ids(candidates: list[Candidate]) -> list[str | None]:
    return [c.subject.entity_id for c in candidates]


def _query(name: str) -> Subject:
    return Subject(schema="Person", names=(name,))


def _without_arabic(subject: Subject) -> Subject:
    def latin(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(n for n in names if not is_arabic_script(n))

    return replace(subject, names=latin(subject.names), weak_names=latin(subject.weak_names))


@pytest.mark.parametrize(
    ("name", "entity_id", "top"),
    [
        ("Abu Mohamed al-Adnani", "un-QDi.325", 3),
        ("Aiman al Zawahri", "un-QDi.006", 5),
        ("Abu Bakr al-Baghdadi", "un-QDi.299", 3),
    ],
)
def test_finds_listed_person(un_index: NameIndex, name: str, entity_id: str, top: int) -> None:
    assert entity_id in _ids(un_index.query(_query(name), limit=top))


def test_arabic_query_finds_latin_only_list(un_subjects: tuple[Subject, ...]) -> None:
    index = NameIndex.build(_without_arabic(s) for s in un_subjects)
    assert "un-QDi.006" in _ids(index.query(_query("أيمن الظواهري"), limit=10))


def test_scores_are_ranked_shares(un_index: NameIndex) -> None:
    found = un_index.query(_query("Aiman al Zawahri"))
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores) and len(found) <= 20


def test_agrees_with_linear_oracle(un_subjects: tuple[Subject, ...], un_index: NameIndex) -> None:
    """Same top-20 candidates as a full scan on 200 alias queries. Ties at the cut-off are
    interchangeable, so a query agrees when the candidates above the last score match and
    the scores match position by position."""
    oracle = LinearIndex.build(un_subjects)
    rng = random.Random(7)
    names = sorted({n for s in un_subjects for n in s.names[1:] + s.weak_names})
    queries = rng.sample(names, ORACLE_QUERIES)
    agree = sum(
        same_candidates(un_index.query(_query(q)), oracle.query(_query(q))) for q in queries
    )
    assert agree / ORACLE_QUERIES >= 0.95


def test_remove_and_add_patch_the_index(un_subjects: tuple[Subject, ...]) -> None:
    index = NameIndex.build(un_subjects)
    zawahiri = next(s for s in un_subjects if s.entity_id == "un-QDi.006")
    index.remove("un-QDi.006")
    assert "un-QDi.006" not in index
    assert "un-QDi.006" not in _ids(index.query(_query("Aiman al Zawahri")))
    index.add(zawahiri)
    assert _ids(index.query(_query("Aiman al Zawahri"), limit=1)) == ["un-QDi.006"]
    index.add(zawahiri)  # adding again replaces
    assert len(index) == len(un_subjects)
    with pytest.raises(KeyError):
        index.remove("un-nobody")


def test_patched_index_queries_like_a_fresh_build(un_subjects: tuple[Subject, ...]) -> None:
    """Enough removals and re-adds to fold the tails into the arrays more than once."""
    index = NameIndex.build(un_subjects)
    rounds = 0
    while rounds * len(un_subjects) < 3 * COMPACT_MIN:
        for subject in un_subjects:
            assert subject.entity_id is not None
            index.remove(subject.entity_id)
            index.add(subject)
        rounds += 1
    fresh = NameIndex.build(un_subjects)
    for name in ("Abu Bakr al-Baghdadi", "Mohammed Ali", "أيمن الظواهري", "Aiman al Zawahri"):
        assert _ids(index.query(_query(name))) == _ids(fresh.query(_query(name)))


def test_common_keys_are_scored_not_walked() -> None:
    """Past the common cap a key's list is not walked, yet candidates found through a rare
    key still score for it, and an all-common name ranks like the oracle."""
    people = [
        Subject("Person", (f"Mohammed Ali Number{i:03d}",), entity_id=f"p{i}") for i in range(300)
    ]
    people.append(Subject("Person", ("Mohammed Ali Zawahiri",), entity_id="z"))
    index, oracle = NameIndex.build(people), LinearIndex.build(people)
    for name in ("Mohammed Zawahiri", "Mohammed Ali", "Ali"):
        assert index.query(_query(name)) == oracle.query(_query(name))


def test_word_keys_match_whole_name_analysis(un_subjects: tuple[Subject, ...]) -> None:
    names = {n for s in un_subjects for n in s.names + s.weak_names}
    for name in names:
        assert name_keys(name) == [p.key for p in keyed_parts(name) if p.role is Role.NAME]


def test_subject_without_id_is_refused() -> None:
    with pytest.raises(ValueError, match="entity_id"):
        NameIndex.build([_query("Nobody")])


def test_serialize_round_trip(un_index: NameIndex) -> None:
    copy = NameIndex.deserialize(un_index.serialize())
    assert list(copy.subjects()) == list(un_index.subjects())
    for name in ("Abu Bakr al-Baghdadi", "Mohammed Ali", "أيمن الظواهري"):
        assert copy.query(_query(name)) == un_index.query(_query(name))


def test_deserialize_refuses_other_versions() -> None:
    with pytest.raises(ValueError, match="version"):
        NameIndex.deserialize(b'{"format": "watchkeeper.name-index", "version": 99}')
    with pytest.raises(ValueError, match="not a"):
        NameIndex.deserialize(b"[]")


def test_from_store_indexes_active_entries(un_engine: Engine, tmp_path: Path) -> None:
    index = from_store(un_engine, ["un"])
    assert len(index) == 1003  # 730 persons and 273 organisations, no sanctions or documents
    (top,) = index.query(_query("Abu Bakr al-Baghdadi"), limit=1)
    assert top.subject.entity_id == "un-QDi.299" and top.subject.list_name == "un"


def test_query_keeps_to_the_lists_asked_for() -> None:
    same = ("Ayman al-Zawahiri",)
    index = NameIndex.build(
        [
            Subject("Person", same, entity_id="un-1", list_name="un"),
            Subject("Person", same, entity_id="ofac-1", list_name="ofac"),
            Subject("Person", ("Peter Smith",), entity_id="un-2", list_name="un"),
        ]
    )
    query = Subject("Person", same)
    assert {c.subject.entity_id for c in index.query(query)} == {"un-1", "ofac-1"}
    assert [c.subject.entity_id for c in index.query(query, lists=frozenset({"ofac"}))] == [
        "ofac-1"
    ]
    index.remove("ofac-1")
    assert index.query(query, lists=frozenset({"ofac"})) == []


def test_birth_date_finds_an_alias_that_shares_no_word(un_subjects: list[Subject]) -> None:
    """ "Abu Mansoor Asim" is an alias of NOOR WALI MEHSUD (UN QDi.427, born 1978-06-26): with
    the alias held out, the name alone finds nothing of him; with his birth date he is a
    candidate (after the name candidates, retrieval score 0: the scorer decides)."""
    held_out = [
        replace(s, names=("NOOR WALI MEHSUD",)) if s.entity_id == "un-QDi.427" else s
        for s in un_subjects
    ]
    index = NameIndex.build(held_out)
    assert "un-QDi.427" not in _ids(index.query(_query("Abu Mansoor Asim")))
    dated = Subject("Person", ("Abu Mansoor Asim",), birth_dates=("1978-06-26",))
    found = index.query(dated)
    assert _ids(found)[-1] == "un-QDi.427" and found[-1].score == 0.0
    assert same_candidates(found, LinearIndex.build(held_out).query(dated))
    year_only = Subject("Person", ("Abu Mansoor Asim",), birth_dates=("1978",))
    assert "un-QDi.427" not in _ids(index.query(year_only))


def test_a_date_many_share_finds_none_of_them() -> None:
    """A list's placeholder date (1 January) says nothing: more than DATED_LIMIT subjects
    born that day are not candidates by date, in the index and in its oracle."""
    people = [
        Subject("Person", (f"Person {n}",), birth_dates=("1970-01-01",), entity_id=f"p{n}")
        for n in range(DATED_LIMIT + 1)
    ]
    query = Subject("Person", ("Somebody Else",), birth_dates=("1970-01-01",))
    assert NameIndex.build(people).query(query) == []
    assert LinearIndex.build(people).query(query) == []
    few = NameIndex.build(people[:DATED_LIMIT])
    assert len(few.query(query)) == DATED_LIMIT


@pytest.mark.parametrize(
    ("listed", "query", "shared"),
    [
        ("KIM JUNG JONG", "Kim Chung Chong", "Kim"),  # UN's spelling and McCune-Reischauer's
        ("Kim Chung Chong", "KIM JUNG JONG", "Kim"),
        ("Abu Ali al Hakim", "Abu Ali Alhakim", "Ali"),  # the article glued, or apart
        ("Abu Ali Alhakim", "Abu-Ali al-Hakim", "Ali"),
        ("Abdelrazaq", "Abdrazzak", ""),  # abd glued without its link vowel
        ("Xi Jinping", "Hsi Chin-ping", "Xi"),  # pinyin and Wade-Giles
        ("Deng Xiaoping", "Teng Hsiao-ping", "Deng"),
        ("Xi Jinping", "Xi Jin Ping", "Xi"),  # the given name glued, or apart
        ("Xi Jinping", "Si Jinpin", "Jin"),  # initials and finals confused
        ("Sergey Lavrov", "Sergejs Lavrovs", "Sergey"),  # Latvian endings
        ("Igor Sechin", "Ig0r Sech1n", "Igor"),  # digits for letters
        ("Vladimir Putin", "VladimirPutin", "Vladimir"),  # glued in camel case
        ("Yunos Umpara Moklis", "YunosUmparaMoklis", "Yunos"),
        ("Vladimir Putin", "nituP rimidalV", "Vladimir"),  # written backwards
        ("Yunos Umpara Moklis", "Yun0s Ump4r4 Mokl1s", "Yunos"),
        ("William Gates", "Bill Gates", "Gates"),  # a nickname
        ("Abubakar Swalleh", "Abubakar Swa lleh", "Abubakar"),  # a word split in two
    ],
)
def test_spellings_the_scorer_matches_are_retrieved(listed: str, query: str, shared: str) -> None:
    """Retrieval finds the spellings the scorer alerts on, though the keys of the words as
    written differ (Chung and Jung, Alhakim and Hakim, Hsi and Xi, Lavrovs and Lavrov, Sech1n and
    Sechin) and 60 others share the other word."""
    others = [Subject("Person", (f"{shared} Other{n}",), entity_id=f"o{n}") for n in range(60)]
    index = NameIndex.build([*others, Subject("Person", (listed,), entity_id="listed")])
    assert _ids(index.query(_query(query), limit=5))[0] == "listed"


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        ("CRYSTALORD LTD", "CRYSTALORD LIMITED"),  # legal forms neither find nor rank
        ("First International Bank", "1st International Bank"),  # numbers as digits
        ("Siemens AG", "SiemensAG"),  # camel case apart
    ],
)
def test_an_organisation_is_found_by_its_own_words(listed: str, query: str) -> None:
    """Among 60 firms that share the query's legal form and fillers, the one that shares
    its distinctive word comes first."""
    others = [
        Subject("Company", (f"Other{n} Limited International Bank",), entity_id=f"o{n}")
        for n in range(60)
    ]
    index = NameIndex.build([*others, Subject("Company", (listed,), entity_id="listed")])
    assert _ids(index.query(Subject("Company", (query,)), limit=5))[0] == "listed"


@pytest.mark.parametrize("walked", [True, False])
def test_ties_go_to_the_names_with_least_else_in_them(walked: bool) -> None:
    """Of 40 or 100 subjects that hold the query's word alike, the one whose name is nothing
    else comes first though listed last, whether the word's postings are walked or, past the
    common cap of 50, the common holders are chosen (``_all_common``)."""
    others = [Subject("Person", (f"David Other{n} Else",), entity_id=f"o{n}") for n in range(40)]
    if not walked:  # the word common: 60 more subjects
        others += [Subject("Person", (f"David Third{n}",), entity_id=f"t{n}") for n in range(60)]
    people = [*others, Subject("Person", ("DAVID",), entity_id="listed")]
    index, oracle = NameIndex.build(people), LinearIndex.build(people)
    assert _ids(index.query(_query("David"), limit=5))[0] == "listed"
    assert index.query(_query("David")) == oracle.query(_query("David"))


def _crowd() -> list[Subject]:
    """120 subjects that hold both words of Mohamed Ali and a one-word alias, which ranks
    them first among equal retrieval scores."""
    return [
        Subject("Person", (f"Mohamed Ali Other{n}", f"Alias{n}"), entity_id=f"o{n}")
        for n in range(120)
    ]


@pytest.mark.parametrize("query", ["Mohamed Ali", "ALI, Mohammed", "محمد علي"])
def test_a_name_named_exactly_is_found_among_hundreds_that_hold_its_words(query: str) -> None:
    """The one listed exactly as "ALI, Mohamed", last, is still a candidate, in any word
    order, spelling of one key or script (``terms.signature``)."""
    index = NameIndex.build([*_crowd(), Subject("Person", ("ALI, Mohamed",), entity_id="listed")])
    found = _ids(index.query(_query(query)))
    assert found[0] == "listed"
    assert len(found) == 20


def test_an_exact_name_added_is_found_stored_and_forgotten_once_removed() -> None:
    index = NameIndex.build(_crowd())
    index.add(Subject("Person", ("ALI, Mohamed",), entity_id="listed"))
    assert _ids(index.query(_query("Mohamed Ali")))[0] == "listed"
    copy = NameIndex.deserialize(index.serialize())
    assert _ids(copy.query(_query("Mohamed Ali")))[0] == "listed"
    index.remove("listed")
    assert "listed" not in _ids(index.query(_query("Mohamed Ali")))
