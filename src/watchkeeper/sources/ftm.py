"""Placeholder, being written."""

from collections.abc import Iterator

from watchkeeper.sources.base import ListSource, Record


class FtMSource(ListSource):
    """Placeholder."""

    NAME = "ftm"
    TITLE = "ftm"
    ID_PREFIX = "ftm"

    def records(self) -> Iterator[Record]:
        raise NotImplementedError
