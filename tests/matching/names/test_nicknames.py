"""Nickname groups from rigour's tagger, as bundled: Bill is William, Ali is nobody's."""

from watchkeeper.matching.names.nicknames import NICKNAMED


def test_a_nickname_and_its_names_know_each_other() -> None:
    assert NICKNAMED["bill"] == ("william",)
    assert set(NICKNAMED["william"]) == {"bill", "will"}
    assert "richard" in NICKNAMED["dick"]
    assert "john" in NICKNAMED["jack"]


def test_most_names_have_no_nickname() -> None:
    assert "ali" not in NICKNAMED  # nor Alison's: the groups are curated
    assert "vladimir" not in NICKNAMED
