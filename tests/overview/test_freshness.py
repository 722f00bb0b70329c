"""List freshness: each active version's age, the lists older than the setting allows, and
the setting itself."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from tests.conftest import FIXTURES
from tests.overview.conftest import NOW
from watchkeeper.errors import ConfigError, UsageError
from watchkeeper.overview.freshness import ListAge, list_freshness, stale_lists
from watchkeeper.settings import get_settings
from watchkeeper.sources import get_source
from watchkeeper.store import load_source
from watchkeeper.store.schema import list_versions, lists

UN_LOADED = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
OFAC_LOADED = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def two_lists(un_store: Engine) -> Engine:
    """The UN list and a small OFAC list, loaded (as the store says) at fixed moments."""
    source = get_source("ofac-csv", FIXTURES / "ofac" / "sdn_small")
    load_source(un_store, source, "ofac", origin="test", raw_dir=None)
    for name, at in (("un", UN_LOADED), ("ofac", OFAC_LOADED)):
        of_list = select(lists.c.id).where(lists.c.name == name).scalar_subquery()
        with un_store.begin() as conn:
            conn.execute(
                update(list_versions).where(list_versions.c.list_id == of_list).values(loaded_at=at)
            )
    return un_store


def test_each_active_list_with_its_age(two_lists: Engine) -> None:
    ofac, un = list_freshness(two_lists, NOW)
    assert ofac == ListAge("ofac", "ofac-csv", 1, OFAC_LOADED, ofac.source_date, timedelta(1.5))
    assert (un.name, un.version, un.loaded_at) == ("un", 1, UN_LOADED)
    assert un.source_date is not None and un.source_date.startswith("2026-02-27")
    assert (un.age, un.age_days) == (timedelta(days=9, hours=6), 9)


@pytest.mark.parametrize(
    ("max_age", "stale"),
    [(1, ["un", "ofac"]), (7, ["un"]), (9, ["un"]), (10, [])],
)
def test_lists_older_than_the_limit(two_lists: Engine, max_age: int, stale: list[str]) -> None:
    assert [found.name for found in stale_lists(two_lists, NOW, max_age)] == stale


def test_a_list_just_loaded_is_fresh(two_lists: Engine) -> None:
    source = get_source("ofac-csv", FIXTURES / "ofac" / "sdn_small")
    load_source(two_lists, source, "ofac-copy", origin="test", raw_dir=None)
    # Loaded now, by the wall clock: at any later moment it is younger than a day.
    later = datetime.now(UTC) + timedelta(hours=1)
    ages = {found.name: found.age_days for found in list_freshness(two_lists, later)}
    assert ages["ofac-copy"] == 0


def test_no_list_no_banner(engine: Engine) -> None:
    assert list_freshness(engine, NOW) == []
    assert stale_lists(engine, NOW, 7) == []


def test_the_limit_must_be_a_day_or_more(two_lists: Engine) -> None:
    with pytest.raises(UsageError, match="max_age_days: 0"):
        stale_lists(two_lists, NOW, 0)


def test_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WATCHKEEPER_LIST_MAX_AGE_DAYS", raising=False)
    assert get_settings().list_max_age_days == 7
    monkeypatch.setenv("WATCHKEEPER_LIST_MAX_AGE_DAYS", "3")
    assert get_settings().list_max_age_days == 3
    assert get_settings(list_max_age_days=14).list_max_age_days == 14
    for bad, fault in (("0", "greater than zero"), ("week", "not a whole number")):
        monkeypatch.setenv("WATCHKEEPER_LIST_MAX_AGE_DAYS", bad)
        with pytest.raises(ConfigError, match=f"WATCHKEEPER_LIST_MAX_AGE_DAYS=.*{fault}"):
            get_settings()
