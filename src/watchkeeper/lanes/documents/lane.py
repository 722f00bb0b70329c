"""The documents lane behind the ``Lane`` interface: one report or news item (plain text,
HTML, PDF) scanned for listed names and UN reference numbers."""

from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import JSON, Example, Lane, Read, Screened, Screening, on_disk, renamed
from watchkeeper.lanes.documents.alerts import LANE, document_alerts
from watchkeeper.lanes.documents.extract import Document, open_document
from watchkeeper.lanes.documents.scanning import DocumentReport, DocumentScanner
from watchkeeper.store.alerts import NewAlert

PDF_MAX_BYTES = 100_000_000  # WATCHKEEPER_DOCUMENT_PDF_MAX_MB's default, 100 MB
EXAMPLE = (
    b"CAIRO, 12 March (Wire) - Prosecutors said that a recording attributed to Ayman "
    b"al-Zawahiri had been circulated among supporters before the attack.\n"
)
"""A news item naming a person on the UN list."""

Reports = list[DocumentReport]


class DocumentsLane(Lane[Document, Reports]):
    """Documents against the lists: one alert per document and listed entity it names."""

    name = LANE
    title = "Documents: reports and news (text, HTML, PDF)"
    input_kinds = ("text/plain", "text/html", "application/pdf")

    def __init__(self, pdf_max_bytes: int = PDF_MAX_BYTES) -> None:
        self.pdf_max_bytes = pdf_max_bytes

    def read(self, raw: bytes, name: str) -> Read[Document]:
        """The document's text, its kind told by its first bytes and ``name``'s suffix; a
        ``SourceError`` when it cannot be read."""
        with on_disk(raw, name) as path:
            document = open_document(path, self.pdf_max_bytes)
            text: list[str] = []
            pages: list[int] = []
            at = 0
            try:
                for piece, page_starts in document.pieces():
                    if page_starts:
                        pages.append(at)
                    text.append(piece)
                    at += len(piece)
            except SourceError as exc:
                raise SourceError(renamed(exc.issues, path, name)) from exc
        return Read([Document(name, document.kind, "".join(text), tuple(pages))])

    def screen(self, records: list[Document], screening: Screening) -> Screened[Reports]:
        """The listed entities each document names."""
        scanner = DocumentScanner(screening.screener)
        return Screened([scanner.scan(document) for document in records])

    def alerts(self, report: Reports) -> list[NewAlert]:
        """One per document and entity."""
        return [alert for document in report for alert in document_alerts(document)]

    def report_json(self, report: Reports) -> JSON:
        """Each document's entities and their places."""
        return [document.as_dict() for document in report]

    def examples(self) -> list[Example]:
        """A news item of two lines."""
        return [Example("news.txt", "text/plain", EXAMPLE, "A news item, plain text")]
