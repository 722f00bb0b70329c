"""The sharing configuration kept in the store: partners, and the TAXII collections that say
which of our lists and hash banks go to whom under which TLP ceiling."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, update

from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.sharing.ids import NAMESPACE
from watchkeeper.sharing.tlp import check_code
from watchkeeper.sources.profiles import owner_slug
from watchkeeper.store.schema import (
    image_banks,
    lists,
    share_collections,
    share_partners,
    share_sources,
)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True, slots=True)
class Partner:
    """A partner agency: its name, the user standing for it on our server, its signing key."""

    name: str
    username: str | None
    public_key: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"name": self.name, "username": self.username, "public_key": self.public_key}


@dataclass(frozen=True, slots=True)
class Collection:
    """A TAXII collection: outbound (``list_name`` or ``bank_name`` set) or inbound
    (``writers`` may POST)."""

    id: str
    title: str
    list_name: str | None
    tlp: str
    partners: list[str]
    writers: list[str]
    bank_name: str | None = None

    @property
    def outbound(self) -> bool:
        """Whether the collection serves one of our lists or banks (else partners post to it)."""
        return self.list_name is not None or self.bank_name is not None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "id": self.id,
            "title": self.title,
            "list": self.list_name,
            "bank": self.bank_name,
            "tlp": self.tlp,
            "partners": self.partners,
            "writers": self.writers,
        }


def partner_list(partner: str) -> str:
    """The list that holds what ``partner`` shares with us: never one of our own."""
    return f"partner-{owner_slug(partner)}"


def partner_bank(partner: str, bank: str | None, negative: bool) -> str:
    """The hash bank that holds ``partner``'s bank ``bank``: never one of ours. Indicators
    without the watchkeeper extension (no bank name) go to ``partner-<name>``, or to
    ``partner-<name>-benign`` when they say they are of known-benign content, since one bank
    is either negative or not."""
    name = partner_list(partner)
    if bank is not None:
        name = f"{name}-{owner_slug(bank)}"
    elif negative:
        name = f"{name}-benign"
    if len(name) > 64:
        raise UsageError(f"the bank for {partner}'s bank {bank!r} would be named {name!r}, over 64")
    return name


def check_name(name: str) -> str:
    """A partner name, checked: it names lists and appears in ids."""
    if not _NAME.fullmatch(name):
        raise UsageError(f"bad partner name {name!r}: use up to 64 letters, digits and . _ -")
    return name


def save_partner(
    engine: Engine, name: str, *, username: str | None = None, public_key: str | None = None
) -> Partner:
    """Add a partner or update the fields given; returns it as stored."""
    check_name(name)
    with engine.begin() as conn:
        row = conn.execute(select(share_partners).where(share_partners.c.name == name)).first()
        values: dict[str, Any] = {}
        if username is not None:
            values["username"] = username
        if public_key is not None:
            values["public_key"] = public_key
        if row is None:
            conn.execute(
                share_partners.insert().values(name=name, created_at=datetime.now(UTC), **values)
            )
        elif values:
            conn.execute(update(share_partners).where(share_partners.c.name == name).values(values))
        stored = conn.execute(select(share_partners).where(share_partners.c.name == name)).one()
    return _partner(stored)


def partners(engine: Engine) -> list[Partner]:
    """Every partner, by name."""
    with engine.connect() as conn:
        rows = conn.execute(select(share_partners).order_by(share_partners.c.name))
        return [_partner(row) for row in rows]


def partner_of_user(conn: Connection, username: str) -> str | None:
    """The partner whose tokens belong to ``username``; None for our own staff."""
    name = conn.execute(
        select(share_partners.c.name).where(share_partners.c.username == username)
    ).scalar()
    return str(name) if name is not None else None


def add_collection(
    engine: Engine,
    *,
    list_name: str | None,
    tlp: str,
    partners: list[str],
    writers: list[str],
    title: str | None = None,
    bank_name: str | None = None,
) -> Collection:
    """Share one of our lists (``list_name``) or hash banks (``bank_name``), or open an
    inbound collection (``writers``).

    The id is derived from the list or bank name and title, so a collection made again (on
    another node, or after a restore) keeps the address partners follow; one list or bank
    may be shared in several collections with different titles (a community one, an AMBER
    one).
    """
    code = check_code(tlp)
    if list_name is not None and bank_name is not None:
        raise UsageError("a collection shares a list or a bank, not both")
    if list_name is not None:
        title = title or f"watchlist {list_name}"
        key = f"list:{list_name}:{title}"
    elif bank_name is not None:
        title = title or f"hash bank {bank_name}"
        key = f"bank:{bank_name}:{title}"
    else:
        title = title or "inbound"
        key = f"inbound:{title}"
    collection_id = str(uuid.uuid5(NAMESPACE, key))
    with engine.begin() as conn:
        known = {p for p in conn.execute(select(share_partners.c.name)).scalars()}
        unknown = sorted(set(partners + writers) - known)
        if unknown:
            raise UsageError(
                f"unknown partner(s): {', '.join(unknown)}; add them with 'share partners add'"
            )
        if list_name is not None:
            if conn.execute(select(lists.c.id).where(lists.c.name == list_name)).first() is None:
                raise NotFoundError(f"no list named {list_name!r}; see 'watchkeeper lists ls'")
        elif bank_name is not None:
            found = select(image_banks.c.id).where(image_banks.c.name == bank_name)
            if conn.execute(found).first() is None:
                raise NotFoundError(
                    f"no hash bank named {bank_name!r}; see 'watchkeeper images bank ls'"
                )
        elif not writers:
            raise UsageError("an inbound collection needs at least one writer (--writers)")
        if conn.execute(
            select(share_collections.c.id).where(share_collections.c.id == collection_id)
        ).first():
            raise UsageError(f"collection {collection_id} exists already")
        conn.execute(
            share_collections.insert().values(
                id=collection_id,
                title=title,
                list_name=list_name,
                bank_name=bank_name,
                tlp=code,
                partners=sorted(partners),
                writers=sorted(writers),
                created_at=datetime.now(UTC),
            )
        )
    return get_collection(engine, collection_id)


def collections(engine: Engine) -> list[Collection]:
    """Every collection, by title."""
    with engine.connect() as conn:
        rows = conn.execute(select(share_collections).order_by(share_collections.c.title))
        return [_collection(row) for row in rows]


def get_collection(engine: Engine, collection_id: str) -> Collection:
    """One collection; NotFoundError when there is none with that id."""
    with engine.connect() as conn:
        row = conn.execute(
            select(share_collections).where(share_collections.c.id == collection_id)
        ).first()
    if row is None:
        raise NotFoundError(f"no collection {collection_id!r}")
    return _collection(row)


def mark_received(conn: Connection, list_name: str, partner: str) -> None:
    """Record that ``list_name`` holds a partner's records; refuse it if it is one of ours."""
    row = conn.execute(select(share_sources).where(share_sources.c.list_name == list_name)).first()
    if row is not None:
        if row.partner != partner:
            raise UsageError(f"list {list_name!r} holds records of partner {row.partner!r}")
        return
    if conn.execute(select(lists.c.id).where(lists.c.name == list_name)).first() is not None:
        raise UsageError(f"list {list_name!r} is one of ours; partner records go to their own list")
    conn.execute(
        share_sources.insert().values(
            list_name=list_name, partner=partner, created_at=datetime.now(UTC)
        )
    )


def is_received(conn: Connection, list_name: str) -> bool:
    """Whether ``list_name`` holds records received from a partner."""
    found = conn.execute(
        select(share_sources.c.list_name).where(share_sources.c.list_name == list_name)
    ).first()
    return found is not None


def _partner(row: Row[Any]) -> Partner:
    return Partner(row.name, row.username, row.public_key)


def _collection(row: Row[Any]) -> Collection:
    return Collection(
        row.id,
        row.title,
        row.list_name,
        row.tlp,
        list(row.partners or []),
        list(row.writers or []),
        row.bank_name,
    )
