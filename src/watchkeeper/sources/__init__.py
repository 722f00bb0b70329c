"""List formats: one module per format, all behind ``ListSource``; ``get_source`` picks one.

The names below are imported from ``registry`` on first use: the formats' readers need
followthemoney (about 0.5 s to import), and a command that reads only the shared input
helpers (``inputs``, ``lines``: ``watchkeeper match``, ``screen``) must not wait for it."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from watchkeeper.sources.base import ListSource, Record
    from watchkeeper.sources.registry import (
        REFERENCE_PREFIXES,
        SOURCES,
        get_source,
        named,
        needs_four_eyes,
    )

__all__ = [
    "REFERENCE_PREFIXES",
    "SOURCES",
    "ListSource",
    "Record",
    "get_source",
    "named",
    "needs_four_eyes",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module("watchkeeper.sources.registry"), name)
