"""Linked listings: entries of different lists that are the same person or organisation.

UN's QDi.325 and OFAC's 17066 are one man; an analyst should review him once. Two entries
are linked when they share a fact that names one holder and no one else:

- a document number (passport or national id, upper-case letters and digits only, at least
  ``MIN_DOCUMENT`` characters with a digit), unless both give its issuing country and the
  countries differ, or either list gives the number to two entries (the UN list gives
  IRi.003 and IRi.041, two men, the same two passports: such a number identifies no one);
- a UN reference number (``Sanction.unscId``: the UN list's own, and any other list's
  entry that cites the UN listing it implements);
- the same full name (two tokens or more, case, accents and punctuation aside, word order
  kept) with the same birth date, as written (``1977`` meets ``1977``, ``1977-06-19`` meets
  ``1977-06-19``), or a bare birth year on one list within a full date on the other (OFAC
  gives Sayf al-Adl "DOB 1963", the UN list 1963-04-11); two full dates of one year, not the
  same day, are two people. Weak aliases do not count, and a name alone never links: thousands
  share "Mohammed Ali".

A person is linked to a person only, an organisation to a non-person only. Each load writes
its entries' facts (``link_keys``) and, in the same transaction, replaces every link of its
list by those found against the active versions of the other lists, so links are never
half-written and never point at a version no longer active.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
)

from watchkeeper import schemata
from watchkeeper.store.models import EntityLink
from watchkeeper.store.schema import entities, entity_links, link_keys, list_versions, lists

if TYPE_CHECKING:  # records are loaded with followthemoney; reading links needs none of it
    from followthemoney import EntityProxy

DOCUMENT = "document"
REFERENCE = "reference"
NAME_BIRTH_DATE = "name_birth_date"
NAME_YEAR = "name_year"
"""A name with a bare birth year: it meets ``NAME_YEAR_OF`` keys (the same name, a full date
in that year), never another ``NAME_YEAR`` (that is ``NAME_BIRTH_DATE``'s equal years)."""
NAME_YEAR_OF = "name_year_of"
"""A name with the year of a fuller birth date: meets ``NAME_YEAR`` only."""
PARTNER_KINDS = {NAME_YEAR: NAME_YEAR_OF, NAME_YEAR_OF: NAME_YEAR}
"""The kind of key each kind meets on the other list; every other kind meets its own."""
MIN_DOCUMENT = 5
"""Shorter numbers ("1234", "A12") are too often shared by chance or are placeholders."""
NAMES = ("name", "alias", "previousName")
DOCUMENT_NUMBERS = ("passportNumber", "idNumber")
# Who can be linked: people and organisations, not a stolen passport listed on its own.
LINKABLE = schemata.extending("LegalEntity")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
LINK_COLUMNS = ("version_a", "entity_a", "version_b", "entity_b", "kind", "value")
Key = tuple[str, str, str | None]  # kind, value, issuing country of a document


def document_number(text: str) -> str | None:
    """``text`` as upper-case letters and digits; None when too short or without a digit."""
    number = _NOT_ALNUM.sub("", text.upper())
    if len(number) < MIN_DOCUMENT or not any(c.isdigit() for c in number):
        return None
    return number


def name_key(name: str) -> str | None:
    """A full name without case, accents or punctuation, word order kept ("AL-ADNANI, Abu"
    stays apart from "Abu al-Adnani": a reversed order may be another man's father);
    None for a one-word name."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return " ".join(words) if len(words) >= 2 else None


def record_keys(record: Iterable["EntityProxy"]) -> set[Key]:
    """The linking facts of one record's entities (an entry, its documents and sanctions)."""
    keys: set[Key] = set()
    for entity in record:
        schema = entity.schema
        if schema.is_a("Identification"):  # Passport is one too
            countries = entity.get("country")
            for text in entity.get("number"):
                number = document_number(text)
                if number:
                    keys.add((DOCUMENT, number, countries[0] if len(countries) == 1 else None))
        elif schema.is_a("Sanction"):
            keys.update((REFERENCE, ref.strip().upper(), None) for ref in entity.get("unscId"))
        elif schema.is_a("LegalEntity"):
            for prop in DOCUMENT_NUMBERS:
                for text in entity.get(prop, quiet=True):
                    number = document_number(text)
                    if number:
                        keys.add((DOCUMENT, number, None))
            dates = entity.get("birthDate", quiet=True)
            names = [name for prop in NAMES for name in entity.get(prop, quiet=True)]
            for name in names:
                key = name_key(name)
                if key:
                    keys.update(_name_date_keys(key, dates))
    return _drop_countryless(keys)


def _name_date_keys(key: str, dates: Iterable[str]) -> Iterator[Key]:
    """A name's keys with each birth date as written, and with its year (``NAME_YEAR`` for a
    bare year, ``NAME_YEAR_OF`` for a fuller date)."""
    for date in dates:
        yield NAME_BIRTH_DATE, f"{key}|{date}", None
        year = date[:4]
        if year.isdigit():
            yield (NAME_YEAR if date == year else NAME_YEAR_OF), f"{key}|{year}", None


def _drop_countryless(keys: set[Key]) -> set[Key]:
    """A number copied onto its holder without a country is the same document as the child
    that gives one; keeping both would let the copy link across countries."""
    known = {value for kind, value, country in keys if kind == DOCUMENT and country}
    return {k for k in keys if not (k[0] == DOCUMENT and k[2] is None and k[1] in known)}


def key_rows(version_id: int, record_id: str, keys: set[Key]) -> Iterator[dict[str, object]]:
    """``link_keys`` rows of one record."""
    for kind, value, country in sorted(keys, key=lambda k: (k[0], k[1], k[2] or "")):
        yield {
            "version_id": version_id,
            "record_id": record_id,
            "kind": kind,
            "value": value[:512],
            "country": country,
        }


def relink(conn: Connection, list_id: int, version_id: int) -> int:
    """Replace every link of list ``list_id`` by those of its version ``version_id`` with the
    active versions of the other lists; return how many entity pairs are linked."""
    own = select(list_versions.c.id).where(list_versions.c.list_id == list_id)
    conn.execute(
        delete(entity_links).where(
            or_(entity_links.c.version_a.in_(own), entity_links.c.version_b.in_(own))
        )
    )
    if conn.dialect.name == "postgresql":
        # The load wrote its keys and entities in this transaction, after the tables were last
        # analysed (autovacuum sees committed rows only, later): planned on those statistics,
        # the join below ran as nested loops filtering one table against the other, 10 to 20 s
        # of the server's CPU for an OFAC load into a new store, 0.15 s once analysed. ANALYZE
        # samples this transaction's rows too; a concurrent load's ANALYZE waits for this one
        # to commit, which follows at once.
        conn.exec_driver_sql("ANALYZE link_keys, entities")
    a, b = link_keys.alias(), link_keys.alias()  # Core aliases: the ORM costs 0.3 s to import
    ea, eb = entities.alias(), entities.alias()
    is_person_a = ea.c.schema == literal("Person")
    is_person_b = eb.c.schema == literal("Person")
    found = (
        select(a.c.version_id, a.c.record_id, b.c.version_id, b.c.record_id, a.c.kind, a.c.value)
        .distinct()
        .join(b, and_(b.c.kind == _partner(a.c.kind), b.c.value == a.c.value))
        .join(lists, and_(lists.c.active_version_id == b.c.version_id, lists.c.id != list_id))
        .join(ea, and_(ea.c.version_id == a.c.version_id, ea.c.entity_id == a.c.record_id))
        .join(eb, and_(eb.c.version_id == b.c.version_id, eb.c.entity_id == b.c.record_id))
        .where(
            a.c.version_id == version_id,
            ea.c.schema.in_(LINKABLE),
            eb.c.schema.in_(LINKABLE),
            or_(a.c.country.is_(None), b.c.country.is_(None), a.c.country == b.c.country),
            or_(and_(is_person_a, is_person_b), and_(~is_person_a, ~is_person_b)),
        )
    )
    rows = conn.execute(found).all()
    shared = _shared_documents(conn, {version_id} | {row[2] for row in rows})
    links = [
        dict(zip(LINK_COLUMNS, row, strict=True))
        for row in rows
        if (row[0], row[4], row[5]) not in shared and (row[2], row[4], row[5]) not in shared
    ]
    if links:
        conn.execute(insert(entity_links), links)
    return len({(link["entity_a"], link["entity_b"]) for link in links})


def _partner(kind: ColumnElement[str]) -> ColumnElement[str]:
    """The kind a key of ``kind`` meets (``PARTNER_KINDS``), as SQL."""
    return case(*((kind == k, literal(v)) for k, v in PARTNER_KINDS.items()), else_=kind)


def _shared_documents(conn: Connection, version_ids: set[int]) -> set[tuple[int, str, str]]:
    """(version, kind, number) of the document numbers that two entries of one version hold."""
    query = (
        select(link_keys.c.version_id, link_keys.c.kind, link_keys.c.value)
        .where(link_keys.c.version_id.in_(sorted(version_ids)), link_keys.c.kind == DOCUMENT)
        .group_by(link_keys.c.version_id, link_keys.c.kind, link_keys.c.value)
        .having(func.count(link_keys.c.record_id.distinct()) > 1)
    )
    return {(row[0], row[1], row[2]) for row in conn.execute(query)}


def active_links(engine: Engine, list_names: Iterable[str] | None = None) -> list[EntityLink]:
    """The links between the active versions of ``list_names`` (of every list when None),
    one per linking fact, ordered."""
    with engine.connect() as conn:
        return links_of(conn, list_names)


def links_of(
    conn: Connection, list_names: Iterable[str] | None = None, entity_ids: Iterable[str] = ()
) -> list[EntityLink]:
    """``active_links`` inside the caller's transaction, only those touching one of
    ``entity_ids`` when any are given."""
    la, lb = lists.alias(), lists.alias()
    query = (
        select(
            la.c.name,
            entity_links.c.entity_a,
            lb.c.name,
            entity_links.c.entity_b,
            entity_links.c.kind,
            entity_links.c.value,
        )
        .join(la, la.c.active_version_id == entity_links.c.version_a)
        .join(lb, lb.c.active_version_id == entity_links.c.version_b)
        .order_by(la.c.name, entity_links.c.entity_a, lb.c.name, entity_links.c.entity_b)
    )
    if list_names is not None:
        names = sorted(set(list_names))
        query = query.where(la.c.name.in_(names), lb.c.name.in_(names))
    ids = sorted(set(entity_ids))
    if ids:
        query = query.where(or_(entity_links.c.entity_a.in_(ids), entity_links.c.entity_b.in_(ids)))
    return [EntityLink(*row) for row in conn.execute(query)]


Listing = tuple[str, str]  # list name, entity id


class Persons:
    """Listings gathered into persons by their links (every listing of one person has the
    same root; a listing linked to nothing is its own)."""

    def __init__(self, links: Iterable[EntityLink]) -> None:
        self.links = tuple(links)
        parent: dict[Listing, Listing] = {}

        def root(node: Listing) -> Listing:
            while parent.get(node, node) != node:
                node = parent[node]
            return node

        for link in self.links:
            a, b = root((link.list_a, link.entity_a)), root((link.list_b, link.entity_b))
            if a != b:
                parent[max(a, b)] = min(a, b)
        nodes = {n for link in self.links for n in _ends(link)}
        self._root = {node: root(node) for node in nodes}
        self._members: dict[Listing, list[Listing]] = {}
        for node in sorted(nodes):
            self._members.setdefault(self._root[node], []).append(node)
        self._facts: dict[Listing, list[EntityLink]] = {}
        for link in self.links:
            self._facts.setdefault(self._root[(link.list_a, link.entity_a)], []).append(link)

    def root(self, listing: Listing) -> Listing:
        """The listing that stands for the person ``listing`` is one of."""
        return self._root.get(listing, listing)

    def members(self, root: Listing) -> list[Listing]:
        """Every linked listing of the person ``root`` stands for (none when unlinked)."""
        return self._members.get(root, [])

    def facts(self, root: Listing) -> list[EntityLink]:
        """The links that tie the listings of the person ``root`` stands for."""
        return self._facts.get(root, [])


def _ends(link: EntityLink) -> tuple[Listing, Listing]:
    return (link.list_a, link.entity_a), (link.list_b, link.entity_b)
