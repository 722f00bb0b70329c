"""The triage pages on real alerts: a UN-listed traveller and the GTAS sample whose crew
share passport numbers screened by the travel lane, a payment file by the finance lane and
an image by the images lane, each sent through the service as a client sends it; then the
grouped queue, a group opened, bulk decisions with reason codes under four-eyes, and the
alert page of each lane."""

import html
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from pytest import MonkeyPatch
from sqlalchemy import Engine, func, select

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from tests.web.test_pages import sign_in, signed
from watchkeeper.lanes.images.banks import BankEntry, add_entries, ensure_bank
from watchkeeper.lanes.images.hashing import hash_image
from watchkeeper.store.alerts import NewAlert, insert_alerts
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alerts
from watchkeeper.store.screened import ScreenedSubject
from watchkeeper.web import queue

TRAVEL = FIXTURES / "travel"
IMAGE = FIXTURES / "images" / "wee.jpg"
LISTED = "YASER KHALAF NAZZAL ALRAWI"
CREW = {  # Test1.txt: eight crew members, each with passport 123456789 (rule, weight 60)
    "Andrea Pat Steur",
    "Julie Pat Adomat",
    "Clifton Pat Nalek",
    "Costa Pat Meissener",
    "Melissa Pat Pelzing",
    "Kevin Pat Merfort",
    "Kari Pat Sautter",
    "Jaclyn Pat Zschieschak",
}
CODE = "different-date-of-birth"
SUBJECT = re.compile(r'<td class="subject">\s*<a href="/web/alerts/(\d+)">([^<]+)</a>')
GROUP = re.compile(r'name="group" value="(\d+):([^"]+)"')
ALERT = re.compile(r'name="alert" value="(\d+):(\d+)"')


def screen(client: TestClient, tokens: dict[str, str], store: Engine) -> None:
    """Send the inputs as a screener: two PAXLST messages, a payment file and an image that
    is in hash bank ``tv``."""
    sam = auth(tokens["sam"])
    for name in ("synthetic_paxlst_listed.edi", "Test1.txt"):
        answer = client.post("/travel/messages", content=(TRAVEL / name).read_bytes(), headers=sam)
        assert answer.status_code == 200, answer.text
    payments = FIXTURES / "payments" / "transactions_sample.csv"
    answer = client.post(
        "/lanes/finance/inputs",
        params={"filename": payments.name},
        content=payments.read_bytes(),
        headers=sam,
    )
    assert answer.status_code == 200, answer.text
    now = datetime.now(UTC)
    with store.begin() as conn:
        bank = ensure_bank(conn, "tv", now)
        add_entries(conn, bank, [BankEntry(hash_image(IMAGE).hash, "propaganda still", "TV", now)])
    answer = client.post(
        "/lanes/images/inputs",
        params={"filename": IMAGE.name, "banks": "tv"},
        content=IMAGE.read_bytes(),
        headers=sam,
    )
    assert answer.status_code == 200, answer.text


def subjects(page: str) -> list[tuple[int, str]]:
    """The queue's rows: each group's strongest alert and its subject, in order."""
    return [(int(a), html.unescape(name)) for a, name in SUBJECT.findall(page)]


def groups(page: str) -> dict[str, tuple[int, str]]:
    """Each row's subject to its tick box's value: (through, key)."""
    ticks = [(int(t), html.unescape(k)) for t, k in GROUP.findall(page)]
    names = [name for _, name in subjects(page)]
    assert len(ticks) == len(names)
    return dict(zip(names, ticks, strict=True))


def strongest(client: TestClient, name: str) -> int:
    """The strongest alert of ``name``'s group."""
    return dict((n, a) for a, n in subjects(client.get("/web/alerts").text))[name]


def test_each_subject_is_one_row_and_the_hits_come_first(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    screen(client, tokens, store)
    sign_in(client, tokens["ana"])
    page = client.get("/web/alerts")
    assert page.status_code == 200 and page.headers["vary"] == "HX-Request"
    rows = [name for _, name in subjects(page.text)]
    assert len(rows) == len(set(rows)) == 14  # one row per traveller, customer, image
    assert rows[:4] == ["wee.jpg", LISTED, "Abu Mohamed al-Adnani", "Hamid Rahimi"]  # hits
    assert rows[4] == "Marta Kowalska" and set(rows[5:13]) == CREW  # risk 80, then 60 each
    assert rows[13] == "Baltic Timber Trading SIA"  # rule risk 30: context only, last
    assert page.text.count("context only</div>") == 1
    assert "un-QDi.325 (ABOU MOHAMED AL ADNANI), score 0.99" in page.text
    by_flight = client.get("/web/alerts", params={"by": "flight"}, headers={"HX-Request": "1"})
    assert by_flight.text.startswith('<div id="queue"') and "<html" not in by_flight.text
    flights = groups(by_flight.text)
    assert {name: tick[1] for name, tick in flights.items() if tick[1].startswith("flight")} == {
        LISTED: "flight|XY123",
        next(iter(sorted(CREW & set(flights)))): "flight|UA0989",  # the crew: one row
    }
    assert "8 alerts" in by_flight.text
    for params, shown in (
        ({"kind": "rule"}, {"Marta Kowalska", "Hamid Rahimi", "Baltic Timber Trading SIA"} | CREW),
        ({"lane": "finance", "min_risk": "50"}, {"Marta Kowalska", "Hamid Rahimi"}),
        ({"kind": "image"}, {"wee.jpg"}),
        ({"state": "cleared"}, set()),
    ):
        found = client.get("/web/alerts", params=params)
        assert {name for _, name in subjects(found.text)} == shown, params
    bad = client.get("/web/alerts", params={"min_risk": "high"})
    assert bad.status_code == 400 and "Minimum risk must be a number" in bad.text
    bad = client.get("/web/alerts", params={"by": "colour"}, headers={"HX-Request": "1"})
    assert bad.status_code == 200 and "unknown grouping" in bad.text  # htmx swaps only 2xx
    [read] = query(store, action="read.queue", limit=1)  # the last read that was made
    filters = {"by": "subject", "sort": "score", "state": "cleared"}
    assert (read.actor, read.detail) == ("ana", {"filters": filters, "alerts": []})


def test_a_long_queue_pages(
    client: TestClient, tokens: dict[str, str], store: Engine, monkeypatch: MonkeyPatch
) -> None:
    screen(client, tokens, store)
    monkeypatch.setattr(queue, "QUEUE_LIMIT", 5)
    sign_in(client, tokens["ana"])
    first = client.get("/web/alerts")
    assert "Groups 1 to 5," in first.text and 'rel="prev"' not in first.text
    assert 'href="/web/alerts?by=subject&amp;sort=score&amp;page=2" rel="next"' in first.text
    last = client.get("/web/alerts", params={"page": "3"})
    assert "Groups 11 to 14," in last.text and 'rel="next"' not in last.text
    assert [name for _, name in subjects(last.text)][-1] == "Baltic Timber Trading SIA"
    bad = client.get("/web/alerts", params={"page": "0"})
    assert bad.status_code == 400 and "Page must be between 1 and" in bad.text


def test_a_group_opens_to_its_alerts(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    screen(client, tokens, store)
    sign_in(client, tokens["ana"])
    _, key = groups(client.get("/web/alerts").text)["Marta Kowalska"]
    params = {"key": key, "by": "subject"}
    rows = client.get("/web/alerts/group", params=params, headers={"HX-Request": "1"})
    assert rows.text.startswith('<table class="members-table">')
    assert len(ALERT.findall(rows.text)) == 4 and rows.text.count("<td>rule</td>") == 4
    reasons = re.findall(r'<td class="reason">([^<]*)</td>', rows.text)
    assert "in excess of 10,000 EUR per month" in reasons[0]  # the heaviest rule first
    page = client.get("/web/alerts/group", params=params)
    assert "<html" in page.text and "Back to the queue" in page.text
    [read] = query(store, action="read.group", limit=1)
    assert read.actor == "ana" and read.detail["key"] == key  # type: ignore[index]


def test_bulk_decisions_need_a_reason_code_and_keep_four_eyes(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    screen(client, tokens, store)
    sign_in(client, tokens["ana"])
    rows = groups(client.get("/web/alerts").text)
    ticked = [f"{t}:{k}" for t, k in (rows[LISTED], rows["Andrea Pat Steur"])]
    decide = {"action": "decide", "decision": "cleared", "comment": "born 1965, not him"}
    refused = client.post("/web/alerts/bulk", data=signed(client, {**decide, "group": ticked[0]}))
    assert refused.status_code == 400 and "choose a decision and a reason code" in refused.text
    unknown = client.post(
        "/web/alerts/bulk",
        data=signed(client, {**decide, "group": ticked[0], "reason_code": "looks fine"}),
    )
    assert unknown.status_code == 400 and "unknown reason code" in unknown.text
    done = client.post(
        "/web/alerts/bulk", data=signed(client, {**decide, "group": ticked, "reason_code": CODE})
    )
    assert done.status_code == 200
    listed, crew = rows[LISTED][0], rows["Andrea Pat Steur"][0]
    moved = (
        f'alert {listed}</a> to pending, <a href="/web/alerts/{crew}">alert {crew}</a> to cleared'
    )
    assert moved in done.text  # the UN alert waits for a second person; the rule hit is done
    assert "Andrea Pat Steur" not in [n for _, n in subjects(done.text)]  # nothing left to work
    again = client.post(
        "/web/alerts/bulk", data=signed(client, {**decide, "group": ticked[1], "reason_code": CODE})
    )
    assert again.status_code == 400 and "has no alert left to work" in again.text
    sign_in(client, tokens["bob"])  # another analyst may not approve
    version = client.get(f"/alerts/{listed}", headers=auth(tokens["bob"])).json()["version"]
    tick = {"alert": f"{listed}:{version}", "reason_code": CODE}
    bob = client.post("/web/alerts/bulk", data=signed(client, {**decide, **tick}))
    assert "Not moved:" in bob.text and "may not approve" in bob.text
    sign_in(client, tokens["sue"])
    sue = client.post(
        "/web/alerts/bulk", data=signed(client, {**decide, **tick, "comment": "agreed"})
    )
    assert f"alert {listed}</a> to cleared" in sue.text and "Not moved" not in sue.text
    history = client.get(f"/web/alerts/{listed}").text
    assert history.count(f"<td>{CODE}</td>") == 2  # the proposal and the approval
    decided = query(store, action="decide")
    assert {(e.actor, e.detail["event"]) for e in decided} == {  # type: ignore[index]
        ("ana", "propose"),
        ("ana", "state"),
        ("sue", "approve"),
    }
    assert {e.actor for e in query(store, action="bulk.decide")} == {"ana", "bob", "sue"}


def test_bulk_assign_takes_the_ticked_alerts(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    screen(client, tokens, store)
    sign_in(client, tokens["bob"])
    through, key = groups(client.get("/web/alerts").text)["Marta Kowalska"]
    rows = client.get("/web/alerts/group", params={"key": key}, headers={"HX-Request": "1"})
    ticks = [f"{a}:{v}" for a, v in ALERT.findall(rows.text)][:2]
    answer = client.post(
        "/web/alerts/bulk", data=signed(client, {"action": "assign", "alert": ticks})
    )
    assert answer.text.count(" to in_review") == 2
    stale = client.post(
        "/web/alerts/bulk", data=signed(client, {"action": "assign", "alert": ticks[0]})
    )
    assert "Not moved:" in stale.text and "changed after you read it" in stale.text
    whole = client.post(
        "/web/alerts/bulk", data=signed(client, {"action": "assign", "group": f"{through}:{key}"})
    )
    assert whole.status_code == 200 and whole.text.count(" to in_review") == 4
    assert [e.actor for e in query(store, action="bulk.assign")] == ["bob"] * 3


def test_the_travel_alert_shows_only_its_travellers_segments(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    screen(client, tokens, store)
    sign_in(client, tokens["ana"])
    listed = client.get(f"/web/alerts/{strongest(client, LISTED)}").text
    assert '<mark id="segment">NAD+FL+++ALRAWI:YASER:KHALAF:NAZZAL&#39;</mark>' in listed
    assert "NAD+FL+++HOLLOWAY" not in listed and 'src="/static/alert.js"' in listed
    assert "Al-Qaida" in listed and "2014-08-15" in listed and "spokesman" in listed
    assert (
        'href="/web/entities/un/un-QDi.325"' in listed and "listed now as when it matched" in listed
    )
    crew = client.get(f"/web/alerts/{strongest(client, 'Andrea Pat Steur')}").text
    assert '<mark id="segment">DOC+P:1812019+123456789&#39;</mark>' in crew
    assert "NAD+FM+++Steur:Andrea:Pat" in crew and "NAD+FM+++Adomat" not in crew
    assert "shared-document: The same document number is used under another name" in crew
    assert "<dt>Weight</dt><dd>60</dd>" in crew and "<dd>60, the weights" in crew
    assert {e.detail["part"] for e in query(store, action="read.input")} == {"input"}  # type: ignore[index]


def test_the_finance_alert_shows_the_payment(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    screen(client, tokens, store)
    sign_in(client, tokens["ana"])
    hit = client.get(f"/web/alerts/{strongest(client, 'Abu Mohamed al-Adnani')}").text
    assert "Payment T007 (line 8)" in hit and '<td class="amount">2,500.00 EUR</td>' in hit
    assert "creditor <strong>(screened)</strong></td>\n      <td>Abu Mohamed al-Adnani" in hit
    assert "<td>Hamid Rahimi</td>" in hit and "SY021010000000000001234567" in hit
    rule = client.get(f"/web/alerts/{strongest(client, 'Marta Kowalska')}").text
    assert rule.count('<td class="amount">4,000.00 EUR</td>') == 3
    assert "<dd>80, the weights of the distinct rules that hit this customer" in rule


def test_the_image_alert_shows_its_bank_entry_and_the_kept_image(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    screen(client, tokens, store)
    sign_in(client, tokens["ana"])
    alert_id = strongest(client, "wee.jpg")
    page = client.get(f"/web/alerts/{alert_id}").text
    assert "<dt>Label</dt><dd>propaganda still</dd>" in page and "<dd>TV</dd>" in page
    assert hash_image(IMAGE).hash in page and "0 bits, at most 31 allowed" in page
    assert f'<img class="thumbnail" src="/web/alerts/{alert_id}/image"' in page
    image = client.get(f"/web/alerts/{alert_id}/image")
    assert (image.status_code, image.headers["content-type"]) == (200, "image/jpeg")
    assert image.content == IMAGE.read_bytes() and image.headers["cache-control"] == "no-store"
    assert len(query(store, action="read.input", actor="ana")) == 2  # the page, the image
    none = client.get(f"/web/alerts/{strongest(client, LISTED)}/image")
    assert none.status_code == 404
    sign_in(client, tokens["sam"])
    assert client.get(f"/web/alerts/{alert_id}/image").status_code == 403


def test_the_document_alert_marks_each_mention(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    news = FIXTURES / "documents" / "news_listed.txt"
    answer = client.post(
        "/lanes/documents/inputs",
        params={"filename": news.name},
        content=news.read_bytes(),
        headers=auth(tokens["sam"]),
    )
    assert answer.status_code == 200, answer.text
    sign_in(client, tokens["ana"])
    rows = client.get("/web/alerts").text
    assert [name for _, name in subjects(rows)] == [news.name]  # one row: the document
    _, key = groups(rows)[news.name]
    members = client.get("/web/alerts/group", params={"key": key}, headers={"HX-Request": "1"})
    pages = [client.get(f"/web/alerts/{a}").text for a, _ in ALERT.findall(members.text)]
    assert len(pages) == 2  # two listed names in the text
    marked = {
        m for page in pages for m in re.findall(r"<blockquote>[^<]*<mark>([^<]+)</mark>", page)
    }
    assert "Ayman al-Zawahiri" in marked
    assert all(f"{news.name} (text)" in page for page in pages)


def test_the_other_listings_of_one_person_are_on_the_alert(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    others = [{"list": "ofac", "entity_id": "ofac-17066", "score": 0.93, "reason": "name match"}]
    found = NewAlert(
        "finance",
        "watchlist",
        ScreenedSubject("Person", ("Abu Mohamed al-Adnani",)),
        "name match un-QDi.325 (also listed: ofac ofac-17066)",
        list_name="un",
        entity_id="un-QDi.325",
        score=0.97,
        explanation={"other_listings": others, "role": "creditor"},
    )
    with store.begin() as conn:
        insert_alerts(conn, [found], None, None, datetime.now(UTC))
        alert_id = conn.execute(select(func.max(alerts.c.id))).scalar_one()
    sign_in(client, tokens["ana"])
    page = client.get(f"/web/alerts/{alert_id}").text
    assert '<a href="/web/entities/ofac/ofac-17066">ofac ofac-17066</a>' in page
    assert "matched too with score 0.93: name match" in page
    assert "screened without its input being kept" in page  # no payment file was kept
    assert "{&#39;" not in page and "[{" not in page  # no Python repr of the explanation
