"""Signed bundles: what goes in under each TLP code, and what import refuses."""

import json
from pathlib import Path

import pytest

from tests.sharing.conftest import EXAMPLE, A, B, Pair, load_profiles, make_node
from watchkeeper.errors import SourceError, UsageError
from watchkeeper.sharing.bundle import export_bundle, import_bundle
from watchkeeper.sharing.config import save_partner
from watchkeeper.sharing.keys import load_agency
from watchkeeper.sharing.mapping import EXTENSION_ID
from watchkeeper.sharing.records import active_version, grouped
from watchkeeper.store.audit import query


def export(pair: Pair, to: Path, tlp: str, partners: list[str], since: int | None = None) -> Path:
    agency = load_agency(pair.a.settings.data_dir)
    export_bundle(
        pair.a.engine,
        agency,
        list_name="ftf",
        tlp=tlp,
        partners=partners,
        to=to,
        actor="t",
        since=since,
    )
    return to


def identities(path: Path) -> dict[str, dict[str, object]]:
    """The shared profiles of a bundle file by name."""
    objects = json.loads(path.read_text(encoding="utf-8"))["bundle"]["objects"]
    return {
        o["name"]: o
        for o in objects
        if o["type"] == "identity" and EXTENSION_ID in o.get("extensions", {})
    }


def trust_a(pair: Pair) -> None:
    save_partner(pair.b.engine, A, public_key=load_agency(pair.a.settings.data_dir).public_key)


def received(pair: Pair) -> list[str]:
    version = active_version(pair.b.engine, "partner-xx-bpu")
    assert version is not None
    return sorted(
        rid.removeprefix("profile-xx-bpu-")
        for rid, _g in grouped(pair.b.engine, version.version_id)
    )


def test_green_bundle_holds_only_clear_and_green_records_redacted(
    pair: Pair, tmp_path: Path
) -> None:
    bundle = export(pair, tmp_path / "green.json", "GREEN", [])
    found = identities(bundle)
    assert sorted(found) == ["Fictitious Front Example Brigade", "Johan Voorbeeld"]
    entities = found["Johan Voorbeeld"]["extensions"][EXTENSION_ID]["entities"]  # type: ignore[index]
    assert "birthDate" not in entities[0]["properties"]


def test_red_is_never_exported_and_amber_needs_partners(pair: Pair, tmp_path: Path) -> None:
    found = identities(export(pair, tmp_path / "red.json", "RED", [B]))
    assert "Lena Musterfrau" not in found
    assert "Tomás Ejemplo" in found  # AMBER+STRICT, to the partner named
    with pytest.raises(UsageError, match="must name the partners"):
        export(pair, tmp_path / "amber.json", "AMBER", [])


def test_signed_bundle_round_trip_keeps_the_partners_codes(pair: Pair, tmp_path: Path) -> None:
    trust_a(pair)
    bundle = export(pair, tmp_path / "amber.json", "AMBER", [B])
    result = import_bundle(pair.b.engine, B, bundle, "t")
    assert (result.agency, result.version, result.applied.version) == (A, 1, 1)
    assert received(pair) == ["FTF-0001", "FTF-0003", "FTF-0005", "FTF-0006"]
    version = active_version(pair.b.engine, "partner-xx-bpu")
    assert version is not None
    codes = {
        rid: [
            s
            for e in group
            if e["schema"] == "Sanction"
            for s in e["properties"].get("summary", [])
        ]
        for rid, group in grouped(pair.b.engine, version.version_id)
    }
    assert set(codes["profile-xx-bpu-FTF-0001"]) == {"TLP:AMBER"}
    again = import_bundle(pair.b.engine, B, bundle, "t")  # the same file twice: nothing new
    assert again.applied.version is None and again.applied.changed == 0
    assert [e.action for e in query(pair.a.engine, action="share.export")] == ["share.export"]
    assert len(query(pair.b.engine, action="share.import")) == 2


def test_a_tampered_bundle_is_refused(pair: Pair, tmp_path: Path) -> None:
    trust_a(pair)
    bundle = export(pair, tmp_path / "green.json", "GREEN", [])
    document = json.loads(bundle.read_text())
    document["bundle"]["objects"][-1]["name"] = "Someone Else"
    bundle.write_text(json.dumps(document))
    with pytest.raises(SourceError, match="altered after 'XX-BPU' signed it"):
        import_bundle(pair.b.engine, B, bundle, "t")
    assert active_version(pair.b.engine, "partner-xx-bpu") is None


def test_a_bundle_signed_by_an_unknown_key_is_refused(
    pair: Pair, tmp_path: Path, empty_sqlite: Path
) -> None:
    bundle = export(pair, tmp_path / "green.json", "GREEN", [])
    with pytest.raises(SourceError, match="whose key we do not trust"):
        import_bundle(pair.b.engine, B, bundle, "t")
    # Someone else signing in A's name, with a key of their own.
    impostor = make_node(tmp_path / "impostor", A, empty_sqlite)
    load_profiles(impostor.engine, EXAMPLE)
    forged = tmp_path / "forged.json"
    export_bundle(
        impostor.engine,
        load_agency(impostor.settings.data_dir),
        list_name="ftf",
        tlp="GREEN",
        partners=[],
        to=forged,
        actor="t",
    )
    trust_a(pair)
    with pytest.raises(SourceError, match="not the one we trust"):
        import_bundle(pair.b.engine, B, forged, "t")
    impostor.engine.dispose()


def test_an_amber_bundle_for_someone_else_is_refused(pair: Pair, tmp_path: Path) -> None:
    trust_a(pair)
    save_partner(pair.a.engine, "ZZ-CERT")
    bundle = export(pair, tmp_path / "amber.json", "AMBER", ["ZZ-CERT"])
    with pytest.raises(SourceError, match="not for us"):
        import_bundle(pair.b.engine, B, bundle, "t")


def test_since_exports_changes_and_withdrawals(pair: Pair, tmp_path: Path) -> None:
    trust_a(pair)
    import_bundle(pair.b.engine, B, export(pair, tmp_path / "v1.json", "GREEN", []), "t")
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "v2.csv").write_text("".join(x for x in lines if not x.startswith("FTF-0003")))
    load_profiles(pair.a.engine, tmp_path / "v2.csv")
    delta = export(pair, tmp_path / "v2.json", "GREEN", [], since=1)
    objects = json.loads(delta.read_text())["bundle"]["objects"]
    assert [o["name"] for o in objects if o.get("revoked")] == ["withdrawn"]
    assert identities(delta) == {}
    result = import_bundle(pair.b.engine, B, delta, "t")
    assert result.applied.withdrawn == 1
    assert received(pair) == ["FTF-0005"]
    with pytest.raises(SourceError, match="older than version 2"):
        import_bundle(pair.b.engine, B, tmp_path / "v1.json", "t")
