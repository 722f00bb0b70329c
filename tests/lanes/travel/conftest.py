"""Travel-lane fixtures: a screener over the bundled UN list and the synthetic messages."""

import pytest

from tests.conftest import BUNDLED_UN, FIXTURES
from watchkeeper.lanes.travel import TravelMessage, parse_file
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.sources.un_xml import UnXmlSource

TRAVEL = FIXTURES / "travel"
LISTED_FLIGHT = TRAVEL / "synthetic_paxlst_listed.edi"
ONE_WAY_CASH = TRAVEL / "synthetic_pnr_oneway_cash.edi"


@pytest.fixture(scope="session")
def un_screener() -> Screener:
    """A screener over the bundled UN list, built once."""
    subjects = [Subject.from_entity(r.entity, "un") for r in UnXmlSource(BUNDLED_UN).records()]
    return Screener(NameIndex.build(subjects))


@pytest.fixture
def listed_flight() -> list[TravelMessage]:
    """Ten passengers, one of them UN-listed (QDi.325) under an alias with the listed DOB."""
    return parse_file(LISTED_FLIGHT)
