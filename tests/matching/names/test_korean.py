"""Korean names in Latin letters: one syllable in any spelling, two syllables never one."""

import pytest

from watchkeeper.matching.names.korean import korean_shaped, syllable_spellings
from watchkeeper.matching.score import PRESETS, LogicWK
from watchkeeper.matching.subject import Subject


def _shares(a: str, b: str) -> bool:
    return not set(syllable_spellings(a)).isdisjoint(syllable_spellings(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("jong", "jung"),  # 정: McCune-Reischauer and the South's usual spelling
        ("un", "eun"),  # 은
        ("chol", "cheol"),  # 철
        ("yong", "ryong"),  # 룡 is 용 at the start of a word in the South
        ("ri", "lee"),  # 리/이, the surname
        ("pyong", "byeong"),  # 평, 병: the South's b for an unaspirated p
    ],
)
def test_spellings_of_one_syllable_share_a_spelling(a: str, b: str) -> None:
    assert _shares(a, b)


@pytest.mark.parametrize(("a", "b"), [("chol", "chun"), ("pong", "pyong"), ("ho", "ryong")])
def test_two_syllables_share_none(a: str, b: str) -> None:
    assert not _shares(a, b)


@pytest.mark.parametrize(
    ("name", "korean"),
    [
        ("kim yong chol", True),
        ("yong chol kim", True),  # surname last, as some lists write it
        ("kim jongun", False),  # glued: compared glued, not by syllable
        ("mohammed kim", False),
        ("lee ann", False),  # Ann writes no Korean syllable
    ],
)
def test_korean_shape(name: str, korean: bool) -> None:
    assert korean_shaped(name.split()) is korean


def _score(query: str, listed: str) -> float:
    return LogicWK.compare(Subject("Person", (query,)), Subject("Person", (listed,))).score


def test_another_syllable_is_compared_as_a_spelling() -> None:
    """Lists' aliases of one North Korean differ by a syllable often enough (Ri Myong-chul,
    Ri Pyong Chul) that a different syllable is no refusal, but no equal either."""
    equal = _score("Kim Yong-chol", "Kim Yong-chol")
    assert equal > _score("Kim Yong-chol", "Kim Yong-chun") > PRESETS["balanced"]
    assert _score("Kim Yong-chol", "Kim Yong-chun") < _score("Kim Yong-chol", "Kim Yong-cheol")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kim Jong-eun", "Kim Jong Un"),
        ("Ri Yong Ho", "Lee Yong Ho"),
        ("Kim Yong Chul", "KIM Yong Chol"),
        ("Kim Jong-uun", "Kim Jong-un"),  # a typo is no syllable: compared as a word
        ("김정은", "KIM Jong Un"),
    ],
)
def test_spellings_of_one_name_alert(query: str, listed: str) -> None:
    assert _score(query, listed) > 0.55
