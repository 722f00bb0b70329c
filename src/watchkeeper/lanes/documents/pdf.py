"""The text of a PDF, page by page, with pypdf (pure Python, maintained).

pypdf (and the cryptography it loads, some 25 MB) is imported when a PDF is read, not by a
scan of text and HTML only."""

import logging
from collections.abc import Iterator
from pathlib import Path

from watchkeeper.errors import SourceError

PAGE_BREAK = "\n\f\n"  # between pages in the extracted text: no name runs across it


def pdf_pages(path: Path) -> Iterator[str]:
    """Each page's text; a file pypdf cannot read is a fault naming the page when known."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # repairs it makes are not faults
    # pypdf raises whatever a malformed file leads its parser into (KeyError, IndexError,
    # RecursionError, its own errors, a decompression limit reached): each is a fault of
    # the file, so every exception is caught and named, and the batch goes on.
    try:
        reader = PdfReader(path)
        count = len(reader.pages)
    except Exception as exc:
        if isinstance(exc, OSError) and exc.filename:  # the file itself, not its content
            raise SourceError.at(str(path), "file", f"cannot read: {exc.strerror}") from exc
        raise SourceError.at(str(path), "file", f"unreadable PDF: {_said(exc)}") from exc
    for number in range(count):
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception as exc:
            where = f"page {number + 1}"
            raise SourceError.at(str(path), where, f"unreadable PDF page: {_said(exc)}") from exc
        yield text


def _said(exc: Exception) -> str:
    """The exception's message, or its type when it has none (a bare KeyError)."""
    return str(exc) or type(exc).__name__
