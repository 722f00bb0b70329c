"""The overview pages through FastAPI's TestClient, on the bundled UN list and alerts that
the travel lane raised from real messages: entity, flight, dashboard, hash banks, partners,
list versions, users and search, who may see each, and the out-of-date list banner."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from tests.api.conftest import auth
from tests.conftest import FIXTURES
from tests.store.test_diff import _edited_un_list
from tests.web.test_pages import queue_one, sign_in
from watchkeeper.auth import Actor, create_token, create_user
from watchkeeper.lanes.images.banks import BankEntry, add_entries, ensure_bank
from watchkeeper.review import workflow
from watchkeeper.sharing.config import save_partner
from watchkeeper.sources import get_source
from watchkeeper.store import load_source
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alerts, list_versions, travel_messages
from watchkeeper.web import csrf

LISTED = FIXTURES / "travel" / "synthetic_paxlst_listed.edi"
PNR = FIXTURES / "travel" / "synthetic_pnr_oneway_cash.edi"
LISTED_HASH = "cfb2009ddd21c6dab0846a7745b5984757a8a4535b3377aea2591d32b33ff840"  # q0122.jpg
ADNANI = "/web/entities/un/un-QDi.325"
CELL = r"<t[hd][^>]*>(.*?)</t[hd]>"
CHART = '<svg xmlns="http://www.w3.org/2000/svg" role="img"'


def admin_token(store: Engine) -> str:
    """A token of ``ada``, the administrator."""
    create_user(store, "ada", "admin")
    return create_token(store, "ada")[1]


def screen_pnr(client: TestClient, tokens: dict[str, str], store: Engine) -> list[int]:
    """Screen the PNR of two travellers buying a late one-way ticket in cash: the ids of
    its two rule alerts."""
    answer = client.post("/travel/messages", content=PNR.read_bytes(), headers=auth(tokens["sam"]))
    assert answer.status_code == 200, answer.text
    return rule_alerts(store)


def rule_alerts(store: Engine) -> list[int]:
    """The ids of the rule alerts, oldest first."""
    found = select(alerts.c.id).where(alerts.c.kind == "rule").order_by(alerts.c.id)
    with store.connect() as conn:
        return [int(i) for i in conn.execute(found).scalars()]


def message_ids(store: Engine) -> list[int]:
    """The stored travel messages, oldest first."""
    with store.connect() as conn:
        return [int(i) for i in conn.execute(select(travel_messages.c.id).order_by("id")).scalars()]


def add_bank(store: Engine, at: datetime) -> None:
    """A hash bank of one poster, from a partner's bank file."""
    with store.begin() as conn:
        bank = ensure_bank(conn, "posters", at, max_distance=31)
        add_entries(conn, bank, [BankEntry(LISTED_HASH, "recruitment poster", "partner-x", at)])


def load_age(store: Engine, days: float) -> None:
    """Make the UN list's version loaded ``days`` days ago."""
    with store.begin() as conn:
        conn.execute(
            update(list_versions).values(loaded_at=datetime.now(UTC) - timedelta(days=days))
        )


def decide(store: Engine, un_alert: int, rules: list[int]) -> None:
    """Ana proposes to clear the UN alert and Sue approves (four-eyes); Bob confirms the
    first rule alert; the second waits."""
    ana, bob, sue = Actor("ana", "analyst"), Actor("bob", "analyst"), Actor("sue", "supervisor")
    workflow.decide(store, ana, un_alert, "cleared", "The listed man died in 2016.")
    workflow.decide(store, sue, un_alert, "cleared", "Agreed: date of death on the notice.")
    workflow.decide(store, bob, rules[0], "confirmed", "Same pattern as last month.")


def cells(html: str, caption: str) -> list[list[str]]:
    """The rows of the table captioned ``caption`` (its start), each cell's text."""
    table = html[html.index(f"<caption>{caption}") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(CELL, row, re.S)] for row in rows
    ]


def test_the_entity_page_shows_the_listing_its_versions_and_the_alerts_on_it(
    client: TestClient, tokens: dict[str, str], store: Engine, tmp_path: Path, un_xml_bytes: bytes
) -> None:
    alert_id = queue_one(client, tokens)
    sign_in(client, tokens["ana"])
    page = client.get(ADNANI)
    assert page.status_code == 200 and "<h1>ABOU MOHAMED AL ADNANI</h1>" in page.text
    assert "listed in the active version (1)" in page.text
    assert "<dt>References</dt><dd>QDi.325</dd>" in page.text
    assert "<dt>Programmes</dt><dd>Al-Qaida</dd>" in page.text
    assert f'<a href="/web/alerts/{alert_id}">Alert {alert_id}</a>' in page.text
    properties = dict((row[0], row[1]) for row in cells(page.text, "Person un-QDi.325")[1:])
    assert properties["Birth date"] == "1977" and properties["Nationality"] == "Iraq"
    assert [r[0] for r in cells(page.text, "Whether each version held")[1:]] == ["1 (active)"]
    [read] = query(store, action="read.entity")
    assert (read.actor, read.target_id) == ("ana", "un-QDi.325")

    edited = _edited_un_list(un_xml_bytes, tmp_path / "v2.xml")
    load_source(store, get_source("un-xml", edited), "un", origin="edited", raw_dir=None)
    gone = client.get(ADNANI)
    assert "no longer listed" in gone.text and "shown as version 1 held it" in gone.text
    versions = cells(gone.text, "Whether each version held")[1:]
    assert [(r[0], r[3]) for r in versions] == [("2 (active)", "not listed"), ("1", "first listed")]
    changed = client.get("/web/entities/un/un-QDi.318")
    [v2, _] = cells(changed.text, "Whether each version held")[1:]
    assert v2[3] == "changed" and "Alias" in v2[4] and "Junior" in v2[4]

    missing = client.get("/web/entities/un/un-QDi.000")
    assert missing.status_code == 404 and "no entity" in missing.text
    sign_in(client, tokens["sam"])
    refused = client.get(ADNANI)
    assert refused.status_code == 403 and "needs analyst" in refused.text


def test_the_flight_page_shows_legs_travellers_risk_and_links_to_alerts(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    alert_id = queue_one(client, tokens)
    rules = screen_pnr(client, tokens, store)
    manifest, pnr = message_ids(store)
    sign_in(client, tokens["ana"])
    page = client.get(f"/web/flights/{manifest}")
    assert page.status_code == 200 and "<h1>Flight XY123</h1>" in page.text
    assert cells(page.text, "Legs")[1] == [
        "XY123",
        "IST",
        "LHR",
        "2026-03-02 09:05",
        "2026-03-02 11:10",
        "",
    ]
    travellers = cells(page.text, "10 travellers, 1 with alerts")[1:]
    [alrawi] = [t for t in travellers if t[0] == "YASER KHALAF NAZZAL ALRAWI"]
    assert alrawi[1:5] == ["passenger", "1977-01-01", "IRQ", "A7730218"] and alrawi[7] == "0.0"
    assert f'<a href="/web/alerts/{alert_id}">Alert {alert_id}</a>' in page.text
    assert f'<a href="{ADNANI}">un un-QDi.325</a>' in page.text

    booking = client.get(f"/web/flights/{pnr}")
    rows = {r[0]: r for r in cells(booking.text, "2 travellers, 2 with alerts")[1:]}
    assert set(rows) == {"MEHMET KARAMAN", "AYSE KARAMAN"}
    assert rows["AYSE KARAMAN"][5:7] == ["Q7WK2M", "14B"]
    assert all(float(row[7]) > 0 and "rule late-one-way-cash" in row[8] for row in rows.values())
    for rule in rules:
        assert f'<a href="/web/alerts/{rule}">Alert {rule}</a>' in booking.text
    assert [e.target_id for e in query(store, action="read.flight")] == [str(pnr), str(manifest)]

    assert client.get("/web/flights/999").status_code == 404
    assert client.get("/web/flights/0").status_code == 422
    sign_in(client, tokens["sam"])
    assert client.get(f"/web/flights/{manifest}").status_code == 403


def test_the_upload_page_links_a_travel_alert_to_its_flight(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    sign_in(client, tokens["ana"])
    files = {"file": ("listed.edi", LISTED.read_bytes())}
    data = {"dataset": "default", "csrf": client.cookies[csrf.COOKIE]}
    page = client.post("/web/upload", files=files, data=data)
    [message] = message_ids(store)
    assert f'<a href="/web/flights/{message}">flight of travel message {message}</a>' in page.text


def test_the_dashboard_for_supervisors_with_its_figures(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    day = datetime.now(UTC).strftime("%d %b")  # the alerts' day, even if midnight passes
    un_alert = queue_one(client, tokens)
    rules = screen_pnr(client, tokens, store)
    decide(store, un_alert, rules)
    sign_in(client, tokens["ana"])
    refused = client.get("/web/dashboard")
    assert refused.status_code == 403 and "needs supervisor" in refused.text
    assert 'href="/web/dashboard"' not in refused.text

    sign_in(client, tokens["sue"])
    page = client.get("/web/dashboard")
    assert page.status_code == 200 and page.text.count(CHART) == 6
    daily = cells(page.text, "Alerts per day: the figures")
    assert daily[0] == ["Day", "travel", "Total"] and len(daily) == 15
    assert [row for row in daily[1:] if row[1] != "0"] == [[day, "3", "3"]]
    assert cells(page.text, "Inputs each lane received")[1:] == [["travel", "2", "0"]]
    assert cells(page.text, "Open alerts by age: the figures")[1:] == [
        ["&lt; 1 d", "1"],
        ["1-3 d", "0"],
        ["3-7 d", "0"],
        ["7-30 d", "0"],
        ["&gt; 30 d", "0"],
    ]
    reviewers = cells(page.text, "Decisions per reviewer in the days shown")[1:]
    assert reviewers == [
        ["ana", "1", "0", "0", "0", "0", "1"],
        ["bob", "0", "1", "0", "0", "0", "1"],
        ["sue", "0", "0", "0", "1", "0", "1"],
    ]
    assert cells(page.text, "Cleared as false positives, per list: the figures")[1:] == [
        ["un", "100 %"]
    ]
    assert cells(page.text, "Cleared as false positives, per rule: the figures")[1:] == [
        ["late-one-way-cash", "0 %"]
    ]
    times = cells(page.text, "Median time to decision: the figures")[1:]
    assert [t[0] for t in times] == ["all", "travel"]
    freshness = cells(page.text, "Each list's active version")[1:]
    assert [(f[0], f[2], f[5], f[6]) for f in freshness] == [("un", "1", "0", "fresh")]
    [read] = query(store, action="read.dashboard")
    assert (read.actor, read.detail) == ("sue", {"days": 14})
    assert client.get("/web/dashboard", params={"days": 0}).status_code == 422


def test_hash_banks_partners_and_users_each_for_their_role(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    at = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    add_bank(store, at)
    save_partner(store, "XX-BPU", username="xx-bpu", public_key="A" * 43 + "=")
    ada = admin_token(store)

    sign_in(client, tokens["sam"])
    assert client.get("/web/banks").status_code == 403
    sign_in(client, tokens["ana"])
    banks = cells(client.get("/web/banks").text, "Banks of image hashes")[1:]
    assert banks == [
        [
            "posters",
            "positive",
            "our own",
            "31",
            "1",
            "2026-03-05 10:00 UTC",
            "2026-03-05 10:00 UTC",
            banks[0][7],
            "partner-x: 1",
        ]
    ]
    assert client.get("/web/partners").status_code == 403
    assert client.get("/web/users").status_code == 403

    sign_in(client, tokens["sue"])
    partners = cells(client.get("/web/partners").text, "Partner agencies")[1:]
    assert [p[:3] for p in partners] == [["XX-BPU", "xx-bpu", "held"]]
    assert client.get("/web/users").status_code == 403

    sign_in(client, ada)
    users = cells(client.get("/web/users").text, "Who may use watchkeeper")[1:]
    assert [(u[0], u[2], u[7]) for u in users] == [
        ("ada", "admin", "1"),
        ("ana", "analyst", "1"),
        ("bob", "analyst", "1"),
        ("sam", "screener", "1"),
        ("sue", "supervisor", "1"),
    ]
    assert users[0][5] != ""  # ada signed in to see this page
    assert [e.actor for e in query(store, action="read.users")] == ["ada"]


def test_the_list_versions_pages(
    client: TestClient, tokens: dict[str, str], store: Engine, tmp_path: Path, un_xml_bytes: bytes
) -> None:
    edited = _edited_un_list(un_xml_bytes, tmp_path / "v2.xml")
    load_source(store, get_source("un-xml", edited), "un", origin="edited", raw_dir=None)
    sign_in(client, tokens["ana"])
    lists = client.get("/web/lists")
    assert '<a href="/web/lists/un/versions">un</a>' in lists.text
    history = cells(client.get("/web/lists/un/versions").text, "The newest 50 loads of un")[1:]
    assert [(v[0], v[2], v[4], v[6], v[7], v[8], v[10]) for v in history] == [
        ("2", "edited", "1003", "1", "1", "1", "active"),
        ("1", "test", "1003", "1003", "0", "0", ""),
    ]
    diff = client.get("/web/lists/un/versions/2").text
    assert "Against version 1: 1 added, 1 removed, 1 changed, 1001 unchanged." in diff
    assert f'<a href="{ADNANI}">ABOU MOHAMED AL ADNANI</a>' in diff
    [changed] = cells(diff, "1 entry changed")[1:]
    assert changed[1] == "un-QDi.318" and "alias" in changed[2] and "Junior" in changed[2]
    first = client.get("/web/lists/un/versions/1").text
    assert "The first version: every entry is new." in first and "1003 added" in first
    assert client.get("/web/lists/un/versions/3").status_code == 404
    assert client.get("/web/lists/nope/versions").status_code == 404

    sign_in(client, tokens["sam"])
    screener = client.get("/web/lists/un/versions/2").text
    assert "ABOU MOHAMED AL ADNANI" in screener and f'href="{ADNANI}"' not in screener


def test_search_by_birth_date_and_nationality_links_to_entity_pages(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    sign_in(client, tokens["ana"])
    form = {"q": "Abu Mohammed al-Adnani", "birth_date": "1977", "nationality": "IQ"}
    page = client.get("/web/search", params={**form, "schema": "Person"})
    assert page.status_code == 200
    [best, *_] = cells(page.text, "")[1:]
    assert best[1:5] == ["ABOU MOHAMED AL ADNANI", "Person", "un", "un-QDi.325"]
    assert best[5] == "reaches the threshold"
    assert f'<a href="{ADNANI}">ABOU MOHAMED AL ADNANI</a>' in page.text
    [searched] = query(store, action="search")  # audited once, by the use case
    assert searched.detail == {  # type: ignore[comparison-overlap]
        "schema": "Person",
        "fields": ["birth_date", "nationality"],
        "results": searched.detail["results"],  # type: ignore[index]
    }
    bad = client.get("/web/search", params={**form, "birth_date": "1977-13"})
    assert bad.status_code == 400 and "birth_date" in bad.text
    assert len(query(store, action="search")) == 1


def test_the_banner_names_a_list_older_than_the_limit_on_every_page(
    client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    sign_in(client, tokens["sam"])
    load_age(store, 6.5)
    for path in ("/web/search", "/web/lists", "/web/upload"):
        assert "Out of date" not in client.get(path).text, path
    load_age(store, 9.5)
    for path in ("/web/search", "/web/lists", "/web/upload", "/web/lists/un/versions"):
        page = client.get(path).text
        assert "not been loaded for more than 7 days" in page, path
        named = r'<a href="/web/lists/un/versions">un</a>: version 1, loaded .* \(9 days ago\)'
        assert re.search(named, page), path
    refused = client.get("/web/dashboard")  # the error page too
    assert refused.status_code == 403 and "Out of date" in refused.text
    client.post("/web/signout", data={"csrf": client.cookies[csrf.COOKIE]})
    assert "Out of date" not in client.get("/web/signin").text  # nothing before sign-in


def test_the_navigation_by_role(client: TestClient, tokens: dict[str, str], store: Engine) -> None:
    links = ("Queue", "Dashboard", "Lists", "Search", "Upload", "Hash banks", "Partners", "Users")
    expected = {
        "sam": ("Lists", "Search", "Upload"),
        "ana": ("Queue", "Lists", "Search", "Upload", "Hash banks"),
        "sue": ("Queue", "Dashboard", "Lists", "Search", "Upload", "Hash banks", "Partners"),
        "ada": links,
    }
    tokens = {**tokens, "ada": admin_token(store)}
    for user, shown in expected.items():
        sign_in(client, tokens[user])
        nav = client.get("/web/lists").text.split('<nav aria-label="Main">')[1].split("</nav>")[0]
        found = tuple(re.findall(r'<a href="[^"]+"(?: aria-current="page")?>([^<]+)</a>', nav))
        assert found == shown, user
        assert '<a href="/web/lists" aria-current="page">Lists</a>' in nav
