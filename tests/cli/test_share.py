"""``watchkeeper share``: keys, partners, collections, and signed bundles (lists and hash
banks) between two agencies' data folders."""

import json
import stat
from pathlib import Path

from typer.testing import CliRunner, Result

from tests.conftest import ROOT
from tests.lanes.images.conftest import BRIDGE_HASH
from tests.sharing.validity import check_bundle_file
from watchkeeper.cli import app
from watchkeeper.settings import get_settings
from watchkeeper.store import open_engine
from watchkeeper.store.audit import query

runner = CliRunner()
PROFILES = ROOT / "examples" / "profiles" / "ftf_profiles.csv"


def run(data: Path, *args: str) -> Result:
    return runner.invoke(app, ["--data-dir", str(data), *args])


def agency(tmp_path: Path, name: str) -> Path:
    data = tmp_path / name
    assert run(data, "share", "keys", "init", "--agency", name).exit_code == 0
    return data


def test_keys_init_writes_a_private_key_only_we_can_read(tmp_path: Path) -> None:
    data = agency(tmp_path, "XX-BPU")
    key = data / "sharing" / "agency.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    listed = run(data, "share", "keys", "ls", "-o", "json")
    assert json.loads(listed.stdout)["agency"]["name"] == "XX-BPU"
    again = run(data, "share", "keys", "init", "--agency", "XX-BPU")
    assert again.exit_code == 2 and "exists already" in again.stderr


def test_collections_need_known_partners_and_lists(tmp_path: Path) -> None:
    data = agency(tmp_path, "XX-BPU")
    run(data, "lists", "load", str(PROFILES), "--format", "profiles", "--name", "ftf")
    unknown = run(data, "share", "collections", "add", "--list", "ftf", "--partners", "YY-POL")
    assert unknown.exit_code == 2 and "unknown partner(s): YY-POL" in unknown.stderr
    assert run(data, "share", "partners", "add", "YY-POL", "--user", "yy-pol").exit_code == 0
    added = run(
        data,
        "share",
        "collections",
        "add",
        "--list",
        "ftf",
        "--tlp",
        "AMBER",
        "--partners",
        "YY-POL",
        "-o",
        "json",
    )
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)["partners"] == ["YY-POL"]
    listed = json.loads(run(data, "share", "collections", "ls", "-o", "json").stdout)
    assert [(c["list"], c["tlp"]) for c in listed] == [("ftf", "AMBER")]
    missing = run(data, "share", "collections", "add", "--list", "nope")
    assert missing.exit_code == 4


def test_export_and_import_between_two_agencies(tmp_path: Path) -> None:
    a = agency(tmp_path, "XX-BPU")
    b = agency(tmp_path, "YY-POL")
    run(a, "lists", "load", str(PROFILES), "--format", "profiles", "--name", "ftf")
    run(a, "share", "partners", "add", "YY-POL")
    bundle = tmp_path / "ftf.bundle.json"
    exported = run(
        a,
        "share",
        "export",
        "--list",
        "ftf",
        "--tlp",
        "AMBER",
        "--partners",
        "YY-POL",
        "--to",
        str(bundle),
    )
    assert exported.exit_code == 0, exported.stderr
    assert "4 record(s)" in exported.stdout
    check_bundle_file(bundle)  # OASIS' stix2-validator: no error

    untrusted = run(b, "share", "import", str(bundle))
    assert untrusted.exit_code == 65
    assert "whose key we do not trust" in untrusted.stderr

    pub = a / "sharing" / "agency.pub.pem"
    assert run(b, "share", "keys", "trust", "XX-BPU", str(pub)).exit_code == 0
    tampered = tmp_path / "tampered.json"
    tampered.write_text(
        bundle.read_text(encoding="utf-8").replace("Johan Voorbeeld", "Johan Anders"),
        encoding="utf-8",
    )
    refused = run(b, "share", "import", str(tampered))
    assert refused.exit_code == 65 and "the bundle was altered" in refused.stderr

    imported = run(b, "share", "import", str(bundle))
    assert imported.exit_code == 0, imported.stderr
    assert "partner-xx-bpu: 4 record(s) changed" in imported.stdout
    engine = open_engine(get_settings(data_dir=b).db_url)
    assert [e.target_id for e in query(engine, action="share.import")] == ["partner-xx-bpu"]
    engine.dispose()


def test_a_bank_shared_by_collection_and_by_bundle(tmp_path: Path) -> None:
    a = agency(tmp_path, "XX-BPU")
    b = agency(tmp_path, "YY-POL")
    hexes = tmp_path / "tv.txt"
    hexes.write_text(f"{BRIDGE_HASH}\n")
    assert run(a, "images", "bank", "import", "tv", str(hexes)).exit_code == 0
    run(a, "share", "partners", "add", "YY-POL")
    both = run(a, "share", "collections", "add", "--bank", "tv", "--list", "ftf")
    assert both.exit_code == 2 and "one of --list, --bank or --inbound" in both.stderr
    added = run(
        a, "share", "collections", "add", "--bank", "tv", "--partners", "YY-POL", "-o", "json"
    )
    assert added.exit_code == 0, added.stderr
    listed = json.loads(run(a, "share", "collections", "ls", "-o", "json").stdout)
    assert [(c["list"], c["bank"], c["tlp"]) for c in listed] == [(None, "tv", "GREEN")]

    bundle = tmp_path / "tv.bundle.json"
    since = run(
        a, "share", "export", "--bank", "tv", "--tlp", "GREEN", "--to", str(bundle), "--since", "1"
    )
    assert since.exit_code == 2 and "--since is for lists" in since.stderr
    exported = run(a, "share", "export", "--bank", "tv", "--tlp", "GREEN", "--to", str(bundle))
    assert exported.exit_code == 0, exported.stderr
    assert "bank tv revision 1, 1 hash(es)" in exported.stdout
    check_bundle_file(bundle)  # a hash imported without label or source: no null in it

    pub = a / "sharing" / "agency.pub.pem"
    assert run(b, "share", "keys", "trust", "XX-BPU", str(pub)).exit_code == 0
    imported = run(b, "share", "import", str(bundle))
    assert imported.exit_code == 0, imported.stderr
    assert "XX-BPU's bank tv revision 1 -> partner-xx-bpu-tv: 1 hash(es) added" in imported.stdout
    banks = json.loads(run(b, "images", "bank", "ls", "-f", "json").stdout)
    assert [(x["name"], x["entries"]) for x in banks] == [("partner-xx-bpu-tv", 1)]
