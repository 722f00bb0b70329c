"""The garbage collector and the service's heap: a snapshot is frozen out of the collector's
walks while it serves, and freed all the same once a new one replaces it."""

import gc
import weakref

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.conftest import FIXTURES
from watchkeeper.service.app import YOUNG_OBJECTS
from watchkeeper.service.deps import services_of
from watchkeeper.sources import get_source
from watchkeeper.store import load_source


def walked(thing: object) -> bool:
    """Whether the collector's generations hold ``thing`` (frozen objects are in none)."""
    return any(o is thing for o in gc.get_objects())


def test_a_serving_snapshot_is_frozen_and_freed_once_replaced(
    client: TestClient, store: Engine
) -> None:
    """Snapshots the service builds itself (a test's first one may be shared by the run)."""
    assert gc.get_threshold()[0] == YOUNG_OBJECTS
    matchers = services_of(client.app).matchers  # type: ignore[arg-type]
    ofac = FIXTURES / "ofac" / "sdn_small"
    load_source(store, get_source("ofac-csv", ofac), "ofac", origin="test", raw_dir=None)
    assert matchers.refresh() is True
    first = weakref.ref(matchers.current())
    assert not walked(first()) and not walked(matchers.current().screener.index)
    load_source(store, get_source("ofac-csv", ofac), "ofac-again", origin="test", raw_dir=None)
    assert matchers.refresh() is True
    assert first() is None
    assert not walked(matchers.current())
