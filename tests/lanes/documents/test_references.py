"""UN reference numbers in text: every regime prefix, only entries in the index."""

from watchkeeper.lanes.documents.references import references
from watchkeeper.matching.index import NameIndex


def test_references_of_several_regimes(un_index: NameIndex) -> None:
    text = "Entries QDi.006, QDe.115, TAi.004, KPi.024 and CDi.003 were amended."
    found = [(r.entity_id, text[r.start : r.end]) for r in references(text, un_index)]
    assert found == [
        ("un-QDi.006", "QDi.006"),
        ("un-QDe.115", "QDe.115"),
        ("un-TAi.004", "TAi.004"),
        ("un-KPi.024", "KPi.024"),
        ("un-CDi.003", "CDi.003"),
    ]


def test_unknown_or_malformed_references_are_ignored(un_index: NameIndex) -> None:
    assert references("QDe.999, qdi.006, QDi.0060, XQDi.006 and QDi.6", un_index) == []
