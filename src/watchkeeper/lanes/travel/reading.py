"""The shape of both message readers: one pass over a message's segments, each tag mapped to
a small function that updates the message being built.

A reader's table says which tags mean something where it is: PAXLST reads traveller detail
only once a traveller is open, PNRGOV reads a booking's groups only inside a booking and
skips its history. Switching the table as the message moves on keeps each handler to what
its segment says; a tag not in the table in force is skipped, as EDIFACT readers do with
segments they do not use.
"""

from collections.abc import Callable, Mapping
from typing import Self, TypeVar

from watchkeeper.lanes.travel.edifact import RawMessage
from watchkeeper.lanes.travel.model import Segment


class SegmentReader:
    """A message being read: ``handlers`` is the table in force, which handlers may switch."""

    handlers: Mapping[str, Callable[[Self, Segment], None]]

    def read(self: Self, raw: RawMessage) -> None:
        """Apply each segment between UNH and UNT to the message, in order."""
        for segment in raw.segments[1:-1]:
            handler = self.handlers.get(segment.tag)
            if handler is not None:
                handler(self, segment)


Reader = TypeVar("Reader", bound=SegmentReader)
Handlers = Mapping[str, Callable[[Reader, Segment], None]]
"""A reader's table: each segment tag it reads, with the function applying it."""
