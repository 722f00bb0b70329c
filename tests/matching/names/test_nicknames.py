"""Nickname groups from rigour's tagger, as bundled: Bill is William, Ali is nobody's."""

from watchkeeper.matching.names.nicknames import nicknamed


def test_a_nickname_and_its_names_know_each_other() -> None:
    assert nicknamed("bill") == ("william",)
    assert set(nicknamed("william")) == {"bill", "will"}
    assert "richard" in nicknamed("dick")
    assert "john" in nicknamed("jack")


def test_most_names_have_no_nickname() -> None:
    assert nicknamed("ali") == ()  # nor Alison's: the groups are curated
    assert nicknamed("vladimir") == ()
