"""``watchkeeper match`` with document numbers: a listed number finds its holder under
any name, and the reason says which kind of number matched."""

import pytest

from tests.cli.conftest import json_matches, with_ftm

Wk = "functools.partial[Result]"


@pytest.fixture
def listed(un: Wk) -> Wk:
    """A store holding ``identifiers.ftm.json`` as list 't' and the bundled UN list."""
    with_ftm(un, "identifiers.ftm.json", "t")
    return un


def test_passport_under_another_name_alerts(listed: Wk) -> None:
    args = ("match", "Someone Else", "--lists", "t,un", "--format", "json")
    (hit,) = [m for m in json_matches(listed(*args, "--passport", "A 123-4567")) if m["alert"]]
    assert hit["entity_id"] == "wk-test-smith"
    assert str(hit["reason"]).startswith("same passport number match wk-test-smith (John Smith)")
    others = json_matches(listed(*args, "--passport", "A 123-4568"))
    assert "wk-test-smith" not in [m["entity_id"] for m in others]


def test_document_entity_and_imo_numbers_retrieve(listed: Wk) -> None:
    args = ("match", "Someone Else", "--lists", "t", "--format", "json")
    (doc,) = json_matches(listed(*args, "--id-number", "x99887766"))
    assert doc["entity_id"] == "wk-test-doe" and doc["alert"] is True
    assert str(doc["reason"]).startswith("same ID number match")
    vessel = ("match", "Blue Star", "--schema", "Vessel", "--lists", "t", "--format", "json")
    (imo,) = json_matches(listed(*vessel, "--id-number", "IMO 9O74729"))
    assert imo["entity_id"] == "wk-test-vessel"
    assert str(imo["reason"]).startswith("same IMO number match")


def test_un_passport_in_the_table(listed: Wk) -> None:
    result = listed("match", "Someone Else", "--passport", "D00002264", "--lists", "un")
    assert result.exit_code == 0, result.output
    assert "1 alert(s) for 'Someone Else'" in result.stdout
    assert "un-CFi.001" in result.stdout
