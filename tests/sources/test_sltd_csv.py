"""Lost/stolen document lists: rows become documents, and every bad row is named by line."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.conftest import FIXTURES, ROOT, read_all
from watchkeeper.errors import SourceError
from watchkeeper.sources import get_source
from watchkeeper.sources.base import Record
from watchkeeper.sources.sltd_csv import SltdCsvSource, normalise_number
from watchkeeper.store import list_versions_of
from watchkeeper.store.loading import load_source

SAMPLE = FIXTURES / "sltd" / "sltd_sample.csv"
EXAMPLE = ROOT / "examples" / "sltd" / "sltd_example.csv"
HEADER = "number,issuing_country,status,reported_by"


def load(path: Path) -> tuple[list[Record], SltdCsvSource]:
    return read_all(SltdCsvSource(path))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sltd.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problems(source: SltdCsvSource) -> list[tuple[str, str]]:
    return [(issue.position, issue.problem) for issue in source.issues]


def test_registered_under_its_format_name() -> None:
    assert isinstance(get_source("sltd-csv", SAMPLE), SltdCsvSource)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("U29017732", "U29017732"), ("u 2901-7732", "U29017732"), ("L898902C3<<", "L898902C3")],
)
def test_normalise_number(written: str, expected: str) -> None:
    assert normalise_number(written) == expected


def test_sample_ids_schemata_and_countries() -> None:
    records, source = load(SAMPLE)
    assert source.issues == []
    assert [(r.id, r.entity.schema.name) for r in records] == [
        ("sltd-tr-U29017732", "Passport"),
        ("sltd-de-C01X00T47", "Passport"),
        ("sltd-us-L898902C3", "Passport"),
        ("sltd-fr-ID77412290", "Identification"),
        ("sltd-gb-V55120078", "Identification"),
        ("sltd-gr-U29017732", "Identification"),
    ]
    assert all(r.adjacent == [] for r in records)


def test_sample_properties() -> None:
    records, _ = load(SAMPLE)
    first = records[0].entity
    assert first.get("number") == ["U29017732"]
    assert first.get("country") == ["tr"]
    assert first.get("type") == ["stolen"]
    assert first.get("authority") == ["TR-NCB"]
    assert first.get("startDate") == ["2025-11-03"]
    assert first.get("summary") == ["Stolen with luggage at a bus station"]
    assert first.get("description") == ["P"]
    revoked = records[2].entity
    assert revoked.get("number") == ["l898902c3"]  # as written, only trimmed
    assert revoked.get("type") == ["revoked"]
    visa = records[4].entity
    assert (visa.get("startDate"), visa.get("summary")) == ([], [])


def test_example_file_loads() -> None:
    records, source = load(EXAMPLE)
    assert source.issues == []
    assert len(records) == 6
    assert records[0].id == "sltd-tr-U29017732"
    assert records[0].entity.get("authority") == ["TR-NCB"]


def test_bad_rows_named_by_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER},reported_at\n"
        "A1000001,TUR,stolen,TR-NCB,\n"
        ",TUR,stolen,TR-NCB,\n"
        "A1000003,TUR,misplaced,TR-NCB,\n"
        "A1000004,ZZZ,lost,TR-NCB,\n"
        "A1000005,,lost,,2025-02-30\n"
        "A1000006,TUR,lost,TR-NCB,,extra\n",
    )
    records, source = load(path)
    assert [r.id for r in records] == ["sltd-tr-A1000001"]
    assert problems(source) == [
        ("line 3", "missing number"),
        ("line 4", "status 'misplaced' is not one of: lost, stolen, invalid, revoked"),
        ("line 5", "unknown issuing_country 'ZZZ'; use ISO 3166 alpha-3 or alpha-2"),
        ("line 6", "missing issuing_country"),
        ("line 6", "missing reported_by"),
        ("line 6", "reported_at: unreadable date '2025-02-30'; use YYYY-MM-DD"),
        ("line 7", "more cells than columns in the header"),
    ]
    assert all(issue.path == str(path) for issue in source.issues)


def test_duplicate_names_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\nU29017732,TUR,stolen,TR-NCB\nA1,TR,lost,TR-NCB\nU 2901-7732,TR,lost,TR-NCB\n",
    )
    records, source = load(path)
    assert [r.id for r in records] == ["sltd-tr-U29017732", "sltd-tr-A1"]
    assert problems(source) == [
        ("line 4", "duplicate document U 2901-7732 issued by tr (first at line 2)")
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("number,issuing_country,status", "missing required columns: reported_by"),
        (f"{HEADER},colour", "unknown columns: colour; known: "),
        (f"{HEADER},note,note", "repeated columns: note"),
    ],
)
def test_wrong_header_fails_the_file(tmp_path: Path, header: str, message: str) -> None:
    path = write(tmp_path, f"{header}\nA1,TUR,lost,TR-NCB\n")
    with pytest.raises(SourceError) as info:
        load(path)
    (issue,) = info.value.issues
    assert (issue.path, issue.position) == (str(path), "line 1")
    assert issue.problem.startswith(message)


def test_header_only_fails(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no documents found"):
        load(write(tmp_path, f"{HEADER}\n"))


def test_load_fails_with_every_fault_unless_skipping(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nA1,TUR,lost,TR-NCB\n,TUR,lost,TR-NCB\nA3,TUR,gone,X\n")
    with pytest.raises(SourceError) as info:
        load_source(engine, SltdCsvSource(path), "sltd", origin=str(path), raw_dir=None)
    assert [i.position for i in info.value.issues] == ["line 3", "line 4"]
    number = load_source(
        engine, SltdCsvSource(path), "sltd", origin=str(path), raw_dir=None, skip_bad=True
    )
    assert number == 1
    [version] = list_versions_of(engine, "sltd")
    assert (version.format, version.record_count) == ("sltd-csv", 1)
    assert version.schema_counts == {"Identification": 1}  # no document_type column
