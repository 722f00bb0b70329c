"""Listed entities named in documents: names in any spelling and order, references, and
the rule that acronyms and one-word names need support."""

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, requires_shared
from watchkeeper.lanes.documents import scanning
from watchkeeper.lanes.documents.extract import Document, DocumentFile, open_document
from watchkeeper.lanes.documents.scanning import DocumentScanner, snippet
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.sources import get_source
from watchkeeper.store.loading import is_entry

DOCS = FIXTURES / "documents"


def extract(path: Path) -> DocumentFile:
    return open_document(path, 100_000_000)


def text_of(document: DocumentFile) -> str:
    return "".join(text for text, _ in document.pieces())


def scan(scanner: DocumentScanner, text: str) -> dict[str, list[tuple[int, int, str]]]:
    report = scanner.scan(Document("test.txt", "text", text))
    return {e.entity_id: [(f.start, f.end, f.how) for f in e.found] for e in report.entities}


def test_a_news_text_names_zawahiri_and_the_islamic_state_of_iraq(
    scanner: DocumentScanner,
) -> None:
    document = extract(DOCS / "news_listed.txt")
    report = scanner.scan(document)
    found = {e.entity_id: e for e in report.entities}
    assert set(found) == {"un-QDi.006", "un-QDe.115"}
    [zawahiri] = found["un-QDi.006"].found
    [isi] = found["un-QDe.115"].found
    text = text_of(document)
    assert text[zawahiri.start : zawahiri.end] == "Ayman al-Zawahiri"
    assert text[isi.start : isi.end] == "Islamic State of Iraq"
    assert (zawahiri.start, isi.start) == (text.index("Ayman"), text.index("Islamic"))
    assert "[Ayman al-Zawahiri]" in zawahiri.snippet and zawahiri.how == "name"
    assert found["un-QDi.006"].name == "AIMAN MUHAMMED RABI AL-ZAWAHIRI"


def test_heads_of_government_and_journalists_name_nobody(scanner: DocumentScanner) -> None:
    assert scanner.scan(extract(DOCS / "news_unlisted.txt")).entities == ()


def test_spelling_title_and_name_order_variants(scanner: DocumentScanner) -> None:
    for text in (
        "A statement by Dr. Ayman al Zawahri was read out.",
        "The file on Zawahiri, Ayman was reopened.",
        "AYMAN AL-ZAWAHIRI was named.",
    ):
        assert list(scan(scanner, text)) == ["un-QDi.006"], text


def test_an_alias_finds_the_listed_person(scanner: DocumentScanner) -> None:
    text = "Witnesses said Abu Bakr al-Baghdadi addressed the crowd."
    assert scan(scanner, text) == {"un-QDi.299": [(15, 35, "name")]}


def test_acronyms_alone_name_nobody(scanner: DocumentScanner) -> None:
    assert scan(scanner, "IS claimed the attack. AQI and ISI were blamed. It is what it is.") == {}


def test_an_acronym_counts_beside_the_full_name(scanner: DocumentScanner) -> None:
    text = "The Islamic State of Iraq (ISI) grew out of AQI."
    found = scan(scanner, text)
    assert found["un-QDe.115"] == [(4, 25, "name"), (27, 30, "supporting"), (44, 47, "supporting")]


def test_a_reference_number_alone_names_the_entity(scanner: DocumentScanner) -> None:
    text = "The committee amended entry QDi.006 and entry QDe.999 on Tuesday."
    assert scan(scanner, text) == {"un-QDi.006": [(28, 35, "reference")]}


def test_an_acronym_counts_beside_the_reference(scanner: DocumentScanner) -> None:
    found = scan(scanner, "QDe.115 (AQI) was amended.")
    assert found["un-QDe.115"] == [(0, 7, "reference"), (9, 12, "supporting")]


def test_a_one_word_organisation_name_stands_alone(scanner: DocumentScanner) -> None:
    assert list(scan(scanner, "A statement attributed to Al-Qaida was released.")) == ["un-QDe.004"]


def test_snippets_keep_context_and_mark_the_mention() -> None:
    text = "x" * 100 + " Ayman al-Zawahiri " + "y" * 100
    start = text.index("Ayman")
    shown = snippet(text, start, start + 17)
    assert shown.startswith("… x") and shown.endswith("y …")
    assert "[Ayman al-Zawahiri]" in shown


def test_pdf_mentions_name_their_page(scanner: DocumentScanner) -> None:
    text = "Cover\n\f\nAnnex: QDi.006 (Ayman al-Zawahiri)."
    report = scanner.scan(Document("brief.pdf", "pdf", text, (0, text.index("Annex"))))
    [entity] = report.entities
    assert report.pages == 2 and [f.page for f in entity.found] == [2, 2]


def test_a_document_larger_than_a_window_finds_names_across_window_edges(
    scanner: DocumentScanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scanning, "WINDOW", 300)
    monkeypatch.setattr(scanning, "OVERLAP", 100)
    filler = "The weather was mild and the market was quiet that day. "
    parts, starts = ["ISI claimed it.\n"], []
    for shift in range(0, 120, 7):  # the name falls across edges at every place
        parts.append(filler * 3 + "x" * shift + " ")
        starts.append(sum(map(len, parts)))
        parts.append("Ayman al-Zawahiri spoke. ")
    parts.append("The Islamic State of Iraq said nothing.")
    text = "".join(parts)
    windowed = scanner.scan(Document("long.txt", "text", text))
    found = {e.entity_id: e.found for e in windowed.entities}
    assert [f.start for f in found["un-QDi.006"]] == starts
    assert all(f.text == "Ayman al-Zawahiri" for f in found["un-QDi.006"])
    # the acronym is windows before the full name: it is found on the second reading
    assert (found["un-QDe.115"][0].start, found["un-QDe.115"][0].how) == (0, "supporting")
    assert windowed.characters == len(text)
    monkeypatch.setattr(scanning, "WINDOW", 1 << 20)
    assert scanner.scan(Document("long.txt", "text", text)) == windowed


def test_html_mentions_have_offsets_in_the_extracted_text(scanner: DocumentScanner) -> None:
    document = extract(DOCS / "report.html")
    [entity] = scanner.scan(document).entities
    [place] = entity.found
    assert entity.entity_id == "un-QDi.299"
    assert text_of(document)[place.start : place.end] == "Abu Bakr al-Baghdadi"


def test_a_name_never_runs_across_a_sentence_or_a_line(scanner: DocumentScanner) -> None:
    assert scan(scanner, "They waited for Ayman. Zawahiri never came.") == {}
    assert scan(scanner, "Speakers: Ayman\n\nZawahiri Street was closed.") == {}
    assert list(scan(scanner, "Speakers: Ayman al-Zawahiri, and others.")) == ["un-QDi.006"]


@requires_shared
def test_against_un_and_ofac_the_unlisted_stay_unreported_and_both_records_are_named(
    un_subjects: tuple[Subject, ...],
) -> None:
    subjects = list(un_subjects)
    ofac = get_source("ofac-csv", SHARED / "sanctions" / "ofac_sdn_2021-07")
    subjects += [
        Subject.from_entity(r.entity, "ofac") for r in ofac.records() if is_entry(r.entity.schema)
    ]
    both = DocumentScanner(Screener(NameIndex.build(subjects)))
    assert both.scan(extract(DOCS / "news_unlisted.txt")).entities == ()
    found = scan(both, text_of(extract(DOCS / "news_listed.txt")))
    assert {"un-QDi.006", "ofac-2676", "un-QDe.115"} <= set(found)
