"""Country codes as travel documents, airline messages and document lists write them.

Messages and machine-readable zones use ISO 3166-1 alpha-3 (TUR), sometimes alpha-2 (TR), and
a few ICAO Doc 9303 codes that are not ISO. Codes are looked up exactly in rigour's territory
index: a mistyped code must stay unknown, not become a guessed country (FtM's own cleaner
also tries names, fuzzily).
"""

from rigour.territories import lookup_by_identifier

# ICAO Doc 9303 Part 3 codes that are not ISO 3166-1 alpha-3: Germany's "D", the British
# nationality classes (dependent territories, national overseas, overseas citizen, protected
# person, subject) and UNMIK-issued Kosovo documents. Stateless and refugee codes (XXA, XXB,
# XXC, XXX) name no country and stay unmapped on purpose.
ICAO_COUNTRIES = {
    "D": "DE",
    "GBD": "GB",
    "GBN": "GB",
    "GBO": "GB",
    "GBP": "GB",
    "GBS": "GB",
    "RKS": "XK",
    "UNK": "XK",
}


def iso2(code: str | None) -> str | None:
    """Upper-case ISO 3166-1 alpha-2 for a country code (TUR, tr, D), else None."""
    if not code:
        return None
    cleaned = code.strip().upper()
    if cleaned in ICAO_COUNTRIES:
        return ICAO_COUNTRIES[cleaned]
    if len(cleaned) not in (2, 3) or not cleaned.isalpha():
        return None
    territory = lookup_by_identifier(cleaned)
    if territory is None or "-" in territory.code:  # "us-nd" is a subdivision, not a country
        return None
    return territory.code.upper()


def ftm_country(code: str | None) -> str | None:
    """The same, as FtM stores countries (lower case)."""
    found = iso2(code)
    return found.lower() if found else None


def country_name(code: str | None) -> str:
    """Display name of a country code, or the code itself when unknown."""
    found = iso2(code)
    territory = lookup_by_identifier(found) if found else None
    return territory.name if territory else (code or "")
