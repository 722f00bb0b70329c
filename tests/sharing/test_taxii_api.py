"""The TAXII 2.1 server (``api/taxii.py``): taxii2-client as a plain client, handling codes,
per-collection rights, paging, POST to an inbound collection, and the audit of reads, for
list and hash bank collections."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import stix2
from fastapi.testclient import TestClient
from taxii2client.v21 import Server, as_pages

from tests.sharing.conftest import ADDED, BANK, EXAMPLE, REFERENCE, A, B, Pair, load_profiles
from watchkeeper.auth import create_token, create_user
from watchkeeper.lanes.images.banks import BankEntry, bank_entries, get_bank
from watchkeeper.service.app import create_app
from watchkeeper.sharing.config import add_collection, save_partner
from watchkeeper.sharing.hashes import PDQ_EXTENSION_ID, SharedEntry, to_indicator
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


def hashes(objects: list[dict[str, object]]) -> set[str]:
    """The PDQ hashes among objects (bank entries)."""
    return {
        o["extensions"][PDQ_EXTENSION_ID]["hash"]  # type: ignore[index]
        for o in objects
        if o["type"] == "indicator"
    }


def test_taxii2_client_reads_a_bank_collection(banks: Pair) -> None:
    banks.a.start()
    server = Server(f"{banks.a.url}/taxii2/", auth=Bearer(banks.a.tokens["yy-pol"]))
    (collection,) = server.api_roots[0].collections
    assert collection.id == banks.collection.id and "PDQ" in collection.description
    objects = [
        o
        for page in as_pages(collection.get_objects, per_request=2)
        for o in page.get("objects", [])
    ]
    assert hashes(objects) == {REFERENCE[name] for name in BANK}
    for obj in objects:
        stix2.parse(obj, allow_custom=True)  # every object valid STIX 2.1
    manifest = collection.get_manifest()
    assert {m["id"] for m in manifest["objects"]} == {o["id"] for o in objects}
    [read, *_] = query(banks.a.engine, action="share.read")
    assert (read.actor, read.target_id, read.detail["partner"]) == ("yy-pol", collection.id, B)  # type: ignore[index]


def test_bank_entries_red_never_amber_only_to_named_partners(banks: Pair) -> None:
    engine = banks.a.engine
    create_user(engine, "zz-cert", "screener")
    other = create_token(engine, "zz-cert")[1]
    save_partner(engine, "ZZ-CERT", username="zz-cert")
    red = add_collection(
        engine, list_name=None, bank_name="tv", tlp="RED", partners=[B], writers=[], title="red"
    )
    open_amber = add_collection(
        engine, list_name=None, bank_name="tv", tlp="AMBER", partners=[], writers=[], title="all"
    )
    green = add_collection(
        engine, list_name=None, bank_name="tv", tlp="GREEN", partners=[], writers=[], title="green"
    )
    token = banks.a.tokens["yy-pol"]
    everything = {REFERENCE[name] for name in BANK}
    with TestClient(create_app(banks.a.settings, background=False)) as client:

        def read(who: str, collection_id: str) -> set[str]:
            path = f"/taxii2/api/collections/{collection_id}/objects/"
            return hashes(get(client, who, path).get("objects", []))  # type: ignore[arg-type]

        assert read(token, banks.collection.id) == everything  # AMBER, B named
        assert read(token, red.id) == set()  # RED never leaves, even to B
        assert read(other, open_amber.id) == set()  # AMBER, ZZ-CERT not named
        assert read(other, green.id) == everything
        path = f"/taxii2/api/collections/{banks.collection.id}/objects/"
        assert client.get(path, headers={"Authorization": f"Bearer {other}"}).status_code == 403


def test_indicators_posted_by_a_partner_go_to_a_copy_of_its_bank(banks: Pair) -> None:
    inbound = add_collection(
        banks.a.engine, list_name=None, tlp="GREEN", partners=[], writers=[B], title="from partners"
    )
    entry = BankEntry(REFERENCE["q0122.jpg"], "logo", "yy", ADDED)
    posted = to_indicator(SharedEntry(B, "logos", True, 20, "GREEN", entry), ADDED)
    headers = {"Authorization": f"Bearer {banks.a.tokens['yy-pol']}", "Content-Type": TAXII}
    with TestClient(create_app(banks.a.settings, background=False)) as client:
        path = f"/taxii2/api/collections/{inbound.id}/objects/"
        response = client.post(path, json={"objects": [posted]}, headers=headers)
    assert response.status_code == 202 and response.json()["success_count"] == 1
    with banks.a.engine.connect() as conn:
        copy = get_bank(conn, "partner-yy-pol-logos")
        [held] = bank_entries(conn, copy)
    assert (copy.partner, copy.negative, copy.max_distance) == (B, True, 20)
    assert (held.hash, held.label, held.tlp) == (REFERENCE["q0122.jpg"], "logo", "GREEN")


def test_malformed_objects_fail_alone(client: TestClient, pair: Pair) -> None:
    token = pair.a.tokens["yy-pol"]
    inbound = add_collection(
        pair.a.engine, list_name=None, tlp="GREEN", partners=[], writers=[B], title="from partners"
    )
    identity = {"type": "identity", "spec_version": "2.1", "name": "Johan Voorbeeld"}
    posted = [
        {**identity, "id": "identity--1", "object_marking_refs": 5},
        {**identity, "id": "identity--2", "object_marking_refs": [["marking-definition--x"]]},
        {**identity, "id": "identity--3", "extensions": []},
        {**identity, "id": "identity--4", "identity_class": "individual"},
    ]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": TAXII}
    path = f"/taxii2/api/collections/{inbound.id}/objects/"
    response = client.post(path, json={"objects": posted}, headers=headers)
    assert response.status_code == 202, response.text
    status = response.json()
    assert [f["id"] for f in status["failures"]] == ["identity--1", "identity--2", "identity--3"]
    assert status["failures"][0]["message"].startswith("object_marking_refs must be a list")
    assert [s["id"] for s in status["successes"]] == ["identity--4"]
