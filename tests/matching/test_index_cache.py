"""The candidate index cached on disk: reused while the lists' versions and the matcher stay
the same, a miss when either changes, and rebuilt (with a log line) when the file is damaged."""

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine
from structlog.testing import capture_logs

from tests.conftest import FIXTURES
from watchkeeper.errors import NotFoundError
from watchkeeper.matching import index_cache
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.index_cache import MAGIC, SUFFIX, cached_index, index_key, read_index
from watchkeeper.matching.subject import Subject
from watchkeeper.sources import get_source
from watchkeeper.store import load_source

ZALA = FIXTURES / "ftm" / "yente_zala.ftm.json"
T1 = FIXTURES / "ftm" / "yente_t1.ftm.json"
QUERIES = ("Alexander Zakharov", "Maria Osetrova", "Zala Aero Group", "Иванов Александр")


def _load(engine: Engine, path: Path, name: str) -> None:
    load_source(engine, get_source("ftm", path), name, origin="test", raw_dir=None)


def _answers(index: NameIndex) -> list[list[tuple[str | None, float]]]:
    """The candidates of a few names, as the screener gets them."""
    return [
        [(c.subject.entity_id, c.score) for c in index.query(Subject("Person", (q,)), 10)]
        for q in QUERIES
    ]


def _never_built(*_: object) -> NameIndex:
    raise AssertionError("the index was built from the store, not read from the cache")


@pytest.fixture
def zala(engine: Engine) -> Engine:
    """A store holding the Zala Aero cluster as list 'zala'."""
    _load(engine, ZALA, "zala")
    return engine


def test_a_second_run_reads_the_cache_and_gets_the_same_candidates(
    zala: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = cached_index(zala, ["zala"], tmp_path / "cache")
    [path] = (tmp_path / "cache").glob(f"*{SUFFIX}")
    assert path.read_bytes().startswith(MAGIC)
    monkeypatch.setattr(index_cache, "from_store", _never_built)
    with capture_logs() as logs:
        read = cached_index(zala, ["zala"], tmp_path / "cache")
    assert logs == []
    assert [s.entity_id for s in read.subjects()] == [s.entity_id for s in built.subjects()]
    assert _answers(read) == _answers(built)
    assert any(_answers(read))  # the names are found at all


def test_a_new_list_version_is_indexed_anew(zala: Engine, tmp_path: Path) -> None:
    before = cached_index(zala, ["zala"], tmp_path / "cache")
    _load(zala, T1, "zala")  # version 2 of 'zala' holds other entities
    after = cached_index(zala, ["zala"], tmp_path / "cache")
    t1_ids = {s.entity_id for s in after.subjects()}
    assert t1_ids.isdisjoint(s.entity_id for s in before.subjects())
    assert len(list((tmp_path / "cache").glob(f"*{SUFFIX}"))) == 2
    # Reading again gives the new version, from its own file.
    again = cached_index(zala, ["zala"], tmp_path / "cache")
    assert {s.entity_id for s in again.subjects()} == t1_ids


def test_the_key_names_the_versions_and_the_matcher(zala: Engine) -> None:
    key = index_key(zala, ["zala"])
    [[name, _id, number, sha256, _loaded]] = key["lists"]
    assert (name, number, len(sha256)) == ("zala", 1, 64)
    assert len(key["matcher"]) == 64
    with pytest.raises(NotFoundError, match="'ofac'"):
        index_key(zala, ["zala", "ofac"])


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    return data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]


def _other_matcher(data: bytes) -> bytes:
    header, body = data[len(MAGIC) :].split(b"\n", 1)
    doc = orjson.loads(header)
    doc["key"]["matcher"] = "0" * 64
    return MAGIC + orjson.dumps(doc) + b"\n" + body


def _not_a_cache(_: bytes) -> bytes:
    return b'{"format": "watchkeeper.name-index", "version": 1}'


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (_cut, "index bytes altered or cut short"),
        (_flipped, "index bytes altered or cut short"),
        (_other_matcher, "built from other list versions or another matcher"),
        (_not_a_cache, "byte 0: not a watchkeeper index cache file"),
    ],
)
def test_a_damaged_or_stale_file_is_rebuilt_with_a_log_line(
    zala: Engine, tmp_path: Path, damage: Callable[[bytes], bytes], problem: str
) -> None:
    built = cached_index(zala, ["zala"], tmp_path / "cache")
    [path] = (tmp_path / "cache").glob(f"*{SUFFIX}")
    path.write_bytes(damage(path.read_bytes()))
    with capture_logs() as logs:
        rebuilt = cached_index(zala, ["zala"], tmp_path / "cache")
    [entry] = logs
    assert entry["event"] == "index cache rebuilt" and entry["log_level"] == "warning"
    assert entry["problem"].startswith(f"{path}: ") and problem in entry["problem"]
    assert _answers(rebuilt) == _answers(built)
    # The file was written anew and is good again.
    assert _answers(read_index(path, index_key(zala, ["zala"]))) == _answers(built)
