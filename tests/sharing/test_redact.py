"""The redaction policy: CLEAR and GREEN records lose what locates or impersonates a person."""

from watchkeeper.sharing.redact import redact

PERSON = {
    "id": "p1",
    "schema": "Person",
    "properties": {
        "name": ["Johan Voorbeeld"],
        "birthDate": ["1988-11"],
        "birthPlace": ["Utrecht"],
        "passportNumber": ["X1"],
        "nationality": ["nl"],
    },
}
PASSPORT = {"id": "d1", "schema": "Passport", "properties": {"number": ["X1"], "holder": ["p1"]}}


def test_green_drops_personal_fields_and_documents() -> None:
    (person,) = redact("GREEN", [PERSON, PASSPORT])
    assert person["properties"] == {"name": ["Johan Voorbeeld"], "nationality": ["nl"]}
    assert PERSON["properties"]["birthDate"] == ["1988-11"]  # the input is left alone


def test_amber_keeps_everything() -> None:
    assert redact("AMBER", [PERSON, PASSPORT]) == [PERSON, PASSPORT]
