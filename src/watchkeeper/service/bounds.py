"""Bounds of the numbers a caller may send, shared by the API and the web pages, so that
no number reaches the store or the matcher that they cannot take: SQLite's integers are 64
bits, ``timedelta`` stops at year 1, and a logit weight of -1e308 overflows the sigmoid.
Out of bounds is the caller's error (422 or 400), never a 500."""

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1
"""The largest row id: the store's id columns are INTEGER, 32-bit signed on PostgreSQL (a
larger id made PostgreSQL refuse the query: a 500 schemathesis found)."""
MAX_DAYS = 36_500
"""Day counts (alert age filters) up to a century, well inside ``timedelta``'s range."""
MAX_OFFSET = 1_000_000_000
"""Rows skipped by paging; far beyond any queue, inside every integer type of the store."""
MAX_WEIGHT = 50.0
"""Feature weights overriding the matcher's (logit units; the fitted ones are under 10):
with a dozen features whose values lie in [-1, 1], the logit stays inside ``math.exp``'s
range."""

AlertId = Annotated[int, Path(ge=1, le=MAX_ID, description="An alert's id")]
Days = Annotated[int | None, Query(ge=0, le=MAX_DAYS)]
Score = Annotated[float | None, Query(ge=0, le=1, allow_inf_nan=False)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Weight = Annotated[float, Field(ge=-MAX_WEIGHT, le=MAX_WEIGHT, allow_inf_nan=False)]
