# Names in Cyrillic and with typographic apostrophes, which RUF001 takes for look-alikes.
# ruff: noqa: RUF001
"""Organisation names: legal forms of every language as their type, numbers as digits,
acronyms from the words that carry the name, words of one meaning as one symbol and place
names (rigour's org-type and ordinals tables and its name tagger)."""

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
        # Mexico's S.A. de C.V. however it is dotted, and forms known only with their dots
        ("Corporativo Sosval, S.A. de C.V.", "corporativo sosval jsc", {"jsc"}),
        ("Corporativo Sosval, SA de C.V.", "corporativo sosval jsc", {"jsc"}),
        ("Corporativo Sosval, S.A. de CV", "corporativo sosval jsc", {"jsc"}),
        ("Acme d.o.o.", "acme llc", {"llc"}),
        ("Rudu, de C.V.", "rudu de cv", set()),  # no form found as written: none read
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


@pytest.mark.parametrize(
    ("name", "symbols"),
    [
        ("First Bank Int’l", {("intl", "intl"), ("bank", "bank")}),
        ("First International Bank", {("international", "intl"), ("bank", "bank")}),
        (
            "Муромский приборостроительный завод",
            {("priborostroitelny", "instrmak"), ("zavod", "factory")},
        ),
        ("People’s Liberation Army", {("army", "army")}),  # not "pla": a symbol of three words
    ],
)
def test_words_of_one_meaning_share_a_symbol(name: str, symbols: set[tuple[str, str]]) -> None:
    assert set(org_name(name).symbols) == symbols


@pytest.mark.parametrize(
    ("name", "places"),
    [
        ("Deutsche Bank (Schweiz) AG", {"schweiz"}),
        ("Banco Santander México S.A.", {"mexico"}),
        ("FABERLIC EUROPE Sp. z o.o.", {"europe"}),
        ("CRYSTALORD SYSTEMS LIMITED", set()),
    ],
)
def test_places_are_known(name: str, places: set[str]) -> None:
    assert set(org_name(name).places) == places


def test_dotted_initials_are_known() -> None:
    assert org_name("N.A.B.C. Company").initialisms == {"nabc"}
    assert org_name("U.S. Bank N.A.").initialisms == {"us", "na"}
    assert org_name("ABC Co.").initialisms == frozenset()
