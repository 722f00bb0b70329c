"""One alert per listed person: hits on linked listings (UN QDi.325 and OFAC 17066, the same
man) from one screened traveller are one alert with both listings; unlinked hits stay apart."""

from datetime import UTC, datetime

from sqlalchemy import Engine, select

from tests.conftest import FIXTURES
from watchkeeper.sources import get_source
from watchkeeper.store import load_source
from watchkeeper.store.alerts import NewAlert, insert_alerts
from watchkeeper.store.schema import alerts
from watchkeeper.store.screened import ScreenedSubject

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
TRAVELLER = ScreenedSubject("Person", ("Abu Mohamed al-Adnani",), birth_dates=("1977",))
OTHER = ScreenedSubject("Person", ("Abu Jihad",))


def _hit(subject: ScreenedSubject, list_name: str, entity_id: str, score: float) -> NewAlert:
    return NewAlert(
        "travel", "watchlist", subject, f"like {entity_id}", 7, list_name, entity_id, score
    )


def test_linked_listings_of_one_person_are_one_alert(un_store: Engine) -> None:
    ofac = get_source("ofac-csv", FIXTURES / "ofac" / "sdn_links")
    load_source(un_store, ofac, "ofac", origin="test", raw_dir=None)
    found = [
        _hit(TRAVELLER, "ofac", "ofac-17066", 0.81),
        _hit(TRAVELLER, "un", "un-QDi.325", 0.93),
        _hit(OTHER, "un", "un-QDi.325", 0.60),  # another traveller: his own alert
        NewAlert("travel", "rule", TRAVELLER, "one-way ticket paid in cash", 7),
    ]
    with un_store.begin() as conn:
        written = insert_alerts(conn, found, None, None, NOW).written
    with un_store.connect() as conn:
        rows = conn.execute(select(alerts).order_by(alerts.c.id)).mappings().all()
    assert written == 3
    best = rows[0]
    assert (best["list_name"], best["entity_id"], best["score"]) == ("un", "un-QDi.325", 0.93)
    assert best["reason"] == "like un-QDi.325 (also listed: ofac ofac-17066)"
    assert best["explanation"]["other_listings"] == [
        {"list": "ofac", "entity_id": "ofac-17066", "score": 0.81, "reason": "like ofac-17066"}
    ]
    assert [r["kind"] for r in rows[1:]] == ["watchlist", "rule"]
    assert rows[1]["subject"]["names"] == ["Abu Jihad"]
