from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchkeeper.errors import SourceError
from watchkeeper.lanes.images.bankfiles import (
    BankFormat,
    Defaults,
    read_bank_file,
    write_bank_file,
)
from watchkeeper.lanes.images.banks import BankEntry

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
A = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
B = "cfb2009ddd21c6dab0846a7745b5984757a8a4535b3377aea2591d32b33ff840"
DEFAULTS = Defaults("imported", "partner-x", NOW)


def test_hex_file_skips_bad_lines_with_their_number(tmp_path: Path) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(f"# a comment\n{A}\n\nnot-a-hash\n{B.upper()}\n", encoding="utf-8")
    read = read_bank_file(path, DEFAULTS)
    assert [e.hash for e in read.entries] == [A, B]
    assert read.entries[0] == BankEntry(A, "imported", "partner-x", NOW)
    assert [(i.path, i.position) for i in read.issues] == [(str(path), "line 4")]


def test_csv_file_takes_its_columns_and_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(
        f"hash,label,source,added_at\n{A},bridge,te,2025-01-02T03:04:05+00:00\n"
        f"{B},,,\n{A[:-1]},x,y,\n{B},x,y,yesterday\n",
        encoding="utf-8",
    )
    read = read_bank_file(path, DEFAULTS)
    assert read.entries == [
        BankEntry(A, "bridge", "te", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        BankEntry(B, "imported", "partner-x", NOW),
    ]
    assert [i.position for i in read.issues] == ["line 4", "line 5"]
    assert "not an ISO 8601 time" in read.issues[1].problem


@pytest.mark.parametrize("fmt", list(BankFormat))
def test_round_trip(tmp_path: Path, fmt: BankFormat) -> None:
    entries = [BankEntry(A, "bridge", "te", NOW), BankEntry(B, None, None, NOW)]
    path = tmp_path / f"out.{fmt.value}"
    write_bank_file(path, entries, fmt)
    assert not (tmp_path / f"out.{fmt.value}.partial").exists()
    back = read_bank_file(path, Defaults(None, None, NOW))
    if fmt is BankFormat.csv:
        assert back.entries == entries
    else:
        assert path.read_text() == f"{A}\n{B}\n"
        assert [e.hash for e in back.entries] == [A, B]


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read_bank_file(tmp_path / "absent.txt", DEFAULTS)
