"""Audit writers of one SQLite store take turns through a file lock beside it; other stores
need none."""

import fcntl
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from watchkeeper.store.audit_turns import Turns


def held_elsewhere(path: Path) -> bool:
    """Whether another open file holds the lock on ``path`` now (asked without waiting)."""
    with path.open("ab") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(other, fcntl.LOCK_UN)
        return False


def test_a_turn_holds_the_lock_beside_the_database(tmp_path: Path) -> None:
    turns = Turns(create_engine(f"sqlite:///{tmp_path / 'watchkeeper.db'}"))
    assert turns.path == tmp_path / "watchkeeper.db-audit.lock"
    with turns.turn():
        assert held_elsewhere(turns.path)
    assert not held_elsewhere(turns.path)
    turns.close()


def test_the_next_turn_comes_after_a_failed_one(tmp_path: Path) -> None:
    turns = Turns(create_engine(f"sqlite:///{tmp_path / 'watchkeeper.db'}"))
    with pytest.raises(ZeroDivisionError), turns.turn():
        _ = 1 / 0
    assert turns.path is not None and not held_elsewhere(turns.path)
    with turns.turn():
        assert held_elsewhere(turns.path)
    turns.close()


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "postgresql+psycopg://wk@127.0.0.1/postgres"]
)
def test_stores_of_one_process_or_with_their_own_queue_need_no_file(url: str) -> None:
    turns = Turns(create_engine(url))
    assert turns.path is None
    with turns.turn():
        pass


def test_writers_of_a_store_on_disk_take_turns(engine: Engine) -> None:
    turns = Turns(engine)
    assert (turns.path is not None) == (engine.dialect.name == "sqlite")
