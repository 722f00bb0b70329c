"""W3C reconciliation: manifest, queries by form and by URL, suggest services."""

import json

from fastapi.testclient import TestClient

from tests.api.conftest import auth


def test_manifest(client: TestClient, tokens: dict[str, str]) -> None:
    manifest = client.get("/reconcile/un", headers=auth(tokens["sam"])).json()
    assert manifest["versions"] == ["0.2"]
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"Person", "Organization"}
    assert manifest["view"]["url"].endswith("/entities/{{id}}")
    assert manifest["suggest"]["entity"]["service_path"] == "/reconcile/un/suggest/entity"


def test_queries_as_openrefine_sends_them(client: TestClient, tokens: dict[str, str]) -> None:
    queries = {
        "q0": {"query": "Ayman al-Zawahiri", "type": "Person", "limit": 3},
        "q1": {
            "query": "Abu Mohamed al-Adnani",
            "type": "Person",
            "properties": [{"pid": "birthDate", "v": "1977"}],
        },
    }
    answer = client.post(
        "/reconcile/un", data={"queries": json.dumps(queries)}, headers=auth(tokens["sam"])
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()
    best = results["q0"]["result"][0]
    assert best["id"] == "un-QDi.006" and best["match"] is True and 50 < best["score"] <= 100
    assert best["type"] == [{"id": "Person", "name": "Person"}]
    assert len(results["q0"]["result"]) <= 3
    assert results["q1"]["result"][0]["id"] == "un-QDi.325"
    by_url = client.get(
        "/reconcile/un", params={"queries": json.dumps(queries)}, headers=auth(tokens["sam"])
    )
    assert by_url.json()["q0"]["result"][0]["id"] == "un-QDi.006"


def test_bad_queries(client: TestClient, tokens: dict[str, str]) -> None:
    headers = auth(tokens["sam"])
    assert client.post("/reconcile/un", data={"queries": "{"}, headers=headers).status_code == 400
    no_query = json.dumps({"q0": {"type": "Person"}})
    assert (
        client.post("/reconcile/un", data={"queries": no_query}, headers=headers).status_code == 400
    )


def test_suggest(client: TestClient, tokens: dict[str, str]) -> None:
    headers = auth(tokens["sam"])
    entities = client.get("/reconcile/un/suggest/entity?prefix=zawahiri", headers=headers).json()
    assert entities["result"][0]["id"] == "un-QDi.006"
    types = client.get("/reconcile/un/suggest/type?prefix=pers", headers=headers).json()
    assert {"id": "Person", "name": "Person"} in types["result"]
    props = client.get("/reconcile/un/suggest/property?prefix=birth", headers=headers).json()
    assert "birthDate" in [p["id"] for p in props["result"]]
