"""Golden files of the shared formats: a signed bundle of profiles and a signed bank bundle,
made again from fixed inputs, a fixed key and a fixed clock, must equal the committed files
(tests/fixtures/sharing/) byte for byte, so that a change of format is a decision, not an
accident: regenerate them with ``WATCHKEEPER_REGOLD=1`` and say why in the commit. The
committed files must also still import."""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
import stix2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from tests.conftest import ROOT
from tests.sharing.conftest import BANK, REFERENCE, A, B, Node, fill_bank, load_profiles, make_node
from watchkeeper.sharing import bank_kind, envelope
from watchkeeper.sharing.bank_kind import ImportedBank
from watchkeeper.sharing.bundle import export_bank_bundle, export_bundle, import_bundle
from watchkeeper.sharing.config import save_partner
from watchkeeper.sharing.keys import Agency
from watchkeeper.store.schema import list_versions, lists

GOLDEN = ROOT / "tests" / "fixtures" / "sharing"
AGENCY = Agency(A, Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LOADED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class Frozen(datetime):
    """A clock that always says ``NOW``."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> "Frozen":
        return cls.fromtimestamp(NOW.timestamp(), tz)


@pytest.fixture
def a(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty_sqlite: Path) -> Iterator[Node]:
    """Agency A with B as a partner, its clock frozen and its bundle ids fixed."""
    monkeypatch.setattr(envelope, "datetime", Frozen)
    monkeypatch.setattr(bank_kind, "datetime", Frozen)
    fixed = uuid.UUID("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
    monkeypatch.setattr(envelope, "uuid", SimpleNamespace(uuid4=lambda: fixed))
    node = make_node(tmp_path / "a", A, empty_sqlite)
    save_partner(node.engine, B)
    yield node
    node.engine.dispose()


def check_golden(made: Path, name: str) -> None:
    """``made`` equals the golden file ``name`` byte for byte (rewritten when regolding)."""
    golden = GOLDEN / name
    if os.environ.get("WATCHKEEPER_REGOLD"):
        golden.write_bytes(made.read_bytes())
    assert made.read_bytes() == golden.read_bytes(), f"{name} changed: a format decision?"
    for obj in orjson.loads(golden.read_bytes())["bundle"]["objects"]:
        stix2.parse(obj, allow_custom=False)  # every object valid STIX 2.1


def test_a_signed_bundle_of_profiles_is_the_golden_one(a: Node, tmp_path: Path) -> None:
    load_profiles(a.engine, GOLDEN / "profiles.csv")
    with a.engine.begin() as conn:
        conn.execute(update(lists).values(created_at=LOADED))
        conn.execute(update(list_versions).values(loaded_at=LOADED))
    made = tmp_path / "profiles.bundle.json"
    export_bundle(a.engine, AGENCY, list_name="ftf", tlp="AMBER", partners=[B], to=made, actor="t")
    check_golden(made, "profiles.bundle.json")


def test_a_signed_bank_bundle_is_the_golden_one(a: Node, tmp_path: Path) -> None:
    fill_bank(a.engine, "tv", [REFERENCE[name] for name in BANK])
    made = tmp_path / "bank.bundle.json"
    export_bank_bundle(
        a.engine, AGENCY, bank_name="tv", tlp="GREEN", partners=[], to=made, actor="t"
    )
    check_golden(made, "bank.bundle.json")


def test_the_golden_bundles_still_import(tmp_path: Path, empty_sqlite: Path) -> None:
    b = make_node(tmp_path / "b", B, empty_sqlite)
    save_partner(b.engine, A, public_key=AGENCY.public_key)
    profiles = import_bundle(b.engine, B, GOLDEN / "profiles.bundle.json", "t")
    assert (profiles.target, profiles.version, profiles.applied.changed) == (
        "partner-xx-bpu",
        1,
        4,
    )
    bank = import_bundle(b.engine, B, GOLDEN / "bank.bundle.json", "t")
    assert isinstance(bank, ImportedBank)
    assert (bank.target, bank.applied.added) == ("partner-xx-bpu-tv", len(BANK))
    b.engine.dispose()
