"""Scanning a document for listed entities: names, aliases and UN reference numbers.

What counts (see docs/documents.md): a full name of two name words or more matching one of
an entity's names (``matching.mentions``), a one-word organisation name that stands alone
(Hamas, Al-Qaida), or a UN reference number (QDi.006). One-word names of persons and
vessels, weak aliases of one word and acronyms ("IS", "ISI", "AQI") are *supporting*: kept
only when the same entity is named in full or by its reference elsewhere in the document.
"""

from dataclasses import dataclass
from typing import Any

from watchkeeper.lanes.documents.extract import Document
from watchkeeper.lanes.documents.references import references
from watchkeeper.matching.mentions import Mention, MentionFinder
from watchkeeper.matching.screener import Screener

CONTEXT = 60  # characters of text kept on each side of a mention in its snippet
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

    document: Document
    entities: tuple[EntityFinding, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "path": self.document.path,
            "kind": self.document.kind,
            "characters": len(self.document.text),
            "pages": len(self.document.pages) or None,
            "entities": [e.as_dict() for e in self.entities],
        }


class DocumentScanner:
    """Scans documents against one screener; keep one for a batch (it remembers words)."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener
        self.finder = MentionFinder(screener)

    def scan(self, document: Document) -> DocumentReport:
        """The listed entities a document names (see the module docstring for the rule)."""
        text = document.text
        mentions = self.finder.find(text)
        refs = references(text, self.screener.index)
        supported = {m.hit.entity_id for m in mentions} | {r.entity_id for r in refs}
        if supported:
            mentions += self.finder.supporting(text, supported, mentions)
        found: dict[str, list[Found]] = {}
        for m in mentions:
            found.setdefault(m.hit.entity_id, []).append(self._found(document, m))
        for r in refs:
            place = Found(
                r.start,
                r.end,
                text[r.start : r.end],
                snippet(text, r.start, r.end),
                1.0,
                REFERENCE,
                document.page_at(r.start),
            )
            found.setdefault(r.entity_id, []).append(place)
        entities = [self._entity(eid, places) for eid, places in found.items()]
        entities.sort(key=lambda e: (-e.score, e.entity_id))
        return DocumentReport(document, tuple(entities))

    def _found(self, document: Document, mention: Mention) -> Found:
        text = document.text
        return Found(
            mention.start,
            mention.end,
            mention.text,
            snippet(text, mention.start, mention.end),
            mention.hit.score,
            NAME if mention.alone else SUPPORTING,
            document.page_at(mention.start),
        )

    def _entity(self, entity_id: str, places: list[Found]) -> EntityFinding:
        book = self.finder.book
        subject = book.subjects[book.numbers[entity_id]]
        places.sort(key=lambda f: f.start)
        name = subject.names[0] if subject.names else entity_id
        return EntityFinding(entity_id, subject.list_name or "", name, tuple(places))


def snippet(text: str, start: int, end: int) -> str:
    """The mention with ``CONTEXT`` characters either side, white space made single spaces."""
    left = " ".join(text[max(0, start - CONTEXT) : start].split())
    right = " ".join(text[end : end + CONTEXT].split())
    middle = " ".join(text[start:end].split())
    before = ("… " if start > CONTEXT else "") + left
    after = right + (" …" if end + CONTEXT < len(text) else "")
    return f"{before} [{middle}] {after}".strip()
