"""Re-screening stored subjects against a list's changes: only the new hits raise alerts."""

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.conftest import pg_database
from watchkeeper.lanes.finance.rescreen import CUSTOMER, remember, rescreen
from watchkeeper.matching.subject import Subject
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine
from watchkeeper.store.schema import alerts, subjects

NOW = datetime(2026, 11, 23, tzinfo=UTC)
FIELDS = ["id", "name", "aliases", "birth_date", "nationality", "handling_code", "owner"]
HAMZA = ["p-1", "Abu Hamza al-Tunisi", "", "1980-03-02", "TN", "AMBER", "FR-DGSI"]
NOURI = ["p-2", "Nouri Ben Salah", "", "1975", "FR", "AMBER", "FR-DGSI"]
KARIM = ["p-3", "Karim Boudjemaa Zerrouki", "", "1991-07-14", "DZ", "AMBER", "FR-DGSI"]


def _load(engine: Engine, folder: Path, number: int, rows: list[list[str]]) -> None:
    path = folder / f"profiles_v{number}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(FIELDS)
        writer.writerows(rows)
    load_source(engine, get_source("profiles", path), "agency", origin=str(path), raw_dir=None)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store with version 1 of an agency list and three remembered customers, on SQLite
    and, when CI provides one, on PostgreSQL (the upsert differs between the two)."""
    if request.param == "sqlite":
        yield _stocked(f"sqlite:///{tmp_path / 'wk.db'}", tmp_path)
        return
    with pg_database() as url:
        engine = _stocked(url, tmp_path)
        yield engine
        engine.dispose()


def _stocked(url: str, tmp_path: Path) -> Engine:
    engine = open_engine(url)
    _load(engine, tmp_path, 1, [HAMZA, NOURI])
    customers = [
        ("c-1", Subject("Person", ("Abou Hamza al Tounsi",), birth_dates=("1980-03-02",))),
        ("c-2", Subject("Person", ("Karim Zerrouki Boudjemaa",), birth_dates=("1991-07-14",))),
        ("c-3", Subject("Person", ("Marie Dubois",), birth_dates=("1962-01-05",))),
    ]
    with engine.begin() as conn:
        assert remember(conn, CUSTOMER, customers, "customers.csv", NOW) == 3
    return engine


def _alerted(engine: Engine) -> list[tuple[str, str]]:
    query = select(alerts.c.subject, alerts.c.entity_id).order_by(alerts.c.id)
    with engine.connect() as conn:
        return [(row.subject["names"][0], row.entity_id) for row in conn.execute(query)]


def test_only_added_and_changed_entries_are_screened_and_only_new_hits_alert(
    engine: Engine, tmp_path: Path
) -> None:
    first = rescreen(engine, "agency", now=NOW)  # version 1 has no earlier one: all of it
    assert (first.from_version, first.entries, first.subjects) == (None, 2, 3)
    assert _alerted(engine) == [("Abou Hamza al Tounsi", "profile-fr-dgsi-p-1")]

    changed_hamza = [*HAMZA[:2], "Abu Hamza al-Tounsi", *HAMZA[3:]]
    _load(engine, tmp_path, 2, [changed_hamza, NOURI, KARIM])
    second = rescreen(engine, "agency", now=NOW)
    # p-1 changed and p-3 was added; p-2 is unchanged and not screened again.
    assert (second.from_version, second.to_version, second.entries) == (1, 2, 2)
    assert (second.hits, second.alerts, second.already_open) == (2, 1, 1)
    assert _alerted(engine)[1:] == [("Karim Zerrouki Boudjemaa", "profile-fr-dgsi-p-3")]

    again = rescreen(engine, "agency", from_number=1, to_number=2, now=NOW)
    assert (again.hits, again.alerts, again.already_open) == (2, 0, 2)


def test_a_diff_rescreen_scores_like_a_full_one(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, 2, [HAMZA, NOURI, KARIM])
    by_diff = rescreen(engine, "agency")
    assert by_diff.entries == 1
    with engine.connect() as conn:
        diff_score = conn.execute(select(alerts.c.score)).scalar_one()
    full = rescreen(engine, "agency", full=True)
    assert (full.entries, full.hits) == (3, 2)  # both listed customers, the new one open
    with engine.connect() as conn:
        scores = conn.execute(select(alerts.c.entity_id, alerts.c.score)).all()
    assert dict(scores)["profile-fr-dgsi-p-3"] == diff_score


def test_no_change_screens_nobody(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, 2, [HAMZA, NOURI])
    summary = rescreen(engine, "agency")
    assert (summary.entries, summary.subjects, summary.hits) == (0, 3, 0)


def test_a_subject_seen_again_is_refreshed_not_duplicated(engine: Engine) -> None:
    later = datetime(2026, 12, 1, tzinfo=UTC)
    moved = Subject("Person", ("Marie Dubois",), birth_dates=("1962-01-05",), countries=("be",))
    with engine.begin() as conn:
        remember(conn, CUSTOMER, [("c-3", moved)], "customers-december.csv", later)
    with engine.connect() as conn:
        rows = conn.execute(select(subjects).where(subjects.c.reference == "c-3")).all()
    assert len(rows) == 1
    assert rows[0].subject["countries"] == ["be"]
    assert rows[0].source == "customers-december.csv"
    assert rows[0].first_seen.replace(tzinfo=UTC) == NOW
    assert rows[0].last_seen.replace(tzinfo=UTC) == later


def test_an_unknown_version_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(Exception, match="no version 7"):
        rescreen(engine, "agency", from_number=7, to_number=1)
