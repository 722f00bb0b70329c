"""STIX 2.1 form of list records: one ``identity`` per listed person or organisation.

A record (a main FtM entity and the documents, addresses and listing that hang off it) becomes
one STIX ``identity`` whose ``identity_class`` says what it is (individual, organization,
unknown) and whose full FtM entities travel in a property extension, the
``extension-definition`` below with a fixed id (docs/sharing.md describes it). A partner
without watchkeeper still reads the name, class and TLP marking; a watchkeeper partner gets
the record back exactly.

Ids are UUIDv5 of (owner, list, record id), so sharing the same record again updates the
object at the partner instead of adding a second one; ``modified`` is when the list version
holding this content was loaded.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stix2
from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData

from watchkeeper.sharing.ids import agency_id, record_id_to_stix
from watchkeeper.sharing.kinds import MappingError
from watchkeeper.sharing.tlp import MARKING_IDS, code_of_markings
from watchkeeper.sources.profiles import TLP_PREFIX, handling_code

EXTENSION_ID = "extension-definition--7d3e1f42-5b6a-4c8e-9f01-23a4b5c6d7e8"
"""The watchkeeper FtM profile extension: its id never changes (a new version gets a new id)."""
PROJECT_ID = "identity--0b7f6a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
"""The identity that publishes the extension definition."""
EPOCH = "2026-01-01T00:00:00.000Z"
CLASSES = {"Person": "individual", "Organization": "organization", "Company": "organization"}
"""identity_class of each FtM schema; anything else (LegalEntity, Vessel) is ``unknown``."""


def stix_time(moment: datetime) -> str:
    """A STIX timestamp (UTC, milliseconds at least; microseconds kept for order)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def extension_definition() -> dict[str, Any]:
    """The ``extension-definition`` object that every shared identity refers to."""
    return plain_json(
        stix2.v21.ExtensionDefinition(
            id=EXTENSION_ID,
            created_by_ref=PROJECT_ID,
            created=EPOCH,
            modified=EPOCH,
            name="watchkeeper FollowTheMoney profile",
            description="The FollowTheMoney entities of one watchlist record: list, "
            "record_id, owner and entities (main entity first).",
            schema="https://github.com/watchkeeper/watchkeeper/blob/main/docs/sharing.md"
            "#the-stix-extension",
            version="1.0",
            extension_types=["property-extension"],
        )
    )


def agency_identity(owner: str) -> dict[str, Any]:
    """The identity of an owning agency, referred to by ``created_by_ref``."""
    return plain_json(
        stix2.v21.Identity(
            id=agency_id(owner),
            created=EPOCH,
            modified=EPOCH,
            name=owner,
            identity_class="organization",
            sectors=["government-national"],
        )
    )


@dataclass(frozen=True, slots=True)
class SharedRecord:
    """One record ready to be shared: its entities (already redacted) and its TLP code."""

    owner: str
    list_name: str
    record_id: str
    code: str
    entities: list[dict[str, Any]]


def record_code(entities: list[dict[str, Any]], default: str) -> str:
    """The TLP code of a record: its listing Sanction's ``TLP:`` summary, else ``default``."""
    for data in entities:
        if data.get("schema") == "Sanction":
            code = handling_code(model.get_proxy(data, cleaned=True))
            if code is not None:
                return code
    return default


def to_identity(record: SharedRecord, created: datetime, modified: datetime) -> dict[str, Any]:
    """The STIX identity of one record; its main entity is the first of ``entities``."""
    main = record.entities[0]
    caption = model.get_proxy(main, cleaned=True).caption
    return plain_json(
        stix2.v21.Identity(
            id=record_id_to_stix(record.owner, record.list_name, record.record_id),
            created=stix_time(created),
            modified=stix_time(max(created, modified)),
            created_by_ref=agency_id(record.owner),
            name=caption,
            identity_class=CLASSES.get(str(main.get("schema")), "unknown"),
            object_marking_refs=[MARKING_IDS[record.code]],
            extensions={
                EXTENSION_ID: {
                    "extension_type": "property-extension",
                    "owner": record.owner,
                    "list": record.list_name,
                    "record_id": record.record_id,
                    "entities": record.entities,
                }
            },
        )
    )


def revoked_identity(previous: dict[str, Any], modified: datetime) -> dict[str, Any]:
    """A new version of a shared identity saying it is withdrawn (removed from the list, or
    no longer shareable): STIX has no deletion, TAXII clients apply ``revoked``. It carries
    no name, marking or extension, so every earlier reader may be told, whatever the code."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": previous["id"],
        "created": previous["created"],
        "modified": stix_time(modified),
        "name": "withdrawn",
        "revoked": True,
    }


@dataclass(frozen=True, slots=True)
class ReceivedRecord:
    """A record read back from a partner's identity: its entities and the partner's TLP."""

    stix_id: str
    record_id: str
    code: str
    entities: list[EntityProxy]
    revoked: bool


def from_identity(obj: dict[str, Any], partner: str, default_code: str) -> ReceivedRecord:
    """The record a partner's identity stands for, keeping the partner's TLP code.

    An identity with the watchkeeper extension brings its FtM entities; a plain one (from
    another platform) becomes a Person or Organization with its name. The listing Sanction
    says ``TLP:<code>`` with the partner's code, so the record is handled as the partner
    asked wherever it goes next.
    """
    stix_id = str(obj.get("id", ""))
    if obj.get("type") != "identity" or not stix_id.startswith("identity--"):
        raise MappingError(f"{stix_id or 'object'}: not a STIX identity")
    code = code_of_markings(list(obj.get("object_marking_refs", [])), default_code)
    record_id = f"stix-{stix_id.removeprefix('identity--')}"
    if obj.get("revoked"):
        return ReceivedRecord(stix_id, record_id, code, [], True)
    ext = (obj.get("extensions") or {}).get(EXTENSION_ID)
    try:
        if isinstance(ext, dict):
            record_id = str(ext["record_id"])
            entities = [model.get_proxy(data, cleaned=False) for data in ext["entities"]]
        else:
            entities = [_plain_entity(obj, record_id)]
    except (KeyError, TypeError, InvalidData) as exc:
        raise MappingError(f"{stix_id}: unreadable watchkeeper extension: {exc}") from None
    if not entities or entities[0].id is None:
        raise MappingError(f"{stix_id}: the extension holds no entities")
    _mark(entities, partner, code, stix_id)
    return ReceivedRecord(stix_id, record_id, code, entities, False)


def _plain_entity(obj: dict[str, Any], record_id: str) -> EntityProxy:
    """A Person or Organization from an identity without the watchkeeper extension."""
    schema = {"individual": "Person", "organization": "Organization"}.get(
        str(obj.get("identity_class")), "LegalEntity"
    )
    entity = model.make_entity(schema)
    entity.id = record_id
    entity.add("name", obj.get("name"))
    entity.add("notes", obj.get("description"))
    if not entity.get("name"):
        raise MappingError(f"{obj.get('id')}: identity without a name")
    return entity


RECEIPT = "received"
"""Suffix of the Sanction that records who shared a record with us, under which STIX id
(``authorityId``) and TLP code."""


def _mark(entities: list[EntityProxy], partner: str, code: str, stix_id: str) -> None:
    """Put the partner's TLP code on every listing of the record, and add the receipt."""
    main = entities[0]
    for listing in entities:
        if listing.schema.name == "Sanction":
            summaries = [s for s in listing.get("summary") if not s.startswith(TLP_PREFIX)]
            listing.set("summary", [*summaries, f"{TLP_PREFIX}{code}"])
    receipt = model.make_entity("Sanction")
    receipt.id = f"{main.id}-{RECEIPT}"
    receipt.add("entity", main.id)
    receipt.add("authority", partner)
    receipt.add("authorityId", stix_id)
    receipt.add("program", "shared by a partner agency")
    receipt.add("summary", f"{TLP_PREFIX}{code}")
    entities[:] = [e for e in entities if e.id != receipt.id] + [receipt]


def receipt_stix_id(entity: dict[str, Any]) -> str | None:
    """The partner's STIX id of a record, read from its receipt Sanction (else None)."""
    if entity.get("schema") != "Sanction" or not str(entity.get("id")).endswith(RECEIPT):
        return None
    values = entity.get("properties", {}).get("authorityId", [])
    return str(values[0]) if values else None


def plain_json(obj: Any) -> dict[str, Any]:
    """A stix2 object as plain JSON data (validated by stix2 on the way), without ``null``:
    STIX allows no null property anywhere, and stix2 drops them at the top level only, not
    inside extensions (a bank entry without a label)."""
    data: dict[str, Any] = _without_nulls(json.loads(obj.serialize()))
    return data


def _without_nulls(value: Any) -> Any:
    """``value`` with every null dictionary entry left out, however deep."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
