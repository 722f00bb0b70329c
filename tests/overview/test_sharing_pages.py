"""The hash banks and partners pages: banks with their entries by source, partners with the
lists and bank copies received from them and the feeds followed, with their cursors."""

import csv
from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy import Connection, Engine

from tests.conftest import FIXTURES
from watchkeeper.lanes.images.bankfiles import Defaults, read_bank_file
from watchkeeper.lanes.images.banks import add_entries, ensure_bank
from watchkeeper.overview.banks import BankSource, hash_banks
from watchkeeper.overview.partners import Feed, feeds, partner_overview
from watchkeeper.sharing.config import save_partner
from watchkeeper.sharing.cursors import save_cursor
from watchkeeper.sharing.kinds import Inbound
from watchkeeper.sharing.receive import Received, receive

with (FIXTURES / "images" / "expected_pdq_hashes.csv").open(encoding="utf-8") as _file:
    HASHES = [row["pdq_hash_hex"] for row in csv.DictReader(_file)]
FEED = "taxii:https://xx.example/taxii2/api/collections/ftf/"
BANK_FEED = "taxii:https://xx.example/taxii2/api/collections/tv/"
CURSOR = "2026-03-05T10:00:00.000000Z"
AT = datetime(2026, 3, 5, 10, 1, tzinfo=UTC)


def import_bank(engine: Engine, path: Path, name: str, source: str, at: datetime) -> None:
    """A bank file imported as ``watchkeeper images bank import`` does it."""
    read = read_bank_file(path, Defaults(None, source, at))
    with engine.begin() as conn:
        add_entries(conn, ensure_bank(conn, name, at), read.entries)


def test_banks_with_their_entries_by_source(un_store: Engine, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("\n".join(HASHES[:3]) + "\n")
    second.write_text("\n".join(HASHES[3:5]) + "\n")
    import_bank(un_store, first, "tv", "analyst upload", datetime(2026, 3, 1, tzinfo=UTC))
    import_bank(un_store, second, "tv", "partner-x", datetime(2026, 3, 4, tzinfo=UTC))
    with un_store.begin() as conn:
        ensure_bank(conn, "benign", datetime(2026, 3, 2, tzinfo=UTC), negative=True)
    benign, tv = hash_banks(un_store)
    assert (benign.name, benign.negative, benign.entries, benign.last_added) == (
        "benign",
        True,
        0,
        None,
    )
    assert benign.sources == ()
    assert (tv.name, tv.negative, tv.max_distance, tv.partner, tv.entries) == (
        "tv",
        False,
        31,
        None,
        5,
    )
    assert tv.sources == (BankSource("analyst upload", 3), BankSource("partner-x", 2))
    assert tv.last_added == datetime(2026, 3, 4, tzinfo=UTC)
    assert tv.revision >= 2  # every change raises it


def golden_objects(name: str) -> list[dict[str, object]]:
    """The STIX objects of a golden bundle (tests/fixtures/sharing)."""
    document = orjson.loads((FIXTURES / "sharing" / name).read_bytes())
    objects: list[dict[str, object]] = document["bundle"]["objects"]
    return objects


def follow_page(engine: Engine, origin: str, objects: list[dict[str, object]]) -> None:
    """One page of a followed feed, applied as ``sharing.follow`` applies it: the partner's
    records and bank entries, and the page's cursor, in one transaction."""
    inbound = Inbound("XX-BPU", origin, AT, CURSOR)

    def keep(conn: Connection, _received: Received) -> None:
        save_cursor(conn, origin, CURSOR, AT)

    receive(engine, objects, inbound, keep)


def test_partners_with_their_lists_banks_and_feeds(un_store: Engine) -> None:
    save_partner(un_store, "XX-BPU", public_key="A" * 43 + "=")
    save_partner(un_store, "ZZ-POL", username="zz-pol")
    follow_page(un_store, FEED, golden_objects("profiles.bundle.json"))
    follow_page(un_store, BANK_FEED, golden_objects("bank.bundle.json"))
    xx, zz = partner_overview(un_store)
    assert (zz.name, zz.username, zz.signing_key, zz.lists, zz.banks, zz.feeds) == (
        "ZZ-POL",
        "zz-pol",
        False,
        (),
        (),
        (),
    )
    assert (xx.name, xx.username, xx.signing_key) == ("XX-BPU", None, True)
    (received,) = xx.lists
    assert (received.list_name, received.versions, received.origin, received.skipped) == (
        "partner-xx-bpu",
        1,
        FEED,
        0,
    )
    assert xx.banks == ("partner-xx-bpu-tv",)
    assert xx.feeds == (Feed(FEED, CURSOR, AT, "XX-BPU", "partner-xx-bpu"),)


def test_feeds_with_where_they_stopped(un_store: Engine) -> None:
    follow_page(un_store, FEED, golden_objects("profiles.bundle.json"))
    follow_page(un_store, BANK_FEED, golden_objects("bank.bundle.json"))
    # The bank feed made no list version: its cursor is known, its partner is not.
    assert feeds(un_store) == [
        Feed(FEED, CURSOR, AT, "XX-BPU", "partner-xx-bpu"),
        Feed(BANK_FEED, CURSOR, AT, None, None),
    ]
    # A partner known only from what it sent is listed too.
    (xx,) = partner_overview(un_store)
    assert (xx.name, xx.username, xx.signing_key, xx.created_at) == ("XX-BPU", None, False, None)


def test_nothing_shared_nothing_listed(un_store: Engine) -> None:
    assert hash_banks(un_store) == []
    assert partner_overview(un_store) == []
    assert feeds(un_store) == []
