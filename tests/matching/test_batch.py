"""Reading subjects to screen from CSV and JSON lines."""

import gzip
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


def test_a_csv_row_that_cannot_be_read_is_skipped_alone(tmp_path: Path) -> None:
    path = tmp_path / "in.csv.gz"
    path.write_bytes(
        gzip.compress(
            b"id,name,birth_date\n"
            b"a,Omar Haddad,1980\n"
            b"b,Jos\xe9 Mu\xf1oz,1975\n"  # Latin-1
            b'c,"Sara" Levi,1990\n'  # a stray quote
            b'd,"Leila\nHaddad",1985\n'  # a quoted line break: one record, two lines
            b"e,Yusuf Ali,1970\n"
        )
    )
    reader = SubjectReader(path)
    rows = list(reader.rows())
    assert [(r.id, r.line) for r in rows] == [("a", 2), ("d", 6), ("e", 7)]
    assert rows[1].subject.names == ("Leila\nHaddad",)
    assert [(i.position, i.problem) for i in reader.issues] == [
        (
            "line 3, byte offset 43",
            "not UTF-8 (invalid continuation byte: e9); save the file as UTF-8",
        ),
        ("line 4", "malformed CSV: ',' expected after '\"'"),
    ]


def test_a_csv_header_that_is_not_utf8_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"id,n\xe4me\nOmar,1990\n")
    with pytest.raises(SourceError, match="line 1, byte offset 4: not UTF-8"):
        list(SubjectReader(path).rows())
