"""Disguised names read back: camel case, digits and symbols for letters, words backwards."""

import pytest

from watchkeeper.matching.names.disguises import camel_apart, readings
from watchkeeper.matching.names.normalise import normalise


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("YunosUmparaMoklis", ("Yunos Umpara Moklis",)),
        ("Ig0r Sech1n", ("Igor Sechin", "Igor Sechln")),  # a one is an i or an l
        ("A1i Hassan", ("Aii Hassan", "Ali Hassan")),
        ("@bu B4kr", ("abu Bakr",)),
        ("Sech1n 1", ("Sechin 1", "Sechln 1")),  # a number stays one
        ("Paek Chang-H0", ("Paek Chang-Ho",)),
        ("Ali dijaM-lA", ("Ali Al-Majid",)),  # one word backwards, hyphens and all
        ("nituP rimidalV", ("Putin Vladimir",)),  # the whole name
    ],
)
def test_a_disguised_name_is_read_as_what_it_may_be(written: str, read: tuple[str, ...]) -> None:
    assert readings(written) == read


@pytest.mark.parametrize(
    "name",
    [
        "PUTIN, Vladimir Vladimirovich",
        "Kim Jong-un",
        "KIM JONG UN",
        "mohamed ali",
        "Brigade 44",  # a number is no disguise
        "Su-27 Pilot",  # nor a code
        "Ali F-16",
        "Simonyán",
    ],
)
def test_a_plain_name_has_no_other_reading(name: str) -> None:
    assert readings(name) == ()


def test_camel_case_apart_keeps_a_final_capital() -> None:
    assert camel_apart("SiemensAG") == "Siemens AG"
    assert camel_apart("rimaldiV") == "rimaldiV"  # a reversed word, not two words


def test_a_dot_between_words_parts_them_and_initials_stay_together() -> None:
    assert normalise("Yunos.Umpara.Moklis") == "yunos umpara moklis"
    assert normalise("J.C. Juncker") == "jc juncker"
