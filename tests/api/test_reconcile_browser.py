"""The acceptance test of CORS: a page of another origin, in headless Chromium, reads the
manifest of ``/reconcile/un`` with ``fetch`` and sends a batch of queries with its token
(a preflighted request: the ``Authorization`` header).

The page comes from a second server on loopback, another port and so another origin, as
OpenRefine's own (``http://127.0.0.1:3333``) would: Chrome lets no page of a public origin
call a loopback address at all (Local Network Access), whatever the CORS headers say."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.conftest import CHROMIUM

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra")

FETCH = """async ([base, token]) => {
    const manifest = await (await fetch(base + "/reconcile/un")).json();
    const body = new URLSearchParams({queries: JSON.stringify({q0: {query: "Ayman al-Zawahiri"}})});
    const answer = await fetch(base + "/reconcile/un", {
        method: "POST", body, headers: {Authorization: "Bearer " + token},
    });
    return {name: manifest.name, status: answer.status, results: await answer.json()};
}"""


class Page(BaseHTTPRequestHandler):
    """An empty page, whatever the path."""

    def do_GET(self) -> None:
        body = b"<!DOCTYPE html><html><body>refine</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def other_origin() -> Iterator[str]:
    """The address of a page on another origin."""
    pages = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=pages.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{pages.server_address[1]}/refine"
    pages.shutdown()
    pages.server_close()


def test_a_page_of_another_origin_reads_the_service(
    server: int, other_origin: str, tokens: dict[str, str], browser: "sync_api.Browser"
) -> None:
    base = f"http://127.0.0.1:{server}"
    page = browser.new_page()
    page.goto(other_origin)
    found: dict[str, Any] = page.evaluate(FETCH, [base, tokens["sam"]])
    page.close()
    assert found["name"] == "watchkeeper: un"
    assert found["status"] == 200
    assert found["results"]["q0"]["result"][0]["id"] == "un-QDi.006"
