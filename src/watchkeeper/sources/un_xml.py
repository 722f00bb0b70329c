"""Placeholder, being written."""

from collections.abc import Iterator

from watchkeeper.sources.base import ListSource, Record


class UnXmlSource(ListSource):
    """Placeholder."""

    NAME = "un-xml"
    TITLE = "un-xml"
    ID_PREFIX = "un"

    def records(self) -> Iterator[Record]:
        raise NotImplementedError
