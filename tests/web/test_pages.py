"""The analyst pages through FastAPI's TestClient: sign-in, alert, four-eyes, lists, search
and upload (the triage queue: ``test_triage_pages``)."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from watchkeeper.matching.weights import W_NAME_EXACT
from watchkeeper.store.audit import query
from watchkeeper.web import csrf
from watchkeeper.web.common import COOKIE

LISTED = FIXTURES / "travel" / "synthetic_paxlst_listed.edi"
CODE = "different-date-of-birth"  # a reason code the decision forms require


def form_token(client: TestClient) -> str:
    """The CSRF value the pages put in their forms: the one of the client's cookie."""
    if csrf.COOKIE not in client.cookies:
        client.get("/web/signin")
    return client.cookies[csrf.COOKIE]


def signed(client: TestClient, data: dict[str, str]) -> dict[str, str]:
    """Form data with the CSRF value, as the pages' forms send it."""
    return {**data, "csrf": form_token(client)}


def sign_in(client: TestClient, token: str) -> None:
    """Sign in through the form; the client keeps the cookie."""
    data = {"token": token, "csrf": form_token(client)}
    answer = client.post("/web/signin", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def queue_one(client: TestClient, tokens: dict[str, str]) -> int:
    """Screen the manifest with one listed traveller; the id of its alert."""
    answer = client.post(
        "/travel/messages", content=LISTED.read_bytes(), headers=auth(tokens["sam"])
    )
    assert answer.status_code == 200
    [alert] = client.get("/alerts", headers=auth(tokens["ana"])).json()["results"]
    alert_id: int = alert["id"]
    return alert_id


def test_signed_out_users_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/web/alerts", "/web/alerts/1", "/web/lists", "/web/search", "/web/upload"):
        answer = client.get(path, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, "/web/signin"), path
    fragment = client.get("/web/alerts", headers={"HX-Request": "true"}, follow_redirects=False)
    assert (fragment.status_code, fragment.headers["hx-redirect"]) == (401, "/web/signin")


def test_sign_in_sets_a_strict_httponly_cookie_and_sign_out_clears_it(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    bad = client.post("/web/signin", data={"token": "wk_not-a-token", "csrf": form_token(client)})
    assert bad.status_code == 401 and "not valid" in bad.text and COOKIE not in client.cookies
    data = {"token": tokens["ana"], "csrf": form_token(client)}
    good = client.post("/web/signin", data=data, follow_redirects=False)
    assert (good.status_code, good.headers["location"]) == (303, "/web/alerts")
    cookie = next(c for c in good.headers.get_list("set-cookie") if c.startswith(COOKIE)).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    page = client.get("/web/alerts")
    assert page.status_code == 200 and "Signed in as <strong>ana</strong>" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert client.get("/web/signin", follow_redirects=False).headers["location"] == "/web/alerts"
    assert [e.actor for e in query(store, action="signin")] == ["ana"]
    client.post("/web/signout", data={"csrf": form_token(client)})
    assert client.get("/web/alerts", follow_redirects=False).status_code == 303


def test_screeners_land_on_search_and_may_not_read_the_queue(
    client: TestClient, tokens: dict[str, str]
) -> None:
    data = {"token": tokens["sam"], "csrf": form_token(client)}
    answer = client.post("/web/signin", data=data, follow_redirects=False)
    assert answer.headers["location"] == "/web/search"
    refused = client.get("/web/alerts")
    assert refused.status_code == 403 and "may not read alerts" in refused.text


def test_the_alert_page_shows_both_sides_the_explanation_and_the_input(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    alert_id = queue_one(client, tokens)
    sign_in(client, tokens["ana"])
    page = client.get(f"/web/alerts/{alert_id}")
    assert page.status_code == 200
    text = page.text
    assert "YASER KHALAF NAZZAL ALRAWI" in text  # the screened subject
    assert "ABOU MOHAMED AL ADNANI" in text and "Yaser Khalaf Nazzal Alrawi" in text  # listed
    assert "1977-01-01" in text and "A7730218" in text and "IQ" in text
    assert "name_exact" in text and "all tokens equal" in text and f"+{W_NAME_EXACT:.3f}" in text
    assert "<td>khalaf</td><td>khalaf</td>" in text  # the aligned name tokens
    assert '<mark id="segment">NAD+FL+++ALRAWI:YASER:KHALAF:NAZZAL&#39;</mark>' in text
    assert text.count("<mark") == 1 and "NAD+FL+++HOLLOWAY" not in text  # his segments only
    reads = sorted((e.actor, str(e.detail)) for e in query(store, action="read.alert"))
    assert reads == [("ana", "None"), ("ana", "{'part': 'context'}")]  # the alert, its listing
    assert [e.actor for e in query(store, action="read.input")] == ["ana"]
    missing = client.get("/web/alerts/9999")
    assert missing.status_code == 404 and "no alert 9999" in missing.text


def test_four_eyes_through_the_forms(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    alert_id = queue_one(client, tokens)
    url = f"/web/alerts/{alert_id}"
    sign_in(client, tokens["ana"])
    assigned = client.post(f"{url}/assign", data=signed(client, {}), follow_redirects=False)
    assert (assigned.status_code, assigned.headers["location"]) == (303, url)
    no_reason = client.post(
        f"{url}/decide",
        data=signed(client, {"state": "cleared", "comment": " ", "reason_code": CODE}),
    )
    assert no_reason.status_code == 400 and "needs a comment saying why" in no_reason.text
    noted = client.post(f"{url}/comment", data=signed(client, {"text": "<b>born 1965</b>"}))
    assert "&lt;b&gt;born 1965&lt;/b&gt;" in noted.text and "<b>born" not in noted.text
    proposed = client.post(
        f"{url}/decide",
        data=signed(client, {"state": "cleared", "comment": "not him", "reason_code": CODE}),
    )
    assert 'id="alert-state">pending<' in proposed.text
    assert "Approve: cleared" not in proposed.text  # ana may not approve her own proposal
    sign_in(client, tokens["bob"])
    refused = client.post(
        f"{url}/decide",
        data=signed(client, {"state": "cleared", "comment": "ok", "reason_code": CODE}),
    )
    assert refused.status_code == 403 and "may not approve" in refused.text
    assert 'id="alert-state">pending<' in refused.text
    sign_in(client, tokens["sue"])
    page = client.get(url)
    assert "Approve: cleared" in page.text and "Send back for review" in page.text
    approved = client.post(
        f"{url}/decide",
        data=signed(client, {"state": "cleared", "comment": "agreed", "reason_code": CODE}),
    )
    assert 'id="alert-state">cleared<' in approved.text and "its decision is final" in approved.text
    history = client.get(f"/alerts/{alert_id}", headers=auth(tokens["ana"])).json()["events"]
    assert [(e["actor"], e["action"]) for e in history] == [
        ("ana", "assign"),
        ("ana", "comment"),
        ("ana", "propose"),
        ("sue", "approve"),
    ]
    assert {e.actor for e in query(store, action="decide")} == {"ana", "sue"}


def test_the_lists_page(client: TestClient, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["sam"])
    page = client.get("/web/lists")
    assert page.status_code == 200
    assert '<th scope="row"><a href="/web/lists/un/versions">un</a></th>' in page.text
    assert "un-xml" in page.text
    assert "1003" in page.text and "3282" in page.text and "version 1" in page.text


def test_the_search_page(client: TestClient, tokens: dict[str, str], store: Engine) -> None:
    sign_in(client, tokens["sam"])
    assert "Nothing found" not in client.get("/web/search").text
    page = client.get(
        "/web/search", params={"q": "Abu Mohammed al-Adnani", "dataset": "un", "schema": "Person"}
    )
    assert page.status_code == 200 and "un-QDi.325" in page.text
    assert re.search(r'<td class="num">(0\.\d\d|1\.00)</td>', page.text)
    [searched] = query(store, action="search")
    assert searched.actor == "sam" and "un-QDi.325" in searched.detail["results"]  # type: ignore[index]
    unknown = client.get("/web/search", params={"q": "x", "dataset": "nope"})
    assert unknown.status_code == 400 and "no dataset" in unknown.text


def test_the_upload_page(client: TestClient, tokens: dict[str, str], store: Engine) -> None:
    sign_in(client, tokens["ana"])
    assert 'enctype="multipart/form-data"' in client.get("/web/upload").text
    files = {"file": ("listed.edi", LISTED.read_bytes(), "application/edifact")}
    page = client.post("/web/upload", files=files, data=signed(client, {"dataset": "default"}))
    assert page.status_code == 200
    assert "listed.edi: 1 message, 1 new alert" in page.text
    assert "flight XY123 IST to LHR" in page.text and "HOLLOWAY" in page.text
    [link] = re.findall(r'<a href="/web/alerts/(\d+)">', page.text)
    assert client.get(f"/web/alerts/{link}").status_code == 200
    assert [e.actor for e in query(store, action="ingest")] == ["ana"]
    again = client.post("/web/upload", files=files, data=signed(client, {"dataset": "default"}))
    assert again.status_code == 200 and "listed.edi: 1 message, 1 alert</h2>" in again.text
    assert "Already received on" in again.text and "nothing new was stored" in again.text
    assert re.findall(r'<a href="/web/alerts/(\d+)">', again.text) == [link]
    bad = (FIXTURES / "travel" / "pnrBadFormat.txt").read_bytes()
    refused = client.post(
        "/web/upload", files={"file": ("bad.txt", bad, "text/plain")}, data=signed(client, {})
    )
    assert refused.status_code == 422 and "segment 28" in refused.text


def test_a_decision_overtaken_by_another_reviewer_is_shown_not_saved(
    client: TestClient, tokens: dict[str, str]
) -> None:
    alert_id = queue_one(client, tokens)
    url = f"/web/alerts/{alert_id}"
    sign_in(client, tokens["ana"])
    [version] = set(re.findall(r'name="version" value="(\d+)"', client.get(url).text))
    taken = client.post(
        f"/alerts/{alert_id}/assign", json={"assignee": "bob"}, headers=auth(tokens["bob"])
    )
    assert taken.json()["version"] == int(version) + 1
    late = client.post(
        f"{url}/decide",
        data=signed(
            client,
            {"state": "cleared", "comment": "not him", "version": version, "reason_code": CODE},
        ),
    )
    assert late.status_code == 409 and "changed after you read it" in late.text
    assert 'id="alert-state">in_review<' in late.text and "not him" in late.text  # the draft
    assert f'name="version" value="{int(version) + 1}"' in late.text  # to decide again
    history = client.get(f"/alerts/{alert_id}", headers=auth(tokens["ana"])).json()["events"]
    assert [(e["actor"], e["action"]) for e in history] == [("bob", "assign")]
