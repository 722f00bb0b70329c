"""Reading subjects to screen from CSV and JSON lines."""

from pathlib import Path

import pytest

from tests.conftest import ROOT
from watchkeeper.errors import SourceError
from watchkeeper.matching.batch import SubjectReader

SAMPLE = ROOT / "src" / "watchkeeper" / "data" / "sample_travellers.csv"


def test_sample_travellers() -> None:
    reader = SubjectReader(SAMPLE)
    rows = list(reader.rows())
    assert reader.issues == []
    assert [r.id for r in rows][:3] == ["T-001", "T-002", "T-003"]
    first = rows[0].subject
    assert first.names == ("Abu Mohamed al-Adnani",)
    assert first.birth_dates == ("1977",)
    assert first.countries == ("sy",)
    assert first.gender == "male"
    assert rows[6].subject.schema == "Organization"
    assert rows[1].line == 3


def test_bad_rows_are_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "name": "Omar Haddad", "nationality": ["sy", "Lebanon"]}\n'
        "not json\n"
        '{"id": "b", "birth_date": "1990"}\n'
        '{"id": "c", "name": "X", "birth_date": "yesterday"}\n'
        '{"id": "d", "name": "Y", "schema": "Ship"}\n'
        '{"id": "e", "name": "Z", "colour": "red"}\n'
        "\n"
        '{"name": "Sara Levi", "id_number": "P123;Q456"}\n',
        encoding="utf-8",
    )
    reader = SubjectReader(path)
    rows = list(reader.rows())
    assert [(r.id, r.line) for r in rows] == [("a", 1), ("line-8", 8)]
    assert rows[0].subject.countries == ("sy", "lb")
    assert rows[1].subject.identifiers == ("P123", "Q456")
    problems = [(i.position, i.problem) for i in reader.issues]
    assert problems[0][0] == "line 2" and problems[0][1].startswith("not JSON")
    assert problems[1:] == [
        ("line 3", "name is missing"),
        ("line 4", "birth_date 'yesterday' is not a readable date"),
        (
            "line 5",
            "schema 'Ship' is not one of Person, Organization, Company, LegalEntity, "
            "Vessel, Airplane",
        ),
        ("line 6", "unknown fields: colour"),
    ]


def test_csv_with_unknown_column_fails_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("name,dob\nOmar,1990\n", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown columns: dob"):
        list(SubjectReader(path).rows())
