"""The partners page: each partner agency, the lists and hash banks we hold of it, and the
TAXII feeds we follow, with where each stopped (its cursor: the ``date_added`` of the last
page applied) and when.

A partner is known from any of the places the sharing package writes it: its configuration
(``share_partners``), the lists received from it (``share_sources``) and the copies of its
banks (``image_banks.partner``). A feed's cursor is kept by its address alone
(``share_cursors``); it is tied to a partner through the versions of the partner's list that
came from the same address.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from watchkeeper.store.schema import (
    image_banks,
    list_versions,
    lists,
    share_cursors,
    share_partners,
    share_sources,
)
from watchkeeper.store.times import utc


@dataclass(frozen=True, slots=True)
class PartnerList:
    """A list holding what a partner shares: its newest version, loaded when, from where,
    and the faults that version's load skipped."""

    list_name: str
    versions: int
    loaded_at: datetime | None
    origin: str | None
    skipped: int


@dataclass(frozen=True, slots=True)
class Feed:
    """A partner's TAXII collection we follow: ``origin`` is ``taxii:<collection URL>``,
    ``cursor`` the ``date_added`` of the last page applied, at ``updated_at``; ``partner`` and
    ``list_name`` are None while no version of a partner list came from it (a feed of hash
    bank entries only)."""

    origin: str
    cursor: str
    updated_at: datetime
    partner: str | None
    list_name: str | None


@dataclass(frozen=True, slots=True)
class PartnerOverview:
    """A partner agency: the user whose tokens stand for it on our TAXII server, whether we
    hold its signing key (without one its bundles are refused), and what we hold of it."""

    name: str
    username: str | None
    signing_key: bool
    created_at: datetime | None
    lists: tuple[PartnerList, ...]
    banks: tuple[str, ...]
    feeds: tuple[Feed, ...]


def feeds(engine: Engine) -> list[Feed]:
    """Every feed followed, by address."""
    owners = (
        select(list_versions.c.origin, lists.c.name, share_sources.c.partner)
        .join(lists, lists.c.id == list_versions.c.list_id)
        .join(share_sources, share_sources.c.list_name == lists.c.name)
        .where(list_versions.c.origin.in_(select(share_cursors.c.origin)))
        .distinct()
    )
    with engine.connect() as conn:
        cursors = conn.execute(select(share_cursors).order_by(share_cursors.c.origin)).all()
        owner = {row.origin: (row.partner, row.name) for row in conn.execute(owners)}
    return [
        Feed(row.origin, row.cursor, utc(row.updated_at), *owner.get(row.origin, (None, None)))
        for row in cursors
    ]


def partner_overview(engine: Engine) -> list[PartnerOverview]:
    """Every partner, by name, with its lists, bank copies and feeds."""
    per_list = (
        select(
            list_versions.c.list_id,
            func.count().label("versions"),
            func.max(list_versions.c.number).label("newest"),
        )
        .group_by(list_versions.c.list_id)
        .subquery()
    )
    received = (
        select(
            share_sources.c.partner,
            share_sources.c.list_name,
            per_list.c.versions,
            list_versions.c.loaded_at,
            list_versions.c.origin,
            list_versions.c.skipped,
        )
        .outerjoin(lists, lists.c.name == share_sources.c.list_name)
        .outerjoin(per_list, per_list.c.list_id == lists.c.id)
        .outerjoin(
            list_versions,
            (list_versions.c.list_id == lists.c.id) & (list_versions.c.number == per_list.c.newest),
        )
        .order_by(share_sources.c.list_name)
    )
    copies = select(image_banks.c.partner, image_banks.c.name).where(
        image_banks.c.partner.is_not(None)
    )
    with engine.connect() as conn:
        configured = {row.name: row for row in conn.execute(select(share_partners))}
        held = conn.execute(received).all()
        banks = conn.execute(copies.order_by(image_banks.c.name)).all()
    followed = feeds(engine)
    names = {*configured, *(r.partner for r in held), *(b.partner for b in banks)}
    found = []
    for name in sorted(names):
        row = configured.get(name)
        found.append(
            PartnerOverview(
                name,
                row.username if row is not None else None,
                bool(row.public_key) if row is not None else False,
                utc(row.created_at) if row is not None else None,
                tuple(
                    PartnerList(
                        r.list_name,
                        int(r.versions or 0),
                        utc(r.loaded_at) if r.loaded_at is not None else None,
                        r.origin,
                        len(r.skipped or []),
                    )
                    for r in held
                    if r.partner == name
                ),
                tuple(b.name for b in banks if b.partner == name),
                tuple(f for f in followed if f.partner == name),
            )
        )
    return found
