from datetime import UTC, datetime

from tests.lanes.images.conftest import BRIDGE_HASH, IMAGES
from watchkeeper.lanes.images.banks import Bank, BankEntry
from watchkeeper.lanes.images.hashing import ImageHash, hash_image
from watchkeeper.lanes.images.matching import LoadedBank, match_alerts, match_image

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def bank(name: str, hashes: list[str], negative: bool = False, distance: int = 31) -> LoadedBank:
    entries = [BankEntry(h, f"{name}-label", "test", NOW) for h in hashes]
    return LoadedBank.of(Bank(1, name, negative, distance, NOW), entries)


def test_match_explains_itself_and_raises_an_alert() -> None:
    image = hash_image(IMAGES / "bridge-mods" / "square-256x256.jpg")
    result = match_image(image, [bank("tv", [BRIDGE_HASH, "0" * 64])], 50)
    [found] = result.matches
    assert found.explain()["bank"] == "tv"
    assert found.explain()["entry_hash"] == BRIDGE_HASH
    assert found.explain()["label"] == "tv-label"
    assert found.variant == "original"
    assert found.distance <= 31
    [alert] = match_alerts(result)
    assert (alert.lane, alert.kind, alert.list_name) == ("images", "hash", "tv")
    assert alert.subject.identifiers == (image.hash,)
    assert "bank 'tv' entry 'tv-label'" in alert.reason


def test_per_bank_distance() -> None:
    image = hash_image(IMAGES / "bridge-mods" / "square-256x256.jpg")
    assert not match_image(image, [bank("tight", [BRIDGE_HASH], distance=2)], 50).matches


def test_negative_bank_suppresses() -> None:
    image = hash_image(IMAGES / "q0122.jpg")
    banks = [bank("tv", [image.hash]), bank("benign", [image.hash], negative=True)]
    result = match_image(image, banks, 50)
    assert result.matches == []
    assert [m.bank for m in result.suppressed] == ["tv"]
    assert [m.bank for m in result.benign] == ["benign"]
    assert match_alerts(result) == []


def test_rotations_find_a_turned_image() -> None:
    original = hash_image(IMAGES / "q0291.jpg", rotations=True)
    assert original.variants is not None
    turned = original.variants["rotate-90"]
    tv = bank("tv", [turned])
    assert match_image(ImageHash("x", original.hash, 100), [tv], 50).matches == []
    [found] = match_image(original, [tv], 50).matches
    assert (found.variant, found.distance) == ("rotate-90", 0)


def test_low_quality_is_not_matched_and_says_why() -> None:
    poor = hash_image(IMAGES / "q0003.jpg")
    result = match_image(poor, [bank("tv", [poor.hash])], 50)
    assert result.matches == []
    assert result.skipped == "quality 3 is below 50"
    assert match_image(poor, [bank("tv", [poor.hash])], 0).matches
