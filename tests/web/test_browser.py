"""End to end in headless Chromium against a real server: an analyst uploads a manifest and
proposes to clear its UN alert, a supervisor approves, and the audit log holds both.

With ``WATCHKEEPER_SCREENSHOTS=1`` the main pages are saved to docs/screenshots/ as well (the
queue's: ``test_browser_triage``).
"""

import os
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from tests.api.conftest import served
from tests.conftest import CHROMIUM, FIXTURES, ROOT
from watchkeeper.service.app import create_app
from watchkeeper.settings import Settings
from watchkeeper.store.audit import query

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra")
SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def server(
    settings: Settings, store: Engine, tokens: dict[str, str], ready: Callable[[FastAPI], None]
) -> Iterator[str]:
    """The service on uvicorn in a thread, on a free loopback port; its base URL."""
    app = create_app(settings, background=False)
    ready(app)
    with served(app) as port:
        yield f"http://127.0.0.1:{port}"


def test_analyst_proposes_and_supervisor_approves(
    server: str, tokens: dict[str, str], store: Engine, browser: "sync_api.Browser"
) -> None:
    shoot = os.environ.get("WATCHKEEPER_SCREENSHOTS") == "1"

    def snap(page: "sync_api.Page", name: str) -> None:
        if shoot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"{name}.png")

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    expect = sync_api.expect

    def sign_in(user: str) -> None:
        page.goto(f"{server}/web/alerts")
        expect(page).to_have_url(f"{server}/web/signin")
        page.get_by_label("API token").fill(tokens[user])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text(f"Signed in as {user}")).to_be_visible()

    sign_in("ana")
    page.get_by_role("link", name="Upload").click()
    page.get_by_label("File to screen").set_input_files(
        FIXTURES / "travel" / "synthetic_paxlst_listed.edi"
    )
    page.get_by_role("button", name="Screen", exact=True).click()
    expect(page.get_by_role("heading", name="1 new alert")).to_be_visible()
    snap(page, "upload")
    page.locator("li", has_text="un-QDi.325").get_by_role("link").click()

    expect(page.locator("#alert-state")).to_have_text("new")
    expect(page.locator("mark#segment")).to_contain_text("NAD+FL+++ALRAWI")
    snap(page, "alert")
    page.get_by_label("cleared").check()
    page.get_by_label("Reason code (required)").select_option("different-date-of-birth")
    page.get_by_label("Comment (required)").fill("Different person: the listed man died 2016.")
    page.get_by_role("button", name="Decide").click()
    expect(page.locator("#alert-state")).to_have_text("pending")
    alert_url = page.url

    page.get_by_role("link", name="Queue").click()
    page.get_by_label("State").select_option("cleared")  # htmx swaps the table alone
    expect(page.locator("#queue")).to_contain_text("No alerts match")
    expect(page).to_have_url(
        f"{server}/web/alerts?by=subject&sort=score&kind=&lane=&state=cleared&min_risk="
    )
    page.get_by_label("State").select_option("pending")
    expect(page.locator("#queue")).to_contain_text("un-QDi.325")
    page.get_by_role("link", name="Lists").click()
    expect(page.get_by_role("rowheader", name="un")).to_be_visible()
    snap(page, "lists")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Name").fill("Abu Mohammed al-Adnani")
    page.get_by_label("Kind").select_option("Person")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="un-QDi.325")).to_be_visible()
    snap(page, "search")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{server}/web/signin")

    sign_in("sue")
    page.goto(alert_url)
    page.get_by_label("Reason code (required)").select_option("different-date-of-birth")
    page.get_by_label("Comment (required)").fill("Agreed: date of death on the UN notice.")
    page.get_by_role("button", name="Approve: cleared").click()
    expect(page.locator("#alert-state")).to_have_text("cleared")
    page.close()

    decided = query(store, action="decide")
    assert [(e.actor, e.detail["event"]) for e in decided] == [  # type: ignore[index]
        ("sue", "approve"),
        ("ana", "propose"),
    ]
    assert {e.actor for e in query(store, action="read.alert")} == {"ana", "sue"}
    assert [e.actor for e in query(store, action="ingest")] == ["ana"]
