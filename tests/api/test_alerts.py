"""The review queue over HTTP: roles, four-eyes on a UN alert, history."""

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.conftest import FIXTURES


def _queue_one(client: TestClient, tokens: dict[str, str]) -> int:
    body = (FIXTURES / "travel" / "synthetic_paxlst_listed.edi").read_bytes()
    assert (
        client.post("/travel/messages", content=body, headers=auth(tokens["sam"])).status_code
        == 200
    )
    queue = client.get("/alerts?state=new", headers=auth(tokens["ana"])).json()["results"]
    [alert] = [a for a in queue if a["entity_id"] == "un-QDi.325"]
    alert_id: int = alert["id"]
    return alert_id


def test_screeners_cannot_read_alerts(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/alerts", headers=auth(tokens["sam"])).status_code == 403


def test_four_eyes_on_a_un_alert(client: TestClient, tokens: dict[str, str]) -> None:
    alert_id = _queue_one(client, tokens)
    ana, bob, sue = (auth(tokens[n]) for n in ("ana", "bob", "sue"))
    assigned = client.post(f"/alerts/{alert_id}/assign", json={"assignee": "ana"}, headers=ana)
    assert assigned.json()["state"] == "in_review"
    first = client.post(
        f"/alerts/{alert_id}/decide",
        json={"state": "cleared", "comment": "different person: born 1965"},
        headers=ana,
    ).json()
    assert (first["state"], first["pending_state"]) == ("pending", "cleared")
    refused = client.post(
        f"/alerts/{alert_id}/decide", json={"state": "cleared", "comment": "ok"}, headers=bob
    )
    assert refused.status_code == 403
    approved = client.post(
        f"/alerts/{alert_id}/decide", json={"state": "cleared", "comment": "agreed"}, headers=sue
    ).json()
    assert approved["state"] == "cleared"
    history = client.get(f"/alerts/{alert_id}", headers=ana).json()["events"]
    assert [e["action"] for e in history] == ["assign", "propose", "approve"]
