"""yente-compatible endpoints: shapes, tokens and roles, audit, and the index swap."""

import threading

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from yente_client._translation import unwrap_match_response
from yente_client.models import MatchResponse

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from watchkeeper.service.app import create_app
from watchkeeper.service.deps import services_of
from watchkeeper.settings import Settings
from watchkeeper.sources import get_source
from watchkeeper.store import load_source
from watchkeeper.store.audit import query

ADNANI = {"schema": "Person", "properties": {"name": ["Abu Mohamed al-Adnani"]}}


def test_health_needs_no_token(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}


def test_not_ready_before_the_first_index(settings: Settings, store: Engine) -> None:
    with TestClient(create_app(settings, background=False)) as fresh:
        assert fresh.get("/readyz").status_code == 503


def test_tokens_are_required(client: TestClient, tokens: dict[str, str]) -> None:
    body = {"queries": {"q1": ADNANI}}
    assert client.post("/match/un", json=body).status_code == 401
    assert client.post("/match/un", json=body, headers=auth("wk_not-a-token")).status_code == 401
    assert client.post("/match/un", json=body, headers=auth(tokens["sam"])).status_code == 200
    api_key = {"Authorization": f"ApiKey {tokens['sam']}"}
    assert client.post("/match/un", json=body, headers=api_key).status_code == 200
    assert client.get(f"/catalog?api_key={tokens['sam']}").status_code == 200


def test_match_answers_in_yentes_shape(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    body = {
        "queries": {
            "q1": ADNANI,
            "q2": {"schema": "Person", "properties": {"name": "Mohammed Ali", "birthDate": "1990"}},
        }
    }
    answer = client.post("/match/un?limit=3", json=body, headers=auth(tokens["sam"]))
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["limit"] == 3 and data["algorithm"] == "logic-wk" and "matcher" not in data
    first = data["responses"]["q1"]
    assert first["status"] == 200 and first["query"]["schema"] == "Person"
    top = first["results"][0]
    assert (top["id"], top["schema"], top["match"]) == ("un-QDi.325", "Person", True)
    assert top["score"] > 0.9 and top["explanations"]["name_similarity"]["score"] > 0.9
    assert "features" not in top
    assert top["explanation"]["names"]["result_name"]
    assert "ABOU MOHAMED AL ADNANI" in top["properties"]["name"]
    assert not any(r["match"] for r in data["responses"]["q2"]["results"])
    [entry] = query(store, action="match")
    assert (entry.actor, entry.target_id) == ("sam", "un")
    assert "un-QDi.325" in entry.detail["results"]


def test_a_query_of_name_parts_only_matches(client: TestClient, tokens: dict[str, str]) -> None:
    """Bank systems send firstName and lastName, not name: the parts make the name."""
    parts = {"firstName": "Abu Mohamed", "lastName": "al-Adnani", "birthDate": "1977"}
    body = {"queries": {"q": {"schema": "Person", "properties": parts}}}
    answer = client.post("/match/un", json=body, headers=auth(tokens["sam"])).json()
    top = answer["responses"]["q"]["results"][0]
    assert (top["id"], top["match"]) == ("un-QDi.325", True)


def test_match_refuses_bad_requests(client: TestClient, tokens: dict[str, str]) -> None:
    headers = auth(tokens["sam"])
    bad_schema = {"queries": {"q": {"schema": "Martian", "properties": {"name": ["X"]}}}}
    assert client.post("/match/un", json=bad_schema, headers=headers).status_code == 400
    body = {"queries": {"q": ADNANI}}
    assert client.post("/match/un?algorithm=magic", json=body, headers=headers).status_code == 400
    missing = client.post("/match/nosuchlist", json=body, headers=headers)
    assert missing.status_code == 404 and "default" in missing.json()["detail"]
    assert client.post("/match/default", json=body, headers=headers).status_code == 200


def test_weights_override_features(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    headers = auth(tokens["sam"])
    plain = client.post("/match/un", json={"queries": {"q": ADNANI}}, headers=headers).json()
    weighted = client.post(
        "/match/un?cutoff=0",
        json={"queries": {"q": ADNANI}, "weights": {"name_exact": 0.0, "name_similarity": 0.0}},
        headers=headers,
    ).json()
    assert (
        weighted["responses"]["q"]["results"][0]["score"]
        < plain["responses"]["q"]["results"][0]["score"]
    )
    # The audit record says which weights made the scores; a plain request names none.
    weighted_detail, plain_detail = (e.detail or {} for e in query(store, action="match", limit=2))
    assert weighted_detail["weights"] == {"name_exact": 0.0, "name_similarity": 0.0}
    assert "weights" not in plain_detail and "results" in plain_detail


def test_cutoff_leaves_out_weak_results(client: TestClient, tokens: dict[str, str]) -> None:
    headers = auth(tokens["sam"])
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Mohammed Ali"]}}}}
    default = client.post("/match/un", json=body, headers=headers).json()
    everything = client.post("/match/un?cutoff=0&limit=5", json=body, headers=headers).json()
    scores = [r["score"] for r in everything["responses"]["q"]["results"]]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True)
    kept = [r["score"] for r in default["responses"]["q"]["results"]]
    assert kept == [s for s in scores if s >= 0.434]


def test_search_entities_and_catalog(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    headers = auth(tokens["sam"])
    found = client.get("/search/un?q=zawahiri&schema=Person", headers=headers).json()
    assert found["results"][0]["id"] == "un-QDi.006"
    entity = client.get("/entities/un-QDi.325", headers=headers).json()
    assert entity["id"] == "un-QDi.325" and entity["target"] is True
    nested = [v for values in entity["properties"].values() for v in values if isinstance(v, dict)]
    assert nested and all(n["target"] is False for n in nested)
    assert client.get("/entities/un-nothing", headers=headers).status_code == 404
    assert [e.action for e in query(store, actor="sam")] == ["read.entity", "search"]
    catalog = client.get("/catalog", headers=headers).json()
    assert [d["name"] for d in catalog["datasets"]] == ["default", "un"]
    assert client.get("/algorithms", headers=headers).json()["default"] == "logic-wk"


def test_list_update_swaps_the_index_without_failing_requests(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    headers = auth(tokens["sam"])
    ofac = FIXTURES / "ofac" / "sdn_small"
    load_source(store, get_source("ofac-csv", ofac), "ofac", origin="test", raw_dir=None)
    statuses: list[int] = []

    def ask() -> None:
        for _ in range(20):
            statuses.append(client.post("/match/default", json={"queries": {"q": ADNANI}},
                                        headers=headers).status_code)  # fmt: skip

    asking = threading.Thread(target=ask)
    asking.start()
    assert services_of(client.app).matchers.refresh() is True  # type: ignore[arg-type]
    asking.join()
    assert statuses == [200] * 20
    catalog = client.get("/catalog", headers=headers).json()
    assert [d["name"] for d in catalog["datasets"]] == ["default", "ofac", "un"]
    assert services_of(client.app).matchers.refresh() is False  # type: ignore[arg-type]


def test_bad_input_gets_a_clear_4xx(client: TestClient, tokens: dict[str, str]) -> None:
    headers = {**auth(tokens["sam"]), "Content-Type": "application/json"}
    broken = client.post("/match/un", content=b'{"queries": {', headers=headers)
    assert broken.status_code == 422 and "JSON" in broken.text
    no_queries = client.post("/match/un", json={"weights": {}}, headers=headers)
    assert no_queries.status_code == 422 and "queries" in no_queries.text
    many = {"queries": {f"q{i}": ADNANI for i in range(101)}}
    assert client.post("/match/un", json=many, headers=headers).status_code == 400
    assert client.get("/search/un?q=x&fuzzy=true", headers=headers).status_code == 400
    big = b"UNA:+.? '" + b"X" * (6 * 1024 * 1024)
    too_big = client.post("/travel/messages", content=big, headers=auth(tokens["sam"]))
    assert too_big.status_code == 413


def test_match_by_passport_number_under_another_name(
    client: TestClient, tokens: dict[str, str]
) -> None:
    person = {"name": "Someone Else", "passportNumber": "D 0000 2264"}
    body = {"queries": {"q1": {"schema": "Person", "properties": person}}}
    answer = client.post("/match/un", json=body, headers=auth(tokens["sam"])).json()
    (top, *_) = answer["responses"]["q1"]["results"]
    assert top["id"] == "un-CFi.001" and top["match"] is True
    lines = {f["feature"]: f for f in top["explanation"]["features"]}
    assert lines["identifier"]["detail"] == "same passport number: D00002264"


def test_a_man_listed_by_un_and_ofac_is_one_result(
    settings: Settings, store: Engine, tokens: dict[str, str]
) -> None:
    ofac = FIXTURES / "ofac" / "sdn_links"
    load_source(store, get_source("ofac-csv", ofac), "ofac", origin="test", raw_dir=None)
    app = create_app(settings, background=False)
    services_of(app).matchers.refresh()
    with TestClient(app) as client:
        answer = client.post(
            "/match/default", json={"queries": {"q": ADNANI}}, headers=auth(tokens["sam"])
        )
    assert answer.status_code == 200, answer.text
    response = answer.json()["responses"]["q"]
    # yente's own client reads the answer as its match() does (unwrap, then its model)
    parsed = MatchResponse.model_validate(unwrap_match_response(answer.json()))
    linked = [e for e in parsed.results if e.id in ("un-QDi.325", "ofac-17066")]
    assert len(linked) == 1 and linked[0].match and linked[0].score > 0.9
    results = response["results"]
    [person] = [r for r in results if r["id"] in ("un-QDi.325", "ofac-17066")]
    listings = {m["id"]: m for m in person["listings"]}
    assert set(listings) == {"un-QDi.325", "ofac-17066"}
    assert all(m["match"] and m["score"] > 0.9 and m["explanation"] for m in listings.values())
    assert person["links"][0]["facts"][0]["kind"] == "name_birth_date"


def test_a_json_body_is_answered_as_fastapi_answers_it(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    """``application/json`` takes the match route's short way (``MatchRoute``), another JSON
    media type FastAPI's: the answers, refusals included, and the audit records are the
    same."""
    person = {"queries": {"q1": ADNANI}}
    cases = [
        ("/match/un?limit=3", person, tokens["sam"]),
        ("/match/default?exclude_entity_ids=un-QDi.001&topics=sanction", person, tokens["sam"]),
        ("/match/un", {"queries": {"q1": {"schema": "Nothing", "properties": {}}}}, tokens["sam"]),
        ("/match/nowhere", person, tokens["sam"]),
        ("/match/un", {"queries": {"q1": {"properties": {}}}}, tokens["sam"]),  # 422
        ("/match/un?limit=0", person, tokens["sam"]),  # 422 of a parameter
        ("/match/un", person, "wk_not-a-token"),  # 401 whatever the body
        ("/match/un", {"queries": 1}, "wk_not-a-token"),
    ]
    statuses = []
    for url, body, token in cases:
        answers = [
            client.post(url, json=body, headers={**auth(token), "Content-Type": media})
            for media in ("application/json", "application/vnd.query+json")
        ]
        short, standard = answers
        assert short.status_code == standard.status_code, (url, body, short.text, standard.text)
        assert short.json() == standard.json()
        assert short.headers == standard.headers
        statuses.append(short.status_code)
    assert statuses == [200, 200, 400, 404, 422, 422, 401, 401]
    first, second, *_ = query(store, action="match")
    assert (first.actor, first.detail, first.target_id) == (
        second.actor,
        second.detail,
        second.target_id,
    )
