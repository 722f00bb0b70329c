"""Deterministic STIX ids: the same agency, list and record (or bank and hash) give the same
id on every node, so sharing it again updates the partner's copy instead of adding a second one."""

import uuid

from watchkeeper.sources.profiles import owner_slug

NAMESPACE = uuid.UUID("4f0c3c55-7a39-4d6b-9a53-2b6c1e0a9d17")
"""UUIDv5 namespace of every id watchkeeper makes; fixed, so ids are the same everywhere."""


def agency_id(owner: str) -> str:
    """The STIX identity id of an agency, the same wherever it is computed."""
    return f"identity--{uuid.uuid5(NAMESPACE, 'agency' + chr(31) + owner_slug(owner))}"


def record_id_to_stix(owner: str, list_name: str, record_id: str) -> str:
    """The STIX id of one record of one owner's list."""
    key = chr(31).join((owner_slug(owner), list_name, record_id))
    return f"identity--{uuid.uuid5(NAMESPACE, key)}"


def bank_entry_to_stix(owner: str, bank: str, pdq_hash: str) -> str:
    """The STIX id of one hash of one owner's bank."""
    key = chr(31).join((owner_slug(owner), "bank", bank, pdq_hash.lower()))
    return f"indicator--{uuid.uuid5(NAMESPACE, key)}"
