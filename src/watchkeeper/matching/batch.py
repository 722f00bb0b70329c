"""Subjects to screen, read from a CSV or JSON-lines file (``watchkeeper screen FILE``).

Fields: ``id, name, birth_date, nationality, gender, id_number, passport, schema``; only
``name`` is required and ``schema`` defaults to Person. ``passport`` takes passport numbers,
``id_number`` document or registry numbers of any kind. Several birth dates, nationalities
or document numbers go in one cell separated by ``;`` (CSV) or as a JSON list. A malformed row is
reported with its line number and skipped; the rest of the file is screened.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from followthemoney import registry

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.matching.subject import Subject
from watchkeeper.settings import InputLimits
from watchkeeper.sources.inputs import CsvInput, open_text

FIELDS = ("id", "name", "birth_date", "nationality", "gender", "id_number", "passport", "schema")
SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


class RowProblem(Exception):
    """One row that cannot be screened; the message says which field and why."""


@dataclass(frozen=True)
class Row:
    """One subject to screen, with the id and line it came from."""

    id: str
    line: int
    subject: Subject


class SubjectReader:
    """Reads subjects from ``.csv`` or ``.jsonl``/``.json`` (one object per line), either
    possibly gzipped; bytes that are not UTF-8 stop the read with where they are."""

    def __init__(self, path: Path, limits: InputLimits | None = None) -> None:
        self.path = path
        self.limits = limits or InputLimits()
        self.issues: list[SourceIssue] = []

    def rows(self) -> Iterator[Row]:
        """Every good row; bad ones are noted in ``issues`` and skipped."""
        raw = self._csv() if self.path.name.endswith((".csv", ".csv.gz")) else self._jsonl()
        for line, data in raw:
            try:
                yield Row(str(data.get("id") or f"line-{line}"), line, to_subject(data))
            except RowProblem as exc:
                self.issues.append(SourceIssue(str(self.path), f"line {line}", str(exc)))

    def _csv(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with open_text(self.path, self.limits) as fh:
            reader = CsvInput(fh)
            header = reader.fieldnames or []
            unknown = [c for c in header if c not in FIELDS]
            if unknown or "name" not in header:
                problem = (
                    f"unknown columns: {', '.join(unknown)}" if unknown else "no 'name' column"
                )
                raise SourceError.at(
                    str(self.path), "line 1", f"{problem}; known: {', '.join(FIELDS)}"
                )
            for row in reader:
                yield reader.line_num, {k: v for k, v in row.items() if k is not None}

    def _jsonl(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with open_text(self.path, self.limits) as fh:
            for line, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    data = orjson.loads(text)
                except orjson.JSONDecodeError as exc:
                    self.issues.append(
                        SourceIssue(str(self.path), f"line {line}", f"not JSON: {exc}")
                    )
                    continue
                if not isinstance(data, dict):
                    self.issues.append(
                        SourceIssue(str(self.path), f"line {line}", "not a JSON object")
                    )
                    continue
                yield line, data


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
    countries endlessly, and each cleaning costs tens of microseconds."""
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
