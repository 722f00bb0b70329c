"""Records as STIX identities and back: ids, the extension, and the partner's TLP kept."""

from datetime import UTC, datetime

import stix2

from watchkeeper.sharing.ids import record_id_to_stix
from watchkeeper.sharing.mapping import (
    EXTENSION_ID,
    SharedRecord,
    extension_definition,
    from_identity,
    receipt_stix_id,
    to_identity,
)
from watchkeeper.sharing.tlp import MARKING_IDS

T1 = datetime(2026, 3, 1, tzinfo=UTC)
T2 = datetime(2026, 3, 2, tzinfo=UTC)
PERSON = {"id": "profile-xx-1", "schema": "Person", "properties": {"name": ["Karim Exemplaire"]}}


def test_ids_depend_on_owner_list_and_record_only() -> None:
    one = record_id_to_stix("XX-BPU", "ftf", "profile-xx-1")
    assert one == record_id_to_stix("xx bpu", "ftf", "profile-xx-1")
    assert one != record_id_to_stix("XX-BPU", "other", "profile-xx-1")


def test_identity_carries_the_record_in_the_extension() -> None:
    record = SharedRecord("XX-BPU", "ftf", "profile-xx-1", "AMBER", [PERSON])
    obj = to_identity(record, T1, T2)
    assert obj["identity_class"] == "individual"
    assert obj["modified"] == "2026-03-02T00:00:00.000Z"
    assert obj["object_marking_refs"] == [MARKING_IDS["AMBER"]]
    assert obj["extensions"][EXTENSION_ID]["entities"] == [PERSON]
    assert stix2.parse(extension_definition()).id == EXTENSION_ID

    back = from_identity(obj, "XX-BPU", "GREEN")
    assert back.record_id == "profile-xx-1" and back.code == "AMBER"
    main, receipt = back.entities
    assert main.caption == "Karim Exemplaire"
    assert receipt.get("summary") == ["TLP:AMBER"]
    assert receipt_stix_id(receipt.to_dict()) == obj["id"]


def test_a_plain_identity_from_another_platform() -> None:
    obj = {
        "type": "identity",
        "spec_version": "2.1",
        "id": "identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e",
        "name": "ACME Front",
        "identity_class": "organization",
    }
    back = from_identity(obj, "ZZ-CERT", "GREEN")
    assert back.entities[0].schema.name == "Organization"
    assert back.code == "GREEN"
