"""A shared kind defined here, advisories as STIX ``note`` objects kept in memory, plugs in
through the registry alone: mapped to STIX and back, bundled under TLP, and received both when
a partner posts it to our TAXII server and when we follow a partner's collection."""

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import stix2
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine

from tests.sharing.conftest import A, B, Pair
from watchkeeper.errors import NotFoundError
from watchkeeper.service.app import create_app
from watchkeeper.sharing import registry
from watchkeeper.sharing.bundle import export, import_bundle
from watchkeeper.sharing.config import add_collection, save_partner
from watchkeeper.sharing.follow import Feed, follow_once
from watchkeeper.sharing.ids import NAMESPACE, agency_id
from watchkeeper.sharing.keys import load_agency
from watchkeeper.sharing.kinds import (
    Exported,
    Inbound,
    MappingError,
    ShareKind,
    SignedBundle,
    Snapshot,
    SourceRef,
    Tally,
)
from watchkeeper.sharing.mapping import EPOCH, PROJECT_ID
from watchkeeper.sharing.tlp import MARKING_IDS, code_of_markings
from watchkeeper.store.audit import query

NOTE_EXTENSION = "extension-definition--3c0e7c1a-9a4b-4c55-8e6f-1d2b3a4c5d6e"
TAXII = "application/taxii+json;version=2.1"


@dataclass(frozen=True)
class Advisory:
    """One advisory: a key, a text and its TLP code."""

    key: str
    text: str
    code: str


@dataclass
class NoteTally(Tally):
    kept: int = 0

    def merge(self, other: "NoteTally") -> None:
        super().merge(other)
        self.kept += other.kept


@dataclass(frozen=True)
class ImportedNotes:
    agency: str
    version: int
    target: str
    applied: NoteTally

    def summary(self) -> str:
        return f"{self.agency}: {self.applied.kept} advisory(ies)"


class NoteKind(ShareKind[Advisory, NoteTally]):
    """Advisories, published and received per store (keyed by its URL), in memory."""

    NAME = "notes"
    STIX_TYPE = "note"
    BUNDLE_FIELD = "notes"
    AUDIT_TYPE = "advisories"

    def __init__(self) -> None:
        self.published: dict[tuple[str, str], list[Advisory]] = {}
        self.received: dict[tuple[str, str], dict[str, Advisory]] = {}

    def to_stix(self, item: Advisory, owner: str) -> dict[str, Any]:
        return {
            "type": "note",
            "spec_version": "2.1",
            "id": f"note--{uuid.uuid5(NAMESPACE, owner + item.key)}",
            "created": EPOCH,
            "modified": EPOCH,
            "created_by_ref": agency_id(owner),
            "content": item.text,
            "object_refs": [agency_id(owner)],
            "object_marking_refs": [MARKING_IDS[item.code]],
            "extensions": {
                NOTE_EXTENSION: {"extension_type": "property-extension", "key": item.key}
            },
        }

    def shared_in(self, collection: Any) -> str | None:
        return None

    def snapshot(self, engine: Engine, conn: Connection, ref: SourceRef) -> Snapshot:
        items = self.published.get((str(engine.url), ref.name))
        if items is None:
            raise NotFoundError(f"no advisories {ref.name!r}")
        extension = {
            "type": "extension-definition",
            "spec_version": "2.1",
            "id": NOTE_EXTENSION,
            "created_by_ref": PROJECT_ID,
            "created": EPOCH,
            "modified": EPOCH,
            "name": "test advisory",
            "description": "The key of one advisory.",
            "schema": "https://example.org/advisory",
            "version": "1.0",
            "extension_types": ["property-extension"],
        }
        return Snapshot(
            ref.agency,
            False,
            len(items),
            len(items),
            self.STIX_TYPE,
            extension,
            lambda: [(self.to_stix(i, ref.agency), i.code) for i in items if i.code != "RED"],
            lambda data, code: ({**data, "revoked": True}, code),
        )

    def from_stix(self, obj: dict[str, Any], partner: str, default_code: str) -> Advisory | None:
        if not obj.get("content"):
            raise MappingError(f"{obj.get('id')}: a note without content")
        key = (obj.get("extensions") or {}).get(NOTE_EXTENSION, {}).get("key", obj["id"])
        code = code_of_markings(list(obj.get("object_marking_refs", [])), default_code)
        return Advisory(str(key), str(obj["content"]), code)

    def tally(self) -> NoteTally:
        return NoteTally()

    def apply(
        self, engine: Engine, conn: Connection, received: list[Advisory], inbound: Inbound
    ) -> NoteTally:
        held = self.received.setdefault((str(engine.url), inbound.partner), {})
        held.update({item.key: item for item in received})
        return NoteTally(kept=len(received))

    def import_bundle(self, engine: Engine, bundle: SignedBundle) -> ImportedNotes:
        items, issues = self.read(bundle.objects, bundle.signer, str(bundle.path), bundle.tlp)
        inbound = Inbound(bundle.signer, f"bundle:{bundle.signer}", datetime.now(UTC))
        with engine.begin() as conn:
            applied = self.apply(engine, conn, items, inbound)
        applied.issues.extend(issues)
        return ImportedNotes(bundle.signer, bundle.version, bundle.signer, applied)

    def export_detail(self, exported: Exported, header: dict[str, Any]) -> dict[str, Any]:
        return {"revision": exported.version, "notes": exported.records}


ADVISORIES = [
    Advisory("n1", "Watch for forged exit stamps at the border post", "GREEN"),
    Advisory("n2", "A named facilitator is expected to travel", "AMBER"),
    Advisory("n3", "An informant's report", "RED"),
]


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> Iterator[NoteKind]:
    """The note kind registered for one test only."""
    monkeypatch.setattr(registry, "KINDS", dict(registry.KINDS))
    kind = NoteKind()
    registry.register(kind)
    yield kind


def test_the_registry_refuses_a_second_kind_of_the_same_name(notes: NoteKind) -> None:
    assert [k.NAME for k in registry.kinds()] == ["profiles", "banks", "notes"]
    with pytest.raises(AssertionError, match="named 'notes' exists already"):
        registry.register(NoteKind())


def test_a_new_kind_maps_to_valid_stix_and_back(notes: NoteKind) -> None:
    obj = notes.to_stix(ADVISORIES[0], A)
    assert stix2.parse(obj, allow_custom=False).id == obj["id"]
    assert notes.read([obj, {"type": "identity"}], B, "test", "CLEAR") == ([ADVISORIES[0]], [])
    _, issues = notes.read([{**obj, "content": ""}], B, "test", "CLEAR")
    assert [str(i) for i in issues] == [f"test: object 1: {obj['id']}: a note without content"]


def test_a_new_kind_is_bundled_under_tlp_and_imported(
    notes: NoteKind, pair: Pair, tmp_path: Path
) -> None:
    notes.published[(str(pair.a.engine.url), "advice")] = ADVISORIES
    agency = load_agency(pair.a.settings.data_dir)
    to = tmp_path / "advice.json"
    done = export(
        pair.a.engine, agency, notes, "advice", tlp="GREEN", partners=[], to=to, actor="t"
    )
    assert (done.version, done.records, done.withdrawn) == (3, 1, 0)
    document = json.loads(to.read_text())
    assert (document["list"], document["notes"], document["tlp"]) == (None, "advice", "GREEN")
    contents = [o["content"] for o in document["bundle"]["objects"] if o["type"] == "note"]
    assert contents == [ADVISORIES[0].text]  # AMBER needs named partners, RED never leaves
    [exported] = query(pair.a.engine, action="share.export")
    assert (exported.target_type, exported.target_id) == ("advisories", "advice")

    save_partner(pair.b.engine, A, public_key=agency.public_key)
    result = import_bundle(pair.b.engine, B, to, "t")
    assert isinstance(result, ImportedNotes) and result.summary() == f"{A}: 1 advisory(ies)"
    assert notes.received[(str(pair.b.engine.url), A)] == {"n1": ADVISORIES[0]}


def test_a_new_kind_is_received_when_posted_and_when_followed(notes: NoteKind, pair: Pair) -> None:
    inbound = add_collection(
        pair.a.engine, list_name=None, tlp="GREEN", partners=[], writers=[B], title="from partners"
    )
    posted = [notes.to_stix(ADVISORIES[0], B), {**notes.to_stix(ADVISORIES[1], B), "content": ""}]
    token = pair.a.tokens["yy-pol"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": TAXII}
    with TestClient(create_app(pair.a.settings, background=False)) as client:
        path = f"/taxii2/api/collections/{inbound.id}/objects/"
        response = client.post(path, json={"objects": posted}, headers=headers)
        assert response.status_code == 202
        status = client.get(f"/taxii2/api/status/{response.json()['id']}/", headers=headers)
    assert status.json()["success_count"] == 2
    assert notes.received[(str(pair.a.engine.url), B)] == {"n1": ADVISORIES[0]}

    # B follows A's inbound collection, which serves back the GREEN note it kept.
    pair.a.start()
    feed = Feed(url=pair.a.api_root, collection=inbound.id, partner=A, token=token)
    done = follow_once(pair.b.engine, feed)
    assert done.received.of(notes).kept == 1
    assert notes.received[(str(pair.b.engine.url), A)] == {"n1": ADVISORIES[0]}
    assert (done.versions, done.banks.added) == ([], 0)  # the other kinds took nothing
