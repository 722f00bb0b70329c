"""Subjects to screen, read from a CSV or JSON-lines file (``watchkeeper screen FILE``).

Fields: ``id, name, birth_date, nationality, gender, id_number, passport, schema``; only
``name`` is required and ``schema`` defaults to Person. ``passport`` takes passport numbers,
``id_number`` document or registry numbers of any kind. Several birth dates, nationalities
or document numbers go in one cell separated by ``;`` (CSV) or as a JSON list.

Each row stands alone: a row that cannot be read (bytes that are not UTF-8, a malformed CSV
record, JSON that does not parse) or that does not describe a subject is reported with its
line and skipped, and the rest of the file is screened. Only what makes the whole file
unreadable refuses it: a file that cannot be opened, a CSV header that is not UTF-8 or names
unknown columns.

A compressed file whose stream breaks (corrupt data, or past the decompression caps) is
refused whole, with the line and compressed byte where the break was found, and nothing of
it is screened. What a compliance officer needs is results that can be relied on, and the
rows read before the break cannot be: gzip checks its data only at the end of the stream
(CRC-32 over all of it), so damage anywhere may have decoded into altered names and dates
well before it is detected, which would miss listed persons or raise false alerts without
a sign. The file has to be sent again; a refusal says so plainly, a partial answer would not.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.matching.subject import Subject
from watchkeeper.settings import InputLimits
from watchkeeper.sources.inputs import csv_fault
from watchkeeper.sources.lines import Line, read_lines

FIELDS = ("id", "name", "birth_date", "nationality", "gender", "id_number", "passport", "schema")
SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


class RowProblem(Exception):
    """One row that cannot be screened; the message says which field and why."""


@dataclass(frozen=True)
class Row:
    """One subject to screen, with the id and line it came from, and its number among the
    file's records (from 1, header left out; bad records counted too), as ``batch screen``
    numbers rows."""

    id: str
    line: int
    subject: Subject
    number: int


class SubjectReader:
    """Reads subjects from ``.csv`` or ``.jsonl``/``.json`` (one object per line), either
    possibly gzipped. Rows that cannot be screened are noted in ``issues`` and skipped
    (see the module's doc)."""

    def __init__(self, path: Path, limits: InputLimits | None = None) -> None:
        self.path = path
        self.limits = limits or InputLimits()
        self.issues: list[SourceIssue] = []

    def rows(self) -> Iterator[Row]:
        """Every good row; bad ones are noted in ``issues`` and skipped. ``SourceError``
        when the whole file is refused (then no row read from it may be used)."""
        raw = self._csv() if self.path.name.endswith((".csv", ".csv.gz")) else self._jsonl()
        for number, (line, data) in enumerate(raw, 1):
            try:
                subject = to_subject(data)
                yield Row(str(data.get("id") or f"line-{line}"), line, subject, number)
            except RowProblem as exc:
                self.issues.append(SourceIssue(str(self.path), f"line {line}", str(exc)))

    def _csv(self) -> Iterator[tuple[int, dict[str, Any]]]:
        bad: dict[int, SourceIssue] = {}  # lines with bytes that are not UTF-8

        def texts(lines: Iterator[Line]) -> Iterator[str]:
            for line in lines:
                if line.fault is not None:
                    bad[line.number] = line.fault
                yield line.text

        reader = csv.DictReader(texts(read_lines(self.path, self.limits)), strict=True)
        self._header(reader, bad)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.issues += csv_fault(self.path, start, exc).issues
                continue  # the reader goes on at the next line; at the end it stops
            faults = [bad[n] for n in range(start, reader.line_num + 1) if n in bad]
            if faults:
                self.issues.append(faults[0])
                continue
            yield reader.line_num, {k: v for k, v in row.items() if k is not None}

    def _header(self, reader: "csv.DictReader[str]", bad: dict[int, SourceIssue]) -> None:
        """The columns, or ``SourceError``: without them no row can be read."""
        try:
            header = reader.fieldnames or []
        except csv.Error as exc:
            raise csv_fault(self.path, 1, exc) from exc
        if 1 in bad:
            raise SourceError([bad[1]])
        unknown = [c for c in header if c not in FIELDS]
        if unknown or "name" not in header:
            problem = f"unknown columns: {', '.join(unknown)}" if unknown else "no 'name' column"
            raise SourceError.at(str(self.path), "line 1", f"{problem}; known: {', '.join(FIELDS)}")

    def _jsonl(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for line in read_lines(self.path, self.limits):
            if line.fault is not None:
                self.issues.append(line.fault)
                continue
            if not line.text.strip():
                continue
            where = f"line {line.number}"
            try:
                data = orjson.loads(line.text)
            except orjson.JSONDecodeError as exc:
                self.issues.append(SourceIssue(str(self.path), where, f"not JSON: {exc}"))
                continue
            if not isinstance(data, dict):
                self.issues.append(SourceIssue(str(self.path), where, "not a JSON object"))
                continue
            yield line.number, data


def _values(data: dict[str, Any], field: str) -> list[str]:
    """A field's values: a JSON list, or a ``;``-separated string."""
    raw = data.get(field)
    if raw is None or raw == "":
        return []
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        return [v.strip() for v in raw if v.strip()]
    if isinstance(raw, str):
        return [v.strip() for v in raw.split(";") if v.strip()]
    raise RowProblem(f"{field} must be text or a list of text")


@lru_cache(maxsize=1 << 16)
def _clean(kind: str, value: str) -> str | None:
    """FtM's cleaning of one value, remembered: a customer file repeats its birth dates and
    countries endlessly, and each cleaning costs tens of microseconds. followthemoney is
    imported here, by the first subject with a date, country or gender: a name alone
    (``watchkeeper match NAME``) does not wait half a second for it."""
    from followthemoney import registry

    return registry.get(kind).clean(value)


def _cleaned(data: dict[str, Any], field: str, kind: str) -> tuple[str, ...]:
    """Values cleaned by FtM's type (dates, countries); one it cannot read is a problem."""
    out: list[str] = []
    for value in _values(data, field):
        cleaned = _clean(kind, value)
        if cleaned is None:
            raise RowProblem(f"{field} {value!r} is not a readable {kind}")
        out.append(cleaned)
    return tuple(out)


def to_subject(data: dict[str, Any]) -> Subject:
    """The subject described by one row, or ``RowProblem``."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise RowProblem(f"unknown fields: {', '.join(unknown)}")
    names = _values(data, "name")
    if not names:
        raise RowProblem("name is missing")
    schema = (_values(data, "schema") or ["Person"])[0]
    if schema not in SCHEMATA:
        raise RowProblem(f"schema {schema!r} is not one of {', '.join(SCHEMATA)}")
    genders = _cleaned(data, "gender", "gender")
    passports = _values(data, "passport")
    numbers = _values(data, "id_number")
    return Subject(
        schema=schema,
        names=tuple(names),
        birth_dates=_cleaned(data, "birth_date", "date"),
        countries=_cleaned(data, "nationality", "country"),
        gender=genders[0] if genders else None,
        identifiers=(*passports, *numbers),
        identifier_kinds=("passport",) * len(passports) + ("",) * len(numbers) if passports else (),
    )
