"""Mutated and truncated messages: the parser answers quickly with a result or a
TravelMessageError, never with any other exception."""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from watchkeeper.lanes.travel import TravelMessage, TravelMessageError, parse_messages

TRAVEL = FIXTURES / "travel"
SAMPLES = {
    name: (TRAVEL / name).read_bytes()
    for name in (
        "synthetic_paxlst_listed.edi",
        "synthetic_pnr_oneway_cash.edi",
        "airline2.edi",
        "multiple_flight_leg_apis.txt",
        "Test1.txt",
        "infant.edi",
        "codeshare.edi",
        "pnr_split.edi",
        "pnrWithDoco.txt",
        "3_pnrs.edi",
    )
}
# Characters that mean something to EDIFACT, so mutations hit the syntax, not only the data.
SPECIAL = b"'+:?*$ \r\nUNAUNBUNHUNTUNZ0123456789"
FUZZ = settings(
    max_examples=50,
    deadline=timedelta(seconds=2),
    database=None,  # keep no example database in the working tree
    derandomize=True,  # the same examples on every run, so a failure reproduces
)


def survives(data: bytes | str) -> None:
    for strict in (True, False):
        try:
            messages = parse_messages(data, "fuzz.edi", strict=strict)
        except TravelMessageError as error:
            assert error.issues
            assert all(issue.path == "fuzz.edi" for issue in error.issues)
            continue
        assert all(isinstance(message, TravelMessage) for message in messages)


sample = st.sampled_from(sorted(SAMPLES))


@FUZZ
@given(name=sample, data=st.data())
def test_byte_flips(name: str, data: st.DataObject) -> None:
    text = bytearray(SAMPLES[name])
    flips = data.draw(st.lists(st.integers(0, len(text) - 1), min_size=1, max_size=8))
    for position in flips:
        text[position] = data.draw(st.one_of(st.sampled_from(list(SPECIAL)), st.integers(0, 255)))
    survives(bytes(text))


@FUZZ
@given(name=sample, data=st.data())
def test_deletions_and_truncations(name: str, data: st.DataObject) -> None:
    text = SAMPLES[name]
    start = data.draw(st.integers(0, len(text)))
    length = data.draw(st.integers(0, 40))
    survives(text[:start] + text[start + length :])
    survives(text[:start])


@FUZZ
@given(name=sample, data=st.data())
def test_duplicated_and_dropped_segments(name: str, data: st.DataObject) -> None:
    terminator = b"$" if name == "airline2.edi" else b"'"
    segments = SAMPLES[name].split(terminator)
    index = data.draw(st.integers(0, len(segments) - 1))
    times = data.draw(st.integers(0, 3))  # 0 drops the segment
    mutated = segments[:index] + [segments[index]] * times + segments[index + 1 :]
    survives(terminator.join(mutated))


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_arbitrary_input(data: bytes | str) -> None:
    survives(data)
