"""W3C reconciliation 0.2: every answer validated against the specification's JSON schemas
(tests/fixtures/reconciliation/), CORS, the public manifest, queries one by one, suggest as
prefix search, preview and data extension, and OpenRefine's sequence of calls."""

import json
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, ValidationError
from referencing import Registry, Resource
from sqlalchemy import Engine

from tests.api.conftest import auth
from tests.conftest import FIXTURES, SHARED, requires_shared
from watchkeeper.service.app import create_app
from watchkeeper.settings import Settings
from watchkeeper.store.audit import query as audit_entries

SCHEMAS = FIXTURES / "reconciliation"
SWAGGER = "http://swagger.io/v2/schema.json"  # the security scheme's schema: offline, empty
ORIGIN = "https://refine.example.org"


def _registry() -> Registry:
    offline = {"definitions": {"securityDefinitions": {"additionalProperties": {}}}}
    registry: Registry = Registry().with_resource(SWAGGER, Resource.opaque(offline))
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        registry = registry.with_resource(schema["$id"], Resource.opaque(schema))
    return registry


REGISTRY = _registry()


def valid(name: str, answer: Any) -> Any:
    """``answer`` after validating it against the specification's schema ``name``."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    Draft7Validator(schema, registry=REGISTRY).validate(answer)
    return answer


def matches(result: dict[str, Any]) -> list[str]:
    return [c["id"] for c in result["result"] if c["match"]]


def test_manifest_is_public_and_declares_its_security(client: TestClient) -> None:
    manifest = valid("manifest", client.get("/reconcile/un").json())
    assert manifest["versions"] == ["0.2"]
    assert manifest["authentication"] == {"type": "apiKey", "name": "api_key", "in": "query"}
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"Person", "Organization"}
    assert manifest["view"]["url"].endswith("/entities/{{id}}")
    assert manifest["suggest"]["entity"]["service_path"] == "/reconcile/un/suggest/entity"
    assert manifest["preview"]["url"].endswith("/reconcile/un/preview/{{id}}")
    keyed = valid("manifest", client.get("/reconcile/un?api_key=wk_abc").json())
    for address in (keyed["suggest"]["type"]["service_path"], keyed["preview"]["url"]):
        assert parse_qs(urlsplit(address).query) == {"api_key": ["wk_abc"]}
    assert client.get("/reconcile/un?queries={}").status_code == 401  # queries need a token


def test_cors_on_every_reconciliation_endpoint(client: TestClient, tokens: dict[str, str]) -> None:
    preflight = client.options(
        "/reconcile/un",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    origin = {"Origin": ORIGIN}
    for path in ("/reconcile/un", "/reconcile/un/suggest/entity?prefix=zaw"):
        answer = client.get(path, headers={**origin, **auth(tokens["sam"])})
        assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    refused = client.get("/reconcile/un?queries={}", headers=origin)  # readable by the page
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == "*"
    other = client.get("/catalog", headers={**origin, **auth(tokens["sam"])})
    assert "access-control-allow-origin" not in other.headers  # the rest stays same-origin


def test_cors_origins_setting(settings: Settings, store: Engine) -> None:
    app = create_app(replace(settings, cors_origins=(ORIGIN,)), background=False)
    with TestClient(app) as client:
        asked = {"Access-Control-Request-Method": "GET"}
        allowed = client.options("/reconcile/un", headers={"Origin": ORIGIN, **asked})
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        other = client.options("/reconcile/un", headers={"Origin": "https://evil.test", **asked})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers


def test_queries_as_openrefine_sends_them(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    queries = {
        "q0": {"query": "Ayman al-Zawahiri", "type": "Person", "limit": 3},
        "q1": {
            "query": "Abu Mohamed al-Adnani",
            "type": "Person",
            "properties": [{"pid": "birthDate", "v": "1977"}],
        },
    }
    valid("reconciliation-query-batch", queries)
    answer = client.post(
        "/reconcile/un", data={"queries": json.dumps(queries)}, headers=auth(tokens["sam"])
    )
    assert answer.status_code == 200, answer.text
    results = valid("reconciliation-result-batch", answer.json())
    best = results["q0"]["result"][0]
    assert best["id"] == "un-QDi.006" and best["match"] is True and 50 < best["score"] <= 100
    assert best["type"] == [{"id": "Person", "name": "Person"}]
    assert {f["id"] for f in best["features"]} >= {"name_similarity"}
    assert len(results["q0"]["result"]) <= 3
    assert results["q1"]["result"][0]["id"] == "un-QDi.325"
    by_url = client.get(
        "/reconcile/un", params={"queries": json.dumps(queries)}, headers=auth(tokens["sam"])
    )
    assert valid("reconciliation-result-batch", by_url.json())["q0"]["result"][0]["id"] == (
        "un-QDi.006"
    )
    (entry, *_) = [e for e in audit_entries(store, actor="sam") if e.action == "match"]
    assert entry.detail is not None and "un-QDi.006" in entry.detail["results"]


def test_property_only_multi_type_and_untyped_queries(
    client: TestClient, tokens: dict[str, str]
) -> None:
    queries = {
        "by_number": {"properties": [{"pid": "idNumber", "v": "1-78-09-44621-80"}]},
        "two_types": {"query": "Ayman al-Zawahiri", "type": ["Person", "Organization"]},
        "untyped": {"query": "Allied Democratic Forces"},
    }
    valid("reconciliation-query-batch", queries)
    answer = client.post(
        "/reconcile/un", data={"queries": json.dumps(queries)}, headers=auth(tokens["sam"])
    )
    results = valid("reconciliation-result-batch", answer.json())
    assert matches(results["by_number"]) == ["un-CDi.019"]
    two = results["two_types"]["result"]
    assert two[0]["id"] == "un-QDi.006"
    assert {t["id"] for c in two for t in c["type"]} <= {"Person", "Organization"}
    first = results["untyped"]["result"][0]  # typed by what it is, not by the query
    assert first["id"] == "un-CDe.001" and first["type"][0]["id"] == "Organization"


def test_errors_per_query_and_one_match_at_most(client: TestClient, tokens: dict[str, str]) -> None:
    headers = auth(tokens["sam"])
    queries = {
        "good": {"query": "Ayman al-Zawahiri"},
        "unknown_type": {"query": "Ayman al-Zawahiri", "type": "Spaceship"},
        "empty": {"type": "Person"},
        "bad_limit": {"query": "Ayman al-Zawahiri", "limit": 0},
        "namesakes": {"query": "Abdul Rahman", "type": "Person"},
    }
    answer = client.post("/reconcile/un", data={"queries": json.dumps(queries)}, headers=headers)
    assert answer.status_code == 200
    results = valid("reconciliation-result-batch", answer.json())
    assert results["good"]["result"][0]["id"] == "un-QDi.006"
    assert "Spaceship" in results["unknown_type"]["error"]
    assert results["empty"]["result"] == [] and "query" in results["empty"]["error"]
    assert "limit" in results["bad_limit"]["error"]
    # Three listed men are known as Abdul Rahman, with equal scores: a person must choose.
    namesakes = results["namesakes"]["result"]
    assert namesakes[0]["score"] == namesakes[1]["score"] and matches(results["namesakes"]) == []
    for result in results.values():
        assert len(matches(result)) <= 1
    assert client.post("/reconcile/un", data={"queries": "{"}, headers=headers).status_code == 400
    too_many = json.dumps({f"q{i}": {"query": "x"} for i in range(101)})
    large = client.post("/reconcile/un", data={"queries": too_many}, headers=headers)
    assert large.status_code == 413
    assert client.post("/reconcile/un", data={}, headers=headers).status_code == 400


def test_suggest_is_prefix_search(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    headers = auth(tokens["sam"])

    def suggest(kind: str, prefix: str, **more: Any) -> list[dict[str, Any]]:
        params = {"prefix": prefix, **more}
        found = client.get(f"/reconcile/un/suggest/{kind}", params=params, headers=headers)
        assert found.status_code == 200, found.text
        schema = {"entity": "entities", "type": "types", "property": "properties"}[kind]
        result: list[dict[str, Any]] = valid(f"suggest-{schema}-response", found.json())["result"]
        return result

    assert [e["id"] for e in suggest("entity", "zawah")] == ["un-QDi.006"]
    assert [e["id"] for e in suggest("entity", "ayman al-z")] == ["un-QDi.006"]
    assert suggest("entity", "zawah")[0]["notable"] == [{"id": "Person", "name": "Person"}]
    assert suggest("entity", "QDi.006")[0]["id"] == "un-QDi.006"  # an id, as the spec expects
    assert suggest("entity", "أيمن")[0]["id"] == "un-QDi.006"  # Arabic script, as listed
    first = [e["id"] for e in suggest("entity", "un-QDi.0", limit=3)]
    assert first == ["un-QDi.001", "un-QDi.002", "un-QDi.003"]
    assert [e["id"] for e in suggest("entity", "un-QDi.0", limit=2, cursor=1)] == first[1:]
    assert suggest("entity", "zzzzqx") == []
    assert {"id": "Person", "name": "Person"}.items() <= suggest("type", "pers")[0].items()
    assert "Organization" in [t["id"] for t in suggest("type", "org")]
    assert "birthDate" in [p["id"] for p in suggest("property", "birth")]
    assert "imoNumber" in [p["id"] for p in suggest("property", "imo", type="Vessel")]
    searches = [e for e in audit_entries(store, actor="sam") if e.action == "search"]
    assert searches and all(e.detail and e.detail["via"] == "reconcile.suggest" for e in searches)


def test_preview(client: TestClient, tokens: dict[str, str], store: Engine) -> None:
    page = client.get("/reconcile/un/preview/un-QDi.006", headers=auth(tokens["sam"]))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "AL-ZAWAHIRI" in page.text and "1951-06-19" in page.text and "Egypt" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert client.get("/reconcile/un/preview/un-QDi.006").status_code == 401
    missing = client.get("/reconcile/un/preview/un-nothing", headers=auth(tokens["sam"]))
    assert missing.status_code == 404
    assert [e.target_id for e in audit_entries(store, actor="sam")] == ["un-QDi.006"]


def test_data_extension(client: TestClient, tokens: dict[str, str], store: Engine) -> None:
    headers = auth(tokens["sam"])
    proposed = client.get("/reconcile/un/extend/property?type=Person&limit=5", headers=headers)
    assert proposed.json()["type"] == "Person" and len(proposed.json()["properties"]) == 5
    assert {"id": "birthDate", "name": "Birth date"} in proposed.json()["properties"]
    assert client.get("/reconcile/un/extend/property?type=Nope", headers=headers).status_code == 400
    query = {
        "ids": ["un-QDi.006", "un-nothing"],
        "properties": [{"id": "birthDate"}, {"id": "alias", "settings": {"limit": 2}}],
    }
    answer = client.post("/reconcile/un", data={"extend": json.dumps(query)}, headers=headers)
    assert answer.status_code == 200, answer.text
    extension = answer.json()
    assert extension["meta"] == [
        {"id": "birthDate", "name": "Birth date"},
        {"id": "alias", "name": "Alias"},
    ]
    assert extension["rows"]["un-QDi.006"]["birthDate"] == [{"str": "1951-06-19"}]
    assert len(extension["rows"]["un-QDi.006"]["alias"]) == 2
    assert extension["rows"]["un-nothing"] == {"birthDate": [], "alias": []}
    bad = client.post("/reconcile/un", data={"extend": '{"ids": 1}'}, headers=headers)
    assert bad.status_code == 400
    (read,) = [e for e in audit_entries(store, actor="sam") if e.action == "read.entity"]
    assert read.detail is not None and read.detail["entities"] == ["un-QDi.006"]


def test_openrefine_session(client: TestClient, tokens: dict[str, str]) -> None:
    """What OpenRefine does, in order, with the token as ``api_key`` and nothing else: reads
    the manifest, reconciles a column in batches, suggests an entity for a cell it could not
    match, proposes properties and fetches two columns by data extension."""
    key = {"api_key": tokens["sam"]}
    manifest = valid("manifest", client.get("/reconcile/un", params=key).json())
    column = ["Ayman al-Zawahiri", "Abou Mohamed al Adnani", "Nobody Atall"]
    batch = {f"q{i}": {"query": v, "type": "Person", "limit": 3} for i, v in enumerate(column)}
    valid("reconciliation-query-batch", batch)
    answer = client.post("/reconcile/un", params=key, data={"queries": json.dumps(batch)})
    results = valid("reconciliation-result-batch", answer.json())
    assert [matches(results[f"q{i}"]) for i in range(3)] == [["un-QDi.006"], ["un-QDi.325"], []]
    entity = manifest["suggest"]["entity"]
    suggest_url = entity["service_url"] + entity["service_path"]
    suggested = client.get(f"{suggest_url}&prefix=adnan")  # appended, as jQuery does
    found = valid("suggest-entities-response", suggested.json())["result"]
    assert found[0]["id"] == "un-IQi.073" and "un-QDi.325" in [e["id"] for e in found]
    propose = manifest["extend"]["propose_properties"]
    propose_url = propose["service_url"] + propose["service_path"]
    proposed = client.get(f"{propose_url}&type=Person")
    assert "nationality" in [p["id"] for p in proposed.json()["properties"]]
    ids = [matches(results[q])[0] for q in ("q0", "q1")]
    extend = {"ids": ids, "properties": [{"id": "birthDate"}, {"id": "nationality"}]}
    rows = client.post("/reconcile/un", params=key, data={"extend": json.dumps(extend)}).json()
    assert rows["rows"]["un-QDi.325"]["nationality"] == [{"str": "iq"}]
    preview = manifest["preview"]["url"].replace("{{id}}", ids[0])
    assert client.get(preview).status_code == 200


@requires_shared
def test_schemas_are_the_specifications() -> None:
    shared = SHARED / "standards" / "reconciliation_0.2"
    for path in shared.glob("*.json"):
        assert (SCHEMAS / path.name).read_bytes() == path.read_bytes()


def test_validation_bites(client: TestClient) -> None:
    manifest = client.get("/reconcile/un").json()
    del manifest["identifierSpace"]
    with pytest.raises(ValidationError, match="identifierSpace"):
        valid("manifest", manifest)
