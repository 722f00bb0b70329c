"""Text out of plain text, HTML and PDF files, and the faults named when it cannot be had."""

import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.lanes.documents.pdf_maker import minimal_pdf
from watchkeeper.errors import SourceError
from watchkeeper.lanes.documents import extract as extracting
from watchkeeper.lanes.documents.extract import DocumentFile, open_document

DOCS = FIXTURES / "documents"
PDF_LIMIT = 100_000_000


def read(path: Path) -> tuple[DocumentFile, str]:
    """The document and its whole text, as the scanner reads it."""
    document = open_document(path, PDF_LIMIT)
    return document, "".join(text for text, _ in document.pieces())


def fault(path: Path, pdf_limit: int = PDF_LIMIT) -> str:
    """The one fault reading ``path`` reports."""
    with pytest.raises(SourceError) as caught:
        list(open_document(path, pdf_limit).pieces())
    [issue] = caught.value.issues
    assert issue.path == str(path)
    return f"{issue.position}: {issue.problem}"


def test_plain_text_is_read_as_utf8() -> None:
    document, text = read(DOCS / "news_listed.txt")
    assert document.kind == "text" and text.startswith("CAIRO, 12 March")


def test_text_is_read_in_chunks_and_a_character_across_two_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extracting, "CHUNK", 3)
    path = tmp_path / "accents.txt"
    path.write_bytes("\ufeffJos\u00e9 \u00c1lvarez Pe\u00f1a".encode())
    assert read(path)[1] == "Jos\u00e9 \u00c1lvarez Pe\u00f1a"


def test_html_keeps_the_visible_text_only() -> None:
    document, text = read(DOCS / "report.html")
    assert document.kind == "html"
    assert "Abu Bakr al-Baghdadi had ordered" in text
    assert "Zawahiri" not in text and "Adnani" not in text
    assert "Monitoring report\n" in text  # blocks end in a line break


def test_html_nested_any_depth_keeps_all_its_text(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    depth = 100_000
    path.write_text(
        "<html><body>" + "<div>" * depth + "<p>Ayman al-Zawahiri</p>" + "</div>" * depth
        + "<p>The end.</p></body></html>"
    )  # fmt: skip
    text = read(path)[1]
    assert "Ayman al-Zawahiri" in text and text.rstrip().endswith("The end.")


def test_html_without_a_declared_charset_is_utf8_and_with_one_is_that(tmp_path: Path) -> None:
    plain = tmp_path / "plain.html"
    plain.write_bytes("<p>Jos\u00e9 Pe\u00f1a</p>".encode())
    declared = tmp_path / "declared.html"
    declared.write_bytes(b'<html><head><meta charset="iso-8859-1"></head><p>Jos\xe9</p></html>')
    assert read(plain)[1].strip() == "Jos\u00e9 Pe\u00f1a"
    assert read(declared)[1].strip() == "Jos\u00e9"


def test_html_that_is_not_its_encoding_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.html"
    path.write_bytes(b"<p>Caf\xe9</p>")
    assert fault(path) == "byte 6: not UTF-8 text"


def test_pdf_pages_and_page_starts(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(minimal_pdf(["First page, nothing here.", "Second page: QDi.006 (ref)."]))
    document = open_document(path, PDF_LIMIT)
    pieces = list(document.pieces())
    assert document.kind == "pdf"
    assert [new for _, new in pieces] == [True, False, True]
    assert pieces[2][0].startswith("Second page")


def test_a_pdf_over_the_limit_is_a_fault_naming_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(minimal_pdf(["Some text."]))
    found = fault(path, pdf_limit=100)
    assert found.startswith("file: ") and "WATCHKEEPER_DOCUMENT_PDF_MAX_MB" in found


def test_a_broken_pdf_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    assert fault(path).startswith("file: unreadable PDF")


def test_text_that_is_not_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 au lait".encode("latin-1"))
    assert fault(path) == "byte 3: not UTF-8 text"


def test_a_bad_byte_in_a_later_chunk_is_named_by_its_place_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extracting, "CHUNK", 4)
    path = tmp_path / "late.txt"
    path.write_bytes("\ufeffabc\u00e9defghij".encode() + b"\xff")
    assert fault(path) == "byte 15: not UTF-8 text"


def test_a_missing_file_and_a_folder_are_faults(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read: No such file"):
        open_document(tmp_path / "absent.txt", PDF_LIMIT)
    with pytest.raises(SourceError, match="cannot read: Is a directory"):
        open_document(tmp_path, PDF_LIMIT)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_a_fault(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Ayman al-Zawahiri")
    locked.chmod(0)
    with pytest.raises(SourceError, match="cannot read: Permission denied"):
        open_document(locked, PDF_LIMIT)
