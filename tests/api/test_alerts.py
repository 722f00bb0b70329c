"""The review queue over HTTP: roles, four-eyes on a UN alert, history, the audit of the
queue, and the 409 that the slower of two reviewers gets."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from watchkeeper.store.audit import query


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


def test_reading_the_queue_is_audited(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    alert_id = _queue_one(client, tokens)
    answer = client.get("/alerts?list=un&limit=1", headers=auth(tokens["bob"])).json()
    assert [a["id"] for a in answer["results"]] == [alert_id] and answer["more"] is False
    [read] = query(store, action="read.queue", actor="bob")
    assert read.detail == {"filters": {"list": "un"}, "alerts": [alert_id]}
    assert (read.target_type, read.remote) == ("alert", "testclient")


def test_the_slower_of_two_reviewers_gets_409_with_the_current_state(
    client: TestClient, tokens: dict[str, str]
) -> None:
    alert_id = _queue_one(client, tokens)
    ana, bob = auth(tokens["ana"]), auth(tokens["bob"])
    version = client.get(f"/alerts/{alert_id}", headers=ana).json()["version"]
    first = client.post(
        f"/alerts/{alert_id}/decide",
        json={"state": "cleared", "comment": "born 1965", "version": version},
        headers=ana,
    )
    assert (first.status_code, first.json()["version"]) == (200, version + 1)
    second = client.post(
        f"/alerts/{alert_id}/decide",
        json={"state": "confirmed", "comment": "same passport", "version": version},
        headers=bob,
    )
    assert second.status_code == 409
    body = second.json()
    assert (body["state"], body["version"], body["pending_by"]) == ("pending", version + 1, "ana")
    assert "changed after you read it" in body["detail"]
    stale = client.post(
        f"/alerts/{alert_id}/assign", json={"assignee": "bob", "version": version}, headers=bob
    )
    assert (stale.status_code, stale.json()["state"]) == (409, "pending")
    assert client.get(f"/alerts/{alert_id}", headers=ana).json()["pending_state"] == "cleared"
