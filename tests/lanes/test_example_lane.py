"""A lane written here, in a test, is served by the CLI (``watchkeeper ingest``), the service
(``POST /lanes/{lane}/inputs``) and the web upload, with nothing changed outside its module
but one registration: what a new lane needs, and all it needs."""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from tests.api.conftest import (
    auth,
    client,
    ready,
    settings,
    store,
    tokens,
)
from tests.web.test_pages import sign_in, signed
from watchkeeper.cli import app
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.base import JSON, Example, Lane, Read, Screened, Screening
from watchkeeper.lanes.registry import all_lanes, get_lane, register, registered
from watchkeeper.lanes.subjects import screened
from watchkeeper.matching.screener import Hit
from watchkeeper.matching.subject import Subject
from watchkeeper.settings import Settings
from watchkeeper.store.alerts import NewAlert
from watchkeeper.store.audit import query
from watchkeeper.store.schema import alerts, lane_inputs

__all__ = [
    "client",
    "ready",
    "settings",
    "store",
    "tokens",
]

LISTED = "Abu Mohamed al-Adnani"  # on the bundled UN list as QDi.325
ROSTER = f"name\nMarta Kowalska\n{LISTED}\n".encode()


@dataclass(frozen=True, slots=True)
class Row:
    """A name and the line it stands on."""

    line: int
    name: str


@dataclass(frozen=True, slots=True)
class RowHits:
    """A screened name and the listed entities it may be."""

    row: Row
    hits: tuple[Hit, ...]


class RosterLane(Lane[Row, list[RowHits]]):
    """Names, one a line under a ``name`` header: each against the lists, one alert a hit."""

    name = "roster"
    title = "Roster: names, one a line (CSV)"
    input_kinds = ("text/csv",)

    def read(self, raw: bytes, name: str) -> Read[Row]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError.at(name, "file", f"not UTF-8: {exc.reason}") from exc
        rows, faults = [], []
        for line, values in enumerate(csv.reader(io.StringIO(text)), start=1):
            value = values[0].strip() if values else ""
            if line == 1 and value == "name":
                continue
            if value:
                rows.append(Row(line, value))
            else:
                faults.append(SourceIssue(name, f"line {line}", "no name"))
        return Read(rows, faults)

    def screen(self, records: list[Row], screening: Screening) -> Screened[list[RowHits]]:
        matcher = screening.matcher
        return Screened([RowHits(r, tuple(matcher.screen(self._subject(r)))) for r in records])

    def alerts(self, report: list[RowHits]) -> list[NewAlert]:
        return [
            NewAlert(
                self.name,
                "watchlist",
                screened(self._subject(item.row)),
                hit.reason,
                item.row.line,
                hit.list_name,
                hit.entity_id,
                hit.score,
                hit.result.as_dict(),
            )
            for item in report
            for hit in item.hits
        ]

    def report_json(self, report: list[RowHits]) -> JSON:
        return [
            {"line": i.row.line, "name": i.row.name, "hits": [h.entity_id for h in i.hits]}
            for i in report
        ]

    def examples(self) -> list[Example]:
        return [Example("roster.csv", "text/csv", ROSTER, "Two names")]

    @staticmethod
    def _subject(row: Row) -> Subject:
        return Subject("Person", (row.name,))


@pytest.fixture
def roster() -> Iterator[Lane[Any, Any]]:
    """The roster lane, registered for one test."""
    with registered(RosterLane()) as lane:
        yield lane


def stored(engine: Engine) -> list[tuple[str, str | None, str | None, int | None]]:
    """Every alert: lane, list entity, where its input is kept, and the line."""
    with engine.connect() as conn:
        rows = conn.execute(select(alerts).order_by(alerts.c.id)).all()
    return [(r.lane, r.entity_id, r.source_table, r.segment) for r in rows]


def test_the_registry_checks_names_and_lets_a_test_lane_go(roster: Lane[Any, Any]) -> None:
    assert [lane.name for lane in all_lanes()] == [
        "travel",
        "finance",
        "documents",
        "images",
        "roster",
    ]
    assert get_lane("roster") is roster
    with pytest.raises(ValueError, match="registered already"):
        register(RosterLane())


def test_the_registry_forgets_a_test_lane_after_its_test() -> None:
    assert "roster" not in [lane.name for lane in all_lanes()]


def test_the_cli_ingests_into_the_new_lane(
    roster: Lane[Any, Any], settings: Settings, store: Engine, tmp_path: Path
) -> None:
    names = tmp_path / "names.csv"
    names.write_bytes(ROSTER + b" ,\n")
    runner = CliRunner()
    base = ["--db", settings.db_url, "--data-dir", str(settings.data_dir)]
    args = [*base, "ingest", "roster", str(names), "--lists", "un", "--format", "json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 65, first.output  # the blank row is a fault; the rest screened
    [answer] = json.loads(first.stdout)
    assert answer["report"] == [
        {"line": 2, "name": "Marta Kowalska", "hits": []},
        {"line": 3, "name": LISTED, "hits": ["un-QDi.325"]},
    ]
    assert answer["faults"] == [f"{names}: line 4: no name"]
    assert (answer["alerts"], answer["input"]["repeat"]) == (1, False)
    assert stored(store) == [("roster", "un-QDi.325", "lane_inputs", 3)]
    again = runner.invoke(app, [*base, "ingest", "roster", str(names)])
    assert f"{names}: received before" in again.stdout and "(1 alert(s) then)" in again.stdout
    assert len(stored(store)) == 1
    entries = query(store, action="ingest")
    assert [e.actor.startswith("cli:") for e in entries] == [True, True]
    assert [e.detail.get("repeat_of") for e in entries] == [str(names), None]  # newest first
    wrong = runner.invoke(app, [*base, "ingest", "roster", str(names), "--option", "banks=x"])
    assert wrong.exit_code == 2 and "takes no option 'banks'" in wrong.stderr


def test_the_service_ingests_into_the_new_lane(
    roster: Lane[Any, Any], client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    sam = auth(tokens["sam"])
    assert "roster" in [lane["name"] for lane in client.get("/lanes", headers=sam).json()]
    url = "/lanes/roster/inputs"
    first = client.post(url, content=ROSTER, headers=sam, params={"filename": "staff.csv"})
    assert first.status_code == 200, first.text
    one = first.json()
    assert (one["lane"], one["alerts"], one["input"]["path"]) == ("roster", 1, "staff.csv")
    assert one["report"][1] == {"line": 3, "name": LISTED, "hits": ["un-QDi.325"]}
    again = client.post(url, content=ROSTER, headers=sam).json()
    assert (again["report"], again["alert_ids"]) == (one["report"], one["alert_ids"])
    assert (again["input"]["id"], again["input"]["repeat"]) == (one["input"]["id"], True)
    broken = client.post(url, content=b"\xff\xfe", headers=sam, params={"filename": "x.csv"})
    assert broken.status_code == 422
    assert broken.json()["detail"] == ["x.csv: file: not UTF-8: invalid start byte"]
    with store.connect() as conn:
        kept = conn.execute(select(lane_inputs).order_by(lane_inputs.c.id)).all()
    assert [(k.lane, k.status, k.raw) for k in kept] == [
        ("roster", "screened", ROSTER),
        ("roster", "failed", b"\xff\xfe"),
    ]
    assert stored(store) == [("roster", "un-QDi.325", "lane_inputs", 3)]
    assert [e.actor for e in query(store, action="ingest")] == ["sam", "sam", "sam"]
    assert client.post("/lanes/nolane/inputs", content=ROSTER, headers=sam).status_code == 404
    odd = client.post(url, content=b"name\nX\n", headers=sam, params={"banks": "partner"})
    assert odd.status_code == 400 and "takes no option 'banks'" in odd.json()["detail"]


def test_the_web_upload_offers_and_screens_the_new_lane(
    roster: Lane[Any, Any], client: TestClient, tokens: dict[str, str]
) -> None:
    sign_in(client, tokens["ana"])
    form = client.get("/web/upload").text
    assert '<option value="roster">Roster: names, one a line (CSV)</option>' in form
    files = {"file": ("staff.csv", ROSTER, "text/csv")}
    data = signed(client, {"lane": "roster", "dataset": "default"})
    page = client.post("/web/upload", files=files, data=data)
    assert page.status_code == 200, page.text
    assert "staff.csv: 1 new alert</h2>" in page.text
    assert f'"name": "{LISTED}"' in page.text  # the report, as JSON
    [link] = re.findall(r'<a href="/web/alerts/(\d+)">', page.text)
    assert client.get(f"/web/alerts/{link}").status_code == 200


@pytest.mark.parametrize(("lane", "entity"), [("finance", "un-QDi.325"), ("documents", None)])
def test_each_lane_takes_its_example_over_http(
    lane: str, entity: str | None, client: TestClient, tokens: dict[str, str], store: Engine
) -> None:
    [example] = get_lane(lane).examples()
    answer = client.post(
        f"/lanes/{lane}/inputs",
        content=example.data,
        headers=auth(tokens["sam"]),
        params={"filename": example.name},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["alerts"] >= 1
    assert all(row[0] == lane and row[2] == "lane_inputs" for row in stored(store))
    if entity:
        assert entity in [row[1] for row in stored(store)]


def test_the_images_lane_asks_for_its_banks(client: TestClient, tokens: dict[str, str]) -> None:
    [example] = get_lane("images").examples()
    answer = client.post("/lanes/images/inputs", content=example.data, headers=auth(tokens["sam"]))
    assert answer.status_code == 400 and "needs the option banks" in answer.json()["detail"]
