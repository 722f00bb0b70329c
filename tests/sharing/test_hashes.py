"""Bank entries as STIX indicators and back: the pattern, the PDQ extension, stable ids, the
partner's TLP code kept, and indicators of other platforms."""

from datetime import UTC, datetime

import pytest
import stix2
from stix2patterns.validator import run_validator

from tests.lanes.images.conftest import BRIDGE_HASH
from tests.sharing.validity import check
from watchkeeper.lanes.images.banks import BankEntry
from watchkeeper.sharing.hashes import (
    PDQ_EXTENSION_ID,
    SharedEntry,
    from_indicator,
    pdq_extension_definition,
    revoked_indicator,
    to_indicator,
)
from watchkeeper.sharing.ids import agency_id, bank_entry_to_stix
from watchkeeper.sharing.kinds import MappingError
from watchkeeper.sharing.tlp import MARKING_IDS

ADDED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
PUBLISHED = datetime(2026, 3, 2, tzinfo=UTC)
ENTRY = BankEntry(BRIDGE_HASH, "bridge", "te", ADDED)


def shared(negative: bool = False, code: str = "AMBER") -> SharedEntry:
    return SharedEntry("XX-BPU", "tv", negative, 31, code, ENTRY)


def test_ids_depend_on_owner_bank_and_hash_only() -> None:
    one = bank_entry_to_stix("XX-BPU", "tv", BRIDGE_HASH)
    assert one.startswith("indicator--")
    assert one == bank_entry_to_stix("xx bpu", "tv", BRIDGE_HASH.upper())
    assert one != bank_entry_to_stix("XX-BPU", "other", BRIDGE_HASH)


def test_an_entry_without_label_or_source_has_no_null_and_says_what_it_means() -> None:
    bare = SharedEntry(
        "XX-BPU", "tv", False, 31, "GREEN", BankEntry(BRIDGE_HASH, None, None, ADDED)
    )
    indicator = to_indicator(bare, PUBLISHED)
    assert None not in indicator["extensions"][PDQ_EXTENSION_ID].values()
    assert {"label", "source"}.isdisjoint(indicator["extensions"][PDQ_EXTENSION_ID])
    assert indicator["description"] == (
        "PDQ perceptual hash of content to flag, from hash bank 'tv' of XX-BPU. An image "
        "matches when its PDQ hash differs from this one in at most 31 of 256 bits."
    )
    check([indicator])  # OASIS' stix2-validator: no error, no warning but UUIDv5 ids
    back = from_indicator(indicator, "XX-BPU", "GREEN")
    assert back is not None and (back.entry.label, back.entry.source) == (None, "XX-BPU")


def test_a_negative_entry_says_it_is_known_benign() -> None:
    description = to_indicator(shared(negative=True), PUBLISHED)["description"]
    assert description.startswith("PDQ perceptual hash of known-benign content, not to be flagged")
    assert "(source: te)" in description


def test_an_entry_is_a_valid_stix_indicator_with_the_pdq_extension() -> None:
    obj = to_indicator(shared(), PUBLISHED)
    assert stix2.parse(obj, allow_custom=False).id == obj["id"]
    assert run_validator(obj["pattern"], "2.1") == []  # what STIX tools check
    assert obj["pattern"] == f"[file:hashes.PDQ = '{BRIDGE_HASH}']"
    assert (obj["pattern_type"], obj["indicator_types"]) == ("stix", ["malicious-activity"])
    assert (obj["created"], obj["valid_from"]) == (
        "2026-03-01T09:30:00.000Z",
        "2026-03-01T09:30:00Z",
    )
    assert obj["modified"] == "2026-03-02T00:00:00.000Z"
    assert obj["created_by_ref"] == agency_id("XX-BPU")
    assert obj["object_marking_refs"] == [MARKING_IDS["AMBER"]]
    assert obj["extensions"][PDQ_EXTENSION_ID] == {
        "extension_type": "property-extension",
        "hash": BRIDGE_HASH,
        "owner": "XX-BPU",
        "bank": "tv",
        "max_distance": 31,
        "negative": False,
        "label": "bridge",
        "source": "te",
        "added_at": "2026-03-01T09:30:00.000000Z",
    }
    assert stix2.parse(pdq_extension_definition()).id == PDQ_EXTENSION_ID
    assert to_indicator(shared(negative=True), PUBLISHED)["indicator_types"] == ["benign"]


def test_read_back_keeps_the_partners_code_and_settings() -> None:
    back = from_indicator(to_indicator(shared(negative=True), PUBLISHED), "XX-BPU", "GREEN")
    assert back is not None
    assert (back.code, back.bank, back.negative, back.max_distance) == ("AMBER", "tv", True, 31)
    assert back.entry == BankEntry(BRIDGE_HASH, "bridge", "te", ADDED, "AMBER", back.stix_id)
    assert not back.revoked


def test_a_withdrawn_entry_is_the_last_version_revoked() -> None:
    obj = to_indicator(shared(), PUBLISHED)
    gone = revoked_indicator(obj, datetime(2026, 3, 3, tzinfo=UTC))
    assert stix2.parse(gone).revoked is True
    back = from_indicator(gone, "XX-BPU", "GREEN")
    assert back is not None and back.revoked and back.stix_id == obj["id"]


def test_indicators_of_other_platforms() -> None:
    plain = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--6b2a4c1e-8d0f-4b3a-9c5e-2f1d0e9a8b7c",
        "created": "2026-02-01T00:00:00Z",
        "modified": "2026-02-01T00:00:00Z",
        "name": "propaganda still",
        "pattern": f"[file:hashes.'PDQ' = '{BRIDGE_HASH.upper()}']",
        "pattern_type": "stix",
        "valid_from": "2026-02-01T00:00:00Z",
        "indicator_types": ["benign"],
    }
    back = from_indicator(plain, "ZZ-CERT", "GREEN")
    assert back is not None
    assert (back.bank, back.negative, back.max_distance, back.code) == (None, True, None, "GREEN")
    assert (back.entry.hash, back.entry.label, back.entry.source) == (
        BRIDGE_HASH,
        "propaganda still",
        "ZZ-CERT",
    )
    md5 = {**plain, "pattern": "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"}
    assert from_indicator(md5, "ZZ-CERT", "GREEN") is None
    with pytest.raises(MappingError, match="64 hex digits"):
        from_indicator({**plain, "pattern": "[file:hashes.PDQ = 'abc']"}, "ZZ-CERT", "GREEN")
    ours = to_indicator(shared(), PUBLISHED)
    ours["extensions"][PDQ_EXTENSION_ID]["max_distance"] = 300
    with pytest.raises(MappingError, match="max_distance 300"):
        from_indicator(ours, "XX-BPU", "GREEN")
