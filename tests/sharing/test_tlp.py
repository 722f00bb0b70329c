"""TLP 2.0 codes, their published marking definitions, and who may receive what."""

import pytest
import stix2

from watchkeeper.errors import UsageError
from watchkeeper.sharing.tlp import (
    MARKING_IDS,
    check_code,
    code_of_markings,
    marking_definition,
    may_share,
)


@pytest.mark.parametrize(
    ("code", "ceiling", "named", "received", "shared"),
    [
        ("RED", "RED", True, False, False),
        ("CLEAR", "GREEN", False, False, True),
        ("GREEN", "GREEN", False, False, True),
        ("AMBER", "GREEN", True, False, False),  # above the ceiling
        ("AMBER", "AMBER", False, False, False),  # not named
        ("AMBER", "AMBER", True, False, True),
        ("AMBER+STRICT", "AMBER", True, False, False),
        ("AMBER+STRICT", "AMBER+STRICT", True, False, True),
        ("AMBER", "AMBER", True, True, False),  # a partner's AMBER stays with us
        ("GREEN", "AMBER", False, True, True),
    ],
)
def test_may_share(code: str, ceiling: str, named: bool, received: bool, shared: bool) -> None:
    assert may_share(code, ceiling, named=named, received=received) is shared


def test_codes_are_checked() -> None:
    assert check_code("tlp:amber+strict") == "AMBER+STRICT"
    with pytest.raises(UsageError, match=r"not a TLP 2\.0 code"):
        check_code("WHITE")


def test_marking_definitions_are_the_published_ones() -> None:
    green = marking_definition("GREEN")
    assert green["id"] == "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
    parsed = stix2.parse(green)
    assert parsed.name == "TLP:GREEN"


def test_the_tightest_marking_wins_and_tlp1_is_read() -> None:
    refs = [MARKING_IDS["GREEN"], MARKING_IDS["AMBER"]]
    assert code_of_markings(refs, "CLEAR") == "AMBER"
    assert code_of_markings([stix2.v21.TLP_RED.id], "CLEAR") == "RED"
    assert code_of_markings([], "GREEN") == "GREEN"
