"""STIX 2.1 form of hash bank entries: one ``indicator`` per PDQ hash.

The indicator's pattern is the plain STIX pattern ``[file:hashes.PDQ = '<64 hex>']``
(``pattern_type`` ``stix``) rather than a pattern language of our own: ``stix`` is the one
pattern language every STIX 2.1 tool accepts, ``PDQ`` is a legal key (STIX 2.1's hash algorithm
vocabulary is open), so a tool that knows nothing of PDQ still stores and forwards a file-hash
indicator, and since no tool computes a "PDQ" hash of a file, generic pattern matchers match
nothing by mistake. A pattern only says "equal"; what makes a PDQ hash useful, the distance
within which an image matches, and what the bank knows of the entry (label, source, added_at,
negative or not) travel in a property extension, the ``extension-definition`` below with a
fixed id (docs/sharing.md).
Entries of a negative bank (known-benign images) are ``indicator_types`` ``benign``.

Ids are UUIDv5 of (owner, bank, hash), so the same hash shared again updates the partner's
copy; ``created`` and ``valid_from`` are when the entry was added to the bank.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stix2

from watchkeeper.lanes.images.banks import MAX_DISTANCE, BankEntry
from watchkeeper.lanes.images.codes import parse_hex
from watchkeeper.sharing.ids import agency_id, bank_entry_to_stix
from watchkeeper.sharing.kinds import MappingError
from watchkeeper.sharing.mapping import EPOCH, PROJECT_ID, plain_json, stix_time
from watchkeeper.sharing.tlp import MARKING_IDS, code_of_markings
from watchkeeper.store.audit import utc

PDQ_EXTENSION_ID = "extension-definition--622b46f6-ff48-44c2-89bc-7d7ad6f48bab"
"""The watchkeeper PDQ hash extension: its id never changes (a new version gets a new id)."""
_PATTERN = re.compile(r"\[\s*file:hashes\.(?:PDQ|'PDQ'|\"PDQ\")\s*=\s*'([^']*)'\s*\]", re.I)


def pdq_extension_definition() -> dict[str, Any]:
    """The ``extension-definition`` object that every shared bank entry refers to."""
    return plain_json(
        stix2.v21.ExtensionDefinition(
            id=PDQ_EXTENSION_ID,
            created_by_ref=PROJECT_ID,
            created=EPOCH,
            modified=EPOCH,
            name="watchkeeper PDQ hash bank entry",
            description="One PDQ perceptual hash of a hash bank: hash, owner, bank, "
            "max_distance, negative, label, source, added_at.",
            schema="https://github.com/watchkeeper/watchkeeper/blob/main/docs/sharing.md"
            "#the-pdq-extension",
            version="1.0",
            extension_types=["property-extension"],
        )
    )


def pdq_pattern(pdq_hash: str) -> str:
    """The STIX pattern of one PDQ hash."""
    return f"[file:hashes.PDQ = '{pdq_hash}']"


@dataclass(frozen=True, slots=True)
class SharedEntry:
    """One bank entry ready to be shared: the bank's settings and the entry's TLP code."""

    owner: str
    bank: str
    negative: bool
    max_distance: int
    code: str
    entry: BankEntry


def to_indicator(shared: SharedEntry, modified: datetime) -> dict[str, Any]:
    """The STIX indicator of one bank entry; ``modified`` is when this content was published."""
    entry = shared.entry
    added = utc(entry.added_at)
    return plain_json(
        stix2.v21.Indicator(
            # A partner's entry passed on keeps the partner's id: one object wherever it goes.
            id=entry.stix_id or bank_entry_to_stix(shared.owner, shared.bank, entry.hash),
            created=stix_time(added),
            modified=stix_time(max(added, utc(modified))),
            created_by_ref=agency_id(shared.owner),
            name=entry.label or f"PDQ {entry.hash[:16]}",
            indicator_types=["benign" if shared.negative else "malicious-activity"],
            pattern=pdq_pattern(entry.hash),
            pattern_type="stix",
            pattern_version="2.1",
            description=indicator_description(shared),
            valid_from=stix_time(added),
            object_marking_refs=[MARKING_IDS[shared.code]],
            extensions={
                PDQ_EXTENSION_ID: {
                    "extension_type": "property-extension",
                    "hash": entry.hash,
                    "owner": shared.owner,
                    "bank": shared.bank,
                    "max_distance": shared.max_distance,
                    "negative": shared.negative,
                    "label": entry.label,
                    "source": entry.source,
                    "added_at": stix_time(added),
                }
            },
        )
    )


def indicator_description(shared: SharedEntry) -> str:
    """What an indicator means, for a reader without watchkeeper: the pattern only says
    "equal", the extension holds the distance that makes a PDQ hash useful."""
    entry = shared.entry
    meaning = "known-benign content, not to be flagged" if shared.negative else "content to flag"
    origin = f" (source: {entry.source})" if entry.source else ""
    return (
        f"PDQ perceptual hash of {meaning}, from hash bank {shared.bank!r} of {shared.owner}"
        f"{origin}. An image matches when its PDQ hash differs from this one in at most "
        f"{shared.max_distance} of 256 bits."
    )


def revoked_indicator(previous: dict[str, Any], modified: datetime) -> dict[str, Any]:
    """The last version of a shared entry, saying it is withdrawn (removed from the bank):
    TAXII clients drop ``revoked`` objects. It keeps the hash, so it is served under the
    code of the version it withdraws, to exactly the readers who could see that one."""
    return {**previous, "modified": stix_time(modified), "revoked": True}


@dataclass(frozen=True, slots=True)
class ReceivedEntry:
    """A bank entry read back from a partner's indicator, with the partner's TLP code."""

    stix_id: str
    code: str
    bank: str | None
    """The partner's bank name; None for an indicator without the watchkeeper extension."""
    negative: bool
    max_distance: int | None
    entry: BankEntry
    revoked: bool


def from_indicator(obj: dict[str, Any], partner: str, default_code: str) -> ReceivedEntry | None:
    """The bank entry a partner's indicator stands for; None for an indicator that is not a
    PDQ hash (a partner's feed may carry other indicators), MappingError for one that says
    it is a PDQ hash but cannot be read."""
    stix_id = str(obj.get("id", ""))
    match = _PATTERN.fullmatch(str(obj.get("pattern", "")).strip())
    ext = (obj.get("extensions") or {}).get(PDQ_EXTENSION_ID)
    if obj.get("type") != "indicator" or not stix_id.startswith("indicator--"):
        return None
    if match is None and not isinstance(ext, dict):
        return None
    code = code_of_markings(list(obj.get("object_marking_refs", [])), default_code)
    ext = ext if isinstance(ext, dict) else {}
    try:
        pdq_hash = parse_hex(str(ext.get("hash") or (match.group(1) if match else "")))
        if match is not None and parse_hex(match.group(1)) != pdq_hash:
            raise ValueError("the pattern and the extension name different hashes")
        added = _time(ext.get("added_at") or obj.get("valid_from") or obj.get("created"))
        distance = _distance(ext.get("max_distance"))
    except ValueError as exc:
        raise MappingError(f"{stix_id}: {exc}") from None
    negative = bool(ext["negative"]) if "negative" in ext else _benign(obj)
    label = ext.get("label") if ext else obj.get("name")
    entry = BankEntry(
        pdq_hash,
        str(label) if label else None,
        str(ext.get("source") or partner),
        added,
        code,
        stix_id,
    )
    bank = str(ext["bank"]) if ext.get("bank") else None
    return ReceivedEntry(stix_id, code, bank, negative, distance, entry, bool(obj.get("revoked")))


def _distance(value: object) -> int | None:
    """The bank's match distance from the extension; ValueError when it is no distance."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DISTANCE:
        raise ValueError(f"max_distance {value!r} is not a number of bits, 0 to {MAX_DISTANCE}")
    return value


def _benign(obj: dict[str, Any]) -> bool:
    """Whether an indicator without the extension says it is of known-benign content."""
    types = set(obj.get("indicator_types") or [])
    return bool(types) and types <= {"benign"}


def _time(value: object) -> datetime:
    """A STIX timestamp as an aware datetime; ValueError when there is none."""
    if not isinstance(value, str):
        raise ValueError("no added_at, valid_from or created time")
    return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
