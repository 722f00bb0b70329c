# Names in Cyrillic and with typographic apostrophes, which RUF001 takes for look-alikes.
# ruff: noqa: RUF001
"""PreparedSubject: tokens with keys and weights, romanised Arabic, dates, identifiers."""

import pytest

from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.names.rarity import MINOR, TokenWeights
from watchkeeper.matching.prepared import (
    INITIAL_WEIGHT,
    normalise_identifier,
    parse_date,
    prepare,
    prepare_uncached,
    without_remarks,
)
from watchkeeper.matching.score import PRESETS, LogicWK
from watchkeeper.matching.subject import Subject


def test_prepared_once_per_subject() -> None:
    subject = Subject("Person", ("Ayman al-Zawahiri",))
    assert prepare(subject) is prepare(subject)


def test_tokens_have_keys_roles_and_weights() -> None:
    prepared = prepare(Subject("Person", ("Dr. Ayman al-Zawahiri",), weak_names=("Abu Ali",)))
    name, weak = prepared.names
    assert not name.weak and weak.weak
    assert [t.text for t in name.tokens] == ["dr", "ayman", "al", "zawahiri"]
    assert [t.role for t in name.tokens][:1] == [Role.TITLE]
    assert name.tokens[0].weight == MINOR
    assert name.tokens[3].weight > name.tokens[1].weight  # zawahiri is rarer than ayman
    assert name.tokens[1].spellings == (("ayman", "aymen"),)
    assert name.text == "dr ayman al zawahiri"


def test_generations_count_the_bins_before_each_token() -> None:
    # particles (-1) and a family name outside the chain (-1) name no generation
    name, plain = prepare(Subject("Person", ("Usama bin Muhammad ibn Ladin", "Usama Ladin"))).names
    assert name.generations == (0, -1, 1, -1, 2)
    assert plain.generations is None
    family_first, family_last = prepare(
        Subject("Person", ("Hamroui Kamel ben Mouldi", "Kamal ben Mouldi ben Hassan al-Hamraoui"))
    ).names
    assert family_first.generations == (-1, 0, -1, 1)
    assert family_last.generations == (0, -1, 1, -1, 2, -1, -1)


def test_a_names_derived_fields() -> None:
    # JC is two initials: no glued pair begins or ends with one, so the shortest is abu juncker
    name = prepare_uncached(Subject("Person", ("JC Abu Juncker",))).names[0]
    assert name.texts == ("j", "c", "abu", "juncker")
    assert (name.starts, name.joined, name.longest, name.shortest_glued) == (
        "jcaj",
        "jcabujuncker",
        7,
        10,
    )
    assert name.initials == (True, True, False, False)
    assert name.particles == (False, False, True, False) and name.has_particles
    assert not name.worded and not name.plain
    assert name.sorted_texts == ("abu", "c", "j", "juncker")
    assert name.total_weight == sum(t.weight for t in name.tokens)
    plain = prepare_uncached(Subject("Person", ("Ali Mohammed Hassan",))).names[0]
    assert plain.worded and plain.plain and plain.shortest_glued == len("alimohammed")


def test_prepared_subjects_are_equal_and_hash_alike_by_value() -> None:
    subject = Subject("Person", ("Ali Mohammed Hassan",), birth_dates=("1970-01-02",))
    a, b = prepare_uncached(subject), prepare_uncached(subject)
    assert a is not b and a == b and hash(a) == hash(b)
    assert hash(a.names[0]) == hash(b.names[0]) and a.names[0].tokens == b.names[0].tokens


def test_custom_weights() -> None:
    weights = TokenWeights.build({"aymen": 1000, "zeweheri": 1}, 1001)
    name = prepare(Subject("Person", ("Ayman Zawahiri",)), weights).names[0]
    assert name.tokens[0].weight < name.tokens[1].weight


def test_initials_and_org_fillers() -> None:
    assert prepare(Subject("Person", ("A. Khamenei",))).names[0].tokens[0].weight == INITIAL_WEIGHT
    company = prepare(Subject("Company", ("Acme Holdings Ltd",))).names[0]
    assert [t.weight for t in company.tokens][1:] == [MINOR, MINOR]


def test_arabic_names_get_romanised_alternatives() -> None:
    name = prepare(Subject("Person", ("أيمن الظواهري",))).names[0]
    texts = [t.text for t in name.tokens if t.role is Role.NAME]
    assert texts == ["ayman", "zawahiri"]
    assert len(name.tokens[0].spellings) > 1
    assert "zawahiry" in {text for text, _ in name.tokens[-1].spellings}


def test_dates_and_identifiers() -> None:
    assert parse_date("1977-06-19") == (1977, 6, 19)
    assert parse_date("1977") == (1977,)
    assert parse_date("circa") == ()
    assert normalise_identifier("p 123-456/a") == "P123456A"
    prepared = prepare(Subject("Person", ("X",), birth_dates=("1977-06", "?"), countries=("IQ",),
                               identifiers=("ab-12", ""), gender="Male"))  # fmt: skip
    assert prepared.birth_dates == ((1977, 6),)
    assert prepared.countries == frozenset({"iq"})
    assert prepared.identifiers == frozenset({"AB12"})
    assert prepared.gender == "male"


def test_names_that_align_alike_are_aligned_once_the_first_kept() -> None:
    # OFAC writes each name twice: "LAST, First" and "First LAST", the same tokens
    listed = Subject(
        "Person", ("CANO CORREA, Jhon Eidelber", "Jhon Eidelber CANO CORREA", "Jhon CANO")
    )
    prepared = prepare(listed)
    assert len(prepared.names) == 3
    assert [n.name for n in prepared.distinct_names] == ["CANO CORREA, Jhon Eidelber", "Jhon CANO"]
    query = prepare(Subject("Person", ("Jhon Eidelber Cano Correa", "John Cano")))
    best = LogicWK.compare(query, prepared).names
    assert best is not None and best.result_name == "CANO CORREA, Jhon Eidelber"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Encep Nurjaman (birth name)", "Encep Nurjaman"),  # UN QDi.086's own aliases
        ("(Sheikh) Musa Hilal", "Musa Hilal"),
        ("Mohammad Ishaq Akhund born in 1963", "Mohammad Ishaq Akhund"),
        (
            "Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport no.03825239)",
            "Safia Farkash Mohammed Al-Hadad",
        ),
        ("Osborne Smith", "Osborne Smith"),
        ("(alias)", "(alias)"),  # nothing else would be left
    ],
)
def test_a_persons_name_is_read_without_the_lists_remarks(written: str, read: str) -> None:
    assert without_remarks(written) == read
    listed = Subject("Person", (written,))
    if read != written and "(" not in read:
        assert LogicWK.compare(Subject("Person", (read,)), listed).score > 0.8


def test_a_companys_brackets_are_its_name() -> None:
    schweiz = prepare(Subject("Company", ("Deutsche Bank (Schweiz) AG",)))
    assert "schweiz" in schweiz.names[0].texts


@pytest.mark.parametrize(
    ("written", "alternatives"),
    [
        ("Al-Qa'ida/Islamic Army", ["al qaida", "islamic army"]),
        ("ООО Ромашка / Romashka LLC", ["llc romashka", "romashka llc"]),
        ("Bowne Global Solutions Denmark A/S", []),  # a legal form
        ("M/V Hellenic Spirit", []),  # a vessel's prefix
        ("Sales/Marketing GmbH", []),  # two words a slash joins
    ],
)
def test_an_organisations_alternatives_are_names_too(written: str, alternatives: list[str]) -> None:
    names = prepare(Subject("Organization", (written,))).names
    assert [n.text for n in names if not n.acronym][1:] == alternatives


def test_a_word_of_an_organisation_has_its_symbol_as_a_spelling() -> None:
    """Int'l and International pair as equal: both are spelt "intl" too (rigour's symbol)."""
    (name,) = prepare(Subject("Company", ("First Bank Int’l",))).names
    assert name.tokens[-1].spellings == (("intl", "antl"),)  # the symbol is the word
    (name,) = prepare(Subject("Company", ("First International Bank",))).names
    assert [s for s, _ in name.tokens[1].spellings] == ["international", "intl"]


def test_a_generational_suffix_is_a_title_not_initials() -> None:
    """ "REYES JR." is Reyes junior: "Jr" weighs as a title, never as the initials J and R."""
    tokens = prepare(Subject("Person", ("FELICIANO SEMBORIO DELOS REYES JR.",))).names[0].tokens
    assert [(t.text, t.role) for t in tokens][-1] == ("jr", Role.TITLE)
    assert Role.INITIAL not in {t.role for t in tokens}
    listed = Subject("Person", ("FELICIANO SEMBORIO DELOS REYES JR.",))
    query = Subject("Person", ("Feliciano Semborio Delos Reyes",))
    assert LogicWK.compare(query, listed).score >= PRESETS["strict"]
