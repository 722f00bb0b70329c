"""``POST /travel/messages``: screened at once, alerts kept for review, bad input kept too."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from watchkeeper.store.schema import alerts, travel_messages

TRAVEL = FIXTURES / "travel"


def test_a_manifest_is_screened_and_its_alerts_queued(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    body = (TRAVEL / "synthetic_paxlst_listed.edi").read_bytes()
    answer = client.post("/travel/messages", content=body, headers=auth(tokens["sam"]))
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["alerts"] == 1
    [report] = data["reports"]
    flagged = [t for t in report["travellers"] if t["hits"]]
    assert [t["hits"][0]["entity_id"] for t in flagged] == ["un-QDi.325"]
    with store.connect() as conn:
        [alert] = conn.execute(select(alerts)).all()
    assert (alert.state, alert.entity_id, alert.lane) == ("new", "un-QDi.325", "travel")


def test_a_broken_message_is_refused_and_kept(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    body = (TRAVEL / "pnrBadFormat.txt").read_bytes()
    answer = client.post("/travel/messages", content=body, headers=auth(tokens["sam"]))
    assert answer.status_code == 422
    assert "segment 28" in answer.json()["detail"][0]
    with store.connect() as conn:
        [kept] = conn.execute(select(travel_messages)).all()
    assert kept.status == "failed" and kept.raw == body.decode()


def test_a_resend_gets_the_first_answer_and_adds_no_alert(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    body = (TRAVEL / "synthetic_paxlst_listed.edi").read_bytes()
    first = client.post("/travel/messages", content=body, headers=auth(tokens["sam"]))
    again = client.post("/travel/messages", content=body, headers=auth(tokens["sam"]))
    assert first.status_code == again.status_code == 200, again.text
    one, two = first.json(), again.json()
    assert (one["alerts"], one["reports"]) == (two["alerts"], two["reports"])
    assert (one["interchange"]["repeat"], two["interchange"]["repeat"]) == (False, True)
    assert one["interchange"]["id"] == two["interchange"]["id"]
    with store.connect() as conn:
        assert len(conn.execute(select(alerts)).all()) == 1
        assert len(conn.execute(select(travel_messages)).all()) == 1


def test_other_content_under_a_taken_reference_is_409(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    # Two GTAS samples sent under one sender and UNB control reference (UA, 491873609401).
    first = (TRAVEL / "pnrPhoneCTCM.txt").read_bytes()
    assert client.post("/travel/messages", content=first, headers=auth(tokens["sam"])).is_success
    other = (TRAVEL / "pnrSeatFormats.txt").read_bytes()
    refused = client.post("/travel/messages", content=other, headers=auth(tokens["sam"]))
    assert refused.status_code == 409
    answer = refused.json()
    assert "interchange '491873609401' from 'UA' was received" in answer["detail"]
    assert "nothing was stored" in answer["detail"]
    assert (answer["reference"], answer["version"]) == ("491873609401", 1)
    with store.connect() as conn:
        assert len(conn.execute(select(travel_messages)).all()) == 1
