"""The one shape the matcher compares: a screened subject or a listed entity.

Every lane turns its input (a passenger, a payment party, a document mention) into a
``Subject``; listed FtM entities become ``Subject``s too. The matcher knows nothing of lanes.
"""

from dataclasses import dataclass

from followthemoney import EntityProxy

# FtM properties read from a listed entity, by the fact they carry.
STRONG_NAMES = ("name", "alias", "previousName")
WEAK_NAMES = ("weakAlias",)
DATES = ("birthDate",)
COUNTRIES = ("nationality", "citizenship", "birthCountry", "country", "jurisdiction", "flag")
IDENTIFIERS = ("passportNumber", "idNumber", "registrationNumber", "imoNumber", "taxNumber")


@dataclass(frozen=True, slots=True)
class Subject:
    """Matchable facts of one person, organisation or vessel.

    Dates are ISO prefixes (``1977``, ``1977-06``, ``1977-06-19``); countries are ISO 3166-1
    alpha-2 codes in lower case, as FtM stores them; identifiers are document or registry
    numbers as written.
    """

    schema: str
    names: tuple[str, ...]
    weak_names: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    gender: str | None = None
    identifiers: tuple[str, ...] = ()
    entity_id: str | None = None
    list_name: str | None = None

    @classmethod
    def from_entity(cls, entity: EntityProxy, list_name: str | None = None) -> "Subject":
        """The facts of a listed FtM entity."""

        def values(props: tuple[str, ...]) -> tuple[str, ...]:
            found: list[str] = []
            for prop in props:
                if prop in entity.schema.properties:
                    found.extend(v for v in entity.get(prop) if v not in found)
            return tuple(found)

        genders = values(("gender",))
        return cls(
            schema=entity.schema.name,
            names=values(STRONG_NAMES),
            weak_names=values(WEAK_NAMES),
            birth_dates=values(DATES),
            countries=values(COUNTRIES),
            gender=genders[0] if genders else None,
            identifiers=values(IDENTIFIERS),
            entity_id=entity.id,
            list_name=list_name,
        )
