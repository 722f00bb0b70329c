"""The list versions page: each version's added, removed and changed counts (aggregated in
the database, agreeing with ``store.diff``) and one version's entries."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.conftest import store_copy
from tests.store.test_diff import _edited_un_list
from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.overview.versions import version_changes, version_history
from watchkeeper.sources import get_source
from watchkeeper.store import diff_versions, load_source


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def three_versions(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, un_xml_bytes: bytes
) -> Iterator[Engine]:
    """The UN list (version 1), edited (2: QDi.325 removed, QDi.318 changed, QDi.999 added),
    and the edited file again (3: nothing changed); built once a module, only read."""
    folder = tmp_path_factory.mktemp("versions")
    edited = _edited_un_list(un_xml_bytes, folder / "v2.xml")
    with store_copy(request, folder) as engine:
        for _ in range(2):
            source = get_source("un-xml", edited)
            load_source(engine, source, "un", origin=str(edited), raw_dir=None)
        yield engine


def test_each_version_with_its_changes(three_versions: Engine) -> None:
    v3, v2, v1 = version_history(three_versions)
    assert [(v.number, v.active) for v in (v3, v2, v1)] == [(3, True), (2, False), (1, False)]
    assert (v1.added, v1.removed, v1.changed, v1.entries) == (1003, 0, 0, 1003)
    assert (v2.added, v2.removed, v2.changed, v2.entries) == (1, 1, 1, 1003)
    assert (v3.added, v3.removed, v3.changed) == (0, 0, 0)
    assert v2.origin.endswith("v2.xml") and v2.skipped == 0
    assert v1.loaded_at.tzinfo is not None and v1.entities > v1.entries


def test_the_counts_agree_with_the_diff(three_versions: Engine) -> None:
    _, v2, _ = version_history(three_versions, "un")
    diff = diff_versions(three_versions, "un", 1, 2)
    assert (v2.added, v2.removed, v2.changed) == (
        len(diff.added),
        len(diff.removed),
        len(diff.changed),
    )


def test_the_newest_versions_only(three_versions: Engine) -> None:
    shown = version_history(three_versions, "un", limit=2)
    assert [(v.number, v.added, v.removed, v.changed) for v in shown] == [
        (3, 0, 0, 0),
        (2, 1, 1, 1),  # still counted against version 1, which is not shown
    ]
    with pytest.raises(UsageError, match="limit: 0"):
        version_history(three_versions, limit=0)


def test_one_versions_entries(three_versions: Engine) -> None:
    changes = version_changes(three_versions, "un", 2)
    assert (changes.from_version, changes.to_version) == (1, 2)
    assert [r.record_id for r in changes.added] == ["un-QDi.999"]
    assert [r.record_id for r in changes.removed] == ["un-QDi.325"]
    assert [c.record_id for c in changes.changed] == ["un-QDi.318"]
    first = version_changes(three_versions, "un", 1)
    assert (first.from_version, len(first.added), first.removed, first.changed) == (0, 1003, [], [])
    assert first.added[0].schema and first.added[0].caption


def test_unknown_lists_and_versions(three_versions: Engine) -> None:
    with pytest.raises(NotFoundError, match="no list named 'ofac'"):
        version_history(three_versions, "ofac")
    with pytest.raises(NotFoundError, match="has no version 9"):
        version_changes(three_versions, "un", 9)
