"""Country codes as messages, documents and document lists write them."""

import pytest

from watchkeeper.countries import country_name, ftm_country, iso2


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("TUR", "TR"),
        ("tur", "TR"),
        (" tr ", "TR"),
        ("USA", "US"),
        ("D", "DE"),  # ICAO 9303: Germany on a machine-readable zone
        ("GBD", "GB"),  # British Dependent Territories citizen
        ("RKS", "XK"),
        ("IRQ", "IQ"),
        ("XXA", None),  # stateless: no country
        ("Turkey", None),  # a name, not a code: never guessed
        ("Q43", None),
        ("", None),
        (None, None),
    ],
)
def test_iso2(written: str | None, expected: str | None) -> None:
    assert iso2(written) == expected
    assert ftm_country(written) == (expected.lower() if expected else None)


def test_country_name() -> None:
    assert country_name("SYR") == "Syria"
    assert country_name("XXA") == "XXA"
