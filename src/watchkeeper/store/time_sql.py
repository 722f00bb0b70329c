"""Time arithmetic in SQL that SQLite and PostgreSQL spell differently.

The overview aggregates in the database (alerts per day, time to decision) so that no figure
needs every row in Python; the two backends agree on comparisons but not on taking a day or
a difference of two moments. SQLite keeps times as UTC text (``store.times``), PostgreSQL as
``timestamptz``; both expressions below read them as UTC whatever the session's zone.
"""

from typing import Any

from sqlalchemy import Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


# Lower-case class names: each reads as the SQL function it stands for.
class utc_day(FunctionElement[str]):
    """The UTC calendar day of a moment, as ``YYYY-MM-DD`` text."""

    type = String()
    inherit_cache = True
    name = "utc_day"


class seconds_between(FunctionElement[float]):
    """Seconds from the first moment to the second (negative when the second is earlier)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(utc_day, "sqlite")
def _day_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _day_postgresql(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"to_char(({moment}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end}) - ({start}))"
