"""The list formats by name (``SOURCES``), and what is asked of a format by its name."""

from pathlib import Path

from watchkeeper.errors import UsageError
from watchkeeper.settings import InputLimits
from watchkeeper.sources.base import ListSource
from watchkeeper.sources.ftm import FtMSource
from watchkeeper.sources.ofac_csv import OfacCsvSource
from watchkeeper.sources.profiles import ProfilesSource
from watchkeeper.sources.references import REFERENCE_PREFIXES
from watchkeeper.sources.sltd_csv import SltdCsvSource
from watchkeeper.sources.un_xml import UnXmlSource

SOURCES: dict[str, type[ListSource]] = {}
for _cls in (UnXmlSource, OfacCsvSource, FtMSource, ProfilesSource, SltdCsvSource):
    assert _cls.NAME not in SOURCES, f"duplicate source format {_cls.NAME}"
    SOURCES[_cls.NAME] = _cls


_DECLARED = tuple(f"{c.ID_PREFIX}-" for c in SOURCES.values() if c.REFERENCE_IDS)
assert REFERENCE_PREFIXES == _DECLARED, f"sources/references.py should say {_DECLARED}"


def needs_four_eyes(fmt: str | None) -> bool:
    """Whether decisions on alerts of a list of this format need a second person."""
    return fmt in SOURCES and SOURCES[fmt].FOUR_EYES


def named(fmt: str) -> bool:
    """Whether a list of this format has names to screen against (not only documents)."""
    return SOURCES[fmt].NAMED if fmt in SOURCES else True


def get_source(fmt: str, path: Path, limits: InputLimits | None = None) -> ListSource:
    """The reader for format ``fmt`` over ``path`` within ``limits`` (the defaults when
    ``None``); a wrong name lists the right ones."""
    try:
        cls = SOURCES[fmt]
    except KeyError:
        names = ", ".join(sorted(SOURCES))
        raise UsageError(f"unknown list format {fmt!r}; use one of: {names}") from None
    return cls(path, limits)
