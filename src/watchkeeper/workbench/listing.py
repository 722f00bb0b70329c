"""A listing as an analyst reads it: who is listed, under which programme and authority,
since when, why (the list's narrative), in which positions, where, and every sanction the
entry carries. Built from a list entry's stored FtM entities (``store.reading``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from followthemoney import model
from followthemoney.types import registry

from watchkeeper.store.models import StoredEntity


@dataclass(frozen=True, slots=True)
class SanctionFacts:
    """One FtM ``Sanction`` of the entry: the listing act, as the publisher gives it."""

    entity_id: str
    authorities: tuple[str, ...]
    programmes: tuple[str, ...]
    references: tuple[str, ...]  # unscId, authorityId: QDi.325
    listing_dates: tuple[str, ...]
    start_dates: tuple[str, ...]
    end_dates: tuple[str, ...]
    provisions: tuple[str, ...]
    reasons: tuple[str, ...]
    descriptions: tuple[str, ...]  # UN: "UN List"
    source_urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """The context of one listed entry; ``programmes`` and ``authorities`` together are the
    regime (UN: "Al-Qaida" by the United Nations Security Council; OFAC: "SDGT")."""

    list_name: str
    version: int
    entity_id: str
    schema: str
    schema_label: str
    caption: str
    names: tuple[str, ...]
    aliases: tuple[str, ...]
    birth_dates: tuple[str, ...]
    programmes: tuple[str, ...]
    authorities: tuple[str, ...]
    listing_dates: tuple[str, ...]
    references: tuple[str, ...]
    narrative: tuple[str, ...]  # notes, summary, description: UN COMMENTS1, OFAC remarks
    positions: tuple[str, ...]
    nationalities: tuple[str, ...]  # country names, nationality and citizenship
    addresses: tuple[str, ...]
    sanctions: tuple[SanctionFacts, ...]
    modified: tuple[str, ...]  # the publisher's last update of the entry (UN LAST_DAY_UPDATED)


def listing_of(record: list[StoredEntity]) -> Listing:
    """The listing of an entry whose entities ``record`` holds, main entity first
    (``store.reading.record_entities``)."""
    main, others = record[0], record[1:]
    sanctions = tuple(
        _sanction(e) for e in others if _is_a(e, "Sanction") and main.entity_id in _get(e, "entity")
    )
    addresses = _unique(
        [
            *_get(main, "address"),
            *(a for e in others if _is_a(e, "Address") for a in _address_text(e)),
        ]
    )
    schema = model.get(main.schema)
    return Listing(
        list_name=main.list_name,
        version=main.version,
        entity_id=main.entity_id,
        schema=main.schema,
        schema_label=schema.label if schema is not None else main.schema,
        caption=main.caption,
        names=_get(main, "name"),
        aliases=_unique([*_get(main, "alias"), *_get(main, "previousName")]),
        birth_dates=_get(main, "birthDate"),
        programmes=_unique([v for s in sanctions for v in s.programmes] + [*_get(main, "program")]),
        authorities=_unique([v for s in sanctions for v in s.authorities]),
        listing_dates=_unique(
            [v for s in sanctions for v in s.listing_dates] + [*_get(main, "createdAt")]
        ),
        references=_unique([v for s in sanctions for v in s.references]),
        narrative=_unique(
            [*_get(main, "notes"), *_get(main, "summary"), *_get(main, "description")]
        ),
        positions=_get(main, "position"),
        nationalities=country_names([*_get(main, "nationality"), *_get(main, "citizenship")]),
        addresses=addresses,
        sanctions=sanctions,
        modified=_get(main, "modifiedAt"),
    )


def country_names(codes: Iterable[str]) -> tuple[str, ...]:
    """FtM country codes as names ("iq" → "Iraq"), each once, unknown codes as given."""
    return _unique([registry.country.caption(code) or code for code in codes])


def _sanction(entity: StoredEntity) -> SanctionFacts:
    return SanctionFacts(
        entity_id=entity.entity_id,
        authorities=_get(entity, "authority"),
        programmes=_unique([*_get(entity, "program"), *_get(entity, "programId")]),
        references=_unique([*_get(entity, "unscId"), *_get(entity, "authorityId")]),
        listing_dates=_get(entity, "listingDate"),
        start_dates=_get(entity, "startDate"),
        end_dates=_get(entity, "endDate"),
        provisions=_get(entity, "provisions"),
        reasons=_unique([*_get(entity, "reason"), *_get(entity, "summary")]),
        descriptions=_get(entity, "description"),
        source_urls=_get(entity, "sourceUrl"),
    )


def _address_text(entity: StoredEntity) -> tuple[str, ...]:
    """An Address entity's full text, else its parts joined, else its caption."""
    full = _get(entity, "full")
    if full:
        return full
    parts = [v for prop in ("street", "city", "region", "postalCode") for v in _get(entity, prop)]
    parts += country_names(_get(entity, "country"))
    return (", ".join(parts),) if parts else (entity.caption,)


def _is_a(entity: StoredEntity, schema: str) -> bool:
    found = model.get(entity.schema)
    return found is not None and found.is_a(schema)


def _get(entity: StoredEntity, prop: str) -> tuple[str, ...]:
    return tuple(entity.properties.get(prop, ()))


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
