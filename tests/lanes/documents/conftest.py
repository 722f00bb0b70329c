"""Documents-lane fixtures: a screener over the bundled UN list at the default threshold."""

import pytest

from watchkeeper.lanes.documents.scanning import DocumentScanner
from watchkeeper.matching.screener import Screener


@pytest.fixture(scope="session")
def scanner(un_screener: Screener) -> DocumentScanner:
    """A scanner over the bundled UN list, built once."""
    return DocumentScanner(un_screener)
