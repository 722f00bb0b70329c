"""An image alert's input: the screened image's hash, how far it is from the bank entry it
matched and in which orientation, the entry with its source and label, and a reference to
the image itself when it was kept (received through a lane, not only hashed elsewhere)."""

from dataclasses import dataclass
from datetime import datetime

from watchkeeper.store.alert_lookup import StoredAlert
from watchkeeper.workbench.banks import BankEntryView
from watchkeeper.workbench.kept import KeptInput


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """Where the kept image is: the ``lane_inputs`` row holding its bytes, and their type,
    for a page to serve it (after auditing that read too)."""

    input_id: int
    media_type: str | None


@dataclass(frozen=True, slots=True)
class ImageInput:
    """The screened image beside the entry it matched."""

    origin: str  # the file name or caller's reference it was screened under
    hash: str  # its PDQ hash, hex
    distance: int | None  # bits between the two hashes
    max_distance: int | None  # the bank's limit
    variant: str | None  # the orientation that matched: original, rotate90, flipx...
    received_at: datetime | None
    entry: BankEntryView
    thumbnail: Thumbnail | None


MEDIA_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"GIF8": "image/gif"}


def image_input(kept: KeptInput | None, alert: StoredAlert, entry: BankEntryView) -> ImageInput:
    """``alert``'s image, from its subject and explanation, and the kept image when any."""
    said = alert.explanation or {}
    names = list(alert.subject.get("names") or [""])
    hashes = list(alert.subject.get("identifiers") or [""])
    return ImageInput(
        origin=names[0],
        hash=hashes[0],
        distance=said.get("distance"),
        max_distance=said.get("max_distance"),
        variant=said.get("variant"),
        received_at=kept.received_at if kept else None,
        entry=entry,
        thumbnail=Thumbnail(kept.id, media_type(kept.raw)) if kept else None,
    )


def media_type(raw: bytes) -> str | None:
    """The image type its first bytes say (WebP: RIFF....WEBP); None when unknown."""
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in MEDIA_TYPES.items() if raw.startswith(magic)), None)
