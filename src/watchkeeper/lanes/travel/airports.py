"""Airports as travel rules see them: name, city, country and time zone, from airportsdata."""

from dataclasses import dataclass
from functools import cache

import airportsdata


@dataclass(frozen=True, slots=True)
class Airport:
    """What a rule says about an airport: its name, country (ISO-2) and time zone."""

    code: str
    name: str
    city: str
    country: str
    tz: str


@cache
def _airport_table() -> dict[str, airportsdata.Airport]:
    return airportsdata.load("IATA")


def airport(code: str) -> Airport | None:
    """The IATA airport, or None when airportsdata does not know the code."""
    row = _airport_table().get(code.strip().upper())
    if row is None:
        return None
    return Airport(row["iata"], row["name"], row["city"], row["country"], row["tz"])


def airport_code(code: str) -> str | None:
    """The IATA code as rules compare it (upper case), or None when it is not an airport."""
    cleaned = code.strip().upper()
    return cleaned if airport(cleaned) is not None else None
