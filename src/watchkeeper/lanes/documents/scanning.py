"""Scanning a document for listed entities: names, aliases and UN reference numbers.

What counts (see docs/documents.md): a full name of two name words or more matching one of
an entity's names (``matching.mentions``), a one-word organisation name that stands alone
(Hamas, Al-Qaida), or a UN reference number (QDi.006). One-word names of persons and
vessels, weak aliases of one word and acronyms ("IS", "ISI", "AQI") are *supporting*: kept
only when the same entity is named in full or by its reference elsewhere in the document.

A document of any size is scanned in windows of ``WINDOW`` characters, each sharing
``OVERLAP`` characters with the next, so memory stays bounded. A mention belongs to the
window its start falls in (``_Window.start`` to ``end``), and each window also holds the
``OVERLAP`` characters either side of that stretch: far more than a name of ``MAX_WORDS``
words and its snippet's context, so a name across a window's edge is judged whole, once.
Whether a one-word name is supported is known only at the end, so a document of more than
one window is read twice: the second reading looks for supporting mentions alone.

Memory. A window's words are held while it is scanned (some 16 bytes a character: half a
million characters, 8 MB). The matcher's caches of name analyses (``terms``) are emptied after
each window: a scan prepares each listed candidate once (the table keeps what scoring needs),
and their analyses, some 35 MB for a long document against UN and OFAC, would otherwise stay
to the end; the scanner's own caches of words and spans are kept.
"""

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from watchkeeper.lanes.documents.extract import Piece, Readable
from watchkeeper.lanes.documents.references import references
from watchkeeper.matching.mentions import Mention, MentionFinder
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.terms import forget_name_analyses

CONTEXT = 60  # characters of text kept on each side of a mention in its snippet
WINDOW = 1 << 19  # characters scanned at a time (see Memory in the module docstring)
OVERLAP = 2_000  # characters a window shares with the next (see the module docstring)
NAME, REFERENCE, SUPPORTING = "name", "reference", "supporting"


@dataclass(frozen=True, slots=True)
class Found:
    """One place in the document that names the entity."""

    start: int
    end: int
    text: str
    snippet: str
    score: float
    how: str  # name, reference or supporting
    page: int | None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON and alert explanations."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "how": self.how,
            "page": self.page,
        }


@dataclass(frozen=True, slots=True)
class EntityFinding:
    """A listed entity named in a document, with every place that names it."""

    entity_id: str
    list_name: str
    name: str
    found: tuple[Found, ...]

    @property
    def score(self) -> float:
        """The best score of its mentions (a reference number scores 1)."""
        return max(f.score for f in self.found)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "entity_id": self.entity_id,
            "list": self.list_name,
            "name": self.name,
            "score": round(self.score, 4),
            "mentions": [f.as_dict() for f in self.found],
        }


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """What one document names, by entity, best score first."""

    path: str
    kind: str
    characters: int
    pages: int | None  # None for a document without pages
    entities: tuple[EntityFinding, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "path": self.path,
            "kind": self.kind,
            "characters": self.characters,
            "pages": self.pages,
            "entities": [e.as_dict() for e in self.entities],
        }


@dataclass(frozen=True, slots=True)
class _Window:
    """A stretch of a document's text; it reports the mentions that start in
    ``text[start:end]``."""

    offset: int  # of text[0] in the document
    text: str
    start: int
    end: int

    def owns(self, start: int) -> bool:
        return self.start <= start < self.end


class _Pages:
    """Where the pages of a document start, learnt as its pieces are read."""

    def __init__(self) -> None:
        self.starts: list[int] = []

    def at(self, offset: int) -> int | None:
        """The page (from 1) holding ``offset``; None for a document without pages."""
        return bisect.bisect_right(self.starts, offset) if self.starts else None


class DocumentScanner:
    """Scans documents against one screener; keep one for a batch (it remembers words)."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener
        self.finder = MentionFinder(screener)

    def scan(self, document: Readable) -> DocumentReport:
        """The listed entities a document names (see the module docstring for the rule)."""
        pages = _Pages()
        found: dict[str, list[Found]] = {}
        taken: list[tuple[int, int]] = []  # (start, end) of the mentions found, in order
        supported: set[str] = set()
        windows = 0
        window = _Window(0, "", 0, 0)
        for window in _windows(document.pieces(), pages):
            windows += 1
            text, offset = window.text, window.offset
            for m in self.finder.find(text):
                if window.owns(m.start):
                    place = self._found(window, m, pages)
                    found.setdefault(m.hit.entity_id, []).append(place)
                    supported.add(m.hit.entity_id)
                    taken.append((offset + m.start, offset + m.end))
            for r in references(text, self.screener.index):
                if window.owns(r.start):
                    place = Found(
                        offset + r.start,
                        offset + r.end,
                        text[r.start : r.end],
                        snippet(text, r.start, r.end, offset),
                        1.0,
                        REFERENCE,
                        pages.at(offset + r.start),
                    )
                    found.setdefault(r.entity_id, []).append(place)
                    supported.add(r.entity_id)
            forget_name_analyses()  # see Memory in the module docstring
        characters = window.offset + len(window.text)
        if supported:
            again = [window] if windows == 1 else _windows(document.pieces(), _Pages())
            for m, w in self._supporting(again, supported, taken):
                found.setdefault(m.hit.entity_id, []).append(self._found(w, m, pages))
        entities = [self._entity(eid, places) for eid, places in found.items()]
        entities.sort(key=lambda e: (-e.score, e.entity_id))
        count = len(pages.starts) or None
        return DocumentReport(document.path, document.kind, characters, count, tuple(entities))

    def _supporting(
        self, windows: Iterable[_Window], supported: set[str], taken: list[tuple[int, int]]
    ) -> Iterator[tuple[Mention, _Window]]:
        """The supporting mentions of the ``supported`` entities, outside the ``taken``
        spans, with the window each was found in."""
        starts = [start for start, _ in taken]
        for window in windows:
            first = max(0, bisect.bisect_left(starts, window.offset) - 1)
            last = bisect.bisect_left(starts, window.offset + len(window.text))
            near = [(s - window.offset, e - window.offset) for s, e in taken[first:last]]
            for m in self.finder.supporting(window.text, supported, near):
                if window.owns(m.start):
                    yield m, window

    def _found(self, window: _Window, mention: Mention, pages: _Pages) -> Found:
        at = window.offset + mention.start
        return Found(
            at,
            window.offset + mention.end,
            mention.text,
            snippet(window.text, mention.start, mention.end, window.offset),
            mention.hit.score,
            NAME if mention.alone else SUPPORTING,
            pages.at(at),
        )

    def _entity(self, entity_id: str, places: list[Found]) -> EntityFinding:
        book = self.finder.book
        subject = book.subjects[book.numbers[entity_id]]
        places.sort(key=lambda f: f.start)
        name = subject.names[0] if subject.names else entity_id
        return EntityFinding(entity_id, subject.list_name or "", name, tuple(places))


def _windows(pieces: Iterable[Piece], pages: _Pages) -> Iterator[_Window]:
    """The document's text in windows (see the module docstring); page starts are noted
    in ``pages`` as the pieces come."""
    buffer, offset, start = "", 0, 0
    waiting: list[str] = []
    size = 0  # characters waiting
    for text, new_page in pieces:
        if new_page:
            pages.starts.append(offset + len(buffer) + size)
        waiting.append(text)
        size += len(text)
        if len(buffer) + size < WINDOW + OVERLAP:
            continue
        buffer += "".join(waiting)
        waiting, size = [], 0
        while len(buffer) >= WINDOW + OVERLAP:
            end = _cut(buffer, WINDOW)
            yield _Window(offset, buffer[: end + OVERLAP], start, end)
            keep = end - OVERLAP
            buffer, offset, start = buffer[keep:], offset + keep, OVERLAP
    buffer += "".join(waiting)
    yield _Window(offset, buffer, start, len(buffer))


def _cut(text: str, at: int) -> int:
    """Where a window's own stretch ends: after a line break or a space shortly before
    ``at`` (no name runs across a line), else at ``at``."""
    for mark in ("\n", " "):
        found = text.rfind(mark, at - OVERLAP // 2, at)
        if found >= 0:
            return found + 1
    return at


def snippet(text: str, start: int, end: int, offset: int = 0) -> str:
    """The mention with ``CONTEXT`` characters either side, white space made single spaces;
    ``offset`` is where ``text`` starts in the document (a window of it)."""
    left = " ".join(text[max(0, start - CONTEXT) : start].split())
    right = " ".join(text[end : end + CONTEXT].split())
    middle = " ".join(text[start:end].split())
    before = ("… " if offset + start > CONTEXT else "") + left
    after = right + (" …" if end + CONTEXT < len(text) else "")
    return f"{before} [{middle}] {after}".strip()
