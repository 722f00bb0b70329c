"""The listing's context beside an alert (``workbench.context``), on alerts the lanes raised
against the bundled UN list and three OFAC entries."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.conftest import FIXTURES
from tests.workbench.conftest import ANALYST, Screened, alert_id
from watchkeeper.auth import Actor
from watchkeeper.errors import ForbiddenError, NotFoundError
from watchkeeper.sources import get_source
from watchkeeper.store import load_source
from watchkeeper.store.schema import audit_log
from watchkeeper.workbench.context import (
    BankEntryContext,
    LinkFact,
    ListingContext,
    alert_context,
)


def test_a_un_alert_shows_the_narrative_regime_listing_date_and_the_ofac_listing(
    screened: Screened,
) -> None:
    found = alert_id(screened.engine, "travel", "watchlist", "un")
    context = alert_context(screened.engine, ANALYST, found)
    assert isinstance(context, ListingContext)
    assert (context.list_name, context.entity_id, context.standing) == (
        "un",
        "un-QDi.325",
        "current",
    )
    listing = context.listing
    assert listing is not None
    assert listing.programmes == ("Al-Qaida",)
    assert listing.authorities == ("United Nations Security Council",)
    assert listing.listing_dates == ("2014-08-15",)
    assert listing.references == ("QDi.325",)
    assert any("Reportedly killed in August 2016" in note for note in listing.narrative)
    assert listing.nationalities == ("Iraq",)
    [sanction] = listing.sanctions
    assert sanction.descriptions == ("UN List",)
    [ofac] = context.linked
    assert (ofac.list_name, ofac.entity_id, ofac.caption, ofac.programmes) == (
        "ofac",
        "ofac-17066",
        "AL-ADNANI, Abu Mohammed",
        ("SDGT",),
    )
    assert LinkFact("name_birth_date", "abu mohammed al adnani|1977") in ofac.facts


def test_the_ofac_alert_links_back_to_the_un_listing(screened: Screened) -> None:
    found = alert_id(screened.engine, "finance", "watchlist", "ofac", source_id=1)
    context = alert_context(screened.engine, ANALYST, found)
    assert isinstance(context, ListingContext) and context.listing is not None
    assert context.listing.programmes == ("SDGT",)
    assert any("POB Banash, Syria" in note for note in context.listing.narrative) or (
        context.listing.birth_dates == ("1977",)
    )
    assert [(link.list_name, link.entity_id) for link in context.linked] == [("un", "un-QDi.325")]
    assert context.linked[0].references == ("QDi.325",)
    assert context.linked[0].listing_dates == ("2014-08-15",)


def test_an_image_alert_shows_its_bank_entry_not_a_list_entity(screened: Screened) -> None:
    found = alert_id(screened.engine, "images", "hash")
    context = alert_context(screened.engine, ANALYST, found)
    assert isinstance(context, BankEntryContext)
    entry = context.entry
    assert (entry.bank, entry.label, entry.source, entry.standing) == (
        "partner",
        "recruitment poster",
        "ThreatExchange q0122",
        "current",
    )
    assert entry.max_distance == 31


def test_a_rule_alert_has_no_listing(screened: Screened) -> None:
    found = alert_id(screened.engine, "finance", "rule")
    assert alert_context(screened.engine, ANALYST, found) is None


def reload_ofac(engine: Engine, folder: Path, edit: Callable[[str], str]) -> None:
    """Load a second OFAC version: the fixture's files with ``edit`` applied to each."""
    folder.mkdir()
    for path in (FIXTURES / "ofac" / "sdn_links").iterdir():
        (folder / path.name).write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    load_source(engine, get_source("ofac-csv", folder), "ofac", origin="test", raw_dir=None)


def test_a_listing_removed_since_the_alert_is_shown_as_last_listed(
    screened_copy: Engine, tmp_path: Path
) -> None:
    def without_17066(text: str) -> str:
        lines = text.splitlines(keepends=True)
        return "".join(line for line in lines if not line.startswith("17066,"))

    reload_ofac(screened_copy, tmp_path / "ofac", without_17066)
    found = alert_id(screened_copy, "finance", "watchlist", "ofac", source_id=1)
    context = alert_context(screened_copy, ANALYST, found)
    assert isinstance(context, ListingContext) and context.listing is not None
    assert context.standing == "removed"
    assert (context.listing.entity_id, context.listing.version) == ("ofac-17066", 1)
    assert context.linked == ()  # links hold between active versions only


def test_a_listing_changed_since_the_alert_says_so(screened_copy: Engine, tmp_path: Path) -> None:
    def moved(text: str) -> str:
        return text.replace("nationality Syria.", "nationality Syria; alt. nationality Iraq.")

    reload_ofac(screened_copy, tmp_path / "ofac", moved)
    found = alert_id(screened_copy, "finance", "watchlist", "ofac", source_id=1)
    context = alert_context(screened_copy, ANALYST, found)
    assert isinstance(context, ListingContext) and context.listing is not None
    assert (context.standing, context.listing.version) == ("changed", 2)
    assert context.listing.nationalities == ("Syria", "Iraq")


def test_every_read_is_audited_and_needs_an_analyst(screened: Screened) -> None:
    found = alert_id(screened.engine, "travel", "watchlist", "un")
    with pytest.raises(ForbiddenError):
        alert_context(screened.engine, Actor("sam", "screener"), found)
    alert_context(screened.engine, ANALYST, found, remote="10.0.0.7")
    query = select(audit_log).where(audit_log.c.actor == "ana", audit_log.c.target_id == str(found))
    with screened.engine.connect() as conn:
        rows = conn.execute(query).all()
    assert {(r.action, r.target_type, r.remote) for r in rows} >= {
        ("read.alert", "alert", "10.0.0.7")
    }
    with pytest.raises(NotFoundError):
        alert_context(screened.engine, ANALYST, 999_999)
