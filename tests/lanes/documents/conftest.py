"""Documents-lane fixtures: a screener over the bundled UN list at the default threshold."""

import pytest

from tests.conftest import BUNDLED_UN
from watchkeeper.lanes.documents.scanning import DocumentScanner
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.sources.un_xml import UnXmlSource


@pytest.fixture(scope="session")
def scanner() -> DocumentScanner:
    """A scanner over the bundled UN list, built once."""
    subjects = [Subject.from_entity(r.entity, "un") for r in UnXmlSource(BUNDLED_UN).records()]
    return DocumentScanner(Screener(NameIndex.build(subjects)))
