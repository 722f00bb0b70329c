"""Reason codes: a decision carries one from the configured list beside its comment, stored
with the decision and shown in the alert's events; an unknown code is refused."""

import pytest
from sqlalchemy import Engine, func, select

from tests.review.conftest import add_alert, add_version, last_alert_id
from watchkeeper.auth import Actor
from watchkeeper.errors import ConfigError, UsageError
from watchkeeper.review.workflow import decide, get_alert
from watchkeeper.settings import REASON_CODES, get_settings
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alert_events

ANNA = Actor("anna", "analyst")
SUE = Actor("sue", "supervisor")


@pytest.fixture
def un_alert(engine: Engine) -> int:
    add_version(engine, "un", "un-xml", {"un-QDi.325": "c1"})
    add_alert(engine, "un", "un-QDi.325")
    return last_alert_id(engine)


def test_a_reason_code_round_trips(engine: Engine, un_alert: int) -> None:
    decide(engine, ANNA, un_alert, "cleared", "born 1982", reason_code="different-date-of-birth")
    done = decide(engine, SUE, un_alert, "cleared", "agree")
    assert [(e.action, e.comment, e.reason_code) for e in done.events] == [
        ("propose", "born 1982", "different-date-of-birth"),
        ("approve", "agree", None),
    ]
    assert get_alert(engine, SUE, un_alert).events[0].reason_code == "different-date-of-birth"
    first = query(engine, action="decide")[-1]
    assert first.detail == {
        "event": "propose",
        "from": "new",
        "to": "cleared",
        "reason_code": "different-date-of-birth",
    }


def test_an_unknown_code_is_refused_and_nothing_is_written(engine: Engine, un_alert: int) -> None:
    with pytest.raises(UsageError) as refused:
        decide(engine, ANNA, un_alert, "cleared", "namesake", reason_code="same-name")
    assert refused.value.detail.startswith(
        "unknown reason code 'same-name': use one of false-positive-name-only, "
        "different-date-of-birth,"
    )
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alert_events)).scalar_one() == 0
    assert get_alert(engine, ANNA, un_alert).version == 1


def test_the_codes_are_configurable(
    engine: Engine, un_alert: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHKEEPER_REASON_CODES", "pep-known, different-nationality,pep-known")
    codes = get_settings().reason_codes
    assert codes == ("pep-known", "different-nationality")
    view = decide(
        engine, ANNA, un_alert, "escalated", "PEP", reason_code="pep-known", reason_codes=codes
    )
    assert view.events[-1].reason_code == "pep-known"
    with pytest.raises(UsageError, match=r"use one of pep-known, different-nationality$"):
        decide(
            engine,
            SUE,
            un_alert,
            "cleared",
            "x",
            reason_code="different-gender",
            reason_codes=codes,
        )
    monkeypatch.setenv("WATCHKEEPER_REASON_CODES", "pep-known, Not A Code")
    with pytest.raises(ConfigError, match="WATCHKEEPER_REASON_CODES: 'Not A Code' is not a code"):
        get_settings()
    monkeypatch.delenv("WATCHKEEPER_REASON_CODES")
    assert get_settings().reason_codes == REASON_CODES
    assert {"false-positive-name-only", "true-match-escalated"} <= set(REASON_CODES)


def test_the_risk_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WATCHKEEPER_RISK_THRESHOLD", raising=False)
    assert get_settings().risk_threshold == 50.0
    monkeypatch.setenv("WATCHKEEPER_RISK_THRESHOLD", "35")
    assert get_settings().risk_threshold == 35.0
    monkeypatch.setenv("WATCHKEEPER_RISK_THRESHOLD", "high")
    with pytest.raises(ConfigError, match="WATCHKEEPER_RISK_THRESHOLD='high' is not a number"):
        get_settings()
