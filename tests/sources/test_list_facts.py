"""What the rest of the system knows of a list is declared by its format, in one place: who
must decide its alerts, whether it has names to screen, how its ids carry the publisher's
reference."""

from watchkeeper.sources import REFERENCE_PREFIXES, SOURCES, named, needs_four_eyes


def test_each_format_declares_its_facts() -> None:
    assert {f for f in SOURCES if needs_four_eyes(f)} == {"un-xml", "profiles"}
    assert {f for f in SOURCES if not named(f)} == {"sltd-csv"}
    assert set(REFERENCE_PREFIXES) == {"un-", "ofac-"}


def test_a_list_of_no_known_format_needs_one_person_and_has_names() -> None:
    assert not needs_four_eyes(None) and not needs_four_eyes("a-partner-format")
    assert named("a-partner-format")
