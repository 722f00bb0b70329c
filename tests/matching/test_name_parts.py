"""Names in parts (FtM firstName, lastName...): a query of parts only is one name, and a
given name where the other side has its family name is another person's name."""

from followthemoney import model

from watchkeeper.matching.score import LogicWK
from watchkeeper.matching.subject import Subject


def _person(**parts: str) -> Subject:
    entity = model.make_entity("Person")
    entity.id = "p"
    for prop, value in parts.items():
        entity.add(prop, value)
    return Subject.from_entity(entity)


def test_parts_alone_make_the_name_in_order() -> None:
    subject = _person(firstName="Vladimir", fatherName="Vladimirovich", lastName="Putin")
    assert subject.names == ("Vladimir Vladimirovich Putin",)
    assert (subject.given_names, subject.family_names) == (
        ("Vladimir", "Vladimirovich"),
        ("Putin",),
    )
    listed = Subject("Person", ("PUTIN, Vladimir Vladimirovich",))
    assert LogicWK.compare(subject, listed).is_match()


def test_given_and_family_names_swapped_are_another_person() -> None:
    listed = _person(firstName="Hans", lastName="Friedrich")
    same = LogicWK.compare(_person(firstName="Hans", lastName="Friedrich"), listed)
    swapped = LogicWK.compare(_person(firstName="Friedrich", lastName="Hans"), listed)
    assert same.is_match() and not swapped.is_match()
    [line] = [f for f in swapped.features if f.feature == "name_lineage"]
    assert line.detail == "given and family names swapped: friedrich and hans"


def test_a_side_without_parts_is_not_read_as_swapped() -> None:
    listed = _person(firstName="Hans", lastName="Friedrich")
    assert LogicWK.compare(Subject("Person", ("Friedrich Hans",)), listed).is_match()
