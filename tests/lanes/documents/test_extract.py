"""Text out of plain text, HTML and PDF files, and the faults named when it cannot be had."""

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.lanes.documents.pdf_maker import minimal_pdf
from watchkeeper.errors import SourceError
from watchkeeper.lanes.documents.extract import extract

DOCS = FIXTURES / "documents"


def test_plain_text_is_read_as_utf8() -> None:
    document = extract(DOCS / "news_listed.txt")
    assert document.kind == "text" and document.text.startswith("CAIRO, 12 March")
    assert document.page_at(0) is None


def test_html_keeps_the_visible_text_only() -> None:
    document = extract(DOCS / "report.html")
    assert document.kind == "html"
    assert "Abu Bakr al-Baghdadi had ordered" in document.text
    assert "Zawahiri" not in document.text and "Adnani" not in document.text
    assert "Monitoring report\n" in document.text  # blocks end in a line break


def test_pdf_pages_and_page_numbers(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(minimal_pdf(["First page, nothing here.", "Second page: QDi.006 (ref)."]))
    document = extract(path)
    assert document.kind == "pdf" and len(document.pages) == 2
    at = document.text.index("QDi.006")
    assert document.page_at(at) == 2 and document.page_at(0) == 1


def test_a_broken_pdf_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(SourceError) as caught:
        extract(path)
    [issue] = caught.value.issues
    assert issue.path == str(path) and "unreadable PDF" in issue.problem


def test_text_that_is_not_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 au lait".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        extract(path)
    assert str(caught.value.issues[0]) == f"{path}: byte 3: not UTF-8 text"


def test_a_missing_file_is_a_fault(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        extract(tmp_path / "absent.txt")
