"""The listing's context beside an alert: what the list says about the entry matched (its
programme, authority, listing date, narrative, positions, sanctions, addresses and
nationalities), whether the entry is still listed as it was when it matched, and the entries
of other lists that are the same person or organisation (UN QDi.325 and OFAC 17066)."""

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, select

from watchkeeper.auth import Actor
from watchkeeper.lanes.images.matching import LANE as IMAGES  # alerts on bank entries
from watchkeeper.store.alert_lookup import StoredAlert, stored_alert
from watchkeeper.store.entity_history import links_from, newest_entity
from watchkeeper.store.models import EntityLink
from watchkeeper.store.reading import record_entities
from watchkeeper.store.schema import entities, lists
from watchkeeper.workbench.access import READ_ALERT_CONTEXT, audit_read
from watchkeeper.workbench.banks import BankEntryView, bank_entry_of
from watchkeeper.workbench.listing import Listing, listing_of

Standing = Literal["current", "changed", "removed"]
"""Where the entry matched stands now: in the list's active version as it was when it
matched, in it but changed since (its checksum differs), or gone from it."""


@dataclass(frozen=True, slots=True)
class LinkFact:
    """A fact that ties two entries (``store.links``): a document number, a UN reference,
    or a name with a birth date."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class LinkedListing:
    """An entry of another list that is the same person or organisation."""

    list_name: str
    entity_id: str
    schema: str
    caption: str
    programmes: tuple[str, ...]
    references: tuple[str, ...]
    listing_dates: tuple[str, ...]
    facts: tuple[LinkFact, ...]


@dataclass(frozen=True, slots=True)
class ListingContext:
    """A list alert's listing: ``listing`` is the entry as the active version holds it, or
    as the newest version that held it gave it when it has been removed (None only when no
    version of the list ever held it)."""

    alert_id: int
    list_name: str
    entity_id: str
    standing: Standing
    listing: Listing | None
    linked: tuple[LinkedListing, ...]


@dataclass(frozen=True, slots=True)
class BankEntryContext:
    """An image alert's counterpart: the hash bank entry it matched."""

    alert_id: int
    entry: BankEntryView


AlertContext = ListingContext | BankEntryContext
CONTEXT = {"part": "context"}  # the audit detail: the alert's listing context was read


def alert_context(
    engine: Engine, actor: Actor, alert_id: int, remote: str | None = None
) -> AlertContext | None:
    """The context of alert ``alert_id`` (None for an alert that names no listing: a rule
    hit); the read is audited."""
    audit_read(engine, actor, READ_ALERT_CONTEXT, ("alert", str(alert_id)), CONTEXT, remote)
    alert = stored_alert(engine, alert_id)
    if alert.list_name is None or alert.entity_id is None:
        return None
    if alert.lane == IMAGES:
        return BankEntryContext(alert.id, bank_entry_of(engine, alert))
    return listing_context(engine, alert)


def listing_context(engine: Engine, alert: StoredAlert) -> ListingContext:
    """The listing context of a list alert, unaudited (``alert_context`` audits)."""
    assert alert.list_name is not None and alert.entity_id is not None
    list_name, entity_id = alert.list_name, alert.entity_id
    entity = newest_entity(engine, list_name, entity_id)
    listing = listing_of(record_entities(engine, entity)) if entity is not None else None
    return ListingContext(
        alert.id,
        list_name,
        entity_id,
        standing(engine, alert),
        listing,
        linked_listings(engine, list_name, entity_id),
    )


def standing(engine: Engine, alert: StoredAlert) -> Standing:
    """Whether the alert's entry is still in its list's active version, and unchanged."""
    query = (
        select(entities.c.checksum)
        .join(lists, lists.c.active_version_id == entities.c.version_id)
        .where(lists.c.name == alert.list_name, entities.c.entity_id == alert.entity_id)
    )
    with engine.connect() as conn:
        checksum = conn.execute(query).scalar()
    if checksum is None:
        return "removed"
    if alert.entity_checksum is not None and checksum != alert.entity_checksum:
        return "changed"
    return "current"


def linked_listings(engine: Engine, list_name: str, entity_id: str) -> tuple[LinkedListing, ...]:
    """The entries of other lists linked to this one, each once with every fact that ties
    them, and what their own lists say of programme, reference and listing date."""
    grouped: dict[tuple[str, str], list[EntityLink]] = {}
    for link in links_from(engine, list_name, entity_id):
        grouped.setdefault((link.list_b, link.entity_b), []).append(link)
    found = []
    for (other_list, other_id), links in grouped.items():
        other = newest_entity(engine, other_list, other_id)
        if other is None:
            continue
        listing = listing_of(record_entities(engine, other))
        found.append(
            LinkedListing(
                other_list,
                other_id,
                other.schema,
                other.caption,
                listing.programmes,
                listing.references,
                listing.listing_dates,
                tuple(LinkFact(link.kind, link.value) for link in links),
            )
        )
    return tuple(found)
