"""The issue's acceptance cases for the matcher's second pass, through ``watchkeeper match``:
a short name against a long listed one, a title in another language, contradicting facts
against one shared surname."""

import json

import pytest
from typer.testing import Result

from tests.cli.conftest import json_matches, with_ftm

Wk = "functools.partial[Result]"


@pytest.fixture
def listed(un: Wk) -> Wk:
    """A store holding ``partial_names.ftm.json`` as list 'small' and the bundled UN list."""
    with_ftm(un, "partial_names.ftm.json", "small")
    return un


def _alerts(result: Result) -> list[str]:
    return [str(m["entity_id"]) for m in json_matches(result) if m["alert"]]


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("Boris Johnson", "wk-test-johnson"),
        ("Presidente Vladimir Putin", "wk-test-putin"),
        ("Президент Путин", "wk-test-putin"),
        ("Vladimir Putin", "wk-test-putin"),
    ],
)
def test_a_partial_name_or_a_title_alerts(listed: Wk, query: str, entity_id: str) -> None:
    assert _alerts(listed("match", query, "--lists", "small", "--format", "json")) == [entity_id]


def test_the_full_name_ranks_above_the_partial_one(listed: Wk) -> None:
    def score(query: str) -> float:
        result = listed("match", query, "--lists", "small", "--format", "json")
        return float(json.loads(result.stdout)["matches"][0]["score"])

    assert score("Vladimir Vladimirovich Putin") > score("Vladimir Putin")
    assert score("Alexandre Boris de Pfeffel Johnson") > score("Boris Johnson")


def test_a_shared_surname_with_contradicting_facts_does_not_alert(listed: Wk) -> None:
    args = ("--dob", "1985-03-02", "--gender", "female", "--lists", "un", "--format", "json")
    assert "un-IRi.030" not in _alerts(listed("match", "Maria Rahimi", *args))
