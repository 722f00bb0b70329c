"""The one shape the matcher compares: a screened subject or a listed entity.

Every lane turns its input (a passenger, a payment party, a document mention) into a
``Subject``; listed FtM entities become ``Subject``s too. The matcher knows nothing of lanes.
"""

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # listed entities are read from FtM; a query needs no followthemoney
    from followthemoney import EntityProxy

# FtM properties read from a listed entity, by the fact they carry.
STRONG_NAMES = ("name", "alias", "previousName")
# A person's name in parts, as FtM and the lists give them: in the order a full name writes
# them (FtM's caption), and by side: given names (with the father's name and middle names)
# and the family name.
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
GIVEN_PARTS = ("firstName", "secondName", "middleName", "fatherName")
FAMILY_PARTS = ("lastName",)
WEAK_NAMES = ("weakAlias",)
DATES = ("birthDate",)
COUNTRIES = ("nationality", "citizenship", "birthCountry", "country", "jurisdiction", "flag")
# Document and registry numbers, by property, with the kind of number each holds (the words
# an alert uses: ``KINDS``). Specific properties come first: a source that writes a tax number
# in both ``taxNumber`` and ``idNumber`` (OFAC) keeps it as a tax number.
IDENTIFIER_KINDS: dict[str, str] = {
    "passportNumber": "passport",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "taxNumber": "tax",
    "vatCode": "tax",
    "registrationNumber": "registration",
    "uscCode": "registration",
    "dunsCode": "registration",
    "imoNumber": "imo",
    "leiCode": "lei",
    "swiftBic": "bic",
    "socialSecurityNumber": "id",
    "idNumber": "id",
}
# What each kind is called where an alert says what matched ("same passport number").
KINDS: dict[str, str] = {
    "passport": "passport number",
    "id": "ID number",
    "tax": "tax number",
    "inn": "tax number (INN)",
    "registration": "registration number",
    "ogrn": "registration number (OGRN)",
    "imo": "IMO number",
    "lei": "LEI",
    "bic": "BIC",
    "crypto": "crypto address",
}
# The number a child entity of a listing carries (FtM files publish passports and wallets as
# entities of their own, pointing at their holder).
DOCUMENT_KINDS: dict[str, tuple[str, str]] = {
    "Passport": ("number", "passport"),
    "Identification": ("number", "id"),
    "CryptoWallet": ("publicKey", "crypto"),
}


@dataclass(frozen=True, slots=True)
class Subject:
    """Matchable facts of one person, organisation or vessel.

    Dates are ISO prefixes (``1977``, ``1977-06``, ``1977-06-19``); countries are ISO 3166-1
    alpha-2 codes in lower case, as FtM stores them; identifiers are document or registry
    numbers as written, and ``identifier_kinds`` (empty, or one per identifier: a ``KINDS``
    key, "" when unknown) says what each is, so an alert can say "same passport number".
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
    identifier_kinds: tuple[str, ...] = ()
    given_names: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    """The parts of the name where the source gives them (FtM ``firstName``, ``lastName``):
    a given name where the other side has its family name is another person's name."""

    def __post_init__(self) -> None:
        if self.identifier_kinds and len(self.identifier_kinds) != len(self.identifiers):
            raise ValueError("identifier_kinds needs one kind per identifier, or none")

    def typed_identifiers(self) -> tuple[tuple[str, str], ...]:
        """Each identifier with its kind ("" when unknown)."""
        kinds = self.identifier_kinds or ("",) * len(self.identifiers)
        return tuple(zip(self.identifiers, kinds, strict=True))

    def with_identifiers(self, typed: list[tuple[str, str]]) -> "Subject":
        """This subject with more (number, kind) pairs, those it has already left out."""
        known = dict(self.typed_identifiers())
        for number, kind in typed:
            known.setdefault(number, kind)
        return replace(self, identifiers=tuple(known), identifier_kinds=tuple(known.values()))

    @classmethod
    def from_entity(cls, entity: "EntityProxy", list_name: str | None = None) -> "Subject":
        """The facts of a listed FtM entity."""

        def values(props: tuple[str, ...]) -> tuple[str, ...]:
            found: list[str] = []
            for prop in props:
                if prop in entity.schema.properties:
                    found.extend(v for v in entity.get(prop) if v not in found)
            return tuple(found)

        genders = values(("gender",))
        typed: dict[str, str] = {}
        for prop, kind in IDENTIFIER_KINDS.items():
            if prop in entity.schema.properties:
                for value in entity.get(prop):
                    typed.setdefault(value, kind)
        names = values(STRONG_NAMES)
        if not names:  # parts only: one name of them, in order (a yente query may send so)
            first = (values((prop,))[:1] for prop in NAME_PARTS)
            names = tuple(filter(None, [" ".join(v for part in first for v in part)]))
        return cls(
            schema=entity.schema.name,
            names=names,
            weak_names=values(WEAK_NAMES),
            birth_dates=values(DATES),
            countries=values(COUNTRIES),
            gender=genders[0] if genders else None,
            identifiers=tuple(typed),
            entity_id=entity.id,
            list_name=list_name,
            identifier_kinds=tuple(typed.values()),
            given_names=values(GIVEN_PARTS),
            family_names=values(FAMILY_PARTS),
        )
