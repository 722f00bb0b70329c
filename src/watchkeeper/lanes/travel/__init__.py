"""Travel messages (PAXLST API lists and PNRGOV bookings) read into one typed model.

Entry points: ``parse_messages`` for bytes or text already in hand, ``parse_file`` for a
file. Any fault in the input raises ``TravelMessageError`` naming the file, the segment
number and the problem; nothing else escapes.
"""

from dataclasses import replace
from pathlib import Path

from watchkeeper.lanes.travel.edifact import (
    Envelope,
    TravelMessageError,
    fault,
    split_messages,
    tokenize,
)
from watchkeeper.lanes.travel.model import (
    Booking,
    FlightLeg,
    Payment,
    Segment,
    TravelDocument,
    Traveller,
    TravelMessage,
)
from watchkeeper.lanes.travel.paxlst import parse_paxlst
from watchkeeper.lanes.travel.pnrgov import parse_pnrgov

__all__ = [
    "Booking",
    "FlightLeg",
    "Payment",
    "Segment",
    "TravelDocument",
    "TravelMessage",
    "TravelMessageError",
    "Traveller",
    "parse_file",
    "parse_messages",
]


def parse_messages(data: bytes | str, path: str, *, strict: bool = True) -> list[TravelMessage]:
    """Every message of one interchange, PAXLST or PNRGOV as each UNH says.

    ``strict`` (the default) refuses counts and trailer references that do not add up
    (UNT, UNE, UNZ, CNT); ``strict=False`` keeps such messages and lists the faults in
    ``TravelMessage.issues``. Structural faults raise either way.
    """
    text, segments, tail = tokenize(data, path)
    envelope = Envelope(path, strict)
    messages: list[TravelMessage] = []
    for raw in split_messages(segments, tail, envelope):
        if raw.message_type == "PAXLST":
            messages.append(parse_paxlst(raw, text, path, envelope))
        elif raw.message_type == "PNRGOV":
            messages.append(parse_pnrgov(raw, text, path))
        else:
            problem = f"message type {raw.message_type!r} is neither PAXLST nor PNRGOV"
            raise fault(path, raw.segments[0], problem)
    if envelope.issues:
        issues = tuple(envelope.issues)
        messages = [replace(message, issues=issues) for message in messages]
    return messages


def parse_file(path: str | Path, *, strict: bool = True) -> list[TravelMessage]:
    """``parse_messages`` on a file; an unreadable file is a ``TravelMessageError`` too."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise TravelMessageError.at(str(path), "file", f"cannot read: {error}") from error
    return parse_messages(data, str(path), strict=strict)
