"""The sharing configuration: partners, collections, and lists and banks received from
partners."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from tests.sharing.conftest import EXAMPLE, load_profiles
from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.lanes.images.banks import ensure_bank
from watchkeeper.sharing.config import (
    add_collection,
    get_collection,
    is_received,
    mark_received,
    partner_bank,
    partner_list,
    save_partner,
)
from watchkeeper.sharing.ids import NAMESPACE

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def test_partner_records_never_go_into_our_lists(engine: Engine) -> None:
    load_profiles(engine, EXAMPLE)
    with engine.begin() as conn, pytest.raises(UsageError, match="one of ours"):
        mark_received(conn, "ftf", "XX-BPU")
    with engine.begin() as conn:
        mark_received(conn, partner_list("XX-BPU"), "XX-BPU")
        assert is_received(conn, "partner-xx-bpu")
        with pytest.raises(UsageError, match="holds records of partner"):
            mark_received(conn, "partner-xx-bpu", "ZZ-CERT")


def test_inbound_collections_need_writers(engine: Engine) -> None:
    save_partner(engine, "YY-POL")
    with pytest.raises(UsageError, match="needs at least one writer"):
        add_collection(engine, list_name=None, tlp="GREEN", partners=[], writers=[], title="in")
    made = add_collection(
        engine, list_name=None, tlp="GREEN", partners=[], writers=["YY-POL"], title="in"
    )
    assert made.writers == ["YY-POL"] and made.list_name is None
    with pytest.raises(UsageError, match="bad partner name"):
        save_partner(engine, "no spaces please")


def test_bank_collections_name_a_bank_we_hold(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="no hash bank named 'tv'"):
        add_collection(engine, list_name=None, bank_name="tv", tlp="GREEN", partners=[], writers=[])
    with engine.begin() as conn:
        ensure_bank(conn, "tv", NOW)
    made = add_collection(
        engine, list_name=None, bank_name="tv", tlp="GREEN", partners=[], writers=[]
    )
    assert (made.title, made.bank_name, made.outbound) == ("hash bank tv", "tv", True)
    assert made.id == str(uuid.uuid5(NAMESPACE, "bank:tv:hash bank tv"))  # the same everywhere
    assert get_collection(engine, made.id).as_dict()["bank"] == "tv"
    with pytest.raises(UsageError, match="a list or a bank, not both"):
        add_collection(
            engine, list_name="ftf", bank_name="tv", tlp="GREEN", partners=[], writers=[]
        )


def test_partner_banks_are_named_for_the_partner_and_its_bank() -> None:
    assert partner_bank("XX-BPU", "TV Stills", negative=False) == "partner-xx-bpu-tv-stills"
    assert partner_bank("XX-BPU", None, negative=False) == "partner-xx-bpu"
    assert partner_bank("XX-BPU", None, negative=True) == "partner-xx-bpu-benign"
    with pytest.raises(UsageError, match="over 64"):
        partner_bank("XX-BPU", "x" * 60, negative=False)
