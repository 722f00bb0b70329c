"""Files written whole or not at all: the final name holds the old file or the new one."""

import os
import stat
from pathlib import Path

import pytest

from watchkeeper import atomic
from watchkeeper.errors import OutputError


def test_a_file_is_written_and_no_partial_is_left(tmp_path: Path) -> None:
    target = tmp_path / "hits.csv"
    atomic.write_text(target, "id,name\n")
    assert target.read_text() == "id,name\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hits.csv"]


def test_a_failure_while_writing_keeps_the_old_file_and_removes_the_partial(
    tmp_path: Path,
) -> None:
    target = tmp_path / "hits.csv"
    target.write_text("the old file\n")
    with pytest.raises(KeyboardInterrupt), atomic.open_text(target) as fh:
        fh.write("half of the new")
        raise KeyboardInterrupt  # a run stopped half-way
    assert target.read_text() == "the old file\n"
    assert not atomic.partial_of(target).exists()


def test_a_stale_partial_of_a_killed_run_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "bundle.json"
    atomic.partial_of(target).write_text("left by a run killed while writing")
    with atomic.replacing(target) as partial:
        assert not partial.exists()  # removed before this run writes
        partial.write_text("{}")
    assert target.read_text() == "{}" and not atomic.partial_of(target).exists()


def test_perms_are_set_from_the_start(tmp_path: Path) -> None:
    key = tmp_path / "agency.key"
    with atomic.replacing(key, 0o600) as partial:
        assert stat.S_IMODE(partial.stat().st_mode) == 0o600
        partial.write_bytes(b"secret")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_folder_that_does_not_exist_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "hits.csv"
    with pytest.raises(OutputError, match=f"cannot write {target}: No such file") as caught:
        atomic.write_bytes(target, b"x")
    assert caught.value.exit_code == os.EX_CANTCREAT


def test_an_error_about_another_file_is_not_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic.open_text(tmp_path / "out.txt") as fh:
        fh.write((tmp_path / "input.txt").read_text())
    assert list(tmp_path.iterdir()) == []
