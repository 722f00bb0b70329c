"""The watchlist store: named lists, their versions and their entities (SQLAlchemy).

The names below are imported from their modules on first use: loading and reading entities
need followthemoney (about 0.5 s to import), and a command that only reads the store's tables
(``watchkeeper match``, with its index cached) must not wait for it."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from watchkeeper.store.diff import diff_versions
    from watchkeeper.store.engine import open_engine
    from watchkeeper.store.loading import load_source
    from watchkeeper.store.reading import find_entity, list_versions_of, record_entities

_MODULES = {
    "diff_versions": "watchkeeper.store.diff",
    "open_engine": "watchkeeper.store.engine",
    "load_source": "watchkeeper.store.loading",
    "find_entity": "watchkeeper.store.reading",
    "list_versions_of": "watchkeeper.store.reading",
    "record_entities": "watchkeeper.store.reading",
}

__all__ = [
    "diff_versions",
    "find_entity",
    "list_versions_of",
    "load_source",
    "open_engine",
    "record_entities",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
