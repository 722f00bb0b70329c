# Names in Cyrillic and with typographic apostrophes, which RUF001 takes for look-alikes.
# ruff: noqa: RUF001
"""Organisation names: legal forms of every language as their type, numbers as digits,
acronyms from the words that carry the name (rigour's org-type and ordinals tables)."""

import pytest

from watchkeeper.matching.names.orgs import acronym, org_name


@pytest.mark.parametrize(
    ("written", "text", "forms"),
    [
        ("Pilóta Nélküli Rendszerek Kft.", "pilota nelkuli rendszerek llc", {"llc"}),
        (
            "Pilóta Nélküli Rendszerek Korlátolt Felelősségű Társaság",
            "pilota nelkuli rendszerek llc",
            {"llc"},
        ),
        ("ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ «СПС»", "llc sps", {"llc"}),
        ("Siemens Aktiengesellschaft", "siemens jsc", {"jsc"}),
        ("Siemens AG", "siemens jsc", {"jsc"}),
        ("Al-Qaida in Iraq", "al qaida in iraq", set()),  # "in" is a preposition here
    ],
)
def test_legal_forms_become_their_type(written: str, text: str, forms: set[str]) -> None:
    found = org_name(written)
    assert (found.text, set(found.legal_forms)) == (text, forms)


@pytest.mark.parametrize(
    ("written", "text", "numbers"),
    [
        ("Brigade Forty-Four", "brigade 44", {"44"}),
        ("Brigade 44", "brigade 44", {"44"}),
        ("Brigade Forty 4", "brigade 44", {"44"}),
        ("Three Percenters", "3 percenters", {"3"}),
        ("Nantahala Capital Offshore Fund I, Ltd.", "nantahala capital offshore fund 1 llc", {"1"}),
        ("A.B.C. Company", "abc company", set()),
        ("Route 40 5", "route 40 5", {"40", "5"}),
    ],
)
def test_numbers_become_digits(written: str, text: str, numbers: set[str]) -> None:
    found = org_name(written)
    assert (found.text, set(found.numbers)) == (text, numbers)


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("People’s Liberation Army", "pla"),
        ("Islamic Revolutionary Guard Corps", "irgc"),
        ("Deutsche Bank AG", None),
    ],
)
def test_acronyms(name: str, initials: str | None) -> None:
    assert acronym(name) == initials
