"""Identification scheme codes of payment messages as the matcher's kinds of number
(``matching.subject.KINDS``): ISO 20022's ExternalPersonIdentification1Code and
ExternalOrganisationIdentification1Code, which SWIFT MT103 field 50F uses too. An alert on a
listed passport then says "same passport number", as the list does."""

_KINDS = {
    "CCPT": "passport",
    "NIDN": "id",  # national identity number
    "ARNU": "id",  # alien registration number
    "SOSE": "id",  # social security number
    "TXID": "tax",
    "CINC": "registration",  # certificate of incorporation
    "COID": "registration",  # country identification code (a company register's number)
}


def scheme_kind(code: str | None) -> str:
    """The kind of number a scheme code names; "" for one no list publishes (a customer or
    employee number, a driving licence) or none."""
    return _KINDS.get((code or "").strip().upper(), "")
