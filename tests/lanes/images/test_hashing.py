"""PDQ hashing against the reference hashes: the acceptance test reads every image in
../shared/data; the fixture test runs on a fresh clone with a few copied images."""

from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import requires_shared
from tests.lanes.images.conftest import (
    BRIDGE_HASH,
    IMAGES,
    PDQ_DATA,
    expected_hashes,
    png_header,
)
from watchkeeper.errors import SourceError
from watchkeeper.lanes.images.codes import distance
from watchkeeper.lanes.images.hashing import VARIANTS, hash_image


def assert_within(pairs: list[tuple[Path, str]], bits: int) -> int:
    """Every image present hashes within ``bits`` of its reference; returns how many."""
    checked = 0
    for path, expected in pairs:
        if not path.exists():
            continue  # misc-images/b.jpg, named by the Python test, is not in ThreatExchange
        found = hash_image(path).hash
        assert distance(found, expected) <= bits, (path.name, found, expected)
        checked += 1
    return checked


def test_fixture_images_hash_as_the_reference() -> None:
    assert assert_within(expected_hashes(IMAGES), 16) == 5


@requires_shared
def test_every_reference_image_hashes_within_16_bits() -> None:
    assert assert_within(expected_hashes(PDQ_DATA), 16) == 46  # 47 rows; b.jpg is absent


def test_fixture_bridge_edits_match_the_original() -> None:
    edits = sorted((IMAGES / "bridge-mods").glob("*.jpg"))
    assert len(edits) == 3
    assert all(distance(hash_image(p).hash, BRIDGE_HASH) <= 31 for p in edits)


@requires_shared
def test_every_bridge_edit_matches_the_original() -> None:
    original = hash_image(PDQ_DATA / "bridge-mods" / "aaa-orig.jpg").hash
    edits = sorted((PDQ_DATA / "bridge-mods").glob("*.jpg"))
    assert len(edits) == 12
    far = {p.name: distance(hash_image(p).hash, original) for p in edits}
    assert max(far.values()) <= 31, far


def test_quality_low_for_a_poor_image() -> None:
    poor = hash_image(IMAGES / "q0003.jpg")
    assert poor.quality == 3
    assert not poor.usable(50)
    assert poor.usable(0)
    assert hash_image(IMAGES / "q0122.jpg").quality == 100


def test_rotations_give_the_8_dihedral_hashes(tmp_path: Path) -> None:
    image = hash_image(IMAGES / "wee.jpg", rotations=True)
    assert image.variants is not None
    assert list(image.variants) == list(VARIANTS)
    assert image.variants["original"] == image.hash
    with Image.open(IMAGES / "wee.jpg") as im:
        im.transpose(Image.Transpose.ROTATE_180).save(tmp_path / "turned.png")
    turned = hash_image(tmp_path / "turned.png").hash
    assert distance(turned, image.variants["rotate-180"]) <= 16
    assert distance(turned, image.hash) > 64


def test_exif_orientation_applied_only_when_asked(tmp_path: Path) -> None:
    with Image.open(IMAGES / "wee.jpg") as im:
        exif = im.getexif()
        exif[0x0112] = 3  # Orientation: rotated 180 degrees
        im.save(tmp_path / "tagged.jpg", exif=exif, quality=95)
    plain = hash_image(IMAGES / "wee.jpg").hash
    assert distance(hash_image(tmp_path / "tagged.jpg").hash, plain) <= 16
    assert distance(hash_image(tmp_path / "tagged.jpg", exif=True).hash, plain) > 64


def test_unreadable_image_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not an image")
    with pytest.raises(SourceError) as caught:
        hash_image(bad)
    assert caught.value.issues[0].path == str(bad)
    assert "cannot read the image" in caught.value.issues[0].problem


def fault(path: Path, max_pixels: int = 100_000_000) -> str:
    """The one fault hashing ``path`` reports."""
    with pytest.raises(SourceError) as caught:
        hash_image(path, max_pixels=max_pixels)
    [issue] = caught.value.issues
    assert issue.path == str(path)
    return f"{issue.position}: {issue.problem}"


def test_an_image_over_the_pixel_limit_is_refused_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    path.write_bytes(png_header(12_000, 10_000))  # 120 MP, under Pillow's own guard
    assert fault(path) == (
        "header: 12000x10000 is 120,000,000 pixels, over the limit of 100,000,000 "
        "(WATCHKEEPER_IMAGE_MAX_PIXELS); not decoded"
    )
    assert fault(IMAGES / "q0122.jpg", max_pixels=100).startswith("header: ")


def test_an_image_past_pillows_own_guard_is_the_same_fault(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(png_header(20_000, 20_000))
    assert fault(path).startswith("header: too large, not decoded: Image size (400000000 pixels)")


def test_a_folder_and_a_truncated_image_are_faults(tmp_path: Path) -> None:
    assert fault(tmp_path) == "file: cannot read: Is a directory"
    cut = tmp_path / "cut.jpg"
    cut.write_bytes((IMAGES / "q0122.jpg").read_bytes()[:2000])
    assert fault(cut).startswith("file: cannot read the image: ")
