"""Identifier retrieval: listed document and registry numbers find their holder whatever
the name, and the alert says which kind of number matched."""

import pytest
from followthemoney import model

from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.oracle import LinearIndex, same_candidates
from watchkeeper.matching.prepared import normalise_identifier, prepare
from watchkeeper.matching.score import LogicWK
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject


def _listed(entity_id: str, name: str, numbers: tuple[str, ...], kinds: tuple[str, ...]) -> Subject:
    return Subject(
        "Person",
        (name,),
        identifiers=numbers,
        identifier_kinds=kinds,
        entity_id=entity_id,
        list_name="t",
    )


LISTED = [
    _listed("smith", "John Smith", ("A1234567",), ("passport",)),
    _listed("doe", "Jane Doe", ("X-998877-66", "12"), ("id", "id")),
    _listed("roe", "Richard Roe", (), ()),
]


def _query(name: str, numbers: tuple[str, ...] = (), kinds: tuple[str, ...] = ()) -> Subject:
    return Subject("Person", (name,), identifiers=numbers, identifier_kinds=kinds)


@pytest.mark.parametrize(
    ("text", "kind", "want"),
    [
        ("a 123-4567", "passport", "A1234567"),
        ("O1234567", "passport", "O1234567"),  # letters and digits mix: O stays a letter
        ("IMO 9O12345", "imo", "9012345"),
        ("imo 9123456", "", "9123456"),  # the prefix says it is an IMO number
        ("77O7O83893", "inn", "7707083893"),
        ("77O7O83893", "", "77O7O83893"),  # a kind unknown: no guessing
        ("77O7O8389", "inn", "77O7O8389"),  # not an INN's length
        ("CAR diplomatic passport no. D00000898", "passport", "D00000898"),
        ("381110042 (Expired 25 Jan. 2016)", "passport", "381110042"),
        ("German travel document (“Reiseausweis”) A 0139243", "passport", "A0139243"),
        ("Taxpayer No. 184101937739", "id", "184101937739"),
        ("96 03 464086", "id", "9603464086"),
    ],
)
def test_normalise_identifier(text: str, kind: str, want: str) -> None:
    assert normalise_identifier(text, kind) == want


def test_subject_kinds_from_entity_and_checked() -> None:
    proxy = model.get_proxy(
        {
            "id": "p",
            "schema": "Person",
            "properties": {
                "name": ["X"],
                "idNumber": ["183116181362", "ID-7"],
                "innCode": ["183116181362"],
                "passportNumber": ["P1"],
            },
        }
    )
    subject = Subject.from_entity(proxy)
    assert dict(subject.typed_identifiers()) == {
        "P1": "passport",
        "183116181362": "inn",
        "ID-7": "id",
    }
    assert _query("X", ("1", "2")).typed_identifiers() == (("1", ""), ("2", ""))
    with pytest.raises(ValueError, match="one kind per identifier"):
        _query("X", ("1", "2"), ("passport",))


def test_a_listed_number_retrieves_its_holder_under_any_name() -> None:
    index = NameIndex.build(LISTED)
    oracle = LinearIndex.build(LISTED)
    query = _query("Someone Else", ("A 123-4567",), ("passport",))
    (found,) = index.query(query)
    assert (found.subject.entity_id, found.score) == ("smith", 1.0)
    assert same_candidates(index.query(query), oracle.query(query))
    assert index.query(_query("Someone Else", ("A1234568",))) == []
    assert index.query(_query("Someone Else", ("12",))) == []  # too short to retrieve
    both = _query("Jane Doe", ("x998877 66",))
    assert [c.subject.entity_id for c in index.query(both)] == ["doe"]
    assert index.query(query, lists=frozenset({"other"})) == []


def test_identifiers_follow_changes_and_serialisation() -> None:
    index = NameIndex.build(LISTED)
    query = _query("Someone Else", ("A1234567",))
    copy = NameIndex.deserialize(index.serialize())
    (found,) = copy.query(query)
    assert found.subject.typed_identifiers() == (("A1234567", "passport"),)
    index.remove("smith")
    assert index.query(query) == []
    index.add(_listed("smith-2", "J. Smith", ("A1234567",), ("passport",)))
    assert [c.subject.entity_id for c in index.query(query)] == ["smith-2"]


def test_alert_says_same_passport_number() -> None:
    screener = Screener(NameIndex.build(LISTED))
    (hit,) = screener.screen(_query("Someone Else", ("A 123-4567",), ("passport",)))
    assert hit.entity_id == "smith" and hit.alert
    assert hit.reason.startswith("same passport number match smith (John Smith)")
    (line,) = [f for f in hit.result.features if f.feature == "identifier"]
    assert line.detail == "same passport number: A1234567"
    assert screener.screen(_query("Someone Else", ("A 123-4568",), ("passport",))) == []
    (named,) = screener.screen(_query("John Smith", ("A1234567",), ("id",)))
    assert named.reason.startswith("name + same passport number match smith")
    (line,) = [f for f in named.result.features if f.feature == "identifier"]
    assert line.detail == "same passport number: A1234567 (given as ID number)"


def test_bound_holds_for_a_number_only_match() -> None:
    query = prepare(_query("Someone Else", ("A1234567",), ("passport",)))
    listed = [prepare(s) for s in LISTED]
    scores = [LogicWK.compare(query, r).score for r in listed]
    assert scores[0] > 0.8
    for bound, score in zip(LogicWK.bounds(query, listed), scores, strict=True):
        assert bound >= score


@pytest.mark.parametrize(
    ("number", "entity_id", "listed"),
    [
        ("D00002264", "un-CFi.001", "D00002264"),
        ("D 0000 0898", "un-CFi.006", "D00000898"),  # listed as "CAR diplomatic passport no. …"
    ],
)
def test_un_passport_number_retrieves_its_person(
    un_screener: Screener, number: str, entity_id: str, listed: str
) -> None:
    hits = un_screener.screen(_query("Someone Else", (number,), ("passport",)))
    assert [h.entity_id for h in hits] == [entity_id]
    assert hits[0].reason.startswith(f"same passport number match {entity_id}")
    (line,) = [f for f in hits[0].result.features if f.feature == "identifier"]
    assert line.detail == f"same passport number: {listed}"
