"""Pausing Python's garbage collector around work that makes many objects in no cycle
(imports of a command's libraries, reading a cached index): each collection would walk
every object of the process for nothing, up to half that work's time."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """No collection inside; with ``freeze``, the objects made are then set aside for good
    (``gc.freeze``: modules and their tables live as long as the process), so that later
    collections do not walk them either."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
