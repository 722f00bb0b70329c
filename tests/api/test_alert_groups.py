"""The triage endpoints on real alerts of the travel lane (a UN-listed traveller, and the
GTAS sample whose eight crew members share a passport number): the queue in groups, one
group's alerts, bulk assignment and decision over alerts or a group, and reason codes on
the decision endpoint."""

from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from watchkeeper.store.audit import query

LISTED = "YASER KHALAF NAZZAL ALRAWI"
CODE = "false-positive-name-only"


def screened(client: TestClient, tokens: dict[str, str]) -> dict[str, dict[str, object]]:
    """The two messages sent by a screener; the groups by subject, by name."""
    for name in ("synthetic_paxlst_listed.edi", "Test1.txt"):
        body = (FIXTURES / "travel" / name).read_bytes()
        answer = client.post("/travel/messages", content=body, headers=auth(tokens["sam"]))
        assert answer.status_code == 200, answer.text
    page = client.get("/alerts/groups", headers=auth(tokens["ana"])).json()
    return {g["subject"]: g for g in page["results"]}


def test_the_queue_in_groups(client: TestClient, tokens: dict[str, str], store: Engine) -> None:
    ana = auth(tokens["ana"])
    groups = screened(client, tokens)
    page = client.get("/alerts/groups", headers=ana).json()
    assert (page["by"], page["sort"], page["more"]) == ("subject", "score", False)
    first = page["results"][0]
    assert (first["subject"], first["strongest"]["kind"], first["counts"]["watchlist"]) == (
        LISTED,
        "watchlist",
        1,
    )
    assert len(groups) == 9 and all(g["alerts"] == 1 for g in groups.values())
    crew = groups["Andrea Pat Steur"]
    assert (crew["risk"], crew["threshold"], crew["context_only"]) == (60.0, 50.0, False)
    flights = client.get("/alerts/groups", params={"by": "flight"}, headers=ana).json()
    assert sorted((g["label"], g["alerts"]) for g in flights["results"]) == [
        ("UA0989", 8),
        ("XY123", 1),
    ]
    limited = client.get("/alerts/groups", params={"limit": 2, "kind": "rule"}, headers=ana)
    assert limited.json()["more"] is True and len(limited.json()["results"]) == 2
    bad = client.get("/alerts/groups", params={"sort": "colour"}, headers=ana)
    assert bad.status_code == 400 and "unknown sort" in bad.json()["detail"]
    refused = client.get("/alerts/groups", headers=auth(tokens["sam"]))
    assert refused.status_code == 403
    [read] = query(store, action="read.queue", actor="ana", limit=1)  # the last one made
    shown = [g["strongest"]["alert_id"] for g in limited.json()["results"]]
    filters = {"by": "subject", "sort": "score", "kind": "rule"}
    assert read.detail == {"filters": filters, "alerts": shown}


def test_a_groups_alerts(client: TestClient, tokens: dict[str, str]) -> None:
    ana = auth(tokens["ana"])
    screened(client, tokens)
    flights = client.get("/alerts/groups", params={"by": "flight"}, headers=ana).json()
    crew = next(g for g in flights["results"] if g["label"] == "UA0989")
    answer = client.get(
        f"/alerts/groups/{quote(crew['key'], safe='')}", params={"by": "flight"}, headers=ana
    )
    assert answer.status_code == 200
    found = answer.json()
    assert len(found) == 8 and {a["kind"] for a in found} == {"rule"}
    assert found[0]["id"] == crew["strongest"]["alert_id"]
    assert client.get("/alerts/groups/nothing", headers=ana).json() == []


def test_bulk_decide_a_group_and_listed_alerts(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    ana, bob, sue = (auth(tokens[n]) for n in ("ana", "bob", "sue"))
    groups = screened(client, tokens)
    flights = client.get("/alerts/groups", params={"by": "flight"}, headers=ana).json()
    crew = next(g for g in flights["results"] if g["label"] == "UA0989")
    group = {"key": crew["key"], "by": "flight", "through": crew["last_alert"]}
    decide = {"action": "decide", "state": "cleared", "comment": "crew on a shared test passport"}
    no_code = client.post("/alerts/bulk", json={**decide, "group": group}, headers=ana)
    assert no_code.status_code == 400 and "reason code" in no_code.json()["detail"]
    unknown = {**decide, "group": group, "reason_code": "fine"}
    refused = client.post("/alerts/bulk", json=unknown, headers=ana)
    assert refused.status_code == 400 and "unknown reason code 'fine'" in refused.json()["detail"]
    both = {**decide, "group": group, "alerts": [{"id": 1}], "reason_code": CODE}
    assert client.post("/alerts/bulk", json=both, headers=ana).status_code == 400
    whole = client.post(
        "/alerts/bulk",
        json={**decide, "group": group, "reason_code": "rule-context-only"},
        headers=ana,
    ).json()
    assert len(whole["done"]) == 8 and whole["failed"] == []
    assert {o["state"] for o in whole["outcomes"]} == {"cleared"}
    listed = groups[LISTED]["strongest"]["alert_id"]  # type: ignore[index]
    version = client.get(f"/alerts/{listed}", headers=ana).json()["version"]
    alerts = [{"id": listed, "version": version}]
    proposed = client.post(
        "/alerts/bulk", json={**decide, "alerts": alerts, "reason_code": CODE}, headers=ana
    ).json()
    assert proposed["outcomes"][0]["state"] == "pending" and proposed["done"] == [listed]
    stale = client.post(
        "/alerts/bulk", json={**decide, "alerts": alerts, "reason_code": CODE}, headers=sue
    ).json()
    [outcome] = stale["outcomes"]
    assert (outcome["ok"], outcome["status"], outcome["current"]["state"]) == (
        False,
        409,
        "pending",
    )
    fresh = [{"id": listed}]
    not_bob = client.post(
        "/alerts/bulk", json={**decide, "alerts": fresh, "reason_code": CODE}, headers=bob
    ).json()
    assert not_bob["failed"] == [listed] and not_bob["outcomes"][0]["status"] == 403
    approved = client.post(
        "/alerts/bulk", json={**decide, "alerts": fresh, "reason_code": CODE}, headers=sue
    ).json()
    assert approved["outcomes"][0]["state"] == "cleared"
    events = client.get(f"/alerts/{listed}", headers=ana).json()["events"]
    assert [(e["actor"], e["action"], e["reason_code"]) for e in events] == [
        ("ana", "propose", CODE),
        ("sue", "approve", CODE),
    ]
    assert [e.actor for e in query(store, action="bulk.decide")] == [
        "sue",
        "bob",
        "sue",
        "ana",
        "ana",
    ]


def test_bulk_assign(client: TestClient, tokens: dict[str, str]) -> None:
    ana = auth(tokens["ana"])
    groups = screened(client, tokens)
    ids = [g["strongest"]["alert_id"] for g in groups.values()][:3]
    taken = client.post(
        "/alerts/bulk",
        json={"action": "assign", "assignee": "bob", "alerts": [{"id": i} for i in ids]},
        headers=ana,
    ).json()
    assert taken["done"] == ids and {o["state"] for o in taken["outcomes"]} == {"in_review"}
    crew = groups["Andrea Pat Steur"]
    group = {"key": crew["key"], "through": crew["last_alert"]}
    released = client.post(
        "/alerts/bulk", json={"action": "assign", "assignee": None, "group": group}, headers=ana
    ).json()
    assert len(released["done"]) == 1
    nobody = client.post(
        "/alerts/bulk",
        json={"action": "assign", "assignee": "nobody", "alerts": [{"id": ids[0]}]},
        headers=ana,
    ).json()
    assert nobody["outcomes"][0]["status"] == 404


def test_the_decision_endpoint_takes_a_reason_code(
    client: TestClient, tokens: dict[str, str]
) -> None:
    ana = auth(tokens["ana"])
    groups = screened(client, tokens)
    alert_id = groups["Julie Pat Adomat"]["strongest"]["alert_id"]  # type: ignore[index]
    body = {"state": "cleared", "comment": "test passport", "reason_code": "nope"}
    unknown = client.post(f"/alerts/{alert_id}/decide", json=body, headers=ana)
    assert unknown.status_code == 400 and "use one of false-positive-name-only" in unknown.text
    decided = client.post(
        f"/alerts/{alert_id}/decide", json={**body, "reason_code": "rule-context-only"}, headers=ana
    ).json()
    assert decided["state"] == "cleared"
    assert decided["events"][-1]["reason_code"] == "rule-context-only"
