"""Arabic-script names get the Latin spellings that Latin sanctions lists use."""

import pytest

from watchkeeper.matching.names.arabic import (
    is_arabic_script,
    romanise,
    rule_spellings,
    spell_group,
)


def _flat(spelling: str) -> str:
    """Spellings compare lowercased, without hyphens and spaces, as the matcher will."""
    return spelling.lower().replace("-", "").replace(" ", "")


# (Arabic name, one expected spelling per token group; any of "a|b" may be among the
# candidates). Written by hand from how UN/OFAC entries and press spell these names.
EXPECTED_AMONG = [
    ("محمد", ["muhammad|mohammed|mohamed"]),
    ("أحمد", ["ahmad|ahmed"]),
    ("عبد الله", ["abdullah"]),
    ("عبدالله", ["abdullah"]),
    ("عبد الله", ["abd allah"]),
    ("عبد الرحمن", ["abd al-rahman"]),
    ("عبد الرحمن", ["abdul rahman"]),
    ("عبد الرحمن", ["abdelrahman"]),
    ("عبد الرحمن", ["abdurrahman"]),
    ("عبدالرحمن", ["abdurrahman"]),
    ("أسامة بن لادن", ["usama|osama", "bin", "laden|ladin"]),
    ("أسامة بن لادن", ["usama|osama", "ben", "laden|ladin"]),
    ("أيمن الظواهري", ["ayman|aiman", "al-zawahiri|al-zawahri"]),
    ("أبو بكر البغدادي", ["abu", "bakr", "al-baghdadi|al-baghdady|al-bagdadi"]),
    (
        "ابراهيم عواد ابراهيم علي البدري السامرائي",
        [
            "ibrahim|brahim",
            "awwad|awad",
            "ibrahim|brahim",
            "ali",
            "al-badri",
            "al-samarrai|al-samarai|al-sammarae",
        ],
    ),
    ("جبهة النصرة", ["jabhat", "al-nusra|al-nusrah|al-nasra"]),
    ("يوسف", ["yusuf|youssef"]),
    ("خالد", ["khalid|khaled"]),
    ("حسين", ["hussein|hussain|husain"]),
    ("ابن خلدون", ["ibn", "khaldun|khaldoun"]),
    ("بنت", ["bint"]),
    ("أبو", ["abu|abou"]),
    ("چنگیز", ["changiz|chengiz|chingiz"]),
    ("پاشا", ["pasha"]),
    ("کریمی", ["karimi"]),
    ("ژاله", ["zhaleh|zhala|jaleh|zhalah"]),
    ("إبراهيم", ["ibrahim"]),
    ("آمنة", ["amina|aminah|amna"]),
    ("مصطفى", ["mustafa|mostafa"]),
    ("رؤوف", ["rauf|raouf|rouf"]),
    ("هانئ", ["hani|hanii"]),
    ("٣ محمد", ["3", "muhammad"]),
    # Persian-script names (a letter only Persian, Dari, Pashto or Urdu use): ض, ذ as z,
    # a final ی as i, the Pashto suffix -zai.
    ("مالک نورزى", ["malik", "noorzai|nurzai"]),
    ("احمد ضیا آغا", ["ahmad", "ziya|zia", "agha"]),
    ("محمد ولی محمد عوض", ["muhammad", "wali", "muhammad", "awaz|awad"]),
    ("کریم نذیری", ["karim", "naziri"]),
    ("عبدالحی مطمئن", ["abdul hai|abd al-hai", "matman|motmaen"]),
    ("محمد عمر ځدران", ["muhammad", "omar", "zadran"]),  # Pashto ځ
    ("کُل آغا اسحاقزی", ["gul|kul|kal", "agha", "ishaqzai"]),  # a known name and -zai
    ("احمدزی", ["ahmadzai"]),
]

# (Arabic name, the top spelling of each group) where one spelling clearly dominates.
EXPECTED_TOP = [
    ("عبد الله", ["abdullah"]),
    ("علي", ["ali"]),
    ("بن لادن", ["bin", "ladin"]),
    ("أبو بكر", ["abu", "bakr"]),
    ("أيمن الظواهري", ["ayman", "al-zawahiri"]),
    ("عبد العزيز", ["abd al-aziz"]),
    ("البدري", ["al-badri"]),
]


@pytest.mark.parametrize(("name", "expected"), EXPECTED_AMONG)
def test_expected_spelling_is_a_candidate(name: str, expected: list[str]) -> None:
    groups = romanise(name)
    assert len(groups) == len(expected), groups
    for spellings, wanted in zip(groups, expected, strict=True):
        found = {_flat(s) for s in spellings}
        assert found & {_flat(w) for w in wanted.split("|")}, (wanted, spellings)


@pytest.mark.parametrize(("name", "expected"), EXPECTED_TOP)
def test_usual_spelling_comes_first(name: str, expected: list[str]) -> None:
    assert [spellings[0] for spellings in romanise(name)] == expected


@pytest.mark.parametrize(
    ("plain", "marked"),
    [
        ("محمد", "مُحَمَّد"),
        ("خالد", "خَالِد"),
        ("يوسف", "يـوسـف"),  # tatweel
        ("عبد الرحمن", "عَبْدُ الرَّحْمٰن"),
        ("محمد", "ﻣﺤﻤﺪ"),  # presentation forms
    ],
)
def test_diacritics_tatweel_and_presentation_forms_change_nothing(plain: str, marked: str) -> None:
    assert [_flat(s) for s in romanise(marked)[0]][:1] == [_flat(s) for s in romanise(plain)[0]][:1]


def test_shadda_doubles_a_consonant_for_the_rules() -> None:
    assert any("mm" in s for s in romanise("مُحَمَّد")[0])


def test_limit_caps_the_spellings_and_they_are_distinct() -> None:
    for name in ("محمد", "عبد الرحمن", "أيمن الظواهري", "ابراهيم عواد"):
        for spellings in romanise(name, limit=2):
            assert 1 <= len(spellings) <= 2
        for spellings in romanise(name):
            flat = [s.replace("-", "").replace(" ", "") for s in spellings]
            assert len(set(flat)) == len(flat) <= 4


def test_spellings_are_lowercase_latin_and_hyphens_mark_the_article() -> None:
    for spellings in romanise("أيمن محمد ربيع الظواهري عبد الرحمن الشامي"):
        for spelling in spellings:
            assert set(spelling) <= set("abcdefghijklmnopqrstuvwxyz -"), spelling
            if "-" in spelling:
                assert spelling.split("-")[0].split()[-1] in {
                    "al",
                    "el",
                    "ash",
                    "ad",
                    "ar",
                    "as",
                    "at",
                    "an",
                    "az",
                    "adh",
                    "ath",
                }


def test_sun_letter_assimilation_is_offered() -> None:
    assert "ash-shami" in romanise("الشامي")[0]


def test_is_arabic_script() -> None:
    assert is_arabic_script("محمد")
    assert is_arabic_script("پرویز")
    assert is_arabic_script("Osama بن")
    assert not is_arabic_script("Osama bin Laden")
    assert not is_arabic_script("")


def test_latin_and_empty_input() -> None:
    assert romanise("") == []
    assert romanise("  ، ") == []
    assert romanise("Osama") == [["osama"]]


def test_repeated_names_are_spelt_from_the_cache() -> None:
    """Names repeat a small set of tokens: after one reading, every group of a name is
    spelt from the cache, with the same spellings (its speed: ``bench/arabic_romanise.py``)."""
    names = ["أيمن محمد الظواهري", "أسامة بن لادن", "عبد الرحمن يوسف خالد"]
    first = [romanise(name) for name in names]
    before = spell_group.cache_info()
    assert [romanise(name) for name in names] == first
    after = spell_group.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_persian_readings_need_a_persian_letter() -> None:
    """The same Arabic letters read the Arabic way when nothing marks the name Persian."""
    assert romanise("نذيري")[0][0] == "nadhiri"
    assert romanise("کریم نذیری")[1][0] == "naziri"


def test_a_persian_names_kaf_may_be_the_gaf_keyboards_lack() -> None:
    """Written without گ, a Persian or Pashto name spells Gul as كل: in a name of Persian
    letters ك may also be g; in an Arabic name it stays k."""
    gul, agha, _ishaqzai = romanise("كُل آغا اسحاقزی")
    assert "gal" in gul and gul[0] == "kal"
    assert agha[0] == "agha"
    assert not any(s.startswith("g") for s in romanise("كريم")[0])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("أورتيغا", "ortega"),  # Daniel Ortega
        ("إيغور", "igor"),
        ("بوغدانوف", "bogdanov"),
        ("أوسمانوف", "osmanov"),
        ("أوندوا", "ondoa"),  # Marie-Thérèse Abena Ondoa
    ],
)
def test_a_foreign_name_the_lexicon_lacks_is_also_read_as_written(name: str, expected: str) -> None:
    """Names from other languages write their vowels and borrow غ for g and ف for v: two
    such readings follow the rules' spellings of an Arabic name, which stay as they were."""
    spellings = romanise(name)[0]
    assert expected in spellings[4:], spellings
    assert spellings[:4] == rule_spellings(name, 4)


def test_a_name_the_lexicon_knows_gets_no_foreign_reading() -> None:
    """A known name keeps the spellings Wikidata saw (محمد is not read as "mhmd")."""
    assert len(romanise("محمد")[0]) == 4
    assert "mhmd" not in romanise("محمد", 6)[0]
