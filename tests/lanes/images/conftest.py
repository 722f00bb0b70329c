"""Image fixtures: a few ThreatExchange PDQ test images copied into tests/fixtures/images,
and the full set in ../shared/data when it is beside the repository."""

import csv
import struct
import zlib
from pathlib import Path

from tests.conftest import FIXTURES, SHARED

IMAGES = FIXTURES / "images"
PDQ_DATA = SHARED / "images" / "pdq_threatexchange"
BRIDGE_HASH = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
"""The C++ reference's hash of the bridge photo that ``bridge-mods/`` edits."""


def expected_hashes(folder: Path) -> list[tuple[Path, str]]:
    """(image, reference hash) pairs of a folder's ``expected_pdq_hashes.csv``."""
    with (folder / "expected_pdq_hashes.csv").open(encoding="utf-8") as fh:
        return [(folder / r["image_path"], r["pdq_hash_hex"]) for r in csv.DictReader(fh)]


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` RGB pixels in a few dozen bytes: a valid
    header and a token of pixel data, enough for anything that reads only the header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks
