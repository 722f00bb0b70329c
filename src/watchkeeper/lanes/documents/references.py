"""UN list reference numbers written in a text (QDi.006, QDe.115, TAi.004, KPe.001...).

A reference names one listed entry exactly, so it is a mention on its own. The pattern is
the UN's: two letters for the regime, ``i`` (individual) or ``e`` (entity), a dot and three
digits; only references of entities in the screener's index count.
"""

import re
from dataclasses import dataclass

from watchkeeper.matching.index import NameIndex

REFERENCE = re.compile(r"\b[A-Z]{2}[ie]\.\d{3}\b")
UN_PREFIX = "un-"  # entity ids of the UN list are "un-" + the reference


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference number in the text and the listed entity it names."""

    start: int
    end: int
    entity_id: str


def references(text: str, index: NameIndex) -> list[Reference]:
    """Reference numbers of listed entities in ``text``, in reading order."""
    found = []
    for match in REFERENCE.finditer(text):
        entity_id = UN_PREFIX + match.group()
        if entity_id in index:
            found.append(Reference(match.start(), match.end(), entity_id))
    return found
