"""Placeholder, being written."""

from collections.abc import Iterator

from watchkeeper.sources.base import ListSource, Record


class ProfilesSource(ListSource):
    """Placeholder."""

    NAME = "profiles"
    TITLE = "profiles"
    ID_PREFIX = "profile"

    def records(self) -> Iterator[Record]:
        raise NotImplementedError
