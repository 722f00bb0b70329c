"""The TAXII 2.1 server against the OASIS TAXII 2.1 specification, section by section: media
types and content negotiation (1.6), filtering and paging (3.4), error message resources
(3.6), server information (4.1 discovery, 4.2 API root, 4.3 status) and collections (5.1
collections, 5.2 a collection, 5.3 manifests, 5.4 objects, 5.5 add objects, 5.6 an object,
5.8 object versions). Every envelope served here also passes stix2-validator (conftest)."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from fastapi.testclient import TestClient
from taxii2client import v20
from taxii2client.v21 import Server

from tests.sharing.conftest import EXAMPLE, B, Pair, load_profiles
from tests.sharing.test_taxii_api import Bearer, names
from watchkeeper.service.app import create_app
from watchkeeper.sharing.config import add_collection, save_partner

TAXII = "application/taxii+json;version=2.1"
JOHAN = "Johan Voorbeeld"  # FTF-0003, withdrawn by ``two_versions``


@pytest.fixture
def client(pair: Pair) -> Iterator[TestClient]:
    with TestClient(create_app(pair.a.settings, background=False)) as test_client:
        yield test_client


def call(
    client: TestClient,
    path: str,
    token: str | None,
    method: str = "GET",
    accept: str | None = TAXII,
    **kwargs: Any,
) -> httpx.Response:
    """A request to the TAXII server, with the TAXII Accept header unless told otherwise."""
    headers = dict(kwargs.pop("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if accept is not None:
        headers["Accept"] = accept
    return client.request(method, path, headers=headers, **kwargs)


def ok(response: httpx.Response) -> dict[str, Any]:
    """The body of a TAXII success, its media type checked."""
    assert response.status_code in (200, 202), response.text
    assert response.headers["content-type"] == TAXII
    body: dict[str, Any] = response.json()
    return body


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error message resource of a refusal (3.6): TAXII media type, a title, and
    ``http_status`` equal to the status of the answer."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == TAXII
    body: dict[str, Any] = response.json()
    assert body["title"] and body["http_status"] == str(status)
    assert isinstance(body["description"], str)
    return body


def objects_path(pair: Pair) -> str:
    return f"/taxii2/api/collections/{pair.collection.id}/objects/"


def id_of(client: TestClient, pair: Pair, name: str) -> str:
    """The STIX id of a shared profile, by its name."""
    listed = ok(call(client, objects_path(pair), pair.a.tokens["yy-pol"]))["objects"]
    return next(str(o["id"]) for o in listed if o.get("name") == name)


@pytest.fixture
def two_versions(client: TestClient, pair: Pair, tmp_path: Path) -> str:
    """Johan's identity in two versions: as first shared, then withdrawn (a list version
    without FTF-0003); its STIX id."""
    johan = id_of(client, pair, JOHAN)
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer = tmp_path / "fewer.csv"
    fewer.write_text(
        "".join(line for line in lines if not line.startswith("FTF-0003")), encoding="utf-8"
    )
    load_profiles(pair.a.engine, fewer)
    return johan


# 1.6 Media types and content negotiation


@pytest.mark.parametrize("path", ["/taxii2/", "/taxii2/api/", "/taxii2/api/collections/"])
def test_accept_text_html_is_406_with_an_error_resource(client: TestClient, path: str) -> None:
    # No token: the form of the answer is settled first (curl -H 'Accept: text/html').
    body = error_of(call(client, path, None, accept="text/html"), 406)
    assert body["title"] == "Not Acceptable" and TAXII in body["description"]


@pytest.mark.parametrize(
    "accept",
    [
        TAXII,
        "application/taxii+json",  # no version: the latest, 2.1
        "application/taxii+json; version=2.1",
        "*/*",
        "application/*",
        "text/html, application/taxii+json;version=2.1;q=0.5",
        None,  # no Accept at all: anything will do
    ],
)
def test_accepts_that_allow_taxii_2_1(client: TestClient, pair: Pair, accept: str | None) -> None:
    ok(call(client, "/taxii2/", pair.a.tokens["yy-pol"], accept=accept))


@pytest.mark.parametrize(
    "accept",
    [
        "application/taxii+json;version=2.0",
        "application/vnd.oasis.taxii+json; version=2.0",  # TAXII 2.0's media type
        "application/stix+json;version=2.1",  # STIX travels in envelopes, never alone
        "application/taxii+json;version=2.1;q=0",
        "application/json",
    ],
)
def test_accepts_that_do_not_allow_taxii_2_1(client: TestClient, pair: Pair, accept: str) -> None:
    error_of(call(client, objects_path(pair), pair.a.tokens["yy-pol"], accept=accept), 406)


def test_a_taxii_2_0_client_is_told_406(pair: Pair) -> None:
    pair.a.start()
    server = v20.Server(f"{pair.a.url}/taxii2/", auth=Bearer(pair.a.tokens["yy-pol"]))
    with pytest.raises(requests.HTTPError) as refused:
        server.refresh()
    assert refused.value.response.status_code == 406
    assert refused.value.response.json()["http_status"] == "406"


def test_a_post_that_is_not_taxii_json_is_415(client: TestClient, pair: Pair) -> None:
    inbound = add_collection(
        pair.a.engine, list_name=None, tlp="GREEN", partners=[], writers=[B], title="in"
    )
    path = f"/taxii2/api/collections/{inbound.id}/objects/"
    headers = {"Content-Type": "application/json"}
    posted = call(
        client, path, pair.a.tokens["yy-pol"], "POST", json={"objects": []}, headers=headers
    )
    error_of(posted, 415)


# 3.4 Filtering and paging


def test_match_id_and_type(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    johan = id_of(client, pair, JOHAN)
    by_id = ok(call(client, objects_path(pair), token, params={"match[id]": johan}))
    assert [o["id"] for o in by_id["objects"]] == [johan]
    by_type = ok(
        call(client, objects_path(pair), token, params={"match[type]": "marking-definition"})
    )
    assert {o["type"] for o in by_type["objects"]} == {"marking-definition"}
    both = ok(
        call(
            client, objects_path(pair), token, params={"match[type]": "identity,marking-definition"}
        )
    )
    assert {o["type"] for o in both["objects"]} == {"identity", "marking-definition"}
    nothing = ok(call(client, objects_path(pair), token, params={"match[type]": "indicator"}))
    assert nothing == {"more": False}


def test_match_version_first_last_all_and_a_timestamp(
    client: TestClient, pair: Pair, two_versions: str
) -> None:
    token = pair.a.tokens["yy-pol"]

    def johan(version: str | None) -> list[dict[str, Any]]:
        params = {"match[id]": two_versions} | ({"match[version]": version} if version else {})
        return list(ok(call(client, objects_path(pair), token, params=params)).get("objects", []))

    [first] = johan("first")
    [last] = johan("last")
    assert first["name"] == JOHAN and "revoked" not in first
    assert last["revoked"] is True and last["modified"] > first["modified"]
    assert johan(None) == [last]  # last is the default
    assert johan("all") == [first, last]  # oldest date_added first
    assert johan("first,last") == [first, last]
    assert johan(first["modified"]) == [first]
    moment = datetime.fromisoformat(first["modified"].replace("Z", "+00:00"))
    assert johan(moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")) == [first]  # spelled otherwise
    assert johan("2001-01-01T00:00:00Z") == []
    error_of(call(client, objects_path(pair), token, params={"match[version]": "newest"}), 400)


def test_match_spec_version(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    every = ok(call(client, objects_path(pair), token))["objects"]
    assert (
        ok(call(client, objects_path(pair), token, params={"match[spec_version]": "2.1"}))[
            "objects"
        ]
        == every
    )
    both = ok(call(client, objects_path(pair), token, params={"match[spec_version]": "2.0,2.1"}))
    assert both["objects"] == every
    assert ok(call(client, objects_path(pair), token, params={"match[spec_version]": "2.0"})) == {
        "more": False
    }


def test_limit_next_and_added_after(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    every = ok(call(client, objects_path(pair), token))["objects"]
    first = call(client, objects_path(pair), token, params={"limit": 3})
    page = ok(first)
    assert page["more"] is True and page["objects"] == every[:3]
    assert first.headers["X-TAXII-Date-Added-First"] < first.headers["X-TAXII-Date-Added-Last"]
    rest = ok(call(client, objects_path(pair), token, params={"next": page["next"]}))
    assert rest["objects"] == every[3:] and rest["more"] is False and "next" not in rest
    after = first.headers["X-TAXII-Date-Added-Last"]
    assert ok(call(client, objects_path(pair), token, params={"added_after": after})) == rest
    # Above our maximum is served as our maximum; below one is refused.
    assert ok(call(client, objects_path(pair), token, params={"limit": 10**6}))["objects"] == every
    refused = error_of(call(client, objects_path(pair), token, params={"limit": 0}), 400)
    assert refused["details"]["faults"][0]["loc"] == ["query", "limit"]
    error_of(call(client, objects_path(pair), token, params={"added_after": "yesterday"}), 400)


# 3.6 Error message resources


def test_every_refusal_is_an_error_resource(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    anonymous = call(client, "/taxii2/", None)
    error_of(anonymous, 401)
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    save_partner(pair.a.engine, "ZZ-CERT")
    hidden = add_collection(
        pair.a.engine, list_name="ftf", tlp="GREEN", partners=["ZZ-CERT"], writers=[], title="z"
    )
    error_of(call(client, f"/taxii2/api/collections/{hidden.id}/", token), 403)
    error_of(call(client, f"/taxii2/api/collections/{hidden.id}/objects/", token), 403)
    error_of(call(client, "/taxii2/api/collections/no-such-collection/", token), 404)
    error_of(call(client, "/taxii2/api/status/no-such-status/", token), 404)
    error_of(call(client, "/taxii2/api/no-such-endpoint/", token), 404)
    wrong = error_of(call(client, "/taxii2/api/collections/", token, "DELETE"), 405)
    assert wrong["description"].startswith("DELETE is not allowed here")


def test_a_path_without_its_trailing_slash_is_redirected(client: TestClient, pair: Pair) -> None:
    moved = call(client, "/taxii2/api/collections", pair.a.tokens["yy-pol"], follow_redirects=False)
    assert moved.status_code == 307
    assert moved.headers["location"].endswith("/taxii2/api/collections/")


# 4.1 Server discovery, 4.2 API root, 4.3 status


def test_discovery_and_api_root(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    discovery = ok(call(client, "/taxii2/", token))
    assert discovery["api_roots"] == [discovery["default"]]
    assert discovery["default"].endswith("/taxii2/api/")
    root = ok(call(client, "/taxii2/api/", token))
    assert root["versions"] == [TAXII] and root["max_content_length"] > 0


def test_status_of_a_post(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    inbound = add_collection(
        pair.a.engine, list_name=None, tlp="GREEN", partners=[], writers=[B], title="in"
    )
    path = f"/taxii2/api/collections/{inbound.id}/objects/"
    posted = ok(
        call(client, path, token, "POST", json={"objects": []}, headers={"Content-Type": TAXII})
    )
    status = ok(call(client, f"/taxii2/api/status/{posted['id']}/", token))
    assert (status["status"], status["total_count"], status["pending_count"]) == ("complete", 0, 0)


# 5.1 Collections, 5.2 a collection


def test_collections_and_one_collection(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    [listed] = ok(call(client, "/taxii2/api/collections/", token))["collections"]
    one = ok(call(client, f"/taxii2/api/collections/{pair.collection.id}/", token))
    assert listed == one
    assert (one["can_read"], one["can_write"]) == (True, False)
    assert one["media_types"] == ["application/stix+json;version=2.1"]


# 5.3 Manifests, 5.4 objects


def test_the_manifest_lists_what_objects_serves(
    client: TestClient, pair: Pair, two_versions: str
) -> None:
    token = pair.a.tokens["yy-pol"]
    path = f"/taxii2/api/collections/{pair.collection.id}/manifest/"
    params = {"match[id]": two_versions, "match[version]": "all"}
    manifest = ok(call(client, path, token, params=params))["objects"]
    served = ok(call(client, objects_path(pair), token, params=params))["objects"]
    assert [(m["id"], m["version"]) for m in manifest] == [(o["id"], o["modified"]) for o in served]
    assert {m["media_type"] for m in manifest} == {"application/stix+json;version=2.1"}


def test_objects_are_the_newest_versions(client: TestClient, pair: Pair, two_versions: str) -> None:
    served = ok(call(client, objects_path(pair), pair.a.tokens["yy-pol"]))["objects"]
    assert len({o["id"] for o in served}) == len(served)  # one version of each
    johan = [(o["name"], o.get("revoked")) for o in served if o["id"] == two_versions]
    assert johan == [("withdrawn", True)] and JOHAN not in names(served)


# 5.5 Add objects


def test_added_objects_of_another_spec_version_or_with_null_fail_alone(
    client: TestClient, pair: Pair
) -> None:
    inbound = add_collection(
        pair.a.engine, list_name=None, tlp="GREEN", partners=[], writers=[B], title="in"
    )
    identity = {"type": "identity", "name": "Johan Voorbeeld", "identity_class": "individual"}
    posted = [
        {**identity, "id": "identity--0c7f7f43-5bd5-4c2e-9a4e-0f1d7a1f1c01", "spec_version": "2.0"},
        {
            **identity,
            "id": "identity--0c7f7f43-5bd5-4c2e-9a4e-0f1d7a1f1c02",
            "spec_version": "2.1",
            "description": None,
        },
        {
            **identity,
            "id": "identity--0c7f7f43-5bd5-4c2e-9a4e-0f1d7a1f1c03",
            "spec_version": "2.1",
            "created": "2026-03-01T09:00:00.000Z",
            "modified": "2026-03-01T09:00:00.000Z",
        },
    ]
    path = f"/taxii2/api/collections/{inbound.id}/objects/"
    headers = {"Content-Type": TAXII}
    status = ok(
        call(
            client, path, pair.a.tokens["yy-pol"], "POST", json={"objects": posted}, headers=headers
        )
    )
    assert [f["message"] for f in status["failures"]] == [
        "spec_version must be 2.1: this collection holds STIX 2.1",
        "null properties are not allowed in STIX",
    ]
    assert [s["id"] for s in status["successes"]] == [posted[2]["id"]]


# 5.6 An object, 5.8 object versions


def test_one_object_in_its_versions(client: TestClient, pair: Pair, two_versions: str) -> None:
    token = pair.a.tokens["yy-pol"]
    path = f"{objects_path(pair)}{two_versions}/"
    [newest] = ok(call(client, path, token))["objects"]
    assert newest["revoked"] is True
    both = ok(call(client, path, token, params={"match[version]": "all"}))["objects"]
    assert [o["id"] for o in both] == [two_versions] * 2 and both[-1] == newest
    # Filtered out is an empty envelope; an object the caller may not see is a 404.
    assert ok(call(client, path, token, params={"match[spec_version]": "2.0"})) == {"more": False}
    error_of(
        call(client, f"{objects_path(pair)}identity--{'0' * 8}-0000-4000-8000-{'0' * 12}/", token),
        404,
    )


def test_object_versions(client: TestClient, pair: Pair, two_versions: str) -> None:
    token = pair.a.tokens["yy-pol"]
    path = f"{objects_path(pair)}{two_versions}/versions/"
    answer = call(client, path, token)
    versions = ok(answer)
    every = ok(
        call(
            client,
            objects_path(pair),
            token,
            params={"match[id]": two_versions, "match[version]": "all"},
        )
    )
    assert versions == {"more": False, "versions": [o["modified"] for o in every["objects"]]}
    assert "X-TAXII-Date-Added-First" in answer.headers
    first = ok(call(client, path, token, params={"limit": 1}))
    assert first["versions"] == versions["versions"][:1] and first["more"] is True
    rest = ok(call(client, path, token, params={"next": first["next"]}))
    assert rest == {"more": False, "versions": versions["versions"][1:]}
    error_of(
        call(
            client,
            f"{objects_path(pair)}identity--{'0' * 8}-0000-4000-8000-{'0' * 12}/versions/",
            token,
        ),
        404,
    )


# Every feature above through taxii2-client, a TAXII 2.1 client that is not ours


def test_taxii2_client_uses_every_feature(pair: Pair, two_versions: str) -> None:
    pair.a.start()
    server = Server(f"{pair.a.url}/taxii2/", auth=Bearer(pair.a.tokens["yy-pol"]))
    (root,) = server.api_roots
    assert root.versions == [TAXII]
    (collection,) = root.collections
    versions = collection.object_versions(two_versions)["versions"]
    assert len(versions) == 2
    [first] = collection.get_object(two_versions, version="first")["objects"]
    assert first["modified"] == versions[0] and first["name"] == JOHAN
    [at] = collection.get_object(two_versions, version=versions[1])["objects"]
    assert at["revoked"] is True
    everything = collection.get_objects(version="all", spec_version="2.1")["objects"]
    assert [o["modified"] for o in everything if o["id"] == two_versions] == versions
    manifest = collection.get_manifest(id=two_versions, version="all")["objects"]
    assert [m["version"] for m in manifest] == versions
    assert collection.get_objects(spec_version="2.0") == {"more": False}
    assert collection.get_objects(type="identity", id=two_versions)["objects"][0]["revoked"]
    with pytest.raises(requests.HTTPError) as missing:
        collection.object_versions(f"identity--{'0' * 8}-0000-4000-8000-{'0' * 12}")
    assert missing.value.response.json()["http_status"] == "404"
