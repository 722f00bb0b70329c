import numpy as np
import pytest

from watchkeeper.lanes.images.codes import distance, from_bits, parse_hex, to_codes, to_hex

H = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"


def test_parse_hex_canonical_and_faults() -> None:
    assert parse_hex(f"  {H.upper()}\n") == H
    with pytest.raises(ValueError, match="64 hex digits, not 3"):
        parse_hex("abc")
    with pytest.raises(ValueError, match="not a hex PDQ hash"):
        parse_hex("z" * 64)


def test_codes_round_trip_and_bit_order() -> None:
    codes = to_codes([H, "0" * 64])
    assert codes.shape == (2, 32)
    assert to_hex(codes[0]) == H
    bits = np.zeros(256, dtype=np.int64)
    bits[0] = 1  # pdqhash's first value is the top bit of the first hex digit
    assert from_bits(bits) == "8" + "0" * 63


def test_distance() -> None:
    assert distance(H, H) == 0
    assert distance("0" * 64, "f" * 64) == 256
    assert distance("0" * 63 + "3", "0" * 64) == 2
