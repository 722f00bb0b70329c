"""Triage end to end in headless Chromium against a real server: an analyst groups the
queue by flight, opens the crew's flight, clears it in bulk with a reason code and proposes
to clear the UN-listed traveller's alert; a supervisor approves that four-eyes decision.

With ``WATCHKEEPER_SCREENSHOTS=1`` the queue and a travel alert are saved to
docs/screenshots/ (queue.png, alert-travel.png) at 1280 by 800."""

import os
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from tests.api.conftest import auth, served
from tests.conftest import CHROMIUM, FIXTURES, ROOT
from tests.web.accessibility import assert_accessible
from watchkeeper.service.app import create_app
from watchkeeper.settings import Settings
from watchkeeper.store.audit import query

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra")
SHOTS = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800


@pytest.fixture
def server(
    settings: Settings, store: Engine, tokens: dict[str, str], ready: Callable[[FastAPI], None]
) -> Iterator[str]:
    """The service on uvicorn in a thread, with the travel and finance samples screened by
    a screener; its base URL."""
    app = create_app(settings, background=False)
    ready(app)
    with served(app) as port:
        base = f"http://127.0.0.1:{port}"
        sam = auth(tokens["sam"])
        for name in ("synthetic_paxlst_listed.edi", "Test1.txt"):
            body = (FIXTURES / "travel" / name).read_bytes()
            assert httpx.post(f"{base}/travel/messages", content=body, headers=sam).is_success
        payments = FIXTURES / "payments" / "transactions_sample.csv"
        answer = httpx.post(
            f"{base}/lanes/finance/inputs",
            params={"filename": payments.name},
            content=payments.read_bytes(),
            headers=sam,
        )
        assert answer.is_success, answer.text
        yield base


def test_bulk_triage_by_flight_and_four_eyes(
    server: str, tokens: dict[str, str], store: Engine, browser: "sync_api.Browser"
) -> None:
    shoot = os.environ.get("WATCHKEEPER_SCREENSHOTS") == "1"

    def snap(page: "sync_api.Page", name: str) -> None:
        if shoot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"{name}.png", full_page=name != "queue")

    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    expect = sync_api.expect

    def sign_in(user: str) -> None:
        page.goto(f"{server}/web/alerts")
        page.get_by_label("API token").fill(tokens[user])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text(f"Signed in as {user}")).to_be_visible()

    sign_in("ana")
    queue = page.locator("#queue")
    expect(queue).to_contain_text("YASER KHALAF NAZZAL ALRAWI")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= WIDTH  # the reasons wrap: nothing is cut or scrolled sideways
    assert_accessible(page)
    snap(page, "queue")
    page.get_by_label("Group by").select_option("flight")  # htmx swaps the table alone
    expect(page).to_have_url(
        f"{server}/web/alerts?by=flight&sort=score&kind=&lane=&state=&min_risk="
    )
    crew = page.locator("tbody.group", has_text="UA0989")
    crew.get_by_role("link", name="8 alerts").click()
    expect(crew.locator(".members-table tbody tr")).to_have_count(8)
    assert_accessible(page)  # the queue grouped by flight, a group open
    crew.get_by_label("Tick UA0989").check()
    page.locator("tbody.group", has_text="XY123").get_by_label("Tick XY123").check()
    page.get_by_label("Decision").select_option("cleared")
    page.get_by_label("Reason code").select_option("false-positive-name-only")
    page.get_by_label("Comment").fill("Crew on the airline's test passport; not the listed man.")
    page.get_by_role("button", name="Decide", exact=True).click()
    result = page.locator(".result")
    expect(result).to_contain_text("to pending")  # the UN hit waits for a supervisor
    assert result.inner_text().count("to cleared") == 8
    page.get_by_label("Group by").select_option("subject")
    expect(queue).not_to_contain_text("Andrea Pat Steur")  # cleared: nothing left to work
    queue.get_by_role("link", name="YASER KHALAF NAZZAL ALRAWI").click()
    expect(page.locator("#alert-state")).to_have_text("pending")
    expect(page.locator("mark#segment")).to_contain_text("NAD+FL+++ALRAWI")
    expect(page.locator("#segments")).not_to_contain_text("HOLLOWAY")
    assert_accessible(page)
    snap(page, "alert-travel")
    alert_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in("sue")
    page.goto(alert_url)
    page.get_by_label("Reason code (required)").select_option("false-positive-name-only")
    page.get_by_label("Comment (required)").fill("Agreed: born 1965, not the listed man.")
    page.get_by_role("button", name="Approve: cleared").click()
    expect(page.locator("#alert-state")).to_have_text("cleared")
    expect(page.locator("#history")).to_be_visible()
    assert_accessible(page)
    page.close()

    bulk = query(store, action="bulk.decide")  # one per group ticked
    assert {e.actor for e in bulk} == {"ana"}
    assert sorted(len(e.detail["done"]) for e in bulk) == [1, 8]  # type: ignore[index, arg-type]
    decided = query(store, action="decide", actor="sue")
    assert [e.detail["event"] for e in decided] == ["approve"]  # type: ignore[index]
