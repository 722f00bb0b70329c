"""EDIFACT syntax: service string advice, segments, and the UNB/UNG/UNH envelope checks.

The separators come from the ``UNA`` advice, read with pydifact's ``Characters``. Splitting
is done here with ``str.split`` rather than pydifact's ``Parser``: that parser walks the text
one character at a time (about 90 ms for the 47 KB Test3.txt against a 20 ms budget), warns
on every segment and rejects the ``UNG `` tag some airlines write. The envelope counts are
checked here too, because they are how a truncated or spliced transmission is noticed.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from pydifact.control.characters import Characters

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.travel.model import Segment

_DEFAULT = Characters.from_str(":+.? '")  # ISO 9735 level A defaults
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
# ISO 9735: interchange count n..6, control reference an..14 without spaces.
_COMPLETE_UNZ = re.compile(r"UNZ\+[0-9]{1,6}\+[^ +]{1,14}")


class TravelMessageError(SourceError):
    """A PAXLST or PNRGOV message that cannot be read or does not add up."""


@dataclass(frozen=True, slots=True)
class RawMessage:
    """The segments of one UNH..UNT message and what its header says about it."""

    message_type: str  # PAXLST, PNRGOV
    version: str
    reference: str
    sender: str
    interchange: str  # UNB control reference: with the sender, names the interchange
    prepared: date  # UNB date: the pivot for two-digit years
    segments: tuple[Segment, ...]


def fault(path: str, segment: Segment | None, problem: str) -> TravelMessageError:
    """The error for one fault, placed at a segment (or at the file when there is none)."""
    return TravelMessageError([SourceIssue(path, segment.position if segment else "file", problem)])


def decode(data: bytes | str) -> str:
    """Text of a message: UTF-8 when it is, else Latin-1 (IATA level B is a subset of both)."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def service_characters(text: str, path: str) -> tuple[Characters, str]:
    """The separators and the text after the UNA advice (or all of it when there is none).

    Like GTAS (``EdifactUtils.getUnaSegment``), a UNA whose six characters are not printable
    ASCII is ignored and the defaults apply: GTAS samples such as codeshare.edi carry a
    five-character ``UNA:+\\*'`` or a typographic quote as terminator, yet use ``+:'``.
    """
    body = text.lstrip()
    if not body.startswith("UNA"):
        return _DEFAULT, body
    advice = body[3:9]
    if len(advice) == 6 and all(" " <= char <= "~" for char in advice):
        characters = Characters.from_str(advice)  # raises only for a length other than 6
        separators = {
            characters.component_separator,
            characters.data_separator,
            characters.segment_terminator,
        }
        # Spaces are stripped around segments, so none may be a separator; a space as
        # release character means "none" (ISO 9735), handled in ``tokenize``.
        if len(separators) == 3 and not separators & {" ", characters.escape_character}:
            return characters, body[9:]
    start = body.find("UNB", 3)
    if start == -1 or start > 12:
        raise fault(path, None, f"malformed UNA service string advice {body[:9]!r}")
    return _DEFAULT, body[start:]


@lru_cache(maxsize=8)
def _unescaper(release: str) -> re.Pattern[str]:
    return re.compile(re.escape(release) + "(.)", re.DOTALL)


def _split(text: str, separator: str, release: str) -> list[str]:
    """Split at separators that are not released (preceded by an odd run of release chars)."""
    parts = text.split(separator)
    if not release or release not in text:
        return parts
    joined: list[str] = []
    pending: str | None = None
    for part in parts:
        pending = part if pending is None else pending + separator + part
        run = len(pending) - len(pending.rstrip(release))
        if run % 2 == 0:
            joined.append(pending)
            pending = None
    if pending is not None:
        joined.append(pending)
    return joined


def tokenize(data: bytes | str, path: str) -> tuple[str, list[Segment], str]:
    """The decoded text, its segments numbered from UNB = 1, and any unterminated tail.

    Line breaks are dropped before splitting, as GTAS does (``convertToSingleLine``): senders
    put them between segments and sometimes wrap inside one.
    """
    text = decode(data)
    characters, body = service_characters(text, path)
    terminator = characters.segment_terminator
    data_sep = characters.data_separator
    component_sep = characters.component_separator
    release = characters.escape_character.strip()
    flat = body.replace("\r", "").replace("\n", "")
    if not release or release not in flat:
        # The common case: nothing is escaped, so plain splits are exact. Inlined, because
        # this loop is most of the time spent on a large message.
        pieces = flat.split(terminator)
        tail = pieces.pop().strip()
        segments: list[Segment] = []
        append = segments.append
        new = tuple.__new__  # Segment(...) without the named tuple's Python-level __new__
        for number, piece in enumerate(filter(None, map(str.strip, pieces)), start=1):
            tag, *elements = piece.split(data_sep)
            if component_sep in piece:
                components = tuple([tuple(element.split(component_sep)) for element in elements])
            else:
                components = tuple([(element,) for element in elements])
            append(new(Segment, (number, tag.strip(), components, piece + terminator)))
    else:
        pieces = _split(flat, terminator, release)
        tail = pieces.pop().strip()
        unescape = _unescaper(release).sub
        segments = []
        for number, piece in enumerate(filter(None, map(str.strip, pieces)), start=1):
            segment = _segment(piece, number, terminator, data_sep, component_sep, release)
            unescaped = tuple(tuple(unescape(r"\1", c) for c in e) for e in segment.elements)
            segments.append(Segment(number, segment.tag, unescaped, segment.text))
    valid: set[str] = set()  # a message uses a few dozen tags: check each once
    for segment in segments:
        if segment.tag not in valid:
            if not _TAG.fullmatch(segment.tag):
                raise fault(path, segment, f"{segment.tag[:10]!r} is not a segment tag")
            valid.add(segment.tag)
    if tail:
        last = _segment(tail, len(segments) + 1, "", data_sep, component_sep, release)
        # A UNZ whose only flaw is the missing final terminator loses nothing (GTAS samples
        # such as pnrMessagePg76.txt end so); anything else unterminated is a cut-off message.
        if last.tag == "UNZ" and _COMPLETE_UNZ.fullmatch(tail.replace(data_sep, "+")):
            segments.append(last)
            tail = ""
        elif not segments or segments[-1].tag != "UNZ":
            problem = f"segment not terminated by {terminator!r} (message truncated?)"
            raise fault(path, last, problem)
    return text, segments, tail


def _segment(
    piece: str, number: int, terminator: str, data_sep: str, component_sep: str, release: str
) -> Segment:
    elements = _split(piece, data_sep, release)
    tag = elements[0].strip()
    return Segment(
        number,
        tag,
        tuple(tuple(_split(element, component_sep, release)) for element in elements[1:]),
        piece + terminator,
    )


class Envelope:
    """Collects the interchange's bookkeeping faults: raised at once when strict, else kept.

    Nearly every GTAS sample has a UNT segment count that is off (hand-edited test data that
    GTAS never checks), and pnr4.txt a shortened UNZ reference. Such a count or reference
    does not lose data by itself, so a lenient reader keeps the message and reports the fault
    as an issue; a strict reader (the default) refuses it, since a wrong count is also the
    sign of a transmission cut short or of two messages run together. Structural faults (a
    missing UNT or UNZ, an unterminated segment) always raise.
    """

    def __init__(self, path: str, strict: bool) -> None:
        self.path = path
        self.strict = strict
        self.issues: list[SourceIssue] = []

    def report(self, segment: Segment, problem: str) -> None:
        """Raise the fault when strict, else keep it for ``TravelMessage.issues``."""
        if self.strict:
            raise fault(self.path, segment, problem)
        self.issues.append(SourceIssue(self.path, segment.position, problem))

    def check_count(self, segment: Segment, actual: int, what: str) -> None:
        """Compare a trailer's declared count (``segment`` element 0) with what was found."""
        declared = segment.get(0)
        if not (digits(declared) and int(declared) == actual):
            self.report(segment, f"{segment.tag} says {declared!r} {what}, found {actual}")

    def check_reference(self, segment: Segment, expected: str, header: str) -> None:
        """A trailer's reference (element 1) must repeat its header's; omitting it is common."""
        got = segment.get(1)
        if got and got != expected:
            self.report(segment, f"{segment.tag} reference {got!r} differs from {header}'s")


def split_messages(segments: list[Segment], tail: str, envelope: Envelope) -> list[RawMessage]:
    """Check the interchange envelope and cut it into UNH..UNT messages.

    Checked: UNB first; UNT segment count (UNH to UNT inclusive) and reference; UNE count
    and reference; UNZ count (messages, or groups when UNG is used) and reference; nothing
    after UNZ.
    """
    path = envelope.path
    if not segments:
        raise fault(path, None, "no segments: not an EDIFACT interchange")
    unb = segments[0]
    if unb.tag != "UNB":
        raise fault(path, unb, f"interchange must start with UNB, not {unb.tag}")
    messages: list[RawMessage] = []
    groups = 0
    group: Segment | None = None
    group_messages = 0
    opened: int | None = None  # list index of the open message's UNH
    for position, segment in enumerate(segments[1:], start=1):
        tag = segment.tag
        if opened is not None:
            if tag == "UNH":
                raise fault(path, segment, "UNH before the UNT of the message it interrupts")
            if tag == "UNT":
                body = segments[opened : position + 1]
                envelope.check_count(segment, len(body), "segments from UNH to UNT")
                envelope.check_reference(segment, body[0].get(0), "UNH")
                messages.append(_message(body, unb))
                group_messages += 1
                opened = None
            elif tag in ("UNB", "UNG", "UNE", "UNZ"):
                raise fault(path, segment, f"{tag} inside a message: its UNT is missing")
            continue
        if tag == "UNH":
            opened = position
        elif tag == "UNG" and group is None:
            group, group_messages = segment, 0
            groups += 1
        elif tag == "UNE" and group is not None:
            envelope.check_count(segment, group_messages, "messages in the group")
            envelope.check_reference(segment, group.get(4), "UNG")
            group = None
        elif tag == "UNZ" and group is None:
            if position != len(segments) - 1:
                raise fault(path, segments[position + 1], "segment after UNZ")
            if not messages:
                raise fault(path, segment, "interchange holds no message")
            envelope.check_count(
                segment, groups or len(messages), "groups" if groups else "messages"
            )
            envelope.check_reference(segment, unb.get(4), "UNB")
            if tail:
                envelope.report(segment, f"text after UNZ ignored: {tail[:40]!r}")
            return messages
        else:
            raise fault(path, segment, f"{tag} out of place between messages")
    open_at = segments[opened] if opened is not None else segments[-1]
    raise fault(path, open_at, "interchange ends without UNT/UNZ (message truncated?)")


def _message(segments: list[Segment], unb: Segment) -> RawMessage:
    unh = segments[0]
    return RawMessage(
        message_type=unh.get(1, 0),
        version=f"{unh.get(1, 1)}:{unh.get(1, 2)}",
        reference=unh.get(0),
        sender=unb.get(1),
        interchange=unb.get(4),
        prepared=ymd(unb.get(3), date.today(), past=True) or date.today(),
        segments=tuple(segments),
    )


# Dates. Messages write years with two digits; the UNB date decides the century: a birth
# date lies before it, an expiry or flight within fifty years of it. Every helper returns
# None for text that is not a date, so a bad date never stops a message from being read.

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}


def digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²", which ``int`` then refuses."""
    return text.isascii() and text.isdigit()


def _year(digits: str, reference: date, past: bool) -> int:
    if len(digits) == 4:
        return int(digits)
    year = reference.year // 100 * 100 + int(digits)
    if past:
        return year - 100 if year > reference.year else year
    if year > reference.year + 50:
        return year - 100
    return year + 100 if year < reference.year - 50 else year


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def ymd(text: str, reference: date, past: bool = False) -> date | None:
    """YYMMDD or CCYYMMDD (EDIFACT formats 101 and 102)."""
    if len(text) not in (6, 8) or not digits(text):
        return None
    year = _year(text[:-4], reference, past)
    return _date(year, int(text[-4:-2]), int(text[-2:]))


def ymd_hm(text: str, reference: date) -> datetime | None:
    """YYMMDDHHMM or CCYYMMDDHHMM (formats 201 and 203)."""
    day = ymd(text[:-4], reference)
    return _at(day, text[-4:]) if len(text) in (10, 12) and day else None


def dmy(text: str, reference: date, past: bool = False) -> date | None:
    """DDMMYY, the PNRGOV date."""
    if len(text) != 6 or not digits(text):
        return None
    return _date(_year(text[4:], reference, past), int(text[2:4]), int(text[:2]))


def dmy_hm(day_text: str, time_text: str, reference: date) -> datetime | None:
    """A PNRGOV DDMMYY date with an optional HHMM time."""
    day = dmy(day_text, reference)
    return _at(day, time_text or "0000") if day else None


def dmmmy(text: str, reference: date, past: bool = False) -> date | None:
    """DDMMMYY, the SSR DOCS date (26DEC48)."""
    text = text.strip()
    month = _MONTHS.get(text[2:5])
    if len(text) != 7 or month is None or not digits(text[:2] + text[5:]):
        return None
    return _date(_year(text[5:], reference, past), month, int(text[:2]))


def _at(day: date, clock: str) -> datetime | None:
    """The day at HHMM, or HHMMSS (RCI creation times carry seconds)."""
    if len(clock) not in (4, 6) or not digits(clock):
        return None
    hour, minute, second = int(clock[:2]), int(clock[2:4]), int(clock[4:] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return datetime(day.year, day.month, day.day, hour, minute, second)
