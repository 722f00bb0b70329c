"""The text of a PDF, page by page, with pypdf (pure Python, maintained)."""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from watchkeeper.errors import SourceError

PAGE_BREAK = "\n\f\n"  # between pages in the extracted text: no name runs across it


def pdf_pages(data: bytes, path: str) -> list[str]:
    """Each page's text; a file pypdf cannot read is a fault naming the page when known."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # repairs it makes are not faults
    try:
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SourceError.at(path, "file", f"unreadable PDF: {exc}") from exc
    pages = []
    for number in range(count):
        try:
            pages.append(reader.pages[number].extract_text() or "")
        except (PyPdfError, ValueError, KeyError, TypeError) as exc:
            raise SourceError.at(path, f"page {number + 1}", f"unreadable PDF page: {exc}") from exc
    return pages
