"""The TAXII 2.1 server (``api/taxii.py``): taxii2-client as a plain client, handling codes,
per-collection rights, paging, POST to an inbound collection, and the audit of reads."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient
from taxii2client.v21 import Server, as_pages

from tests.sharing.conftest import EXAMPLE, A, B, Pair, load_profiles
from watchkeeper.api.app import create_app
from watchkeeper.auth import create_token, create_user
from watchkeeper.sharing.config import add_collection, save_partner
from watchkeeper.sharing.mapping import EXTENSION_ID
from watchkeeper.store.audit import query

TAXII = "application/taxii+json;version=2.1"


class Bearer(requests.auth.AuthBase):
    """A watchkeeper token for taxii2-client, which knows basic auth only."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def names(objects: list[dict[str, object]]) -> set[str]:
    """The names of the shared profiles among objects (not the agency, not withdrawn)."""
    return {
        str(o["name"])
        for o in objects
        if o["type"] == "identity" and EXTENSION_ID in o.get("extensions", {})  # type: ignore[operator]
    }


@pytest.fixture
def client(pair: Pair) -> Iterator[TestClient]:
    with TestClient(create_app(pair.a.settings, background=False)) as test_client:
        yield test_client


def get(client: TestClient, token: str, path: str, **params: object) -> dict[str, object]:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"}, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == TAXII
    data: dict[str, object] = response.json()
    return data


def test_taxii2_client_lists_collections_and_reads_objects(pair: Pair) -> None:
    pair.a.start()
    server = Server(f"{pair.a.url}/taxii2/", auth=Bearer(pair.a.tokens["yy-pol"]))
    assert server.title == f"watchkeeper of {A}"
    (root,) = server.api_roots
    (collection,) = root.collections
    assert collection.id == pair.collection.id and collection.can_read
    objects = [
        o
        for page in as_pages(collection.get_objects, per_request=3)
        for o in page.get("objects", [])
    ]
    assert names(objects) == {
        "Karim Exemplaire",
        "Johan Voorbeeld",
        "Fictitious Front Example Brigade",
        "Mira Przykładowa",
    }
    manifest = collection.get_manifest()
    assert {m["id"] for m in manifest["objects"]} == {o["id"] for o in objects}


def test_red_is_never_served_and_amber_only_to_named_partners(pair: Pair) -> None:
    engine = pair.a.engine
    create_user(engine, "zz-cert", "screener")
    other = create_token(engine, "zz-cert")[1]
    save_partner(engine, "ZZ-CERT", username="zz-cert")
    community = add_collection(
        engine, list_name="ftf", tlp="AMBER", partners=[], writers=[], title="x"
    )
    with TestClient(create_app(pair.a.settings, background=False)) as client:
        path = f"/taxii2/api/collections/{pair.collection.id}/objects/"
        named = get(client, pair.a.tokens["yy-pol"], path)
        assert "Lena Musterfrau" not in names(named["objects"])  # type: ignore[arg-type]
        assert "Karim Exemplaire" in names(named["objects"])  # type: ignore[arg-type]
        # ZZ-CERT is not named on B's collection; on the community one it gets no AMBER.
        response = client.get(path, headers={"Authorization": f"Bearer {other}"})
        assert response.status_code == 403
        shared = get(client, other, f"/taxii2/api/collections/{community.id}/objects/")
        assert names(shared["objects"]) == {  # type: ignore[arg-type]
            "Johan Voorbeeld",
            "Fictitious Front Example Brigade",
        }
        listed = get(client, other, "/taxii2/api/collections/")
        assert [c["id"] for c in listed["collections"]] == [community.id]  # type: ignore[index,union-attr]
    reads = query(engine, action="share.read")
    assert {r.actor for r in reads} == {"yy-pol", "zz-cert"}
    assert all(r.target_type == "collection" for r in reads)


def test_green_records_are_redacted_amber_ones_whole(client: TestClient, pair: Pair) -> None:
    path = f"/taxii2/api/collections/{pair.collection.id}/objects/"
    objects = get(client, pair.a.tokens["yy-pol"], path)["objects"]
    by_name = {o["name"]: o for o in objects if o["type"] == "identity"}  # type: ignore[union-attr]
    green = by_name["Johan Voorbeeld"]["extensions"][EXTENSION_ID]["entities"]
    amber = by_name["Karim Exemplaire"]["extensions"][EXTENSION_ID]["entities"]
    assert "birthDate" not in green[0]["properties"]
    assert amber[0]["properties"]["birthDate"] == ["1991-04-12"]
    assert {e["schema"] for e in amber} >= {"Passport", "Identification"}


def test_pages_follow_next_and_added_after(client: TestClient, pair: Pair) -> None:
    path = f"/taxii2/api/collections/{pair.collection.id}/objects/"
    token = pair.a.tokens["yy-pol"]
    whole = get(client, token, path)["objects"]
    first = client.get(path, headers={"Authorization": f"Bearer {token}"}, params={"limit": 4})
    body = first.json()
    assert body["more"] is True and len(body["objects"]) == 4
    rest = get(client, token, path, added_after=first.headers["X-TAXII-Date-Added-Last"])
    assert [o["id"] for o in body["objects"] + rest["objects"]] == [o["id"] for o in whole]  # type: ignore[operator,index]
    by_next = get(client, token, path, next=body["next"])
    assert by_next["objects"] == rest["objects"]
    one = whole[-1]["id"]  # type: ignore[index]
    assert get(client, token, f"{path}{one}/")["objects"] == [whole[-1]]  # type: ignore[index]


def test_post_to_an_inbound_collection(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    inbound = add_collection(
        pair.a.engine, list_name=None, tlp="GREEN", partners=[], writers=[B], title="from partners"
    )
    ours = get(client, token, f"/taxii2/api/collections/{pair.collection.id}/objects/")["objects"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": TAXII}
    path = f"/taxii2/api/collections/{inbound.id}/objects/"
    response = client.post(path, json={"objects": ours}, headers=headers)
    assert response.status_code == 202
    status = response.json()
    assert status["status"] == "complete" and status["success_count"] == len(ours)  # type: ignore[arg-type]
    again = get(client, token, f"/taxii2/api/status/{status['id']}/")
    assert again["success_count"] == status["success_count"]
    assert names(get(client, token, path)["objects"]) >= {"Johan Voorbeeld"}  # type: ignore[arg-type]
    assert (
        client.post(
            f"/taxii2/api/collections/{pair.collection.id}/objects/",
            json={"objects": []},
            headers=headers,
        ).status_code
        == 403
    )


def test_a_removed_record_is_withdrawn(client: TestClient, pair: Pair, tmp_path: Path) -> None:
    path = f"/taxii2/api/collections/{pair.collection.id}/objects/"
    token = pair.a.tokens["yy-pol"]
    first = client.get(path, headers={"Authorization": f"Bearer {token}"})
    last = first.headers["X-TAXII-Date-Added-Last"]
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("".join(line for line in lines if not line.startswith("FTF-0003")))
    load_profiles(pair.a.engine, fewer)
    changed = get(client, token, path, added_after=last)["objects"]
    assert [(o["name"], o.get("revoked")) for o in changed] == [("withdrawn", True)]  # type: ignore[index,union-attr]
