"""Foreign names in Latvian and Lithuanian form: each word also read without its ending."""

import pytest

from watchkeeper.matching.names.baltic import baltic_stems
from watchkeeper.matching.score import PRESETS, LogicWK
from watchkeeper.matching.subject import Subject


def _score(query: str, listed: str) -> float:
    return LogicWK.compare(Subject("Person", (query,)), Subject("Person", (listed,))).score


def test_each_word_keeps_its_written_form_first() -> None:
    assert baltic_stems(["vladimiras", "putinas"]) == [
        ("vladimiras", "vladimira", "vladimir"),
        ("putinas", "putina", "putin"),
    ]
    assert baltic_stems(["sergejs", "lavrovs"]) == [("sergejs", "sergej"), ("lavrovs", "lavrov")]


@pytest.mark.parametrize(
    "words",
    [
        ["putinas"],  # one word: nothing says it is declined
        ["vladimir", "putinas"],  # a word without the ending
        ["ivas", "petrovas"],  # a stem shorter than a name
        ["jose", "dos", "santos"],
    ],
)
def test_other_names_are_not_read_so(words: list[str]) -> None:
    assert baltic_stems(words) is None


@pytest.mark.parametrize("query", ["Vladimiras Putinas", "Vladimirs Putins", "Putinas Vladimiras"])
def test_lithuanian_and_latvian_putin_alert(query: str) -> None:
    assert _score(query, "PUTIN, Vladimir Vladimirovich") >= PRESETS["balanced"]


def test_latvian_lavrov_alerts_and_an_unrelated_name_does_not() -> None:
    assert _score("Sergejs Lavrovs", "Sergey Viktorovich LAVROV") >= PRESETS["balanced"]
    assert _score("Sergejs Ivanovs", "Sergey Viktorovich LAVROV") < PRESETS["balanced"]
