"""An agency's own watchlist: profiles it keeps itself, in CSV or JSON (``docs/profiles.md``).

A border police unit or intelligence service keeps foreign-terrorist-fighter profiles that
are on no public list. They come as CSV (one row per profile, header required, several
values in one cell separated by ``;``) or JSON (an array of objects, or one object per line),
picked by the file suffix: ``.csv``, ``.json``, ``.jsonl`` (each optionally ``.gz``).

Every profile becomes a main entity, one Passport/Identification per document, and one
Sanction (``<main id>-listing``) that carries who owns the record and how it may be shared:
``authority`` is the owner and ``summary`` is exactly ``TLP:<code>`` (read it back with
``handling_code``). Sharing rules depend on that code, so a profile without a valid TLP 2.0
code is never loaded.

Faults are strict because this data is typed by hand: an unknown CSV column fails the
whole file (a typo would otherwise silently drop a field), and a bad row is noted and
skipped rather than loaded half-read.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from followthemoney import EntityProxy

from watchkeeper.sources.base import ListSource, Record, add_or_note, add_value
from watchkeeper.sources.inputs import CsvInput, open_text

HANDLING_CODES = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
"""TLP 2.0 labels (FIRST, 2022). TLP 1.0's WHITE is refused: it was renamed CLEAR."""

TLP_PREFIX = "TLP:"
PROGRAM = "agency watchlist"
TOPIC = "crime.terror"
"""FtM's "Terrorism" topic: the profile is about a person's own terrorist activity."""

SCHEMATA = ("Person", "Organization", "LegalEntity", "Vessel")
REQUIRED = ("id", "name", "handling_code", "owner")
MULTI = ("aliases", "weak_aliases", "birth_date", "nationality")
"""Fields that may hold several values (``;``-separated in CSV, a list in JSON)."""

FIELDS = (
    "id",
    "schema",
    "name",
    "aliases",
    "weak_aliases",
    "first_name",
    "last_name",
    "birth_date",
    "birth_place",
    "nationality",
    "gender",
    "documents",
    "notes",
    "handling_code",
    "owner",
    "listed_on",
    "reason",
)
PERSON_ONLY = ("first_name", "last_name", "birth_date", "birth_place", "gender")
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
"""Record ids become part of entity ids and URLs, so spaces and slashes are refused."""

Fields = dict[str, list[str]]
"""One profile as field name to its non-empty, stripped values."""


class ProfileProblem(Exception):
    """One profile that cannot be loaded; the message says which field and why."""


@dataclass(frozen=True)
class Document:
    """One travel or identity document of a profile."""

    type: str
    number: str
    country: str | None = None
    expires: str | None = None


@dataclass
class Profile:
    """One row or object, read but not yet checked."""

    position: str
    fields: Fields
    documents: list[Document]


def handling_code(sanction: EntityProxy) -> str | None:
    """The TLP code of a profile, read from its listing Sanction (``AMBER+STRICT``)."""
    for summary in sanction.get("summary"):
        if summary.startswith(TLP_PREFIX):
            return summary.removeprefix(TLP_PREFIX)
    return None


def owner_slug(owner: str) -> str:
    """``FR-DGSI`` -> ``fr-dgsi``: the owner as it appears inside entity ids."""
    return re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-")


class ProfilesSource(ListSource):
    """Reads an agency's own profiles from CSV, JSON or JSON lines."""

    NAME = "profiles"
    TITLE = "An agency's own watchlist profiles (CSV or JSON, see docs/profiles.md)"
    ID_PREFIX = "profile"
    FOUR_EYES = True

    def records(self) -> Iterator[Record]:
        """One record per valid profile; bad profiles are noted and skipped."""
        seen: dict[str, str] = {}
        count = 0
        for profile in self._profiles():
            try:
                record = self._build(profile)
            except ProfileProblem as exc:
                self.problem(profile.position, str(exc))
                continue
            if record.id in seen:
                self.problem(
                    profile.position, f"duplicate id {record.id} (first at {seen[record.id]})"
                )
                continue
            seen[record.id] = profile.position
            count += 1
            yield record
        if count == 0 and not self.issues:
            raise self.fail("file", "no profiles found")

    def _profiles(self) -> Iterator[Profile]:
        """The profiles of the file, in the format its suffix names."""
        suffixes = [s for s in self.path.suffixes if s != ".gz"]
        kind = suffixes[-1].lower() if suffixes else ""
        if kind == ".csv":
            return self._csv_profiles()
        if kind == ".json":
            return self._json_array_profiles()
        if kind == ".jsonl":
            return self._json_lines_profiles()
        raise self.fail("file", "unknown file type; name it .csv, .json or .jsonl")

    # CSV --------------------------------------------------------------------------------

    def _csv_profiles(self) -> Iterator[Profile]:
        """Rows of a CSV file with a header naming known columns."""
        with open_text(self.path, self.limits) as fh:
            reader = CsvInput(fh)
            self.check_columns(reader.fieldnames, FIELDS, REQUIRED)
            for row in reader:
                position = f"line {reader.line_num}"
                try:
                    yield Profile(position, *csv_fields(row))
                except ProfileProblem as exc:
                    self.problem(position, str(exc))

    # JSON -------------------------------------------------------------------------------

    def _json_array_profiles(self) -> Iterator[Profile]:
        """Objects of a JSON array (an agency list is small enough to read at once)."""
        with open_text(self.path, self.limits) as fh:
            data = self._json_load(fh.read(), 0)
        if not isinstance(data, list):
            raise self.fail("line 1", "expected a JSON array of profile objects")
        for index, item in enumerate(data, start=1):
            yield from self._json_profile(f"record {index}", item)

    def _json_lines_profiles(self) -> Iterator[Profile]:
        """One object per line; blank lines are ignored."""
        with open_text(self.path, self.limits) as fh:
            for number, line in enumerate(fh, start=1):
                if line.strip():
                    yield from self._json_profile(
                        f"line {number}", self._json_load(line, number - 1)
                    )

    def _json_load(self, text: str, line_offset: int) -> Any:
        """Parse JSON, failing with the line and column a person needs to fix it."""
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise self.fail(
                f"line {exc.lineno + line_offset}",
                f"not valid JSON: {exc.msg} (column {exc.colno})",
            ) from None

    def _json_profile(self, position: str, item: Any) -> Iterator[Profile]:
        """One profile from one JSON value, or a problem when it is not a valid object."""
        try:
            if not isinstance(item, dict):
                raise ProfileProblem(f"expected an object, got {type(item).__name__}")
            yield Profile(position, *json_fields(item))
        except ProfileProblem as exc:
            self.problem(position, str(exc))

    # Building entities ------------------------------------------------------------------

    def _build(self, profile: Profile) -> Record:
        """The entities of one profile, after checking its required fields and codes."""
        fields = profile.fields
        values = {name: single(fields, name) for name in REQUIRED}
        missing = [name for name, value in values.items() if value is None]
        if missing:
            raise ProfileProblem(f"missing {', '.join(missing)}")
        record_id, name, code, owner = (str(values[n]) for n in REQUIRED)
        if not SAFE_ID.fullmatch(record_id):
            raise ProfileProblem(f"id {record_id!r} may only hold letters, digits and . _ : -")
        slug = owner_slug(owner)
        if not slug:
            raise ProfileProblem(f"owner {owner!r} has no letters or digits")
        main = self._main_entity(fields, slug, record_id)
        main.add("name", name)
        main.add("publisher", owner)
        fill_main(main, fields)
        adjacent = [self._document(main, doc) for doc in profile.documents]
        listing = self.make("Sanction", slug, record_id, "listing")
        fill_listing(listing, main, fields, check_code(code), owner)
        return Record(main, [*adjacent, listing])

    def _main_entity(self, fields: Fields, slug: str, record_id: str) -> EntityProxy:
        """The main entity with its id ``profile-<owner slug>-<id>`` and its topic."""
        schema = single(fields, "schema") or "Person"
        if schema not in SCHEMATA:
            raise ProfileProblem(f"unknown schema {schema!r}; use one of: {', '.join(SCHEMATA)}")
        if schema != "Person":
            wrong = [f for f in PERSON_ONLY if fields.get(f)]
            if wrong:
                raise ProfileProblem(f"{', '.join(wrong)} only apply to schema Person")
        main = self.make(schema, slug, record_id)
        main.add("topics", TOPIC)
        return main

    def _document(self, main: EntityProxy, doc: Document) -> EntityProxy:
        """A Passport (type ``passport``) or Identification held by the main entity."""
        if not main.schema.is_a("LegalEntity"):
            raise ProfileProblem(f"documents do not apply to schema {main.schema.name}")
        is_passport = doc.type.lower() == "passport"
        schema = "Passport" if is_passport else "Identification"
        assert main.id is not None
        entity = self.make_hashed(schema, main.id, "doc", doc.type, doc.number, doc.country)
        entity.add("holder", main.id)
        entity.add("number", doc.number)
        entity.add("type", doc.type)
        if not add_value(entity, "country", doc.country):
            # Identification has no notes; keep the unreadable country on the holder.
            main.add("notes", f"document {doc.number} country: {doc.country}")
        add_date(entity, "endDate", doc.expires, "document expires")
        number_prop = (
            "passportNumber" if is_passport and main.schema.name == "Person" else "idNumber"
        )
        main.add(number_prop, doc.number)
        return entity


def fill_main(main: EntityProxy, fields: Fields) -> None:
    """Copy the descriptive fields onto the main entity."""
    main.add("alias", fields.get("aliases", []))
    main.add("weakAlias", fields.get("weak_aliases", []))
    main.add("notes", single(fields, "notes"))
    country_prop = {"Person": "nationality", "Vessel": "flag"}.get(main.schema.name, "country")
    for country in fields.get("nationality", []):
        add_or_note(main, country_prop, country, "nationality")
    if main.schema.name != "Person":
        return
    main.add("firstName", single(fields, "first_name"))
    main.add("lastName", single(fields, "last_name"))
    main.add("birthPlace", single(fields, "birth_place"))
    add_or_note(main, "gender", single(fields, "gender"), "gender")
    for birth_date in fields.get("birth_date", []):
        add_date(main, "birthDate", birth_date, "birth_date")


def fill_listing(
    listing: EntityProxy, main: EntityProxy, fields: Fields, code: str, owner: str
) -> None:
    """The Sanction saying who listed the profile, when, why and how it may be shared."""
    listing.add("entity", main.id)
    listing.add("authority", owner)
    listing.add("program", PROGRAM)
    listing.add("summary", f"{TLP_PREFIX}{code}")
    add_date(listing, "listingDate", single(fields, "listed_on"), "listed_on")
    listing.add("reason", single(fields, "reason"))


def add_date(entity: EntityProxy, prop: str, value: str | None, label: str) -> None:
    """Add an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); anything else is a fault, not a note,
    because a wrong birth date changes who is matched."""
    if value is None:
        return
    if not ISO_DATE.fullmatch(value) or not add_value(entity, prop, value):
        raise ProfileProblem(f"{label}: unreadable date {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD")


def check_code(code: str) -> str:
    """The TLP 2.0 code, upper-cased and without a ``TLP:`` prefix; anything else is refused."""
    label = code.upper().removeprefix(TLP_PREFIX).strip()
    if label in HANDLING_CODES:
        return label
    hint = "; TLP 2.0 renamed WHITE to CLEAR" if label == "WHITE" else ""
    raise ProfileProblem(
        f"handling_code {code!r} is not a TLP 2.0 code ({', '.join(HANDLING_CODES)}){hint}"
    )


def single(fields: Fields, name: str) -> str | None:
    """The one value of a single-valued field, or None."""
    values = fields.get(name)
    return values[0] if values else None


def csv_fields(row: dict[str | Any, Any]) -> tuple[Fields, list[Document]]:
    """Split one CSV row into fields and documents."""
    if None in row:
        raise ProfileProblem("more cells than columns in the header")
    fields: Fields = {}
    documents: list[Document] = []
    for column, cell in row.items():
        text = (cell or "").strip()
        name = column.strip()
        if name == "documents":
            documents = [csv_document(item) for item in split(text)]
        elif text:
            fields[name] = split(text) if name in MULTI else [text]
    return fields, documents


def csv_document(item: str) -> Document:
    """``passport:A1234567:SY`` -> a Document; the country part is optional."""
    parts = [part.strip() for part in item.split(":")]
    if len(parts) not in (2, 3) or not all(parts):
        raise ProfileProblem(f"document {item!r} is not TYPE:NUMBER or TYPE:NUMBER:COUNTRY")
    return Document(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


def split(text: str) -> list[str]:
    """The non-empty ``;``-separated values of a cell."""
    return [part.strip() for part in text.split(";") if part.strip()]


def json_fields(item: dict[str, Any]) -> tuple[Fields, list[Document]]:
    """Check one JSON object's keys and value types, and split it into fields and documents."""
    unknown = sorted(key for key in item if key not in FIELDS)
    if unknown:
        raise ProfileProblem(f"unknown fields: {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    fields: Fields = {}
    documents: list[Document] = []
    for name, value in item.items():
        if name == "documents":
            documents = json_documents(value)
            continue
        values = json_values(name, value)
        if len(values) > 1 and name not in MULTI:
            raise ProfileProblem(f"{name} takes one value, got {len(values)}")
        if values:
            fields[name] = values
    return fields, documents


def json_values(name: str, value: Any) -> list[str]:
    """A JSON field's values as stripped strings, from one value or a list of them."""
    items = value if isinstance(value, list) else [value]
    texts = (json_text(name, item) for item in items)
    return [text for text in texts if text]


def json_text(name: str, value: Any) -> str | None:
    """One JSON value as stripped text; numbers are allowed because ids are often numeric."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ProfileProblem(f"{name}: expected text, got {type(value).__name__}")
    return str(value).strip() or None


DOCUMENT_KEYS = ("type", "number", "country", "expires")


def json_documents(value: Any) -> list[Document]:
    """``[{"type", "number", "country", "expires"}]`` -> Documents."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProfileProblem("documents: expected a list of objects")
    return [json_document(item) for item in value]


def json_document(item: Any) -> Document:
    """One document object; type and number are required."""
    if not isinstance(item, dict) or set(item) - set(DOCUMENT_KEYS):
        raise ProfileProblem(f"document {item!r} is not an object of {', '.join(DOCUMENT_KEYS)}")
    parts = {key: json_text(f"document {key}", item.get(key)) for key in DOCUMENT_KEYS}
    doc_type, number = parts["type"], parts["number"]
    if doc_type is None or number is None:
        raise ProfileProblem(f"document {item!r} needs a type and a number")
    return Document(doc_type, number, parts["country"], parts["expires"])
