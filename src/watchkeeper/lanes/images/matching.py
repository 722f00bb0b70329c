"""Matching a hashed image against hash banks, with an explanation per match.

Every form of the query (the original hash, or its 8 rotations and flips) is looked up in
every chosen bank at that bank's own distance; per bank entry the closest form is kept. A
match in a negative bank (known-benign images: logos, memes, stock photos that a partner's
bank also holds) suppresses the positive matches of the same image: they are reported as
suppressed, with the benign entry that did it, and raise no alert.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from watchkeeper.lanes.images.banks import Bank, BankEntry, bank_entries, get_bank
from watchkeeper.lanes.images.codes import BITS, to_codes
from watchkeeper.lanes.images.hashing import ImageHash
from watchkeeper.lanes.images.index import HashIndex, build_index
from watchkeeper.store.alerts import NewAlert
from watchkeeper.store.screened import ScreenedSubject

LANE = "images"
KIND = "hash"


@dataclass(frozen=True, slots=True)
class LoadedBank:
    """A bank with its entries and an index over them, ready to query."""

    bank: Bank
    entries: list[BankEntry]
    index: HashIndex

    @classmethod
    def of(cls, bank: Bank, entries: list[BankEntry], kind: str = "auto") -> "LoadedBank":
        codes = to_codes([e.hash for e in entries])
        return cls(bank, entries, build_index(codes, bank.max_distance, kind))

    @classmethod
    def load(cls, conn: Connection, name: str, kind: str = "auto") -> "LoadedBank":
        """The bank called ``name`` from the store (NotFoundError when there is none)."""
        bank = get_bank(conn, name)
        return cls.of(bank, bank_entries(conn, bank), kind)


@dataclass(frozen=True, slots=True)
class HashMatch:
    """One bank entry within the bank's distance of one form of the query."""

    bank: str
    negative: bool
    max_distance: int
    distance: int
    variant: str
    entry: BankEntry

    def explain(self) -> dict[str, Any]:
        """What a reviewer reads: which bank and entry, how close, and in which orientation."""
        return {
            "bank": self.bank,
            "negative": self.negative,
            "distance": self.distance,
            "max_distance": self.max_distance,
            "variant": self.variant,
            "entry_hash": self.entry.hash,
            "label": self.entry.label,
            "source": self.entry.source,
            "added_at": self.entry.added_at.isoformat(),
        }

    def sentence(self) -> str:
        """The reason an alert gives."""
        turned = "" if self.variant == "original" else f" ({self.variant})"
        label = f" {self.entry.label!r}" if self.entry.label else ""
        return (
            f"PDQ hash{turned} within {self.distance} of {self.max_distance} bits of "
            f"bank {self.bank!r} entry{label}"
        )


@dataclass
class ImageResult:
    """The outcome for one image: positive matches, those a negative bank suppressed, the
    negative matches themselves, or why it was not matched at all."""

    image: ImageHash
    matches: list[HashMatch] = field(default_factory=list)
    suppressed: list[HashMatch] = field(default_factory=list)
    benign: list[HashMatch] = field(default_factory=list)
    skipped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "origin": self.image.origin,
            "hash": self.image.hash,
            "quality": self.image.quality,
            "skipped": self.skipped,
            "matches": [m.explain() for m in self.matches],
            "suppressed": [m.explain() for m in self.suppressed],
            "benign": [m.explain() for m in self.benign],
        }


def lookup(forms: dict[str, str], loaded: LoadedBank) -> list[HashMatch]:
    """Entries of one bank within its distance of any form, each once at its closest."""
    best: dict[int, tuple[int, str]] = {}
    limit = loaded.bank.max_distance
    for variant, value in forms.items():
        rows, distances = loaded.index.query(to_codes([value]), limit)
        for row, dist in zip(rows.tolist(), distances.tolist(), strict=True):
            if row not in best or dist < best[row][0]:
                best[row] = (dist, variant)
    return [
        HashMatch(loaded.bank.name, loaded.bank.negative, limit, dist, variant, loaded.entries[row])
        for row, (dist, variant) in sorted(best.items(), key=lambda item: (item[1][0], item[0]))
    ]


def match_image(image: ImageHash, banks: list[LoadedBank], min_quality: int) -> ImageResult:
    """Match one hashed image against the banks (negative ones suppress the others)."""
    result = ImageResult(image)
    if not image.usable(min_quality):
        result.skipped = f"quality {image.quality} is below {min_quality}"
        return result
    found = [m for loaded in banks for m in lookup(image.forms(), loaded)]
    result.benign = [m for m in found if m.negative]
    positive = [m for m in found if not m.negative]
    if result.benign:
        result.suppressed = positive
    else:
        result.matches = positive
    return result


def image_subject(image: ImageHash) -> ScreenedSubject:
    """The image as an alert keeps what was screened: where it came from and its hash."""
    return ScreenedSubject(schema="Image", names=(image.origin,), identifiers=(image.hash,))


def match_alerts(result: ImageResult) -> list[NewAlert]:
    """One alert per positive, unsuppressed match."""
    return [
        NewAlert(
            lane=LANE,
            kind=KIND,
            subject=image_subject(result.image),
            reason=m.sentence(),
            list_name=m.bank,
            entity_id=m.entry.hash,
            score=round(1 - m.distance / BITS, 4),
            explanation=m.explain(),
        )
        for m in result.matches
    ]
