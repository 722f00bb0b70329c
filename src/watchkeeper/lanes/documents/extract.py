"""Text out of a document file: plain text, HTML or PDF, read as a stream of pieces whose
offsets, joined, are the offsets the mentions report (for a PDF, with the offset where each
page starts).

A file is read a chunk at a time, so memory stays bounded whatever its size; the scanner
reads a document twice when it must (``scanning``), so a file is opened anew for each
reading. Every failure is a ``SourceError`` naming the file, the position and the fault:
nothing is dropped without saying so.
"""

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchkeeper.errors import SourceError
from watchkeeper.lanes.documents.html import declared_encoding, html_pieces
from watchkeeper.lanes.documents.pdf import PAGE_BREAK, pdf_pages

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
CHUNK = 1 << 20  # bytes read at a time
HEAD = 4096  # bytes looked at to tell the kind and the encoding

Piece = tuple[str, bool]  # a piece of the text, and whether a page starts with it


class Readable(Protocol):
    """What the scanner reads: a named document whose text comes in pieces."""

    @property
    def path(self) -> str: ...

    @property
    def kind(self) -> str: ...

    def pieces(self) -> Iterator[Piece]:
        """The text from its start, in pieces; may be called again for a second reading."""
        ...


@dataclass(frozen=True, slots=True)
class Document:
    """A text already in memory (a test, a benchmark corpus); ``pages`` holds each page's
    start offset (empty for a document without pages)."""

    path: str
    kind: str  # text, html or pdf
    text: str
    pages: tuple[int, ...] = ()

    def pieces(self) -> Iterator[Piece]:
        """The text, a piece per page."""
        starts = self.pages or (0,)
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(self.text)
            yield self.text[start:end], bool(self.pages)


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """A document on disk, read afresh at each ``pieces()``."""

    file: Path
    kind: str  # text, html or pdf
    pdf_max_bytes: int

    @property
    def path(self) -> str:
        return str(self.file)

    def pieces(self) -> Iterator[Piece]:
        """The file's text in pieces; a SourceError at the first fault."""
        if self.kind == "pdf":
            yield from pdf_pieces(self.file, self.pdf_max_bytes)
        elif self.kind == "html":
            head = _head(self.file)
            text = decoded(_chunks(self.file), declared_encoding(head), self.path)
            yield from ((piece, False) for piece in html_pieces(text, self.path))
        else:
            yield from ((piece, False) for piece in decoded(_chunks(self.file), "utf-8", self.path))


def open_document(path: Path, pdf_max_bytes: int) -> DocumentFile:
    """A document file, its kind told from its first bytes and its name."""
    return DocumentFile(path, kind_of(path, _head(path)), pdf_max_bytes)


def kind_of(path: Path, head: bytes) -> str:
    """pdf, html or text: by the file's first bytes, then by its suffix."""
    start = head.lstrip()[:512].lower()
    if head.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        return "pdf"
    if path.suffix.lower() in HTML_SUFFIXES or start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def pdf_pieces(path: Path, max_bytes: int) -> Iterator[Piece]:
    """Each page's text, a page break between pages; a PDF over ``max_bytes`` is a fault
    (pypdf holds the whole file and its objects in memory)."""
    size = _size(path)
    if size > max_bytes:
        problem = (
            f"{size / 1e6:,.1f} MB, over the limit of {max_bytes / 1e6:,.1f} MB for a PDF "
            "(WATCHKEEPER_DOCUMENT_PDF_MAX_MB); not read"
        )
        raise SourceError.at(str(path), "file", problem)
    for number, page in enumerate(pdf_pages(path)):
        if number:
            yield PAGE_BREAK, False
        yield page, True


def decoded(chunks: Iterable[bytes], encoding: str, path: str) -> Iterator[str]:
    """The text of ``chunks`` in ``encoding`` (a UTF-8 byte-order mark dropped); a byte
    that is not of the encoding is a fault naming it, rather than a silent guess that
    shifts the offsets or mangles a name."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0  # bytes handed to the decoder so far
    first = True
    try:
        for chunk in chunks:
            if first and encoding == "utf-8" and chunk.startswith(codecs.BOM_UTF8):
                chunk, done = chunk[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
            first = False
            pending = len(decoder.getstate()[0])
            yield decoder.decode(chunk)
            done += len(chunk)
        pending = len(decoder.getstate()[0])
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        where = f"byte {done - pending + exc.start}"
        raise SourceError.at(path, where, f"not {encoding.upper()} text") from exc


def _chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes, ``CHUNK`` at a time."""
    done = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
                done += len(chunk)
    except OSError as exc:
        raise SourceError.at(str(path), f"byte {done}", _cannot_read(exc)) from exc


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(HEAD)
    except OSError as exc:
        raise SourceError.at(str(path), "file", _cannot_read(exc)) from exc


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise SourceError.at(str(path), "file", _cannot_read(exc)) from exc


def _cannot_read(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}"
