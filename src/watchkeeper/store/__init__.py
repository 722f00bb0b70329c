"""The watchlist store: named lists, their versions and their entities (SQLAlchemy)."""

from watchkeeper.store.diff import diff_versions
from watchkeeper.store.engine import open_engine
from watchkeeper.store.loading import load_source
from watchkeeper.store.reading import find_entity, list_versions_of, record_entities

__all__ = [
    "diff_versions",
    "find_entity",
    "list_versions_of",
    "load_source",
    "open_engine",
    "record_entities",
]
