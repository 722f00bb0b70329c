"""Hash bank files: one hex hash per line (how ThreatExchange and HMA share PDQ hashes) or
CSV with the columns ``hash,label,source,added_at``. Bad lines are reported with the file
and line number and skipped; the rest is read."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from watchkeeper import atomic
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.images.banks import BankEntry
from watchkeeper.lanes.images.codes import parse_hex

CSV_COLUMNS = ("hash", "label", "source", "added_at")


class BankFormat(StrEnum):
    """Bank file formats."""

    hex = "hex"
    csv = "csv"


@dataclass(frozen=True, slots=True)
class Defaults:
    """What an entry gets when its line does not say: the importer's label and source."""

    label: str | None
    source: str | None
    added_at: datetime


@dataclass
class ReadBank:
    """The entries read from a file and the faults of the lines skipped."""

    entries: list[BankEntry] = field(default_factory=list)
    issues: list[SourceIssue] = field(default_factory=list)


def format_of(path: Path) -> BankFormat:
    """CSV for ``.csv`` files, one hash per line otherwise."""
    return BankFormat.csv if path.suffix.lower() == ".csv" else BankFormat.hex


def read_bank_file(path: Path, defaults: Defaults) -> ReadBank:
    """Read a bank file; SourceError when the file itself cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError.at(str(path), "file", f"cannot read: {exc}") from exc
    if format_of(path) is BankFormat.csv:
        return _read_csv(str(path), text, defaults)
    return _read_hex(str(path), text, defaults)


def _read_hex(name: str, text: str, defaults: Defaults) -> ReadBank:
    read = ReadBank()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            value = parse_hex(line)
        except ValueError as exc:
            read.issues.append(SourceIssue(name, f"line {number}", str(exc)))
            continue
        read.entries.append(BankEntry(value, defaults.label, defaults.source, defaults.added_at))
    return read


def _read_csv(name: str, text: str, defaults: Defaults) -> ReadBank:
    read = ReadBank()
    rows = csv.reader(io.StringIO(text))
    for number, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() == "hash":
            continue  # the header
        try:
            read.entries.append(_csv_entry(row, defaults))
        except ValueError as exc:
            read.issues.append(SourceIssue(name, f"line {number}", str(exc)))
    return read


def _csv_entry(row: list[str], defaults: Defaults) -> BankEntry:
    """One CSV row; empty label, source or time take the importer's."""
    if len(row) > len(CSV_COLUMNS):
        raise ValueError(f"{len(row)} columns, expected at most {len(CSV_COLUMNS)}")
    value, label, source, added = (*[c.strip() for c in row], "", "", "")[:4]
    added_at = defaults.added_at
    if added:
        try:
            added_at = datetime.fromisoformat(added)
        except ValueError:
            raise ValueError(f"added_at is not an ISO 8601 time: {added[:40]!r}") from None
        if added_at.tzinfo is None:
            added_at = added_at.replace(tzinfo=UTC)
    return BankEntry(parse_hex(value), label or defaults.label, source or defaults.source, added_at)


def render(entries: Iterable[BankEntry], fmt: BankFormat) -> str:
    """The text of a bank file."""
    if fmt is BankFormat.hex:
        return "".join(f"{e.hash}\n" for e in entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        added = e.added_at if e.added_at.tzinfo else e.added_at.replace(tzinfo=UTC)
        writer.writerow([e.hash, e.label or "", e.source or "", added.isoformat()])
    return buffer.getvalue()


def write_bank_file(path: Path, entries: Iterable[BankEntry], fmt: BankFormat) -> None:
    """Write the file whole or not at all (``atomic``)."""
    atomic.write_text(path, render(entries, fmt))
