"""Reading inputs: bytes that are not UTF-8, damaged or exploding gzip and cut-short CSV
become faults naming the file and the place, in every list format and in screening input."""

import gzip
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.matching.batch import SubjectReader
from watchkeeper.settings import InputLimits
from watchkeeper.sources import get_source
from watchkeeper.sources.inputs import CHUNK, utf8_text

T1 = FIXTURES / "ftm" / "yente_t1.ftm.json"
SLTD = FIXTURES / "sltd" / "sltd_sample.csv"
PROFILES_JSON = ROOT / "examples" / "profiles" / "ftf_profiles.json"
TRAVELLERS = ROOT / "src" / "watchkeeper" / "data" / "sample_travellers.csv"


def faults(fmt: str, path: Path, limits: InputLimits | None = None) -> list[SourceIssue]:
    with pytest.raises(SourceError) as caught:
        list(get_source(fmt, path, limits).records())
    return caught.value.issues


def with_latin1_on_line(source: Path, target: Path, line: int) -> int:
    """Copy ``source`` with ``é`` in Latin-1 at the start of ``line``; return its offset."""
    lines = source.read_bytes().splitlines(keepends=True)
    offset = sum(len(text) for text in lines[: line - 1])
    lines[line - 1] = b"\xe9" + lines[line - 1]
    target.write_bytes(b"".join(lines))
    return offset


def test_ftm_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "t1.ftm.json"
    offset = with_latin1_on_line(T1, path, 4)
    issues = faults("ftm", path)
    assert issues == [
        SourceIssue(
            str(path),
            f"line 4, byte offset {offset:,}",
            "not UTF-8 (invalid continuation byte: e9); save the file as UTF-8",
        )
    ]


def test_ftm_gzip_not_utf8(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    offset = with_latin1_on_line(T1, plain, 2)
    path = tmp_path / "t1.ftm.json.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    (issue,) = faults("ftm", path)
    assert issue.position == f"line 2, byte offset {offset:,}"


def test_sltd_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "sltd.csv"
    offset = with_latin1_on_line(SLTD, path, 3)
    (issue,) = faults("sltd-csv", path)
    assert (issue.path, issue.position) == (str(path), f"line 3, byte offset {offset:,}")


def test_profiles_json_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    offset = with_latin1_on_line(PROFILES_JSON, path, 5)
    (issue,) = faults("profiles", path)
    assert issue.position == f"line 5, byte offset {offset:,}"
    assert issue.problem.startswith("not UTF-8 (invalid continuation byte: e9)")


def test_screen_input_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "travellers.csv"
    offset = with_latin1_on_line(TRAVELLERS, path, 6)
    reader = SubjectReader(path)
    rows = list(reader.rows())
    (issue,) = reader.issues  # that row is skipped, the others are screened
    assert (issue.path, issue.position) == (str(path), f"line 6, byte offset {offset:,}")
    assert len(rows) == 9 and 6 not in [r.line for r in rows]


def test_bom_is_not_a_fault(tmp_path: Path) -> None:
    path = tmp_path / "sltd.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SLTD.read_bytes())
    records = list(get_source("sltd-csv", path).records())
    assert len(records) == 6


def test_cut_inside_a_quoted_field(tmp_path: Path) -> None:
    path = tmp_path / "sltd.csv"
    path.write_bytes(SLTD.read_bytes() + b'Z1,TUR,stolen,TR-NCB,P,2025-11-03,"Stolen at')
    assert faults("sltd-csv", path) == [
        SourceIssue(
            str(path),
            "line 8",
            "the file ends inside a quoted field: it is cut short (an interrupted download "
            "or copy?), so the records after this point are missing",
        )
    ]


def test_corrupt_gzip(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(T1.read_bytes()))
    data[200:260] = bytes(60)
    path = tmp_path / "t1.ftm.json.gz"
    path.write_bytes(bytes(data))
    (issue,) = faults("ftm", path)
    assert issue.position.startswith("compressed byte ")
    assert issue.problem.startswith("corrupt gzip data: ")


def test_not_gzip_at_all(tmp_path: Path) -> None:
    path = tmp_path / "t1.ftm.json.gz"
    path.write_bytes(T1.read_bytes())
    (issue,) = faults("ftm", path)
    assert issue.problem == "corrupt gzip data: Not a gzipped file (b'{\"')"


def test_gzip_bomb_in_text_input(tmp_path: Path) -> None:
    """Blank lines are skipped, so without the ratio cap this would run until the disk or
    the patience of the operator gave out."""
    path = tmp_path / "bomb.ftm.json.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(64):
            fh.write(b"\n" * (1 << 20))
    (issue,) = faults("ftm", path)
    assert issue.position.startswith("decompressed byte ")
    assert issue.problem.endswith(
        "more than 200:1 (WATCHKEEPER_MAX_RATIO); refused as a possible gzip bomb"
    )


def test_ratio_applies_only_after_the_first_bytes(tmp_path: Path) -> None:
    path = tmp_path / "t1.ftm.json.gz"
    path.write_bytes(gzip.compress(T1.read_bytes() + b"\n" * (1 << 20)))
    records = list(get_source("ftm", path, InputLimits(max_ratio=2.0)).records())
    assert len(records) == 7
    (issue,) = faults("ftm", path, InputLimits(max_ratio=2.0, ratio_after=1 << 16))
    assert "more than 2:1 (WATCHKEEPER_MAX_RATIO)" in issue.problem


def test_utf8_fault_across_chunks() -> None:
    """A character cut by a read boundary is fine; a bad byte after it is placed exactly."""
    head = b"a" * (CHUNK - 1) + "é".encode() + b"\nb\n"
    assert utf8_text(Path("x"), head) == head.decode()
    with pytest.raises(SourceError) as caught:
        utf8_text(Path("x"), head + b"c\xff")
    assert str(caught.value) == (
        f"x: line 3, byte offset {len(head) + 1:,}: not UTF-8 (invalid start byte: ff); "
        "save the file as UTF-8"
    )


def test_truncated_character_at_the_end() -> None:
    with pytest.raises(SourceError, match=r"line 1, byte offset 2: not UTF-8 \(unexpected end"):
        utf8_text(Path("x"), b"ab" + "é".encode()[:1])
