"""The parameters of the red team's 500s are refused as the caller's errors: ids beyond 64
bits, huge day counts, infinite or NaN numbers, reconciliation properties of the wrong shape;
each endpoint declares the statuses it answers with."""

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from watchkeeper.service.bounds import MAX_DAYS, MAX_WEIGHT

BEYOND = str(2**64)
PAST_INTEGER = str(2**31)  # beyond PostgreSQL's INTEGER ids


@pytest.mark.parametrize(
    "path",
    [
        f"/alerts/{BEYOND}",
        f"/alerts?older_than_days={10**12}",
        f"/alerts?newer_than_days={MAX_DAYS + 1}",
        "/alerts?min_score=nan",
        "/alerts?max_score=inf",
        f"/alerts?offset={BEYOND}",
    ],
)
def test_alert_queries_out_of_bounds(client: TestClient, tokens: dict[str, str], path: str) -> None:
    answer = client.get(path, headers=auth(tokens["ana"]))
    assert answer.status_code == 422, answer.text


def test_alert_changes_out_of_bounds(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.post(
        f"/alerts/{BEYOND}/comment", json={"text": "x"}, headers=auth(tokens["ana"])
    )
    assert answer.status_code == 422
    assert client.get(f"/alerts/{PAST_INTEGER}", headers=auth(tokens["ana"])).status_code == 422
    assert client.get(f"/alerts/{MAX_DAYS}", headers=auth(tokens["ana"])).status_code == 404


@pytest.mark.parametrize("weight", ["-1e308", "1e309", "NaN", str(MAX_WEIGHT + 1)])
def test_match_weights_must_be_finite_and_bounded(
    client: TestClient, tokens: dict[str, str], weight: str
) -> None:
    query = {"schema": "Person", "properties": {"name": ["Abu Mohamed al-Adnani"]}}
    body = (
        f'{{"weights": {{"name_similarity": {weight}}}, "queries": {{"q1": {json.dumps(query)}}}}}'
    )

    headers = {**auth(tokens["sam"]), "Content-Type": "application/json"}
    answer = client.post("/match/un", content=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "weights", "name_similarity"]


def test_match_weights_at_the_bounds_score(client: TestClient, tokens: dict[str, str]) -> None:
    query = {"schema": "Person", "properties": {"name": ["Abu Mohamed al-Adnani"]}}
    for weight in (-MAX_WEIGHT, MAX_WEIGHT):
        weights = {f: weight for f in ("name_similarity", "birth_date", "country", "identifier")}
        body = {"weights": weights, "queries": {"q1": query}}
        answer = client.post("/match/un?cutoff=0", json=body, headers=auth(tokens["sam"]))
        assert answer.status_code == 200, answer.text
        assert 0 <= answer.json()["responses"]["q1"]["results"][0]["score"] <= 1


@pytest.mark.parametrize(
    "properties",
    [5, "birthDate", {"pid": "birthDate", "v": "1977"}, [5], [{"v": "1977"}], [{"pid": 1}],
     [{"pid": "birthDate", "v": [[1977]]}]],
)  # fmt: skip
def test_reconcile_properties_of_the_wrong_shape(
    client: TestClient, tokens: dict[str, str], properties: object
) -> None:
    # The batch is answered (errors per query, as the spec has them); this query says why.
    queries = {
        "q0": {"query": "Abu Mohamed al-Adnani", "properties": properties},
        "q1": {"query": "Abu Mohamed al-Adnani"},
    }
    answer = client.post(
        "/reconcile/un", data={"queries": json.dumps(queries)}, headers=auth(tokens["sam"])
    )
    assert answer.status_code == 200
    assert answer.json()["q0"]["result"] == []
    assert answer.json()["q0"]["error"].startswith("properties: a list of objects")
    assert answer.json()["q1"]["result"]


def test_reconcile_property_values_as_the_spec_has_them(
    client: TestClient, tokens: dict[str, str]
) -> None:
    properties = [
        {"pid": "birthDate", "v": [1977, "1977-01-01"]},
        {"pid": "nationality", "v": {"id": "iq", "name": "Iraq"}},
        {"pid": "notAProperty", "v": True},
    ]
    queries = {"q0": {"query": "Abu Mohamed al-Adnani", "type": "Person", "properties": properties}}
    answer = client.post(
        "/reconcile/un", data={"queries": json.dumps(queries)}, headers=auth(tokens["sam"])
    )
    assert answer.status_code == 200
    assert answer.json()["q0"]["result"][0]["id"] == "un-QDi.325"


def test_every_endpoint_declares_its_errors(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            if path in ("/healthz", "/readyz"):
                continue
            # TAXII answers a bad parameter with its own error resource (400), never 422
            bad = {"400", "406"} if path.startswith("/taxii2") else {"422"}
            assert {"401", "403", "413", "429"} | bad <= declared, (method, path)
    assert "503" in paths["/readyz"]["get"]["responses"]
    assert "409" in paths["/alerts/{alert_id}/decide"]["post"]["responses"]
