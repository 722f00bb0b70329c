"""Hash banks as they may be shared: whose entries they are, and each entry with its TLP code,
RED ones never.

Our own entries carry no code of their own: they take the code of the collection or bundle
that shares them. Entries received from a partner keep the partner's code, so ``may_share``
passes them on only when CLEAR or GREEN, and they keep the partner's STIX id, so whoever
receives them from us and from the partner holds one object, not two.
"""

from collections.abc import Iterator

from sqlalchemy import Connection

from watchkeeper.lanes.images.banks import Bank, bank_entries
from watchkeeper.sharing.hashes import SharedEntry


def bank_owner(bank: Bank, agency: str) -> str:
    """The agency whose entries a bank holds: ``agency`` (us), or the partner it came from."""
    return bank.partner or agency


def shareable_entries(
    conn: Connection, bank: Bank, agency: str, default_code: str
) -> Iterator[SharedEntry]:
    """Every entry of ``bank`` that may leave the agency at all (not RED), in the order
    added; an entry without a code takes ``default_code``."""
    owner = bank_owner(bank, agency)
    for entry in bank_entries(conn, bank):
        code = entry.tlp or default_code
        if code != "RED":
            yield SharedEntry(owner, bank.name, bank.negative, bank.max_distance, code, entry)
