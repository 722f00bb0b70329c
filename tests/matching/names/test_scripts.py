"""Names in other scripts: their readings, and how they score and retrieve against Latin."""

import json
import os
import subprocess
import sys

import pytest

from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.names.forms import latin_forms
from watchkeeper.matching.names.scripts import is_other_script, readings
from watchkeeper.matching.oracle import LinearIndex
from watchkeeper.matching.prepared import prepare, prepare_name, prepare_names, reference_weights
from watchkeeper.matching.score import PRESETS, LogicWK
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.terms import name_slots

THRESHOLD = PRESETS["balanced"]


def _score(query: str, listed: str) -> float:
    return LogicWK.compare(Subject("Person", (query,)), Subject("Person", (listed,))).score


def test_latin_cyrillic_and_arabic_names_are_not_read_here() -> None:
    for name in ("Kim Jong Un", "Vladímir Pútín", "Владимир Путин", "محمد علي"):
        assert not is_other_script(name)
    weights = reference_weights()
    name = "Vladímir Putin"
    assert prepare_names(name, weights, False, True) == [prepare_name(name, weights, False, True)]


def test_a_korean_name_is_surname_then_given_syllables_in_every_spelling() -> None:
    first = readings("김정은")[0]
    assert first == (("kim", "gim"), ("jong", "chong", "jeong", "jung"), ("un", "eun"))
    assert readings("박지성")[0][0] == ("park", "pak", "bak")
    assert "lee" in readings("이민호")[0][0]


def test_a_han_name_reads_as_chinese_with_wade_giles_and_as_japanese() -> None:
    chinese, *_ = readings("习近平")
    assert chinese == (("xi", "hsi"), ("jin", "chin"), ("ping",))
    assert (("yamada",), ("taro", "tarou")) in readings("山田太郎")


def test_a_korean_name_in_han_characters_reads_as_korean_too() -> None:
    """金正恩 is 김정은: the Korean reading of each character, as a name has it (金 is 김 in
    names, 금 elsewhere), comes after the Chinese and Japanese ones."""
    assert readings("金正恩")[-1] == readings("김정은")[0]
    assert readings("李明博")[-1][0][:2] == ("ri", "lee")
    assert len(readings("习近平")) == 2  # simplified characters: Chinese, not Korean
    assert len(readings("欧阳修文华")) == 2  # five characters: longer than a Korean name


def test_katakana_thai_and_hangul_loanwords() -> None:
    assert readings("ウラジーミル・プーチン")[0][1][0] == "putin"
    assert readings("สมชาย")[0][0][0] == "somchai"
    assert readings("블라디미르 푸틴")[0][0][0] == "bladimir"


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("김정은", "Kim Jong Un"),
        ("김정은", "Kim Jong-un"),
        ("김정은", "Kim Jongun"),
        ("김정은", "KIM, Jong Un"),
        ("金正恩", "KIM, Jong Un"),
        ("朴槿惠", "Park Geun-hye"),
        ("박지성", "Park Ji Sung"),
        ("이민호", "Lee Min Ho"),
        ("习近平", "Xi Jinping"),
        ("习近平", "Hsi Chin-ping"),
        ("山田太郎", "Yamada Taro"),
        ("田中花子", "Tanaka Hanako"),
        ("สมชาย", "Somchai"),
        ("블라디미르 푸틴", "PUTIN, Vladimir Vladimirovich"),
        ("ウラジーミル・プーチン", "PUTIN, Vladimir Vladimirovich"),
        ("Βλαντίμιρ Πούτιν", "PUTIN, Vladimir Vladimirovich"),
        ("ולדימיר פוטין", "PUTIN, Vladimir Vladimirovich"),
        ("វ៉្លាឌីមៀរ ពូទីន", "PUTIN, Vladimir Vladimirovich"),
    ],
)
def test_the_same_person_alerts_across_scripts(query: str, listed: str) -> None:
    assert _score(query, listed) >= THRESHOLD
    if "PUTIN" not in listed:  # a shorter listed name than the query's scores less, by design
        assert _score(listed, query) >= THRESHOLD  # a listed name in another script too


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("김정은", "Kim Jong Il"),
        ("김정은", "Pak Jong Un Chol"),
        ("블라디미르 푸틴", "TIKHONOVA, Katerina Vladimirovna"),
        ("习近平", "Li Ming"),
    ],
)
def test_other_people_do_not_alert(query: str, listed: str) -> None:
    assert _score(query, listed) < THRESHOLD


def test_the_index_finds_across_scripts_both_ways() -> None:
    listed = [
        Subject("Person", ("KIM, Jong Un",), entity_id="kju"),
        Subject("Person", ("习近平",), entity_id="xi"),
        Subject("Person", ("Mohammed Ali",), entity_id="ma"),
    ]
    for index in (NameIndex.build(listed), LinearIndex.build(listed)):
        for korean in ("김정은", "金正恩"):
            found = index.query(Subject("Person", (korean,)))
            assert found[0].subject.entity_id == "kju"
        found = index.query(Subject("Person", ("Xi Jinping",)))
        assert found[0].subject.entity_id == "xi"
    assert name_slots("김정은")[0] == ("kem", "jem")


def test_bounds_are_never_below_the_score_across_scripts() -> None:
    names = ["김정은", "金正恩", "KIM, Jong Un", "Kim Jongun", "习近平", "Xi Jinping", "山田太郎",
             "블라디미르 푸틴", "PUTIN, Vladimir", "สมชาย", "Somchai Wong"]  # fmt: skip
    subjects = [prepare(Subject("Person", (n,))) for n in names]
    for query in subjects:
        bounds = LogicWK.bounds(query, subjects)
        for result, bound in zip(subjects, bounds, strict=True):
            assert bound >= LogicWK.compare(query, result).score


_EVERY_HAN = """
import json, os, sys
{importer}
assert os.environ.get("PYPINYIN_NO_PHRASES") is None, "the environment was changed"
from pypinyin.constants import RE_HANS
chars = (chr(c) for c in range(0x3000, 0x110000) if RE_HANS.match(chr(c)))
print(json.dumps({{c: (pypinyin.lazy_pinyin(c, style=pypinyin.Style.NORMAL, v_to_u=True),
                     pypinyin.lazy_pinyin(c, style=pypinyin.Style.WADEGILES)) for c in chars}}))
print("pypinyin.phrases_dict" in sys.modules)
"""


def test_han_characters_read_the_same_without_pypinyins_phrases() -> None:
    """Every Han character pypinyin reads gets the same spellings through ``pypinyin_module``
    (no phrase dictionary) as from pypinyin imported plainly (phrases loaded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")}

    def run(importer: str) -> tuple[dict[str, object], bool]:
        code = _EVERY_HAN.format(importer=importer)
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()
        table, phrases = done.stdout.decode().splitlines()
        return json.loads(table), phrases == "True"  # JSON: literal_eval took seconds

    ours, ours_phrases = run(
        "from watchkeeper.matching.names.scripts import pypinyin_module\n"
        "pypinyin = pypinyin_module()"
    )
    plain, plain_phrases = run("import pypinyin")
    assert (ours_phrases, plain_phrases) == (False, True)
    assert len(ours) > 90_000
    assert ours == plain


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("贝拉克·奥巴马", "Barack Obama"),  # Chinese transcriptions of a foreign name
        ("ប៉ុល ពត", "Pol Pot"),  # Khmer, with its vowel signs
        ("משה", "Moshe"),  # Hebrew without vowels
    ],
)
def test_wikidata_name_forms_read_a_transcribed_name(query: str, listed: str) -> None:
    """A transcription is read as the name Wikidata says it is a form of, where no reading
    of its letters or syllables comes near it."""
    assert _score(query, listed) >= THRESHOLD


def test_wikidata_forms_are_one_more_reading_and_leave_unknown_words_as_read() -> None:
    found = readings("弗拉基米尔·普京")
    assert found[0][0] == ("fu",)  # the Chinese and Japanese readings stay, first
    known = found[-1]
    assert known[0][:2] == ("vladimir", "wladimir") and known[1] == ("pujing",)
    assert latin_forms("ולדימיר")[0] == "vladimir"
    assert latin_forms("Vladimir") == ()  # Latin words are never looked up
    assert len(readings("习近平")) == 2  # a Chinese name's characters are no known word
    assert _score("贝拉克·奥巴马", "Michelle Obama") < THRESHOLD
