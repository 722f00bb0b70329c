"""The images lane behind the ``Lane`` interface: one image hashed (PDQ) and matched against
the hash banks named by the option ``banks``; the hash is kept, so that entries added to a
bank later match it retroactively."""

import dataclasses
import io
from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from PIL import Image
from sqlalchemy import Connection

from watchkeeper.errors import SourceError, UsageError
from watchkeeper.lanes.base import JSON, Example, Lane, Read, Screened, Screening, on_disk, renamed
from watchkeeper.lanes.images.hashing import (
    DEFAULT_MAX_PIXELS,
    DEFAULT_MIN_QUALITY,
    ImageHash,
    hash_image,
)
from watchkeeper.lanes.images.matching import (
    LANE,
    ImageResult,
    LoadedBank,
    match_alerts,
    match_image,
)
from watchkeeper.lanes.images.retro import remember
from watchkeeper.store.alerts import NewAlert

Results = list[ImageResult]


class ImagesLane(Lane[ImageHash, Results]):
    """Images against hash banks, each at its own distance; a match in a negative bank
    suppresses the others."""

    name = LANE
    title = "Images: PDQ hashes against hash banks (JPEG, PNG...)"
    input_kinds = ("image/jpeg", "image/png", "image/gif", "image/webp")
    options: ClassVar[Mapping[str, str]] = {
        "banks": "comma-separated hash banks to match against (negative ones too)"
    }

    def __init__(self, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self.max_pixels = max_pixels

    def read(self, raw: bytes, name: str) -> Read[ImageHash]:
        """The image's PDQ hash; a ``SourceError`` when it cannot be decoded or is larger
        than ``max_pixels``."""
        with on_disk(raw, name) as path:
            try:
                hashed = hash_image(path, max_pixels=self.max_pixels)
            except SourceError as exc:
                raise SourceError(renamed(exc.issues, path, name)) from exc
        return Read([dataclasses.replace(hashed, origin=name)])

    def screen(self, records: list[ImageHash], screening: Screening) -> Screened[Results]:
        """Each image against the banks; a ``UsageError`` when none is named."""
        names = screening.names("banks")
        if not names:
            raise UsageError("the images lane needs the option banks: the banks to match")
        with screening.engine.connect() as conn:
            loaded = [LoadedBank.load(conn, name) for name in names]
        return Screened([match_image(image, loaded, DEFAULT_MIN_QUALITY) for image in records])

    def alerts(self, report: Results) -> list[NewAlert]:
        """One per positive, unsuppressed match."""
        return [alert for result in report for alert in match_alerts(result)]

    def report_json(self, report: Results) -> JSON:
        """Each image's matches, suppressed matches and benign matches."""
        return [result.as_dict() for result in report]

    def examples(self) -> list[Example]:
        """A small PNG drawn here: bands of grey."""
        image = Image.new("L", (64, 64))
        image.putdata([(x * 4 + (y // 8) * 32) % 256 for y in range(64) for x in range(64)])
        data = io.BytesIO()
        image.save(data, format="PNG")
        return [Example("bands.png", "image/png", data.getvalue(), "A PNG image")]

    def keep(
        self, conn: Connection, records: list[ImageHash], report: Results, now: datetime
    ) -> None:
        """Every hash seen, for retroactive matching when banks gain entries."""
        for image in records:
            remember(conn, image, now)
