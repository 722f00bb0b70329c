"""Chinese names in Latin letters: pinyin and Wade-Giles spellings of one name meet."""

import subprocess
import sys
from importlib.resources import files

import pytest

from watchkeeper.matching.names import pinyin_table
from watchkeeper.matching.names.chinese import chinese_syllables, pinyin_spellings, sound_key
from watchkeeper.matching.score import LogicWK
from watchkeeper.matching.subject import Subject


@pytest.mark.parametrize(
    ("name", "syllables"),
    [
        ("xi jinping", ("xi", "jin", "ping")),  # a glued given name is cut
        ("hsi chin ping", ("hsi", "chin", "ping")),  # Wade-Giles, hyphens split
        ("wang fang", ("wang", "fang")),  # a common surname
        ("fang wang", ("fang", "wang")),  # ... last, as Western forms write it
        ("john smith", None),
        ("ali hassan", None),
        ("tsai ing wen", None),  # "ing" is no syllable: read as words
        ("kawa panga", None),  # two glued words: no surname among them (and pang-a is no cut)
    ],
)
def test_chinese_shape(name: str, syllables: tuple[str, ...] | None) -> None:
    assert chinese_syllables(name.split()) == syllables


def test_wade_giles_syllables_have_their_pinyin_spellings() -> None:
    assert pinyin_spellings("hsi") == ("hsi", "xi")
    assert pinyin_spellings("chin") == ("chin", "jin", "qin")
    assert pinyin_spellings("tung") == ("tung", "dong", "tong")
    assert pinyin_spellings("lyu") == ("lyu", "lv")  # the passports' ü


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Hsi Chin-ping", "Xi Jinping"),
        ("Mao Tse-tung", "Mao Zedong"),
        ("Teng Hsiao-ping", "Deng Xiaoping"),
        ("Xi Jin Ping", "XI, Jinping"),
    ],
)
def test_wade_giles_meets_pinyin(query: str, listed: str) -> None:
    result = LogicWK.compare(Subject("Person", (query,)), Subject("Person", (listed,)))
    assert result.is_match(), result.score


def test_shipped_spellings_are_pypinyins() -> None:
    """The shipped table is what pypinyin derives today: regenerate it after an upgrade."""
    table = pinyin_table.load()
    assert table == pinyin_table.derive()
    assert pinyin_table.render(table) == files("watchkeeper").joinpath(
        "data", pinyin_table.TABLE_FILE
    ).read_text(encoding="utf-8")


def test_latin_names_read_without_pypinyin() -> None:
    """A Latin name of Chinese shape needs no pypinyin dictionary (0.2 s, 55 MB)."""
    code = (
        "import sys; from watchkeeper.matching.names.chinese import chinese_syllables;"
        "assert chinese_syllables(['xi', 'jinping']);"
        "assert not any(m.startswith('pypinyin') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("spellings", "alike"),
    [
        (("xi", "shi", "si"), True),  # what ears outside China make of x
        (("qin", "chin", "cin"), True),
        (("ping", "pin"), True),  # a final n for ng
        (("xi", "qi"), False),
        (("fang", "feng"), False),  # vowels are no confusion of the ear
    ],
)
def test_sound_keys_of_confusable_syllables(spellings: tuple[str, ...], alike: bool) -> None:
    assert (len({sound_key(s) for s in spellings}) == 1) is alike


@pytest.mark.parametrize("query", ["Shi Jinping", "Si Jinpin"])
def test_misheard_pinyin_alerts_below_the_exact_name(query: str) -> None:
    listed = Subject("Person", ("Xi Jinping",))
    misheard = LogicWK.compare(Subject("Person", (query,)), listed)
    exact = LogicWK.compare(Subject("Person", ("Xi Jinping",)), listed)
    assert misheard.is_match(), misheard.score
    assert misheard.score < exact.score


def test_syllables_alike_leave_the_same_spellings_as_words_apart() -> None:
    syllables = (Subject("Person", ("Xi Jinping",)), Subject("Person", ("Si Jinpin",)))
    assert LogicWK.compare(*syllables).is_match()
    words = (Subject("Person", ("Xi Abdullah Rahman",)), Subject("Person", ("Si Abdullah Rahman",)))
    assert not LogicWK.compare(*words).is_match()  # two-letter words apart, whatever came first
