"""The sharing configuration: partners, collections, and lists received from partners."""

import pytest
from sqlalchemy import Engine

from tests.sharing.conftest import EXAMPLE, load_profiles
from watchkeeper.errors import UsageError
from watchkeeper.sharing.config import (
    add_collection,
    is_received,
    mark_received,
    partner_list,
    save_partner,
)


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
