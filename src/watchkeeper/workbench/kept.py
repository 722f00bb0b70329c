"""A kept lane input (``lane_inputs``): the bytes as received, for the lanes' readers."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from watchkeeper.errors import NotFoundError
from watchkeeper.store.schema import lane_inputs
from watchkeeper.store.times import utc


@dataclass(frozen=True, slots=True)
class KeptInput:
    """One input as a lane received it."""

    id: int
    lane: str
    path: str
    received_at: datetime
    raw: bytes


def kept_input(engine: Engine, input_id: int) -> KeptInput:
    """Input ``input_id``; a ``NotFoundError`` when it is not kept."""
    with engine.connect() as conn:
        row = conn.execute(select(lane_inputs).where(lane_inputs.c.id == input_id)).first()
    if row is None:
        raise NotFoundError(f"no kept input {input_id}")
    return KeptInput(row.id, row.lane, row.path, utc(row.received_at), bytes(row.raw))
