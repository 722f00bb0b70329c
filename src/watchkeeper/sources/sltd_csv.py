"""Lost, stolen, invalid and revoked travel documents, from CSV (like INTERPOL's SLTD).

A border lane checks every presented passport against such a list, so each row is one
document and nothing else: one FtM ``Passport`` (document type starting with ``P``, as in
ICAO 9303 document codes) or ``Identification`` (identity cards, visas, anything else) with
``number`` as written, ``country`` as FtM's lower-case alpha-2 code, ``type`` the status,
``authority`` who reported it, ``startDate`` when, ``summary`` the note and ``description``
the document type as written. There is no holder: the list is about documents, not people.

Header columns: ``number, issuing_country, status, reported_by`` are required;
``document_type, reported_at, note`` are optional; any other column fails the file, since a
typo would silently drop a field. Countries come as on the MRZ or in PAXLST (``TUR``,
``USA``, ``D``) or as alpha-2 (``TR``). The entity id is ``sltd-<country>-<NUMBER>`` with the
number normalised (``normalise_number``), so the same document written two ways is caught as
a duplicate and keeps its id across reloads.
"""

import re
from collections.abc import Iterator
from typing import Any

from followthemoney.types import registry

from watchkeeper.countries import ftm_country
from watchkeeper.sources.base import ListSource, Record
from watchkeeper.sources.inputs import CsvInput, open_text

REQUIRED = ("number", "issuing_country", "status", "reported_by")
OPTIONAL = ("document_type", "reported_at", "note")
COLUMNS = REQUIRED + OPTIONAL
STATUSES = ("lost", "stolen", "invalid", "revoked")
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def normalise_number(number: str) -> str:
    """Upper-case ASCII letters and digits only: ``u 2901-7732<<`` -> ``U29017732``.

    Documents are typed by hand, read from an MRZ (``<`` filler) or copied with spaces and
    dashes; only the letters and digits identify the document.
    """
    return NOT_ALNUM.sub("", number.upper())


def readable_date(value: str) -> bool:
    """An ISO date FtM can keep (``2024-02-30`` is refused, not silently dropped)."""
    return bool(ISO_DATE.fullmatch(value)) and registry.date.clean(value) is not None


class SltdCsvSource(ListSource):
    """Reads a lost/stolen/invalid travel document list from CSV, one document per row."""

    NAME = "sltd-csv"
    TITLE = "Lost, stolen or invalid travel documents (CSV, like INTERPOL's SLTD)"
    ID_PREFIX = "sltd"
    ENTRIES = frozenset({"Passport", "Identification"})
    NAMED = False

    def records(self) -> Iterator[Record]:
        """One record per valid row; bad and duplicate rows are noted and skipped."""
        seen: dict[str, str] = {}
        count = 0
        with open_text(self.path, self.limits) as fh:
            reader = CsvInput(fh)
            self.check_columns(reader.fieldnames, COLUMNS, REQUIRED)
            for row in reader:
                position = f"line {reader.line_num}"
                record = self._build(position, row)
                if record is None:
                    continue
                if record.id in seen:
                    number, country = record.entity.first("number"), record.entity.first("country")
                    self.problem(
                        position,
                        f"duplicate document {number} issued by {country} "
                        f"(first at {seen[record.id]})",
                    )
                    continue
                seen[record.id] = position
                count += 1
                yield record
        if count == 0 and not self.issues:
            raise self.fail("file", "no documents found")

    def _build(self, position: str, row: dict[str | Any, Any]) -> Record | None:
        """The entity of one row, or None after noting every fault the row has."""
        if None in row:
            self.problem(position, "more cells than columns in the header")
            return None
        cells = {str(k).strip(): (v or "").strip() for k, v in row.items()}
        faults: list[str] = []
        number = normalise_number(cells["number"])
        if not number:
            raw = cells["number"]
            faults.append(f"number {raw!r} has no letters or digits" if raw else "missing number")
        raw_country = cells["issuing_country"]
        country = ftm_country(raw_country)
        if country is None:
            faults.append(
                f"unknown issuing_country {raw_country!r}; use ISO 3166 alpha-3 or alpha-2"
                if raw_country
                else "missing issuing_country"
            )
        status = cells["status"].lower()
        if status not in STATUSES:
            faults.append(f"status {cells['status']!r} is not one of: {', '.join(STATUSES)}")
        if not cells["reported_by"]:
            faults.append("missing reported_by")
        reported_at = cells.get("reported_at", "")
        if reported_at and not readable_date(reported_at):
            faults.append(f"reported_at: unreadable date {reported_at!r}; use YYYY-MM-DD")
        for fault in faults:
            self.problem(position, fault)
        if faults or country is None:
            return None
        doc_type = cells.get("document_type", "")
        schema = "Passport" if doc_type.upper().startswith("P") else "Identification"
        entity = self.make(schema, country, number)
        entity.add("number", cells["number"])
        entity.add("country", country)
        entity.add("type", status)
        entity.add("authority", cells["reported_by"])
        entity.add("description", doc_type or None)
        entity.add("startDate", reported_at or None)
        entity.add("summary", cells.get("note") or None)
        return Record(entity)
