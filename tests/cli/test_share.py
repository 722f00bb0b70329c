"""``watchkeeper share``: keys, partners, collections, and signed bundles between two agencies'
data folders."""

import json
import stat
from pathlib import Path

from typer.testing import CliRunner, Result

from tests.conftest import ROOT
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

    untrusted = run(b, "share", "import", str(bundle))
    assert untrusted.exit_code == 65
    assert "whose key we do not trust" in untrusted.stderr

    pub = a / "sharing" / "agency.pub.pem"
    assert run(b, "share", "keys", "trust", "XX-BPU", str(pub)).exit_code == 0
    tampered = tmp_path / "tampered.json"
    tampered.write_text(bundle.read_text().replace("Johan Voorbeeld", "Johan Anders"))
    refused = run(b, "share", "import", str(tampered))
    assert refused.exit_code == 65 and "the bundle was altered" in refused.stderr

    imported = run(b, "share", "import", str(bundle))
    assert imported.exit_code == 0, imported.stderr
    assert "partner-xx-bpu: 4 record(s) changed" in imported.stdout
    engine = open_engine(get_settings(data_dir=b).db_url)
    assert [e.target_id for e in query(engine, action="share.import")] == ["partner-xx-bpu"]
    engine.dispose()
