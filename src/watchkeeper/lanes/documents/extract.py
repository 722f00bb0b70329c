"""Text out of a document file: plain text, HTML or PDF, as one string whose offsets the
mentions report (for a PDF, with the offset where each page starts)."""

import bisect
from dataclasses import dataclass
from pathlib import Path

from watchkeeper.errors import SourceError
from watchkeeper.lanes.documents.html import html_text
from watchkeeper.lanes.documents.pdf import PAGE_BREAK, pdf_pages

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True, slots=True)
class Document:
    """A document's extracted text; ``pages`` holds each page's start offset (PDF only)."""

    path: str
    kind: str  # text, html or pdf
    text: str
    pages: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page (from 1) holding ``offset``; None for a document without pages."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None


def kind_of(path: Path, head: bytes) -> str:
    """pdf, html or text: by the file's first bytes, then by its suffix."""
    start = head.lstrip()[:512].lower()
    if head.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        return "pdf"
    if path.suffix.lower() in HTML_SUFFIXES or start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def extract(path: Path) -> Document:
    """The text of one file; SourceError naming the file, the position and the fault."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError.at(str(path), "file", f"cannot read: {exc.strerror or exc}") from exc
    kind = kind_of(path, data[:1024])
    if kind == "pdf":
        pages = pdf_pages(data, str(path))
        starts, offset = [], 0
        for page in pages:
            starts.append(offset)
            offset += len(page) + len(PAGE_BREAK)
        return Document(str(path), kind, PAGE_BREAK.join(pages), tuple(starts))
    if kind == "html":
        return Document(str(path), kind, html_text(data, str(path)))
    return Document(str(path), kind, plain_text(data, str(path)))


def plain_text(data: bytes, path: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); any other encoding is a fault, named at
    the first byte that is not UTF-8, rather than a silent guess that shifts the offsets."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError.at(path, f"byte {exc.start}", "not UTF-8 text") from exc
