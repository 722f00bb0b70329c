from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.lanes.images.banks import (
    BankEntry,
    add_entries,
    bank_entries,
    ensure_bank,
    get_bank,
    list_banks,
    remove_entries,
    update_entries,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
A, B = "a" * 64, "b" * 64


def test_banks_keep_entries_once_and_their_settings(engine: Engine) -> None:
    with engine.begin() as conn:
        bank = ensure_bank(conn, "tv", NOW)
        assert (bank.negative, bank.max_distance) == (False, 31)
        new = add_entries(conn, bank, [BankEntry(A, "x", "s", NOW), BankEntry(A, "y", "s", NOW)])
        assert [e.label for e in new] == ["x"]
        assert add_entries(
            conn, bank, [BankEntry(A, "z", None, NOW), BankEntry(B, None, None, NOW)]
        ) == [BankEntry(B, None, None, NOW)]
        benign = ensure_bank(conn, "benign", NOW, negative=True, max_distance=20)
        assert ensure_bank(conn, "tv", NOW, max_distance=40).max_distance == 40
    with engine.connect() as conn:
        assert [e.hash for e in bank_entries(conn, get_bank(conn, "tv"))] == [A, B]
        assert [(b.name, b.negative, size) for b, size in list_banks(conn)] == [
            ("benign", True, 0),
            ("tv", False, 2),
        ]
        assert benign.max_distance == 20
        with pytest.raises(NotFoundError, match="no hash bank named 'nope'"):
            get_bank(conn, "nope")


def test_distance_out_of_range(engine: Engine) -> None:
    with engine.begin() as conn, pytest.raises(UsageError, match="0 to 128 bits"):
        ensure_bank(conn, "tv", NOW, max_distance=200)


def test_every_change_raises_the_revision(engine: Engine) -> None:
    with engine.begin() as conn:
        revision = ensure_bank(conn, "tv", NOW).revision
        steps = [
            lambda bank: add_entries(conn, bank, [BankEntry(A, "x", None, NOW)]),
            lambda bank: update_entries(conn, bank, [BankEntry(A, "y", None, NOW, "GREEN")]),
            lambda bank: ensure_bank(conn, "tv", NOW, max_distance=20),
            lambda bank: remove_entries(conn, bank, [A]),
        ]
        for step in steps:
            step(get_bank(conn, "tv"))
            assert get_bank(conn, "tv").revision == revision + 1
            revision += 1
        # Nothing changed, nothing raised: entries held, settings as they are, hashes absent.
        bank = get_bank(conn, "tv")
        assert add_entries(conn, bank, []) == []
        assert remove_entries(conn, bank, [B]) == 0
        ensure_bank(conn, "tv", NOW, negative=False, max_distance=20)
        assert get_bank(conn, "tv").revision == revision


def test_partner_entries_keep_their_code_and_stix_id(engine: Engine) -> None:
    stix_id = "indicator--0d3b5e55-4c36-4c84-8b4c-9a2a3c4b5d6e"
    with engine.begin() as conn:
        bank = ensure_bank(conn, "partner-xx-tv", NOW, partner="XX")
        add_entries(conn, bank, [BankEntry(A, "x", "XX", NOW, "AMBER", stix_id)])
        assert get_bank(conn, "partner-xx-tv").partner == "XX"
        assert ensure_bank(conn, "tv", NOW).partner is None
        [entry] = bank_entries(conn, bank)
    assert (entry.tlp, entry.stix_id) == ("AMBER", stix_id)
