"""The triage queue over the other lanes, each input received through ``lanes.ingest``: a
payment file's customers and parties, a document, an image; each is one group named for
whom or what was screened, and a customer's rule hits roll up to one risk."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from tests.conftest import FIXTURES
from watchkeeper.auth import Actor
from watchkeeper.lanes.base import Screening, Submitter
from watchkeeper.lanes.images.banks import BankEntry, add_entries, ensure_bank
from watchkeeper.lanes.images.hashing import hash_image
from watchkeeper.lanes.ingest import ingest
from watchkeeper.lanes.registry import get_lane
from watchkeeper.matching.screener import Screener
from watchkeeper.review.queue import group_alerts, queue_groups
from watchkeeper.review.risk import RiskPolicy

ANNA = Actor("anna", "analyst")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
INPUTS = (
    ("finance", FIXTURES / "payments" / "transactions_sample.csv", {}),
    ("documents", FIXTURES / "documents" / "news_listed.txt", {}),
    ("documents", FIXTURES / "documents" / "report.html", {}),
    ("images", FIXTURES / "images" / "wee.jpg", {"banks": "tv"}),
)


def receive(
    engine: Engine, matcher: Screener, lane: str, path: Path, options: dict[str, str]
) -> None:
    screening = Screening(engine, matcher, ["un"], lambda: matcher, options)
    ingest(
        engine, get_lane(lane), path.read_bytes(), path.name, screening, Submitter("t", None), NOW
    )


def test_customers_documents_and_images_are_groups(un_engine: Engine) -> None:
    image = hash_image(FIXTURES / "images" / "wee.jpg")
    with un_engine.begin() as conn:
        add_entries(conn, ensure_bank(conn, "tv", NOW), [BankEntry(image.hash, "x", "t", NOW)])
    matcher = Screener.from_store(un_engine, ["un"])  # the lists stay as they are: one index
    for lane, path, options in INPUTS:
        receive(un_engine, matcher, lane, path, options)
    groups = queue_groups(un_engine, ANNA, RiskPolicy(50.0), limit=100).groups
    shown = [
        (g.lane, g.subject, g.strongest.kind, g.alerts, g.risk, g.context_only) for g in groups
    ]
    assert shown == [
        ("images", "wee.jpg", "hash", 1, 0.0, False),  # the image's name; a bank match scores 1
        ("finance", "Abu Mohamed al-Adnani", "watchlist", 1, 0.0, False),
        ("documents", "news_listed.txt", "watchlist", 2, 0.0, False),  # two listed names
        ("documents", "report.html", "watchlist", 1, 0.0, False),
        ("finance", "Hamid Rahimi", "watchlist", 4, 55.0, False),  # 2 hits, rules 30 + 25
        ("finance", "Marta Kowalska", "rule", 4, 80.0, False),  # 50 + 30 (three times)
        ("finance", "Baltic Timber Trading SIA", "rule", 2, 30.0, True),  # 30 twice: 30
    ]
    marta = groups[5]
    rules = [(a.explanation or {}).get("rule") for a in group_alerts(un_engine, ANNA, marta.key)]
    assert rules == ["monthly-cash-threshold", *["cash-not-traceable"] * 3]
    inputs = queue_groups(un_engine, ANNA, RiskPolicy(50.0), by="input", limit=100).groups
    assert sorted((g.label, g.alerts) for g in inputs) == [
        ("news_listed.txt", 2),
        ("report.html", 1),
        ("transactions_sample.csv", 11),
        ("wee.jpg", 1),
    ]
    images = queue_groups(un_engine, ANNA, RiskPolicy(50.0), kind="image").groups
    assert [g.subject for g in images] == ["wee.jpg"]
