"""A documents alert's input, as structured data (never a repr): the document and each
place that names the listed entity, with the mention's span apart from the text around it
and the page it is on."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watchkeeper.lanes.documents.lane import DocumentsLane
from watchkeeper.lanes.documents.scanning import CONTEXT
from watchkeeper.store.alert_lookup import StoredAlert
from watchkeeper.workbench.kept import KeptInput


@dataclass(frozen=True, slots=True)
class MentionView:
    """One place in the document: ``before`` + ``text`` + ``after`` is the snippet, with
    ``text`` (characters ``start`` to ``end`` of the document) the span that matched."""

    start: int
    end: int
    page: int | None  # 1-based; None for a document without pages
    how: str  # name, reference (a UN reference number) or supporting
    score: float
    before: str
    text: str
    after: str


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """The document an alert came from and the places it names the entity: the first
    ``len(mentions)`` of ``total``."""

    input_id: int | None  # None for a document scanned without being kept
    path: str
    kind: str  # text, html, pdf
    received_at: datetime | None
    total: int
    mentions: tuple[MentionView, ...]


def document_input(kept: KeptInput | None, alert: StoredAlert) -> DocumentInput:
    """The places ``alert``'s explanation lists, cut from the kept document's text (its
    snippets when the document was not kept)."""
    said = alert.explanation or {}
    text = DocumentsLane().read(kept.raw, kept.path).records[0].text if kept else None
    places: list[dict[str, Any]] = list(said.get("places") or [])
    return DocumentInput(
        input_id=kept.id if kept else None,
        path=str(said.get("path") or (kept.path if kept else "")),
        kind=str(said.get("kind") or ""),
        received_at=kept.received_at if kept else None,
        total=int(said.get("mentions") or len(places)),
        mentions=tuple(_mention(place, text) for place in places),
    )


def _mention(place: dict[str, Any], text: str | None) -> MentionView:
    start, end = int(place["start"]), int(place["end"])
    if text is not None:
        before = " ".join(text[max(0, start - CONTEXT) : start].split())
        middle = text[start:end]
        after = " ".join(text[end : end + CONTEXT].split())
    else:
        before, middle, after = _split_snippet(str(place["snippet"]), str(place["text"]))
    return MentionView(
        start=start,
        end=end,
        page=place.get("page"),
        how=str(place.get("how") or ""),
        score=float(place.get("score") or 0.0),
        before=before,
        text=middle,
        after=after,
    )


def _split_snippet(snippet: str, text: str) -> tuple[str, str, str]:
    """A snippet as ``scanning.snippet`` writes it (``before [text] after``), split."""
    middle = " ".join(text.split())
    at = snippet.find(f"[{middle}]")
    if at < 0:
        return snippet, "", ""
    return snippet[:at].rstrip(), middle, snippet[at + len(middle) + 2 :].lstrip()
