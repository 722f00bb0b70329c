"""What every payment reader shares: the batch it returns and the checks on single values.

A reader never stops at a bad record: it reports it as a ``SourceIssue`` and reads on, so a
caller can screen the good records and tell a person exactly which lines to fix. Only a file
that cannot be read at all (wrong format, missing columns, malformed XML) raises
``SourceError``.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Generic, Literal, TypeVar

from watchkeeper.countries import iso2
from watchkeeper.errors import SourceIssue

T = TypeVar("T")

# CBPR+ and the MT→MX translators write this where a mandatory element has no value: it is
# not a name or an account, so it is treated as absent.
PLACEHOLDERS = frozenset({"NOTPROVIDED", "NOT PROVIDED", "UNKNOWN"})
PartySchema = Literal["Person", "Organization", "LegalEntity"]
SCHEMAS: tuple[PartySchema, ...] = ("Person", "Organization", "LegalEntity")

_SPACES = re.compile(r"\s+")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2})?")


@dataclass(slots=True)
class Batch(Generic[T]):
    """The records read from one input and the faults found in it, in input order."""

    records: list[T] = field(default_factory=list)
    issues: list[SourceIssue] = field(default_factory=list)

    def extend(self, other: "Batch[T]") -> None:
        """Append another batch's records and issues (several messages in one file)."""
        self.records.extend(other.records)
        self.issues.extend(other.issues)


def clean(value: object) -> str | None:
    """Text with whitespace collapsed; ``None`` when blank or a not-provided placeholder."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    return text if text and text.upper() not in PLACEHOLDERS else None


def amount_of(value: object) -> Decimal:
    """A positive amount: ``Decimal`` as read, digits with an optional dot and decimals."""
    if isinstance(value, Decimal):
        found = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found = Decimal(str(value))
    else:
        text = clean(value) or ""
        if not _AMOUNT.fullmatch(text):
            raise ValueError(f"{text!r} is not an amount like 1234.56")
        found = Decimal(text)
    try:
        positive = found.is_finite() and found > 0
    except InvalidOperation:
        positive = False
    if not positive:
        raise ValueError(f"{value!r} is not a positive amount")
    return found


def currency_of(value: object) -> str:
    """An ISO 4217 alphabetic code, upper case (only its shape is checked)."""
    text = (clean(value) or "").upper()
    if not _CURRENCY.fullmatch(text):
        raise ValueError(f"{value!r} is not a three-letter ISO 4217 currency code")
    return text


def booked_of(value: object) -> datetime:
    """A date or date-time; a date becomes midnight, an offset becomes naive UTC so that
    every booked time compares with every other."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, date):
        stamp = datetime(value.year, value.month, value.day)
    else:
        text = clean(value) or ""
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO date or date-time") from None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


def birth_date_of(value: object) -> tuple[str | None, bool]:
    """A birth date as an ISO prefix (``1977``, ``1977-06``, ``1977-06-19``), as the lists
    write them, and whether one was given at all."""
    if isinstance(value, datetime):
        return value.date().isoformat(), True
    if isinstance(value, date):
        return value.isoformat(), True
    text = clean(value)
    if text is None:
        return None, False
    if _PARTIAL_DATE.fullmatch(text):
        return text, True
    try:
        return date.fromisoformat(text).isoformat(), True
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO birth date YYYY, YYYY-MM or YYYY-MM-DD") from None


def country_of(value: object) -> str | None:
    """ISO 3166-1 alpha-2, upper case, from an alpha-2 or alpha-3 code; blank is ``None``."""
    text = clean(value)
    if text is None:
        return None
    found = iso2(text)
    if found is None:
        raise ValueError(f"{text!r} is not an ISO 3166-1 country code")
    return found
