"""A kept travel message read again: the ``travel_messages`` row and its message parsed
from the raw interchange, so pages show segments as the airline sent them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, select

from watchkeeper.errors import NotFoundError
from watchkeeper.lanes.travel import TravelMessage, parse_messages
from watchkeeper.store.schema import travel_messages
from watchkeeper.store.times import utc


@dataclass(frozen=True, slots=True)
class KeptMessage:
    """One stored travel message and what its row says of it."""

    id: int
    path: str
    received_at: datetime
    interchange_id: int | None
    depersonalised: bool  # names and numbers masked by retention ("***")
    index: int  # its place among the messages of its interchange, from 0
    message: TravelMessage


def kept_message(engine: Engine, message_id: int) -> KeptMessage:
    """Message ``message_id``, parsed again from its interchange; a ``NotFoundError`` when
    there is none or it was never read (status failed)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(travel_messages).where(travel_messages.c.id == message_id)
        ).first()
        if row is None or row.kind is None:
            raise NotFoundError(f"no screened travel message {message_id}")
        siblings = list(conn.execute(_siblings(row)).scalars())
    messages = parse_messages(row.raw, row.path, strict=False)
    index = siblings.index(row.id)
    if index >= len(messages) or messages[index].reference != row.reference:
        raise NotFoundError(
            f"travel message {message_id} ({row.path}): its interchange no longer holds "
            f"message {row.reference!r} at position {index + 1}"
        )
    return KeptMessage(
        row.id,
        row.path,
        utc(row.received_at),
        row.interchange_id,
        row.depersonalised_at is not None,
        index,
        messages[index],
    )


def _siblings(row: Row[Any]) -> Any:
    """The ids of the messages stored from the same interchange, in the order it holds them
    (``lanes.travel.records`` writes them so): the interchange when known, else the same
    file received at the same moment."""
    query = select(travel_messages.c.id).order_by(travel_messages.c.id)
    if row.interchange_id is not None:
        return query.where(travel_messages.c.interchange_id == row.interchange_id)
    return query.where(
        travel_messages.c.path == row.path,
        travel_messages.c.received_at == row.received_at,
        travel_messages.c.kind.is_not(None),
    )
