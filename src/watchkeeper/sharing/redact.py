"""What personal data leaves the agency with a record, by the record's TLP code.

CLEAR and GREEN records may travel widely (a whole community, or anyone), so they carry
names, aliases, nationality, gender and the listing, which is what screening needs, but not
the fields that would let a reader track a person down or impersonate them: birth dates and
places, document numbers, addresses and contact details. Documents and addresses kept as
entities of their own are dropped whole. AMBER and AMBER+STRICT records go only to partners
named for them and keep every field. RED records are never shared, so never reach here.
"""

from typing import Any

REDACTED_CODES = frozenset({"CLEAR", "GREEN"})
REDACTED_PROPERTIES = frozenset(
    {
        "birthDate",
        "birthPlace",
        "passportNumber",
        "idNumber",
        "taxNumber",
        "socialSecurityNumber",
        "address",
        "addressEntity",
        "email",
        "phone",
        "website",
    }
)
"""FtM properties removed from every entity of a CLEAR or GREEN record."""
REDACTED_SCHEMATA = frozenset({"Passport", "Identification", "Address"})
"""FtM schemata whose entities are left out of a CLEAR or GREEN record."""


def redact(code: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities of one record as they may be shared under ``code`` (new dicts)."""
    if code not in REDACTED_CODES:
        return entities
    kept = []
    for entity in entities:
        if entity.get("schema") in REDACTED_SCHEMATA:
            continue
        properties = {
            name: values
            for name, values in entity.get("properties", {}).items()
            if name not in REDACTED_PROPERTIES
        }
        kept.append({**entity, "properties": properties})
    return kept
