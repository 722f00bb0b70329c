"""``watchkeeper images``: hash, bank import/export/ls, match, with alerts and audit."""

import functools
import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import Result

from tests.lanes.images.conftest import BRIDGE_HASH, IMAGES, png_header
from watchkeeper.lanes.images.banks import ensure_bank
from watchkeeper.settings import get_settings
from watchkeeper.store import open_engine

Wk = functools.partial[Result]


def test_hash_reports_unreadable_images_and_goes_on(wk: Wk, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"nope")
    result = wk(
        "images",
        "hash",
        str(IMAGES / "q0122.jpg"),
        str(bad),
        str(IMAGES / "q0003.jpg"),
        "-f",
        "hex",
    )
    assert result.exit_code == 65
    assert result.stdout.split() == [
        "cfb2009ddd21c6dab0046a7745b5984757a8a4535b3377aea2591d32b33ff940"
    ]
    assert "bad.jpg" in result.stderr and "q0003.jpg: 3 < 50" in result.stderr


def test_a_huge_image_is_refused_by_its_header_and_the_batch_goes_on(
    wk: Wk, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.png"
    huge.write_bytes(png_header(20_000, 20_000))
    files = [str(huge), str(tmp_path), str(IMAGES / "q0122.jpg")]
    result = wk("images", "hash", *files, "-f", "json")
    assert result.exit_code == 65, result.output
    assert [h["file"] for h in json.loads(result.stdout)] == [str(IMAGES / "q0122.jpg")]
    assert f"{huge}: header: too large" in result.stderr
    assert f"{tmp_path}: file: cannot read: Is a directory" in result.stderr


def test_bank_import_match_export_round_trip(wk: Wk, tmp_path: Path) -> None:
    bank_file = tmp_path / "tv.csv"
    bank_file.write_text(f"hash,label,source,added_at\n{BRIDGE_HASH},bridge,te,\nbad,x,y,\n")
    imported = wk("images", "bank", "import", "tv", str(bank_file), "--distance", "30")
    assert imported.exit_code == 65, imported.output
    assert "line 3" in imported.stderr
    listed = json.loads(wk("images", "bank", "ls", "-f", "json").stdout)
    assert [(b["name"], b["entries"], b["max_distance"]) for b in listed] == [("tv", 1, 30)]
    edit = str(IMAGES / "bridge-mods" / "square-128x128.jpg")
    matched = wk("images", "match", edit, "--banks", "tv", "-f", "json")
    assert matched.exit_code == 0, matched.output
    [image] = json.loads(matched.stdout)
    assert image["matches"][0]["label"] == "bridge"
    out = tmp_path / "export.csv"
    assert wk("images", "bank", "export", "tv", "--to", str(out)).exit_code == 0
    assert out.read_text().splitlines()[1].startswith(f"{BRIDGE_HASH},bridge,te,")
    audit = wk("audit", "-f", "json")
    assert audit.exit_code == 0


def test_match_by_hash_with_a_negative_bank(wk: Wk, tmp_path: Path) -> None:
    hexes = tmp_path / "bank.txt"
    hexes.write_text(f"{BRIDGE_HASH}\n")
    assert wk("images", "bank", "import", "tv", str(hexes)).exit_code == 0
    assert wk("images", "bank", "import", "ok", str(hexes), "--negative").exit_code == 0
    result = wk("images", "match", BRIDGE_HASH, "--banks", "tv,ok", "-f", "json", "--no-alerts")
    [image] = json.loads(result.stdout)
    assert image["matches"] == [] and image["suppressed"][0]["bank"] == "tv"


def test_retroactive_match_on_import(wk: Wk, tmp_path: Path) -> None:
    edit = str(IMAGES / "bridge-mods" / "shrink-a-lot.jpg")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert wk("images", "bank", "import", "tv", str(empty)).exit_code == 0
    assert "0 alert(s)" in wk("images", "match", edit, "--banks", "tv").stderr
    hexes = tmp_path / "bank.txt"
    hexes.write_text(f"{BRIDGE_HASH}\n")
    imported = wk("images", "bank", "import", "tv", str(hexes))
    assert "1 image(s) seen before match them; 1 alert(s) stored" in imported.stderr.replace(
        "\n", " "
    )


def test_bank_remove_takes_hashes_out(wk: Wk, tmp_path: Path) -> None:
    hexes = tmp_path / "bank.txt"
    hexes.write_text(f"{BRIDGE_HASH}\n{'0' * 64}\n")
    assert wk("images", "bank", "import", "tv", str(hexes)).exit_code == 0
    gone = tmp_path / "gone.txt"
    gone.write_text(f"{BRIDGE_HASH}\n{'1' * 64}\nnot-a-hash\n")
    removed = wk("images", "bank", "remove", "tv", str(gone))
    assert removed.exit_code == 65 and "line 3" in removed.stderr
    assert "1 of 2 hash(es) removed" in removed.stderr
    [bank] = json.loads(wk("images", "bank", "ls", "-f", "json").stdout)
    assert bank["entries"] == 1
    assert wk("images", "bank", "remove", "nope", str(gone)).exit_code == 4


def test_our_hashes_never_go_into_a_partners_bank(wk: Wk, tmp_path: Path) -> None:
    engine = open_engine(get_settings(data_dir=tmp_path / "data").db_url)
    with engine.begin() as conn:
        ensure_bank(conn, "partner-xx-tv", datetime.now(UTC), partner="XX")
    engine.dispose()
    hexes = tmp_path / "bank.txt"
    hexes.write_text(f"{BRIDGE_HASH}\n")
    refused = wk("images", "bank", "import", "partner-xx-tv", str(hexes))
    assert refused.exit_code == 2 and "copy of partner XX's bank" in refused.stderr
