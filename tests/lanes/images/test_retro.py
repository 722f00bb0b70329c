from datetime import UTC, datetime

from sqlalchemy import Engine, select

from tests.lanes.images.conftest import BRIDGE_HASH, IMAGES
from watchkeeper.lanes.images.banks import BankEntry, add_entries, ensure_bank
from watchkeeper.lanes.images.hashing import hash_image
from watchkeeper.lanes.images.matching import LoadedBank
from watchkeeper.lanes.images.retro import match_new_entries, raise_alerts, rematch, remember
from watchkeeper.store.schema import alerts, image_seen

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_bank_gaining_a_hash_seen_earlier_raises_an_alert(engine: Engine) -> None:
    seen = hash_image(IMAGES / "bridge-mods" / "shrink-a-lot.jpg")
    other = hash_image(IMAGES / "q1050.jpg")
    with engine.begin() as conn:
        first = remember(conn, seen, NOW)
        remember(conn, other, NOW)
        assert remember(conn, seen, NOW) == first  # refreshed, not repeated
        bank = ensure_bank(conn, "tv", NOW)
        new = add_entries(conn, bank, [BankEntry(BRIDGE_HASH, "bridge", "partner", NOW)])
        found = rematch(conn, bank, new, [], 50)
        assert [item.seen_id for item in found] == [first]
        assert raise_alerts(conn, found, NOW) == 1
        # Matched against the new entries only: nothing more when other hashes arrive.
        assert (
            rematch(
                conn, bank, add_entries(conn, bank, [BankEntry("0" * 64, None, None, NOW)]), [], 50
            )
            == []
        )
    with engine.connect() as conn:
        [alert] = conn.execute(select(alerts)).all()
        assert (alert.lane, alert.source_table, alert.source_id) == ("images", "image_seen", first)
        assert alert.explanation["label"] == "bridge"
        assert conn.execute(select(image_seen.c.id)).scalars().all() == [first, first + 1]


def test_negative_banks_suppress_retroactive_matches(engine: Engine) -> None:
    seen = hash_image(IMAGES / "q0122.jpg")
    with engine.begin() as conn:
        remember(conn, seen, NOW)
        benign = ensure_bank(conn, "benign", NOW, negative=True)
        add_entries(conn, benign, [BankEntry(seen.hash, None, None, NOW)])
        assert rematch(conn, benign, [BankEntry(seen.hash, None, None, NOW)], [], 50) == []
        bank = ensure_bank(conn, "tv", NOW)
        new = add_entries(conn, bank, [BankEntry(seen.hash, None, None, NOW)])
        [item] = rematch(conn, bank, new, [LoadedBank.load(conn, "benign")], 50)
        assert item.result.matches == [] and len(item.result.suppressed) == 1
        assert raise_alerts(conn, [item], NOW) == 0


def test_match_new_entries_stores_alerts_with_negative_banks_suppressing(engine: Engine) -> None:
    seen = hash_image(IMAGES / "bridge-mods" / "shrink-a-lot.jpg")
    logo = hash_image(IMAGES / "q0122.jpg")
    with engine.begin() as conn:
        remember(conn, seen, NOW)
        remember(conn, logo, NOW)
        benign = ensure_bank(conn, "benign", NOW, negative=True)
        add_entries(conn, benign, [BankEntry(logo.hash, None, None, NOW)])
        assert (
            match_new_entries(conn, benign, [BankEntry(seen.hash, None, None, NOW)], NOW).found
            == []
        )
        bank = ensure_bank(conn, "tv", NOW)
        new = add_entries(
            conn,
            bank,
            [BankEntry(BRIDGE_HASH, "bridge", None, NOW), BankEntry(logo.hash, None, None, NOW)],
        )
        retro = match_new_entries(conn, bank, new, NOW)
        assert retro.alerts == 1 and len(retro.found) == 2  # the logo suppressed
        assert match_new_entries(conn, bank, [], NOW).found == []
    with engine.connect() as conn:
        assert conn.execute(select(alerts.c.entity_id)).scalars().all() == [BRIDGE_HASH]
