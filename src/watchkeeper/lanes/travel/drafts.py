"""Mutable drafts the parsers fill segment by segment, then freeze into the model.

A traveller's facts arrive spread over many segments (and, in PNRGOV, over several groups),
so the parsers collect them here and build the immutable ``Traveller`` once at the end.
"""

from dataclasses import dataclass, field
from datetime import date

from watchkeeper.lanes.travel.model import Gender, Role, TravelDocument, Traveller


def add_once(values: list[str], value: str) -> None:
    """Append unless empty or already there: PNRGOV repeats contacts per itinerary leg."""
    if value and value not in values:
        values.append(value)


@dataclass
class TravellerDraft:
    """A ``Traveller`` under construction."""

    role: Role
    surname: str
    given_names: str
    segment: int
    gender: Gender = "U"
    birth_date: date | None = None
    nationality: str | None = None
    residence_country: str | None = None
    place_of_birth: str | None = None
    in_transit: bool = False
    embarkation: str | None = None
    debarkation: str | None = None
    pnr_reference: str | None = None
    traveller_reference: str | None = None
    documents: list[TravelDocument] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    bags: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    frequent_flyer: list[str] = field(default_factory=list)

    def freeze(self) -> Traveller:
        """The immutable traveller."""
        return Traveller(
            role=self.role,
            surname=self.surname,
            given_names=self.given_names,
            segment=self.segment,
            gender=self.gender,
            birth_date=self.birth_date,
            nationality=self.nationality,
            residence_country=self.residence_country,
            place_of_birth=self.place_of_birth,
            documents=tuple(self.documents),
            in_transit=self.in_transit,
            embarkation=self.embarkation,
            debarkation=self.debarkation,
            seats=tuple(self.seats),
            bags=tuple(self.bags),
            phones=tuple(self.phones),
            emails=tuple(self.emails),
            addresses=tuple(self.addresses),
            frequent_flyer=tuple(self.frequent_flyer),
            pnr_reference=self.pnr_reference,
            traveller_reference=self.traveller_reference,
        )


def gender(code: str) -> Gender:
    """M/F from the codes messages use (DOCS adds MI/FI for infants); anything else is U."""
    first = code[:1]
    return "M" if first == "M" else "F" if first == "F" else "U"
