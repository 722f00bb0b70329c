"""The lanes watchkeeper serves, by name: the CLI's ``ingest``, the service's
``POST /lanes/{lane}/inputs`` and the web upload's lane selector all read this list, so a new
lane is its folder plus one line at the end of this module.

Names are stable keys (stored in every alert, part of URLs), so they are checked when a lane
is registered: unique, lower case letters, digits and underscores, at most 16 characters
(the width of ``alerts.lane``).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from watchkeeper.errors import NotFoundError
from watchkeeper.lanes.base import Lane
from watchkeeper.lanes.documents.lane import DocumentsLane
from watchkeeper.lanes.finance.lane import FinanceLane
from watchkeeper.lanes.images.lane import ImagesLane
from watchkeeper.lanes.travel.lane import TravelLane

AnyLane = Lane[Any, Any]
_NAME = re.compile(r"[a-z][a-z0-9_]{0,15}")
_LANES: dict[str, AnyLane] = {}


def register(lane: AnyLane) -> AnyLane:
    """Add ``lane``; a ``ValueError`` for a name taken or not fit to be a key."""
    if not _NAME.fullmatch(lane.name):
        raise ValueError(f"lane name {lane.name!r}: lower case letters, digits, _; at most 16")
    if lane.name in _LANES:
        raise ValueError(f"a lane named {lane.name!r} is registered already")
    if not lane.examples():
        raise ValueError(f"lane {lane.name!r} gives no example input")
    _LANES[lane.name] = lane
    return lane


def unregister(name: str) -> None:
    """Remove the lane called ``name`` (a test's lane, once the test is done)."""
    del _LANES[name]


@contextmanager
def registered(lane: AnyLane) -> Iterator[AnyLane]:
    """``lane`` registered for the duration of a ``with`` block."""
    register(lane)
    try:
        yield lane
    finally:
        unregister(lane.name)


def get_lane(name: str) -> AnyLane:
    """The lane called ``name``; ``NotFoundError`` naming the lanes there are."""
    try:
        return _LANES[name]
    except KeyError:
        raise NotFoundError(f"no lane {name!r}; lanes: {', '.join(_LANES)}") from None


def all_lanes() -> list[AnyLane]:
    """Every lane, in the order registered."""
    return list(_LANES.values())


register(TravelLane())
register(FinanceLane())
register(DocumentsLane())
register(ImagesLane())
