"""Loading lists into the store: versions, all-or-nothing loads, the raw archive."""

import gzip
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import BUNDLED_UN
from watchkeeper.errors import BusyError, ShrinkError, SourceError, UsageError
from watchkeeper.settings import Settings
from watchkeeper.sources import get_source
from watchkeeper.store import list_versions_of, load_source
from watchkeeper.store.schema import entities, list_versions


def _load(engine: Engine, settings: Settings, path: Path, **kw: bool) -> int:
    return load_source(
        engine,
        get_source("un-xml", path),
        "un",
        origin=str(path),
        raw_dir=settings.raw_dir,
        **kw,
    )


def test_each_load_is_a_new_version(engine: Engine, settings: Settings) -> None:
    assert _load(engine, settings, BUNDLED_UN) == 1
    assert _load(engine, settings, BUNDLED_UN) == 2
    versions = list_versions_of(engine, "un")
    assert [(v.number, v.active) for v in versions] == [(1, False), (2, True)]
    v2 = versions[1]
    assert v2.record_count == 1003
    assert v2.schema_counts == {"Person": 730, "Organization": 273}
    assert v2.entity_count > v2.record_count  # sanctions, documents, addresses
    assert v2.source_date is not None and v2.source_date.startswith("2026-02-27")
    assert v2.sha256 == versions[0].sha256
    with engine.connect() as conn:
        per_version = conn.execute(
            select(entities.c.version_id, func.count()).group_by(entities.c.version_id)
        ).all()
    assert len(per_version) == 2
    assert per_version[0][1] == per_version[1][1] == v2.entity_count


def test_raw_input_is_archived(engine: Engine, settings: Settings) -> None:
    _load(engine, settings, BUNDLED_UN)
    (version,) = list_versions_of(engine, "un")
    assert version.raw_path is not None
    archived = Path(version.raw_path) / BUNDLED_UN.name
    assert archived.read_bytes() == BUNDLED_UN.read_bytes()


def test_failed_load_changes_nothing(
    un_store: Engine, settings: Settings, tmp_path: Path, un_xml_bytes: bytes
) -> None:
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(un_xml_bytes[: len(un_xml_bytes) // 2])
    with pytest.raises(SourceError) as info:
        _load(un_store, settings, truncated)
    assert "truncated.xml" in info.value.detail
    assert "line" in info.value.detail
    (version,) = list_versions_of(un_store, "un")
    assert version.number == 1 and version.active
    with un_store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(list_versions)).scalar() == 1
        ids = conn.execute(select(entities.c.version_id).distinct()).scalars().all()
    assert ids == [1]


def _without_reference(un_xml_bytes: bytes, tmp_path: Path) -> Path:
    text = un_xml_bytes.decode("utf-8").replace(
        "<REFERENCE_NUMBER>QDi.325</REFERENCE_NUMBER>", "<REFERENCE_NUMBER></REFERENCE_NUMBER>"
    )
    path = tmp_path / "one-bad.xml.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def test_faulty_record_fails_the_load_unless_skipped(
    engine: Engine, settings: Settings, tmp_path: Path, un_xml_bytes: bytes
) -> None:
    path = _without_reference(un_xml_bytes, tmp_path)
    with pytest.raises(SourceError) as info:
        _load(engine, settings, path)
    assert len(info.value.issues) == 1
    assert "REFERENCE_NUMBER" in info.value.detail
    with pytest.raises(Exception, match="no list named"):
        list_versions_of(engine, "un")
    assert _load(engine, settings, path, skip_bad=True) == 1
    (version,) = list_versions_of(engine, "un")
    assert version.record_count == 1002
    assert len(version.skipped) == 1 and "REFERENCE_NUMBER" in version.skipped[0]


def test_list_keeps_its_format(un_store: Engine) -> None:
    profiles = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "ftf_profiles.csv"
    with pytest.raises(UsageError, match="holds un-xml data"):
        load_source(un_store, get_source("profiles", profiles), "un", origin="x", raw_dir=None)


def _without_individuals(un_xml_bytes: bytes, tmp_path: Path, count: int) -> Path:
    """The UN list less its first ``count`` individuals, as a cut or wrong export reads."""
    data = re.sub(rb"<INDIVIDUAL>.*?</INDIVIDUAL>", b"", un_xml_bytes, count=count, flags=re.S)
    path = tmp_path / f"less-{count}.xml"
    path.write_bytes(data)
    return path


def test_sharp_shrink_is_refused(un_store: Engine, tmp_path: Path, un_xml_bytes: bytes) -> None:
    shorter = _without_individuals(un_xml_bytes, tmp_path, 100)
    with pytest.raises(ShrinkError) as info:
        load_source(
            un_store, get_source("un-xml", shorter), "un", origin="x", raw_dir=None, max_shrink=5
        )
    assert info.value.detail == (
        "un: 903 entries against 1,003 in the active version (-10.0 %), over the 5 % allowed; "
        "nothing was changed, version 1 stays active"
    )
    (version,) = list_versions_of(un_store, "un")
    assert (version.number, version.active) == (1, True)
    with un_store.connect() as conn:
        assert conn.execute(select(entities.c.version_id).distinct()).scalars().all() == [1]


@pytest.mark.parametrize(("max_shrink", "removed"), [(None, 100), (10.0, 100), (5.0, 50)])
def test_shrink_within_the_limit_loads(
    un_store: Engine,
    tmp_path: Path,
    un_xml_bytes: bytes,
    max_shrink: float | None,
    removed: int,
) -> None:
    shorter = _without_individuals(un_xml_bytes, tmp_path, removed)
    source = get_source("un-xml", shorter)
    number = load_source(un_store, source, "un", origin="x", raw_dir=None, max_shrink=max_shrink)
    assert number == 2
    assert list_versions_of(un_store, "un")[1].record_count == 1003 - removed


def test_second_load_of_a_list_waits_then_refuses(engine: Engine, settings: Settings) -> None:
    """A load started while another of the same list is running refuses cleanly and writes
    nothing; the first one completes."""
    refusals: list[BusyError] = []

    def second_load(_done: int) -> None:
        if refusals:
            return
        with pytest.raises(BusyError) as info:
            load_source(
                engine,
                get_source("un-xml", BUNDLED_UN),
                "un",
                origin="2",
                raw_dir=None,
                lock_wait=0.2,
            )
        refusals.append(info.value)

    load_source(
        engine,
        get_source("un-xml", BUNDLED_UN),
        "un",
        origin="1",
        raw_dir=None,
        progress=second_load,
    )
    (refusal,) = refusals
    assert refusal.detail.startswith("list 'un' was not loaded: ")
    assert "nothing was changed, try again when it has finished" in refusal.detail
    (version,) = list_versions_of(engine, "un")
    assert (version.number, version.origin, version.active) == (1, "1", True)
    assert _load(engine, settings, BUNDLED_UN) == 2
