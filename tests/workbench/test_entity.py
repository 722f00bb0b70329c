"""A listed entity's page (``workbench.entity``) on the bundled UN list and OFAC entries."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.workbench.conftest import ANALYST, Screened
from tests.workbench.test_context import reload_ofac
from watchkeeper.errors import NotFoundError
from watchkeeper.workbench.entity import ChangeView, entity_page


def test_the_page_of_amir_rahimi_has_his_position_narrative_and_every_property(
    screened: Screened,
) -> None:
    page = entity_page(screened.engine, ANALYST, "un", "un-IRi.030")
    assert (page.listed, page.version) == (True, 1)
    listing = page.listing
    assert listing.caption == "AMIR RAHIMI"
    assert listing.positions == ("Head of Esfahan Nuclear Fuel Research and Production Center",)
    assert listing.narrative[0].startswith("The Esfahan Nuclear Fuel Research and Production")
    assert (listing.programmes, listing.listing_dates) == (("Iran",), ("2007-03-24",))
    props = {p.name: p for p in page.main.properties}
    assert (props["position"].label, props["notes"].label) == ("Position", "Notes")
    assert props["firstName"].values == ("AMIR",)
    [sanction] = [e for e in page.related if e.schema == "Sanction"]
    shown = {p.label: p.shown for p in sanction.properties}
    assert shown["Listing date"] == ("2007-03-24",)
    assert shown["Entity"] == ("AMIR RAHIMI",)  # the caption, not the id
    assert [(v.number, v.held, v.status, v.active) for v in page.versions] == [
        (1, True, "first", True)
    ]
    assert page.alerts == ()


def test_an_organisation_shows_its_addresses(screened: Screened) -> None:
    page = entity_page(screened.engine, ANALYST, "un", "un-CDe.003")
    assert "Avenue Président Mobutu, Goma, Democratic Republic of the Congo" in (
        page.listing.addresses
    )
    assert any(e.schema == "Address" for e in page.related)


def test_al_adnani_shows_his_other_listing_and_the_alerts_on_him(screened: Screened) -> None:
    page = entity_page(screened.engine, ANALYST, "un", "un-QDi.325")
    assert [(link.list_name, link.entity_id) for link in page.linked] == [("ofac", "ofac-17066")]
    assert {(a.lane, a.kind, a.state) for a in page.alerts} == {
        ("travel", "watchlist", "new"),
        ("finance", "watchlist", "new"),
        ("finance", "mention", "new"),
    }
    assert len(page.alerts) == 4  # travel, CSV payment, its remittance text, MT103 payment
    # ... whichever of his two listings scored best: one alert per person, on either


def test_a_change_between_versions_is_shown(screened_copy: Engine, tmp_path: Path) -> None:
    def moved(text: str) -> str:
        return text.replace("nationality Syria.", "nationality Syria; alt. nationality Iraq.")

    reload_ofac(screened_copy, tmp_path / "ofac", moved)
    page = entity_page(screened_copy, ANALYST, "ofac", "ofac-17066")
    assert [(v.number, v.status, v.active) for v in page.versions] == [
        (1, "first", False),
        (2, "changed", True),
    ]
    assert ChangeView("ofac-17066", "Person", "nationality", "Nationality", ("iq",), ()) in (
        page.versions[1].changes
    )


def test_an_entry_never_listed_is_not_found(screened: Screened) -> None:
    with pytest.raises(NotFoundError, match=r"un-QDi\.999"):
        entity_page(screened.engine, ANALYST, "un", "un-QDi.999")
