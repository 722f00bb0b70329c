"""A store with the bundled UN list and three OFAC SDN entries (al-Adnani on both), and real
inputs screened into it through the lanes (``lanes.ingest``): a PAXLST manifest, a PNRGOV
message, a CSV and an MT103 payment file, a news item and an image against a hash bank."""

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.conftest import FIXTURES
from watchkeeper.auth import Actor
from watchkeeper.lanes.base import Ingested, Screening, Submitter
from watchkeeper.lanes.images.banks import BankEntry, add_entries, ensure_bank
from watchkeeper.lanes.ingest import ingest
from watchkeeper.lanes.registry import get_lane
from watchkeeper.matching.screener import Screener, threshold_of
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine
from watchkeeper.store.schema import alerts

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANALYST = Actor("ana", "analyst")
BY = Submitter("ana", "cli")
TRAVEL = FIXTURES / "travel"
PAYMENTS = FIXTURES / "payments"
IMAGES = FIXTURES / "images"
LISTED_HASH = "cfb2009ddd21c6dab0846a7745b5984757a8a4535b3377aea2591d32b33ff840"  # q0122.jpg
MT103_BENEFICIARY = "SHASHU LANXI SHANYE\nMACHINERY CO LTD\nMACHINERY CO LTD"
MT103_LISTED = "ABU MOHAMED AL-ADNANI"
CSV = (
    b"id,booked,amount,currency,channel,debtor_name,debtor_account,debtor_country,"
    b"creditor_name,creditor_account,creditor_country,remittance\n"
    b"T1,2026-03-02,250.00,EUR,transfer,Marta Kowalska,PL61109010140000071219812874,PL,"
    b"Abu Mohamed al-Adnani,SY021234567890,SY,gift for Abu Mohamed al-Adnani\n"
    b"T2,2026-03-02,80.00,EUR,transfer,Marta Kowalska,PL61109010140000071219812874,PL,"
    b"Jan Nowak,PL27114020040000300201355387,PL,rent\n"
)


@dataclass(frozen=True, slots=True)
class Screened:
    """The store's file and engine, and the answer to each input."""

    path: Path
    engine: Engine
    paxlst: Ingested
    pnr: Ingested
    csv: Ingested
    mt103: Ingested
    news: Ingested
    image: Ingested


@pytest.fixture(scope="session")
def screened(tmp_path_factory: pytest.TempPathFactory, un_sqlite: Path) -> Screened:
    """The store, built once a run: the lists and the bank loaded, every input ingested.
    Tests only read it (and audit their reads); one that changes a list works on a copy
    (``screened_copy``)."""
    path = tmp_path_factory.mktemp("workbench") / "watchkeeper.db"
    shutil.copyfile(un_sqlite, path)  # the UN list, loaded once a run
    engine = open_engine(f"sqlite:///{path}")
    ofac = get_source("ofac-csv", FIXTURES / "ofac" / "sdn_links")
    load_source(engine, ofac, "ofac", origin="test", raw_dir=None)
    with engine.begin() as conn:
        bank = ensure_bank(conn, "partner", NOW, max_distance=31)
        entry = BankEntry(LISTED_HASH, "recruitment poster", "ThreatExchange q0122", NOW)
        add_entries(conn, bank, [entry])
    lists = ["un", "ofac"]
    matcher = Screener.from_store(engine, lists, threshold_of(None, None))

    def run(lane: str, raw: bytes, name: str, **options: str) -> Ingested:
        screening = Screening(engine, matcher, lists, lambda: matcher, options)
        return ingest(engine, get_lane(lane), raw, name, screening, BY, NOW)

    mt103 = (PAYMENTS / "a_2014.fin").read_text().replace(MT103_BENEFICIARY, MT103_LISTED)
    return Screened(
        path,
        engine,
        run("travel", (TRAVEL / "synthetic_paxlst_listed.edi").read_bytes(), "listed.edi"),
        run("travel", (TRAVEL / "synthetic_pnr_oneway_cash.edi").read_bytes(), "pnr.edi"),
        run("finance", CSV, "payments.csv"),
        run("finance", mt103.encode(), "a_2014.fin"),
        run("documents", (FIXTURES / "documents" / "news_listed.txt").read_bytes(), "news.txt"),
        run("images", (IMAGES / "q0122.jpg").read_bytes(), "q0122.jpg", banks="partner"),
    )


@pytest.fixture
def screened_copy(screened: Screened, tmp_path: Path) -> Engine:
    """A private copy of the screened store, for a test that changes it."""
    path = tmp_path / "watchkeeper.db"
    with screened.engine.connect() as conn:
        conn.exec_driver_sql(f"VACUUM INTO '{path}'")
    return open_engine(f"sqlite:///{path}")


def alert_id(
    engine: Engine,
    lane: str,
    kind: str,
    list_name: str | None = None,
    name: str | None = None,
    **where: Any,
) -> int:
    """The one alert of ``lane`` and ``kind`` (on ``list_name``, about someone called
    ``name``; ``where``: more columns)."""
    query = select(alerts.c.id, alerts.c.subject).where(
        alerts.c.lane == lane, alerts.c.kind == kind
    )
    if list_name is not None:
        query = query.where(alerts.c.list_name == list_name)
    for column, value in where.items():
        query = query.where(alerts.c[column] == value)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    [found] = [r.id for r in rows if name is None or name in r.subject["names"]]
    return int(found)
