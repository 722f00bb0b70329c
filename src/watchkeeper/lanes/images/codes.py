"""PDQ hashes as 64 hex characters (how banks are shared) and as 32-byte rows (how they are
compared): the first hex digit holds bits 255..252, as in ThreatExchange's files."""

import numpy as np
import numpy.typing as npt

BITS = 256
BYTES = BITS // 8
HEX_CHARS = BITS // 4

Codes = npt.NDArray[np.uint8]
"""An (n, 32) array of hashes, one per row, big-endian bit order."""


def parse_hex(text: str) -> str:
    """The hash in canonical form (lower case), or ValueError saying what is wrong."""
    value = text.strip().lower()
    if len(value) != HEX_CHARS:
        raise ValueError(f"a PDQ hash has {HEX_CHARS} hex digits, not {len(value)}")
    try:
        bytes.fromhex(value)
    except ValueError:
        raise ValueError(f"not a hex PDQ hash: {text.strip()[:70]!r}") from None
    return value


def to_codes(hexes: list[str]) -> Codes:
    """Hex hashes (already parsed) to an (n, 32) array."""
    if not hexes:
        return np.zeros((0, BYTES), dtype=np.uint8)
    return np.frombuffer(bytes.fromhex("".join(hexes)), dtype=np.uint8).reshape(-1, BYTES)


def to_hex(code: npt.NDArray[np.uint8]) -> str:
    """One 32-byte row back to hex."""
    return bytes(code).hex()


def from_bits(bits: npt.NDArray[np.integer]) -> str:
    """pdqhash's 256 0/1 values (bit 255 first) to hex."""
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def distance(a: str, b: str) -> int:
    """Hamming distance between two hex hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
