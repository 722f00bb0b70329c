"""Checking a presented travel document against lost/stolen/invalid document lists.

Every traveller's document is checked on a lane, so the lists (``sltd-csv`` format, see
``watchkeeper.sources.sltd_csv``) are read once into a dict keyed by the normalised number
and each ``lookup`` costs one dict access. Numbers and countries are normalised exactly as
the source normalises them, so ``U 2901-7732`` from a PAXLST finds ``U29017732`` on the list
and ``TUR`` finds ``tr``.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from followthemoney import EntityProxy
from sqlalchemy import Engine, select

from watchkeeper.countries import ftm_country
from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.sources.sltd_csv import SltdCsvSource, normalise_number
from watchkeeper.store.reading import version_id
from watchkeeper.store.schema import entities, lists

DOCUMENT_SCHEMATA = ("Passport", "Identification")


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A listed document the presented one matches; ``country`` is FtM's alpha-2 code."""

    list_name: str
    entity_id: str
    number: str
    country: str | None
    status: str
    reported_by: str


class DocumentList:
    """Listed documents of one or more lists, indexed by normalised number."""

    def __init__(self) -> None:
        self._by_number: dict[str, list[DocumentHit]] = {}

    def __len__(self) -> int:
        return sum(len(hits) for hits in self._by_number.values())

    @classmethod
    def from_entities(cls, list_name: str, documents: Iterable[EntityProxy]) -> "DocumentList":
        """A list from entities in hand (a source's records, say), all under ``list_name``;
        entities other than documents are passed over."""
        found = cls()
        for entity in documents:
            if entity.id is not None and entity.schema.name in DOCUMENT_SCHEMATA:
                found._add(list_name, entity.id, entity.properties)
        return found

    @classmethod
    def from_store(cls, engine: Engine, list_names: Sequence[str]) -> "DocumentList":
        """The active version of each named list; each must hold ``sltd-csv`` data, because
        only such lists say a document is lost or stolen (a Passport on a sanctions list
        belongs to a listed person and is screened with that person)."""
        found = cls()
        for name in list_names:
            _check_format(engine, name)
            vid, _ = version_id(engine, name, None)
            query = select(entities.c.entity_id, entities.c.data).where(
                entities.c.version_id == vid, entities.c.schema.in_(DOCUMENT_SCHEMATA)
            )
            with engine.connect() as conn:
                for row in conn.execute(query):
                    data: dict[str, Any] = orjson.loads(row.data)
                    found._add(name, row.entity_id, data.get("properties", {}))
        return found

    def lookup(self, number: str, issuing_country: str | None) -> list[DocumentHit]:
        """The listed documents with the same normalised number and, when both sides name a
        country, the same country. An unreadable country (``XXA``) is treated as none given,
        so a hit is never hidden by a code the tables do not know."""
        hits = self._by_number.get(normalise_number(number), [])
        country = ftm_country(issuing_country) if issuing_country else None
        if country is None:
            return list(hits)
        return [hit for hit in hits if hit.country is None or hit.country == country]

    def _add(self, list_name: str, entity_id: str, props: Mapping[str, list[str]]) -> None:
        """Index one document under each number it carries."""
        country = _first(props, "country")
        for number in props.get("number", []):
            hit = DocumentHit(
                list_name=list_name,
                entity_id=entity_id,
                number=number,
                country=country,
                status=_first(props, "type") or "",
                reported_by=_first(props, "authority") or "",
            )
            self._by_number.setdefault(normalise_number(number), []).append(hit)


def _check_format(engine: Engine, name: str) -> None:
    """Refuse a list that is missing or not in the ``sltd-csv`` format."""
    with engine.connect() as conn:
        fmt = conn.execute(select(lists.c.format).where(lists.c.name == name)).scalar()
    if fmt is None:
        raise NotFoundError(f"no list named {name!r}; see 'watchkeeper lists ls'")
    if fmt != SltdCsvSource.NAME:
        raise UsageError(
            f"list {name!r} holds {fmt} data, not {SltdCsvSource.NAME}; "
            "only document lists can be used for document checks"
        )


def _first(props: Mapping[str, list[str]], name: str) -> str | None:
    """The first value of a property, or None (the source writes one of each)."""
    values = props.get(name)
    return values[0] if values else None
