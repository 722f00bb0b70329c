"""Transactions and customers as tables, from CSV or Parquet (``docs/finance_formats.md``).

Both formats share one column set so an export can move from one to the other unchanged.
Column names are matched after trimming and lower-casing; a column the format does not know
is refused with the file, since it is most often a misspelt one whose values would be lost.
CSV positions are physical lines (the header is line 1); Parquet positions are data rows
counted from 1.
"""

import csv
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TypeVar, cast, get_args

import pyarrow.parquet as pq

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.finance.inputs.common import (
    SCHEMAS,
    Batch,
    PartySchema,
    amount_of,
    birth_date_of,
    booked_of,
    clean,
    country_of,
    currency_of,
)
from watchkeeper.lanes.finance.model import (
    Channel,
    Customer,
    Direction,
    Party,
    PartyRole,
    Transaction,
)
from watchkeeper.sources.inputs import check_file

R = TypeVar("R")
V = TypeVar("V")
Row = Mapping[str, object]

PARQUET_SUFFIXES = (".parquet", ".pq")
PARTY_COLUMNS = (
    "name",
    "schema",
    "account",
    "address",
    "country",
    "birth_date",
    "id_number",
    "bic",
)
TRANSACTION_REQUIRED = ("id", "booked", "amount", "currency", "channel")
TRANSACTION_OPTIONAL = (
    "direction",
    "customer_id",
    "remittance",
    "purpose",
    *(f"{side}_{column}" for side in ("debtor", "creditor") for column in PARTY_COLUMNS),
)
CUSTOMER_REQUIRED = ("id", "name")
CUSTOMER_OPTIONAL = ("schema", "birth_date", "country", "id_number", "address", "account")
CHANNELS = get_args(Channel)
DIRECTIONS = get_args(Direction)


class RowProblem(ValueError):
    """A row that cannot become a record; the message says why."""


def read_transactions(path: Path) -> Batch[Transaction]:
    """Every well-formed transaction in a CSV or Parquet file, and an issue per bad row."""
    columns = (TRANSACTION_REQUIRED, TRANSACTION_OPTIONAL)
    batch = _read(path, columns, lambda row, where: _transaction(row, str(path), where))
    _flag_duplicates(batch, str(path), "transaction")
    return batch


def read_customers(path: Path) -> Batch[Customer]:
    """Every well-formed customer in a CSV or Parquet file, and an issue per bad row."""
    columns = (CUSTOMER_REQUIRED, CUSTOMER_OPTIONAL)
    batch = _read(path, columns, lambda row, where: _customer(row, str(path), where))
    _flag_duplicates(batch, str(path), "customer")
    return batch


def _read(
    path: Path,
    columns: tuple[tuple[str, ...], tuple[str, ...]],
    build: Callable[[Row, str], tuple[R, list[str]]],
) -> Batch[R]:
    """Check the header, then build each row; a bad row becomes an issue and is skipped."""
    check_file(path)
    with open(path, "rb") as fh:
        parquet = path.suffix.lower() in PARQUET_SUFFIXES or fh.read(4) == b"PAR1"
    rows = _parquet_rows(path) if parquet else _csv_rows(path)
    header = next(rows)
    _check_header(str(path), [str(name) for name in header[1]], *columns)
    batch: Batch[R] = Batch()
    for where, row in rows:
        try:
            record, notes = build(row, where)
        except RowProblem as exc:
            batch.issues.append(SourceIssue(str(path), where, f"{exc} (row skipped)"))
            continue
        batch.records.append(record)
        batch.issues.extend(SourceIssue(str(path), where, note) for note in notes)
    return batch


def _check_header(
    path: str, header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    """Refuse the file when a required column is missing, or a column is unknown or twice."""
    problems = []
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(f"missing required columns: {', '.join(missing)}")
    unknown = [name for name in header if name not in required + optional]
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)} (see docs/finance_formats.md)")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        problems.append(f"columns given twice: {', '.join(twice)}")
    if problems:
        raise SourceError([SourceIssue(path, "header", problem) for problem in problems])


def _csv_rows(path: Path) -> Iterator[tuple[str, Row]]:
    """The header (position ``header``), then each non-blank line as a column → text map."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        line = 1
        try:
            header = [name.strip().lower() for name in next(reader, [])]
            yield "header", dict.fromkeys(header)
            for values in reader:
                where, line = f"line {line + 1}", reader.line_num
                if not any(value.strip() for value in values):
                    continue
                if len(values) != len(header):
                    yield where, {"": f"has {len(values)} fields, the header has {len(header)}"}
                    continue
                yield where, dict(zip(header, values, strict=True))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise SourceError.at(str(path), f"line {line + 1}", f"unreadable CSV: {exc}") from exc


def _parquet_rows(path: Path) -> Iterator[tuple[str, Row]]:
    """The header (position ``header``), then each row as a column → value map."""
    try:
        parquet = pq.ParquetFile(path)
        header = [str(name).strip().lower() for name in parquet.schema_arrow.names]
        yield "header", dict.fromkeys(header)
        number = 0
        for chunk in parquet.iter_batches():
            for values in chunk.to_pylist():
                number += 1
                yield f"row {number}", dict(zip(header, values.values(), strict=True))
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise SourceError.at(str(path), "file", f"unreadable Parquet: {exc}") from exc


class _Row:
    """One row's values, read with their checks; every bad value is collected, so a person
    fixes a row in one go rather than one error at a time."""

    def __init__(self, values: Row) -> None:
        self.values = values
        self.problems: list[str] = []
        self.notes: list[str] = []
        if "" in values:  # _csv_rows' marker for a row with the wrong number of fields
            self.problems.append(str(values[""]))

    def text(self, column: str) -> str | None:
        """The cleaned text of ``column``; ``None`` when blank or absent."""
        return clean(self.values.get(column))

    def required(self, column: str) -> str:
        """The text of a column that must not be blank."""
        text = self.text(column)
        if text is None:
            self.problems.append(f"{column}: is empty")
        return text or ""

    def read(self, read: Callable[[object], V], column: str, default: V) -> V:
        """``read`` applied to the column's value, or ``default`` with a problem noted."""
        try:
            return read(self.values.get(column))
        except ValueError as exc:
            self.problems.append(f"{column}: {exc}")
            return default

    def choice(self, column: str, allowed: tuple[str, ...], required: bool = False) -> str | None:
        """A value from ``allowed`` (matched ignoring case); ``None`` when blank."""
        text = self.text(column)
        if text is None:
            if required:
                self.problems.append(f"{column}: is empty")
            return None
        found = next((choice for choice in allowed if choice.casefold() == text.casefold()), None)
        if found is None:
            self.problems.append(f"{column}: {text!r} is not one of {', '.join(allowed)}")
        return found

    def party(self, prefix: str, role: PartyRole) -> Party | None:
        """The party in the ``prefix`` columns; ``None`` when no name is given (its other
        columns are then ignored: the model needs a name to screen)."""
        name = self.text(f"{prefix}name")
        if name is None:
            return None
        unknown: tuple[str | None, bool] = (None, False)
        born, has_birth = self.read(birth_date_of, f"{prefix}birth_date", unknown)
        schema = self.choice(f"{prefix}schema", SCHEMAS)
        if schema == "Organization" and has_birth:
            self.problems.append(f"{prefix}schema: an Organization has no birth date")
        return Party(
            role=role,
            name=name,
            schema=cast(PartySchema, schema or ("Person" if has_birth else "LegalEntity")),
            account=self.text(f"{prefix}account"),
            address=self.text(f"{prefix}address"),
            country=self.read(country_of, f"{prefix}country", None),
            birth_date=born,
            id_number=self.text(f"{prefix}id_number"),
            bic=self.text(f"{prefix}bic"),
            customer_id=self.text("id") if role == "customer" else None,
        )

    def done(self) -> list[str]:
        """The notes on a good row; raises ``RowProblem`` when any value was bad."""
        if self.problems:
            raise RowProblem("; ".join(self.problems))
        return self.notes


def _transaction(values: Row, path: str, where: str) -> tuple[Transaction, list[str]]:
    """One transaction row."""
    row = _Row(values)
    tx_id = row.required("id")
    booked = row.read(booked_of, "booked", None)
    amount = row.read(amount_of, "amount", Decimal(0))
    currency = row.read(currency_of, "currency", "")
    channel = row.choice("channel", CHANNELS, required=True)
    direction = row.choice("direction", DIRECTIONS)
    parties = [row.party("debtor_", "debtor"), row.party("creditor_", "creditor")]
    notes = row.done()
    assert booked is not None  # done() raised otherwise
    tx = Transaction(
        id=tx_id,
        booked=booked,
        amount=amount,
        currency=currency,
        channel=cast(Channel, channel),
        parties=tuple(party for party in parties if party is not None),
        direction=cast(Direction | None, direction),
        customer_id=row.text("customer_id"),
        remittance=row.text("remittance"),
        purpose=row.text("purpose"),
        source=path,
        position=where,
    )
    return tx, notes


def _customer(values: Row, path: str, where: str) -> tuple[Customer, list[str]]:
    """One customer row."""
    row = _Row(values)
    customer_id = row.required("id")
    row.required("name")
    party = row.party("", "customer")
    notes = row.done()
    assert party is not None  # a blank name was a problem
    return Customer(id=customer_id, party=party, source=path, position=where), notes


def _flag_duplicates(batch: Batch[Transaction] | Batch[Customer], path: str, kind: str) -> None:
    """Report an id read twice (a doubled export would double every sum); both are kept."""
    first: dict[str, str] = {}
    for record in batch.records:
        if record.id in first:
            problem = f"{kind} id {record.id!r} already used at {first[record.id]}"
            batch.issues.append(SourceIssue(path, record.position, problem))
        else:
            first[record.id] = record.position
