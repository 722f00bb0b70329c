"""Publishing a list or a bank into its collection: once per version (revision), changed
records and entries only, withdrawn ones revoked."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import pg_database
from tests.sharing.conftest import (
    ADDED,
    BANK,
    EXAMPLE,
    REFERENCE,
    A,
    B,
    Pair,
    fill_bank,
    load_profiles,
)
from watchkeeper.lanes.images.banks import (
    BankEntry,
    add_entries,
    ensure_bank,
    get_bank,
    remove_entries,
)
from watchkeeper.sharing.config import add_collection, save_partner
from watchkeeper.sharing.hashes import PDQ_EXTENSION_ID
from watchkeeper.sharing.ids import agency_id, bank_entry_to_stix
from watchkeeper.sharing.objects import Reader, StoredObject, page, publish
from watchkeeper.sharing.selection import spellings
from watchkeeper.sharing.tlp import MARKING_IDS
from watchkeeper.store import open_engine
from watchkeeper.store.schema import share_objects


def count(pair: Pair) -> int:
    with pair.a.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(share_objects)).scalar_one())


def test_publish_adds_only_what_changed(pair: Pair, tmp_path: Path) -> None:
    first = publish(pair.a.engine, pair.collection, A)
    assert first == 7 + 5  # markings, extension, agency; six records less RED
    assert publish(pair.a.engine, pair.collection, A) == 0
    load_profiles(pair.a.engine, EXAMPLE)  # a new version, the same content
    assert publish(pair.a.engine, pair.collection, A) == 0
    text = EXAMPLE.read_text(encoding="utf-8").replace("Johan Voorbeeld", "Johan Voorbeelt", 1)
    (tmp_path / "v3.csv").write_text(text, encoding="utf-8")
    load_profiles(pair.a.engine, tmp_path / "v3.csv")
    assert publish(pair.a.engine, pair.collection, A) == 1
    assert count(pair) == 13
    dates = [
        o.date_added
        for o in page(
            pair.a.engine, pair.collection.id, Reader("RED", True), added_after=None, limit=100
        ).objects
    ]
    assert dates == sorted(set(dates))  # unique, in order


def test_publish_and_page_on_postgresql(tmp_path: Path) -> None:
    """The same on PostgreSQL (skipped where CI provides no server)."""
    with pg_database() as url:
        engine = open_engine(url)
        try:
            load_profiles(engine, EXAMPLE)
            save_partner(engine, B)
            collection = add_collection(
                engine, list_name="ftf", tlp="AMBER", partners=[B], writers=[]
            )
            assert publish(engine, collection, A) == 12
            assert publish(engine, collection, A) == 0
            first = page(engine, collection.id, Reader("AMBER", True), added_after=None, limit=8)
            assert first.more
            rest = page(
                engine,
                collection.id,
                Reader("AMBER", True),
                added_after=first.objects[-1].date_added,
                limit=100,
            )
            assert len(first.objects) + len(rest.objects) == 11  # AMBER+STRICT above the ceiling
        finally:
            engine.dispose()


def indicators(objects: list[StoredObject]) -> dict[str, StoredObject]:
    """The bank entries among a page's objects, by hash."""
    return {
        o.data["extensions"][PDQ_EXTENSION_ID]["hash"]: o
        for o in objects
        if o.data["type"] == "indicator"
    }


def test_a_bank_is_published_once_per_revision(banks: Pair) -> None:
    engine, collection = banks.a.engine, banks.collection
    assert publish(engine, collection, A) == 7 + 3  # markings, extension, agency; 3 entries
    assert publish(engine, collection, A) == 0
    named = Reader("AMBER", named=True)
    first = page(engine, collection.id, named, added_after=None, limit=100).objects
    assert sorted(indicators(first)) == sorted(REFERENCE[name] for name in BANK)
    assert {o.data["object_marking_refs"][0] for o in indicators(first).values()} == {
        MARKING_IDS["AMBER"]
    }

    fill_bank(engine, "tv", [REFERENCE["q0122.jpg"]])
    with engine.begin() as conn:
        remove_entries(conn, get_bank(conn, "tv"), [REFERENCE["wee.jpg"]])
    assert publish(engine, collection, A) == 2
    later = page(engine, collection.id, named, added_after=first[-1].date_added, limit=100)
    changed = indicators(later.objects)
    assert sorted(changed) == sorted([REFERENCE["q0122.jpg"], REFERENCE["wee.jpg"]])
    assert changed[REFERENCE["wee.jpg"]].data["revoked"] is True
    assert "revoked" not in changed[REFERENCE["q0122.jpg"]].data
    # The withdrawal names the hash, so it goes only where the AMBER entry went.
    everyone = page(
        engine, collection.id, Reader("AMBER", named=False), added_after=None, limit=100
    )
    assert indicators(everyone.objects) == {}


def test_a_partners_bank_is_passed_on_clear_and_green_only(banks: Pair) -> None:
    engine = banks.a.engine
    received = [
        BankEntry(
            REFERENCE["q0122.jpg"],
            "green",
            "ZZ",
            ADDED,
            "GREEN",
            bank_entry_to_stix("ZZ", "x", "1"),
        ),
        BankEntry(
            REFERENCE["q1050.jpg"],
            "amber",
            "ZZ",
            ADDED,
            "AMBER",
            bank_entry_to_stix("ZZ", "x", "2"),
        ),
        BankEntry(
            REFERENCE["wee.jpg"], "red", "ZZ", ADDED, "RED", bank_entry_to_stix("ZZ", "x", "3")
        ),
    ]
    with engine.begin() as conn:
        add_entries(conn, ensure_bank(conn, "partner-zz-x", ADDED, partner="ZZ"), received)
    collection = add_collection(
        engine, list_name=None, bank_name="partner-zz-x", tlp="AMBER", partners=[B], writers=[]
    )
    publish(engine, collection, A)
    served = page(engine, collection.id, Reader("AMBER", named=True), added_after=None, limit=100)
    [green] = indicators(served.objects).values()
    assert green.data["id"] == received[0].stix_id  # the partner's id, passed on unchanged
    assert green.data["created_by_ref"] == agency_id("ZZ")
    with engine.connect() as conn:
        query = select(share_objects.c.stix_id, share_objects.c.tlp).where(
            share_objects.c.collection_id == collection.id
        )
        stored = {row.stix_id: row.tlp for row in conn.execute(query)}
    assert stored[received[1].stix_id] == "AMBER"  # kept with the partner's code, served to none
    assert received[2].stix_id not in stored  # RED never leaves


def test_publish_a_bank_on_postgresql() -> None:
    """Bank publishing on PostgreSQL (skipped where CI provides no server)."""
    with pg_database() as url:
        engine = open_engine(url)
        try:
            fill_bank(engine, "tv", [REFERENCE[name] for name in BANK])
            collection = add_collection(
                engine, list_name=None, bank_name="tv", tlp="GREEN", partners=[], writers=[]
            )
            assert publish(engine, collection, A) == 10
            with engine.begin() as conn:
                remove_entries(conn, get_bank(conn, "tv"), [REFERENCE["wee.jpg"]])
            assert publish(engine, collection, A) == 1
            served = page(
                engine, collection.id, Reader("GREEN", False), added_after=None, limit=100
            )
            assert len(indicators(served.objects)) == 3
        finally:
            engine.dispose()


def test_a_version_timestamp_is_found_however_it_is_spelled() -> None:
    assert spellings(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)) == [
        "2026-03-01T09:00:00Z",
        *(f"2026-03-01T09:00:00.{'0' * n}Z" for n in range(1, 7)),
    ]
    assert spellings(datetime(2026, 3, 1, 9, 0, 0, 120000, tzinfo=UTC)) == [
        "2026-03-01T09:00:00.12Z",
        "2026-03-01T09:00:00.120Z",
        "2026-03-01T09:00:00.1200Z",
        "2026-03-01T09:00:00.12000Z",
        "2026-03-01T09:00:00.120000Z",
    ]
