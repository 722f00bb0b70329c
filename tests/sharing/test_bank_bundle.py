"""Signed bundles of hash banks: the round trip with retroactive alerts, what import refuses,
removals carried by the next bundle, and the handling codes."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.lanes.images.conftest import BRIDGE_HASH, IMAGES
from tests.sharing.conftest import ADDED, BANK, REFERENCE, A, B, Pair
from watchkeeper.errors import NotFoundError, SourceError
from watchkeeper.lanes.images.banks import bank_entries, get_bank, remove_entries
from watchkeeper.lanes.images.hashing import hash_image
from watchkeeper.lanes.images.retro import remember
from watchkeeper.sharing.bank_kind import ImportedBank
from watchkeeper.sharing.bundle import export_bank_bundle, import_bundle
from watchkeeper.sharing.config import save_partner
from watchkeeper.sharing.hashes import PDQ_EXTENSION_ID
from watchkeeper.sharing.ids import agency_id
from watchkeeper.sharing.keys import load_agency
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alerts

COPY = "partner-xx-bpu-tv"


def export(pair: Pair, to: Path, tlp: str, partners: list[str], bank: str = "tv") -> Path:
    agency = load_agency(pair.a.settings.data_dir)
    export_bank_bundle(
        pair.a.engine, agency, bank_name=bank, tlp=tlp, partners=partners, to=to, actor="t"
    )
    return to


def hashes(path: Path) -> list[str]:
    objects = json.loads(path.read_text(encoding="utf-8"))["bundle"]["objects"]
    return sorted(
        o["extensions"][PDQ_EXTENSION_ID]["hash"] for o in objects if o["type"] == "indicator"
    )


def imported(pair: Pair, path: Path) -> ImportedBank:
    result = import_bundle(pair.b.engine, B, path, "t")
    assert isinstance(result, ImportedBank)
    return result


def copy_of(pair: Pair) -> list[str]:
    with pair.b.engine.connect() as conn:
        return sorted(e.hash for e in bank_entries(conn, get_bank(conn, COPY)))


@pytest.fixture
def trusted(banks: Pair) -> Pair:
    """``banks`` with B trusting A's key."""
    save_partner(banks.b.engine, A, public_key=load_agency(banks.a.settings.data_dir).public_key)
    return banks


def test_round_trip_raises_alerts_for_images_seen_before(trusted: Pair, tmp_path: Path) -> None:
    pair = trusted
    with pair.b.engine.begin() as conn:
        remember(conn, hash_image(IMAGES / "bridge-mods" / "shrink-a-lot.jpg"), ADDED)
    bundle = export(pair, tmp_path / "tv.json", "AMBER", [B])
    document = json.loads(bundle.read_text())
    assert (document["bank"], document["list"], document["tlp"]) == ("tv", None, "AMBER")
    result = imported(pair, bundle)
    assert (result.agency, result.bank, result.target) == (A, "tv", COPY)
    assert (result.applied.added, result.applied.matched, result.applied.alerts) == (3, 1, 1)
    assert copy_of(pair) == sorted(REFERENCE[name] for name in BANK)
    with pair.b.engine.connect() as conn:
        assert conn.execute(select(alerts.c.entity_id)).scalars().all() == [BRIDGE_HASH]
    again = imported(pair, bundle)  # the same file twice: nothing new, no alert twice
    assert (again.applied.added, again.applied.alerts) == (0, 0)
    [exported] = query(pair.a.engine, action="share.export")
    assert (exported.target_type, exported.target_id) == ("image_bank", "tv")
    audited = query(pair.b.engine, action="share.import")
    assert [(e.target_type, e.target_id) for e in audited] == [("image_bank", COPY)] * 2


def test_a_tampered_bank_bundle_is_refused(trusted: Pair, tmp_path: Path) -> None:
    bundle = export(trusted, tmp_path / "tv.json", "GREEN", [])
    document = json.loads(bundle.read_text())
    [first, *_] = [o for o in document["bundle"]["objects"] if o["type"] == "indicator"]
    first["pattern"] = f"[file:hashes.PDQ = '{'0' * 64}']"
    bundle.write_text(json.dumps(document))
    with pytest.raises(SourceError, match="altered after 'XX-BPU' signed it"):
        import_bundle(trusted.b.engine, B, bundle, "t")
    with trusted.b.engine.connect() as conn, pytest.raises(NotFoundError):
        get_bank(conn, COPY)


def test_removals_travel_and_older_bundles_are_refused(trusted: Pair, tmp_path: Path) -> None:
    first = export(trusted, tmp_path / "v1.json", "GREEN", [])
    imported(trusted, first)
    with trusted.a.engine.begin() as conn:
        remove_entries(conn, get_bank(conn, "tv"), [REFERENCE["wee.jpg"]])
    second = export(trusted, tmp_path / "v2.json", "GREEN", [])
    result = imported(trusted, second)
    assert (result.applied.added, result.applied.removed) == (0, 1)
    assert REFERENCE["wee.jpg"] not in copy_of(trusted)
    with pytest.raises(SourceError, match="older than revision"):
        import_bundle(trusted.b.engine, B, first, "t")
    assert REFERENCE["wee.jpg"] not in copy_of(trusted)


def test_handling_codes_hold_for_bank_bundles(trusted: Pair, tmp_path: Path) -> None:
    pair = trusted
    assert hashes(export(pair, tmp_path / "red.json", "RED", [B])) == []  # RED never leaves
    save_partner(pair.a.engine, "ZZ-CERT")
    not_ours = export(pair, tmp_path / "zz.json", "AMBER", ["ZZ-CERT"])
    with pytest.raises(SourceError, match="not for us"):
        import_bundle(pair.b.engine, B, not_ours, "t")
    # B passes on what it received only when CLEAR or GREEN, under A's ids and name.
    save_partner(pair.b.engine, "ZZ-CERT")
    b_agency = load_agency(pair.b.settings.data_dir)
    imported(pair, export(pair, tmp_path / "amber.json", "AMBER", [B]))
    onward = tmp_path / "onward.json"
    export_bank_bundle(
        pair.b.engine,
        b_agency,
        bank_name=COPY,
        tlp="AMBER",
        partners=["ZZ-CERT"],
        to=onward,
        actor="t",
    )
    assert hashes(onward) == []
    imported(pair, export(pair, tmp_path / "green.json", "GREEN", []))
    export_bank_bundle(
        pair.b.engine, b_agency, bank_name=COPY, tlp="GREEN", partners=[], to=onward, actor="t"
    )
    assert hashes(onward) == sorted(REFERENCE[name] for name in BANK)
    objects = json.loads(onward.read_text())["bundle"]["objects"]
    original = json.loads((tmp_path / "green.json").read_text())["bundle"]["objects"]
    assert {o["id"] for o in objects if o["type"] == "indicator"} == {
        o["id"] for o in original if o["type"] == "indicator"
    }
    assert {o["created_by_ref"] for o in objects if o["type"] == "indicator"} == {agency_id(A)}
