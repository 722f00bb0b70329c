"""Applying a partner's indicators to copies of its banks: added once, changed, withdrawn,
never into one of ours, and indicators of other platforms in banks of their own."""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.lanes.images.conftest import BRIDGE_HASH
from tests.sharing.conftest import ADDED, REFERENCE
from watchkeeper.errors import UsageError
from watchkeeper.lanes.images.banks import BankEntry, bank_entries, ensure_bank, get_bank
from watchkeeper.sharing.bank_apply import apply_entries, keep_only
from watchkeeper.sharing.bank_kind import BANKS
from watchkeeper.sharing.hashes import SharedEntry, revoked_indicator, to_indicator

NOW = datetime(2026, 3, 2, tzinfo=UTC)
COPY = "partner-xx-bpu-tv"


def indicator(pdq_hash: str, label: str = "x", code: str = "GREEN") -> dict[str, Any]:
    entry = BankEntry(pdq_hash, label, "te", ADDED)
    return to_indicator(SharedEntry("XX-BPU", "tv", False, 25, code, entry), NOW)


def apply(engine: Engine, objects: list[dict[str, Any]], partner: str = "XX-BPU") -> Any:
    received, issues = BANKS.read(objects, partner, "test", "GREEN")
    assert issues == []
    with engine.begin() as conn:
        return apply_entries(conn, partner, received, NOW)


def labels(engine: Engine, bank: str) -> dict[str, str | None]:
    with engine.connect() as conn:
        return {e.hash: e.label for e in bank_entries(conn, get_bank(conn, bank))}


def test_entries_are_added_once_changed_and_withdrawn(engine: Engine) -> None:
    first = indicator(BRIDGE_HASH)
    done = apply(engine, [first, indicator(REFERENCE["wee.jpg"])])
    assert (done.added, done.banks) == (2, [COPY])
    with engine.connect() as conn:
        copy = get_bank(conn, COPY)
    assert (copy.partner, copy.max_distance) == ("XX-BPU", 25)
    assert apply(engine, [first]).added == 0
    changed = apply(engine, [indicator(BRIDGE_HASH, "relabelled", "AMBER")])
    assert (changed.added, changed.changed) == (0, 1)
    assert labels(engine, COPY)[BRIDGE_HASH] == "relabelled"
    gone = apply(engine, [revoked_indicator(first, NOW)])
    assert gone.removed == 1
    assert list(labels(engine, COPY)) == [REFERENCE["wee.jpg"]]
    with engine.begin() as conn:
        assert keep_only(conn, "XX-BPU", COPY, set()) == 1
        assert keep_only(conn, "XX-BPU", "partner-xx-bpu-nope", set()) == 0


def test_never_into_one_of_our_banks(engine: Engine) -> None:
    with engine.begin() as conn:
        ensure_bank(conn, COPY, ADDED)
    with pytest.raises(UsageError, match="is one of ours"):
        apply(engine, [indicator(BRIDGE_HASH)])
    assert labels(engine, COPY) == {}
    with engine.begin() as conn:
        ensure_bank(conn, "partner-qq-tv", ADDED, partner="ZZ")
    with pytest.raises(UsageError, match="is partner 'ZZ'"):
        apply(engine, [indicator(BRIDGE_HASH)], partner="QQ")


def plain() -> dict[str, Any]:
    """An indicator from a platform that knows nothing of watchkeeper."""
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--6b2a4c1e-8d0f-4b3a-9c5e-2f1d0e9a8b7c",
        "created": "2026-02-01T00:00:00Z",
        "modified": "2026-02-01T00:00:00Z",
        "name": "logo",
        "pattern": f"[file:hashes.PDQ = '{REFERENCE['q0122.jpg']}']",
        "pattern_type": "stix",
        "valid_from": "2026-02-01T00:00:00Z",
        "indicator_types": ["benign"],
    }


def test_indicators_of_other_platforms_go_to_banks_of_their_own(engine: Engine) -> None:
    moved = {**plain(), "pattern": f"[file:hashes.PDQ = '{BRIDGE_HASH}']"}
    other = {**plain(), "id": "indicator--1b2a4c1e-8d0f-4b3a-9c5e-2f1d0e9a8b7c"}
    other.update(indicator_types=["malicious-activity"], name="still")
    apply(engine, [plain(), other], partner="ZZ-CERT")
    with engine.connect() as conn:
        assert get_bank(conn, "partner-zz-cert-benign").negative
        assert not get_bank(conn, "partner-zz-cert").negative
    # The same STIX id with another hash: the old hash leaves, the new one comes.
    done = apply(engine, [moved], partner="ZZ-CERT")
    assert (done.added, done.removed) == (1, 1)
    assert list(labels(engine, "partner-zz-cert-benign")) == [BRIDGE_HASH]
    issues = BANKS.read([{**plain(), "pattern": "[file:hashes.PDQ = 'zz']"}], "ZZ", "f", "GREEN")
    assert [str(i) for i in issues[1]] == [
        "f: object 1: indicator--6b2a4c1e-8d0f-4b3a-9c5e-2f1d0e9a8b7c: a PDQ hash has 64 hex "
        "digits, not 2"
    ]
