"""Who or what was screened, as an alert keeps it: the facts a lane read, in the store's own
shape, so the store knows nothing of the matcher (lanes convert, ``lanes.subjects``)."""

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ScreenedSubject:
    """The screened subject of an alert: a person, company or party of unknown kind (an FtM
    schema), or an image ("Image": its name, its hash among ``identifiers``)."""

    schema: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    gender: str | None = None
    identifiers: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A stable digest of who was screened: names, birth dates and document numbers,
        normalised for case and spacing, so the same traveller next week has the same key."""
        parts = [
            "|".join(sorted(" ".join(n.lower().split()) for n in self.names)),
            "|".join(sorted(self.birth_dates)),
            "|".join(sorted(i.upper().replace(" ", "") for i in self.identifiers)),
        ]
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        """The facts as stored with the alert (the ``alerts.subject`` column)."""
        return {
            "schema": self.schema,
            "names": list(self.names),
            "birth_dates": list(self.birth_dates),
            "countries": list(self.countries),
            "gender": self.gender,
            "identifiers": list(self.identifiers),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ScreenedSubject":
        """The facts back from ``as_dict`` (stored alerts and screened subjects)."""
        return cls(
            schema=str(data.get("schema") or "LegalEntity"),
            names=tuple(data.get("names") or ()),
            birth_dates=tuple(data.get("birth_dates") or ()),
            countries=tuple(data.get("countries") or ()),
            gender=data.get("gender"),
            identifiers=tuple(data.get("identifiers") or ()),
        )
