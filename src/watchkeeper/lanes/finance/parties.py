"""Payment parties as the matcher sees them: the parties to screen and their ``Subject``."""

from watchkeeper.countries import ftm_country
from watchkeeper.lanes.finance.model import Party, Transaction
from watchkeeper.matching.subject import Subject


def parties_of(tx: Transaction) -> list[Party]:
    """The transaction's parties to screen, in order, each person or company once: a
    message often repeats the debtor as ultimate debtor, and one screening is enough."""
    seen: set[tuple[object, ...]] = set()
    parties: list[Party] = []
    for party in tx.parties:
        key = (party.name.casefold(), party.birth_date, party.country, party.id_number)
        if key not in seen:
            seen.add(key)
            parties.append(party)
    return parties


def party_subject(party: Party) -> Subject:
    """The matchable facts of a party: name, birth date, country, identity number.

    Accounts and bank BICs are left out: lists name people and companies, and a bank's BIC
    is the bank's, not the party's.
    """
    country = ftm_country(party.country)
    return Subject(
        schema=party.schema,
        names=(" ".join(party.name.split()),),
        birth_dates=(party.birth_date,) if party.birth_date else (),
        countries=(country,) if country else (),
        identifiers=(party.id_number,) if party.id_number else (),
        identifier_kinds=(party.id_kind,) if party.id_number else (),
    )
