"""Travel-lane fixtures: the synthetic messages (the UN screener is ``un_screener``)."""

import pytest

from tests.conftest import FIXTURES
from watchkeeper.lanes.travel import TravelMessage, parse_file

TRAVEL = FIXTURES / "travel"
LISTED_FLIGHT = TRAVEL / "synthetic_paxlst_listed.edi"
ONE_WAY_CASH = TRAVEL / "synthetic_pnr_oneway_cash.edi"


@pytest.fixture
def listed_flight() -> list[TravelMessage]:
    """Ten passengers, one of them UN-listed (QDi.325) under an alias with the listed DOB."""
    return parse_file(LISTED_FLIGHT)
