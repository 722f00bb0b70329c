"""The pages' defences: security headers and a policy that allows only our own script and
style, a CSRF token on every form checked on every POST, failed sign-ins and token checks
rate-limited per address, and numbers out of bounds refused as the user's error."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.web.test_pages import form_token, queue_one, sign_in
from watchkeeper.service.headers import POLICY
from watchkeeper.service.throttle import FAILURES, WINDOW, Throttle
from watchkeeper.web import TEMPLATES, csrf

BEYOND = str(2**64)


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    page = client.get("/web/signin")
    assert page.headers["content-security-policy"] == POLICY
    assert "frame-ancestors 'none'" in POLICY and "script-src 'self'" in POLICY
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    api = client.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in api.headers  # nor on /docs, which needs a CDN


def test_templates_need_no_inline_script_or_style() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", text), template.name


def test_every_form_that_posts_carries_the_sessions_csrf_token(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = form_token(client)
    sign_in(client, tokens["ana"])
    value = client.cookies[csrf.COOKIE]
    assert value != before  # a new session, a new token
    page = client.get(f"/web/alerts/{queue_one(client, tokens)}").text
    forms = re.findall(r'<form[^>]*method="post".*?</form>', page, flags=re.S)
    assert len(forms) >= 4  # assign, decide, comment, sign out
    for form in forms:
        assert f'<input type="hidden" name="csrf" value="{value}">' in form


@pytest.mark.parametrize("sent", [None, "", "x" * 43])
def test_a_post_without_the_csrf_token_is_refused(
    client: TestClient, tokens: dict[str, str], sent: str | None
) -> None:
    alert_id = queue_one(client, tokens)
    sign_in(client, tokens["ana"])
    data = {"text": "a note"} if sent is None else {"text": "a note", "csrf": sent}
    refused = client.post(f"/web/alerts/{alert_id}/comment", data=data)
    assert refused.status_code == 403 and "reload the page" in refused.text
    events = client.get(f"/alerts/{alert_id}", headers=auth(tokens["ana"])).json()["events"]
    assert events == []
    signed_in = client.post("/web/signin", data={"token": tokens["ana"]})
    assert signed_in.status_code == 403


def test_failed_sign_ins_are_rate_limited(client: TestClient, tokens: dict[str, str]) -> None:
    for _ in range(FAILURES):
        data = {"token": "wk_guess", "csrf": form_token(client)}
        assert client.post("/web/signin", data=data).status_code == 401
    data = {"token": tokens["ana"], "csrf": form_token(client)}
    refused = client.post("/web/signin", data=data)
    assert refused.status_code == 429 and "too many failed sign-ins" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= WINDOW
    api = client.get("/catalog", headers=auth(tokens["sam"]))  # the same address
    assert api.status_code == 429 and api.headers["retry-after"]


def test_failed_token_checks_are_rate_limited(client: TestClient, tokens: dict[str, str]) -> None:
    for _ in range(FAILURES):
        assert client.get("/catalog", headers=auth("wk_guess")).status_code == 401
    refused = client.get("/catalog", headers=auth(tokens["sam"]))
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= WINDOW
    assert client.get("/healthz").status_code == 200  # no token, no check


def test_the_window_slides() -> None:
    now = [1000.0]
    throttle = Throttle(failures=3, window=60, clock=lambda: now[0])
    for step in (0, 10, 20):
        now[0] = 1000.0 + step
        assert throttle.retry_after("10.0.0.1") is None
        throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 40  # the first failure leaves at 1060
    assert throttle.retry_after("10.0.0.2") is None  # per address
    now[0] = 1060.0
    assert throttle.retry_after("10.0.0.1") is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_risk": "99999999999"}, "Minimum risk must be between 0 and 1000000"),
        ({"min_risk": "-1"}, "Minimum risk must be between 0 and 1000000"),
        ({"min_risk": "nan"}, "Minimum risk must be between 0 and 1000000"),
        ({"page": BEYOND}, "Page must be between 1 and"),
    ],
)
def test_the_web_queue_out_of_bounds(
    client: TestClient, tokens: dict[str, str], params: dict[str, str], message: str
) -> None:
    sign_in(client, tokens["ana"])
    answer = client.get("/web/alerts", params=params)
    assert answer.status_code == 400 and message in answer.text
    assert client.get(f"/web/alerts/{BEYOND}").status_code == 422
