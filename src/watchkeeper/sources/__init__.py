"""List formats: one module per format, all behind ``ListSource``; ``get_source`` picks one.

The names below are imported from their modules on first use: the formats' readers need
followthemoney (about 0.5 s to import), and a command that reads only the shared input
helpers (``inputs``, ``lines``) or the reference prefixes (``references``), as
``watchkeeper match`` and ``screen`` do, must not wait for it."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from watchkeeper.sources.base import ListSource, Record
    from watchkeeper.sources.references import REFERENCE_PREFIXES
    from watchkeeper.sources.registry import SOURCES, get_source, named, needs_four_eyes

_MODULES = {
    "REFERENCE_PREFIXES": "watchkeeper.sources.references",
    "SOURCES": "watchkeeper.sources.registry",
    "ListSource": "watchkeeper.sources.base",
    "Record": "watchkeeper.sources.base",
    "get_source": "watchkeeper.sources.registry",
    "named": "watchkeeper.sources.registry",
    "needs_four_eyes": "watchkeeper.sources.registry",
}

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
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
