"""Placeholder, being written."""

from collections.abc import Iterator

from watchkeeper.sources.base import ListSource, Record


class OfacCsvSource(ListSource):
    """Placeholder."""

    NAME = "ofac-csv"
    TITLE = "ofac-csv"
    ID_PREFIX = "ofac"

    def records(self) -> Iterator[Record]:
        raise NotImplementedError
