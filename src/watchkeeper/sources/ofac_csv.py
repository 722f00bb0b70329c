"""OFAC's legacy CSV set: the SDN list (``sdn.csv``) or the consolidated non-SDN list
(``cons_prim.csv``), each with its alias, address and remarks-continuation files.

The files have no header row, mark empty cells with ``-0-`` and may end in a Ctrl-Z line.
OFAC truncates Remarks at 1,000 characters and continues them in the comments file, so the
two are joined before parsing. Ids follow OFAC's stable ``ent_num`` (``ofac-2676``).

All four files are required: without ``alt.csv`` every alias is gone, without ``add.csv``
every address, and a person listed under an alias would no longer alert. A row of those
files for an ent_num the main file lacks is a fault too: it means the main file is cut
short or the files come from different days.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from followthemoney import EntityProxy

from watchkeeper.settings import InputLimits
from watchkeeper.sources.base import ListSource, Record, add_or_note, add_value
from watchkeeper.sources.inputs import check_file, csv_fault, utf8_text
from watchkeeper.sources.ofac_remarks import Document, Remarks, parse_remarks

AUTHORITY = "Office of Foreign Assets Control"
SOURCE_URL = "https://sanctionssearch.ofac.treas.gov/"
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", None: "Organization"}
ALT_PROPS = {"aka": "alias", "nka": "alias", "fka": "previousName"}
# Honorifics OFAC writes in front of the given names; they stay in ``name`` and go to ``title``.
TITLES = frozenset(
    ("Dr.", "Shaykh", "Sheikh", "Mullah", "Qari", "Haji", "Hajji", "Mawlawi", "Maulavi", "Prof.")
)
SUFFIXES = frozenset(("Jr.", "JR.", "Sr.", "SR.", "II", "III", "IV"))

# Vessel columns of sdn.csv: (column index, property, label used when the schema lacks it).
VESSEL_COLUMNS = (
    (5, "callSign", "Call sign"),
    (6, "type", "Vessel type"),
    (7, "tonnage", "Tonnage"),
    (8, "grossRegisteredTonnage", "GRT"),
    (9, "flag", "Flag"),
)


@dataclass(frozen=True)
class FileSet:
    """The four file names of one OFAC list variant."""

    main: str
    alt: str
    add: str
    comments: str


SDN = FileSet("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
CONS = FileSet("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
WIDTHS = {"main": 12, "alt": 5, "add": 6, "comments": 2}
KINDS = {"alt": "alias", "add": "address", "comments": "remarks continuation"}

Row = list[str]
Cells = list[str | None]


class OfacCsvSource(ListSource):
    """OFAC SDN / consolidated non-SDN legacy CSV files in one folder."""

    NAME = "ofac-csv"
    TITLE = "OFAC SDN or consolidated list, legacy CSV set (sdn.csv or cons_prim.csv folder)"
    ID_PREFIX = "ofac"
    REFERENCE_IDS = True

    def __init__(self, path: Path, limits: InputLimits | None = None) -> None:
        super().__init__(path, limits)
        self.folder = path.parent if path.name in (SDN.main, CONS.main) else path

    def file_set(self) -> FileSet:
        """Which variant the folder holds; fail when it holds neither."""
        for files in (SDN, CONS):
            if (self.folder / files.main).exists():
                return files
        raise self.fail("folder", f"no {SDN.main} or {CONS.main} in folder", path=self.folder)

    def input_files(self) -> list[Path]:
        """The main file, then the alias, address and comments files."""
        files = self.file_set()
        return [self.folder / name for name in (files.main, files.alt, files.add, files.comments)]

    def check_set(self, files: FileSet) -> None:
        """Fail naming every file of the set the folder lacks."""
        others = (files.alt, files.add, files.comments)
        missing = [name for name in others if not (self.folder / name).is_file()]
        if missing:
            raise self.fail(
                "folder",
                f"lacks {', '.join(missing)} beside {files.main}: an OFAC set is four files, "
                "and without them aliases, addresses or remarks of listed persons are lost",
                path=self.folder,
            )

    def records(self) -> Iterator[Record]:
        files = self.file_set()
        self.check_set(files)
        main_rows = self.read_rows(self.folder / files.main, "main", required=True)
        rows: dict[str, Row] = {}
        for line, row in main_rows:
            ent_num = row[0].strip()
            if ent_num in rows:
                self.problem(
                    f"line {line}", f"duplicate ent_num {ent_num}", self.folder / files.main
                )
                continue
            rows[ent_num] = row
        comments = self.grouped(files, "comments", rows)
        alts = self.grouped(files, "alt", rows)
        addresses = self.grouped(files, "add", rows)
        for ent_num, row in rows.items():
            # The continuation is raw text: a cut can fall on a space ("369E " + "(China)").
            extra = "".join(c[1] for c in comments.get(ent_num, []))
            record = self.make_record(row, extra, alts.get(ent_num, []))
            if record is None:
                continue
            for add in addresses.get(ent_num, []):
                self.add_address(record, add)
            yield record

    def grouped(self, files: FileSet, kind: str, known: dict[str, Row]) -> dict[str, list[Row]]:
        """Rows of an alias, address or comments file by ent_num.

        A row whose ent_num the main file lacks is a fault: the main file may be cut short
        (every entry after the cut has orphan rows) or the files come from different days.
        """
        path = self.folder / getattr(files, kind)
        groups: dict[str, list[Row]] = defaultdict(list)
        for line, row in self.read_rows(path, kind, required=kind != "comments"):
            ent_num = row[0].strip()
            if ent_num in known:
                groups[ent_num].append(row)
            else:
                self.problem(
                    f"line {line}",
                    f"{KINDS[kind]} row for ent_num {ent_num}, not in {files.main}",
                    path,
                )
        return groups

    def read_rows(self, path: Path, kind: str, required: bool) -> Iterator[tuple[int, Row]]:
        """Rows as ``(line, raw cells)`` that fit the layout; bad rows become problems."""
        if required:
            check_file(path)
        text = utf8_text(path, path.read_bytes())
        width = WIDTHS[kind]
        parsed = list(numbered_rows(path, text))
        if required and not parsed:
            raise self.fail("file", "has no rows", path)
        good = sum(1 for _, row in parsed if fits(row, width))
        if parsed and good * 2 < len(parsed):
            cells = len(parsed[0][1])
            raise self.fail(
                "line 1",
                f"unknown column layout: expected {width} columns starting with a numeric "
                f"ent_num, found {cells} columns ({','.join(parsed[0][1])[:60]!r})",
                path,
            )
        for line, row in parsed:
            if len(row) != width:
                self.problem(f"line {line}", f"expected {width} columns, found {len(row)}", path)
            elif not row[0].strip().isdigit():
                self.problem(f"line {line}", f"ent_num {row[0]!r} is not a number", path)
            else:
                yield line, row

    def make_record(self, row: Row, extra: str, alts: list[Row]) -> Record | None:
        """The main entity and its Sanction for one sdn.csv row, or ``None`` if unusable."""
        cells = [clean(cell) for cell in row]
        ent_num, name, sdn_type, program, title = row[0].strip(), *cells[1:5]
        schema = SCHEMAS.get(sdn_type.lower() if sdn_type else None)
        if schema is None or not name:
            fault = f"unknown SDN_Type {sdn_type!r}" if schema is None else "no SDN_Name"
            self.problem(f"ent_num {ent_num}", fault)
            return None
        entity = self.make(schema, ent_num)
        self.add_names(entity, name, "name")
        for alt in map(clean_row, alts):
            self.add_names(entity, alt[3], ALT_PROPS.get((alt[2] or "").lower(), "alias"))
            if alt[4]:
                entity.add("notes", f"Alias {alt[3]}: {alt[4]}")
        programs = split_programs(program)
        entity.add("program", programs)
        put(entity, "position", title, "Title")
        for column, prop, label in VESSEL_COLUMNS:
            put(entity, prop, cells[column], label)
        if cells[10]:
            entity.add("notes", f"Owner: {cells[10]}")
        sanction = self.make("Sanction", ent_num, "sanction")
        sanction.add("authority", AUTHORITY)
        sanction.add("program", programs)
        sanction.add("entity", entity.id)
        sanction.add("sourceUrl", SOURCE_URL)
        sanction.add("country", "us")
        record = Record(entity, [sanction])
        remarks = parse_remarks((row[11] if cells[11] else "") + extra)
        sanction.add("provisions", remarks.provisions)
        self.apply_remarks(record, remarks)
        return record

    def add_names(self, entity: EntityProxy, name: str | None, prop: str) -> None:
        """Add a name; for a person also its parts and the natural-order spelling.

        OFAC writes people as ``LAST, First``. Matchers compare against whole names in either
        order, so both the original and ``First LAST`` (honorifics removed) are kept: the
        original under ``prop``, the natural order as an ``alias``.
        """
        if not name:
            return
        entity.add(prop, name)
        if not entity.schema.is_a("Person") or ", " not in name:
            return
        parts = name.split(", ")
        suffixes = [p for p in parts[1:] if p in SUFFIXES]
        given = " ".join(p for p in parts[1:] if p not in SUFFIXES).split()
        titles = [word for word in given if word in TITLES]
        first = " ".join(word for word in given if word not in TITLES)
        if prop == "name":
            entity.add("lastName", parts[0])
            entity.add("firstName", first)
            entity.add("title", titles)
            entity.add("nameSuffix", suffixes)
        natural = " ".join(p for p in (first, parts[0], *suffixes) if p)
        entity.add("previousName" if prop == "previousName" else "alias", natural)

    def apply_remarks(self, record: Record, remarks: Remarks) -> None:
        """Put parsed remarks on the main entity and its children; keep the rest as notes."""
        entity = record.entity
        for prop, value in remarks.values:
            put(entity, prop, value, prop)
        for document in remarks.documents:
            add_child(record, self.make_document(entity, document))
        for currency, address in remarks.wallets:
            wallet = self.make_hashed("CryptoWallet", record.id, "wallet", currency, address)
            wallet.add("publicKey", address)
            wallet.add("currency", currency)
            wallet.add("holder", entity.id)
            add_child(record, wallet)
        entity.add("notes", [f"Linked To: {name}" for name in remarks.linked_to])
        entity.add("notes", remarks.notes)
        entity.add("notes", remarks.unparsed)

    def make_document(self, owner: EntityProxy, document: Document) -> EntityProxy:
        """A Passport or Identification child; the number also goes on the owner."""
        assert owner.id is not None
        schema = "Passport" if document.passport else "Identification"
        child = self.make_hashed(
            schema, owner.id, "doc", document.type, document.number, document.country
        )
        child.add("holder", owner.id)
        child.add("number", document.number)
        child.add("type", document.type)
        if not add_value(child, "country", document.country):
            child.add("summary", f"Country: {document.country}")  # documents have no notes
        child.add("startDate", document.issued)
        child.add("endDate", document.expires)
        person = owner.schema.is_a("Person")
        owner.add("passportNumber" if document.passport and person else "idNumber", document.number)
        if document.prop and document.prop in owner.schema.properties:
            owner.add(document.prop, document.number, quiet=True)
        return child

    def add_address(self, record: Record, row: Row) -> None:
        """An Address child from one add.csv row (skipped when it holds nothing)."""
        ent_num, add_num = row[0].strip(), row[1].strip()
        street, city, country, remarks = clean_row(row)[2:]
        if not (street or city or country):
            return
        address = self.make("Address", ent_num, "addr", add_num)
        address.add("street", street)
        address.add("city", city)
        put(address, "country", country, "Country")
        address.add("full", ", ".join(v for v in (street, city, country) if v))
        address.add("remarks", remarks)
        record.entity.add("addressEntity", address.id)
        put(record.entity, "country", country, "Country")
        record.adjacent.append(address)


def add_child(record: Record, child: EntityProxy) -> None:
    """Append a child unless the remarks named the same document twice (same content id)."""
    if all(child.id != other.id for other in record.adjacent):
        record.adjacent.append(child)


def put(entity: EntityProxy, prop: str, value: str | None, label: str) -> None:
    """Add ``value`` where the schema has ``prop``, else (or if FtM rejects it) as a note."""
    if not value:
        return
    schema_prop = entity.schema.properties.get(prop)
    if schema_prop is None:
        entity.add("notes", f"{label}: {value}")
    else:
        add_or_note(entity, prop, value, label)


def split_programs(program: str | None) -> list[str]:
    """``SDGT] [IRGC`` → ``["SDGT", "IRGC"]``: OFAC joins several programs with ``] [``."""
    return [p.strip(" []") for p in re.split(r"\]\s*\[", program or "") if p.strip(" []")]


def clean(cell: str) -> str | None:
    """Strip a cell; OFAC's null marker ``-0-`` (often with a trailing space) is ``None``."""
    value = cell.strip()
    return None if value in ("", "-0-") else value


def clean_row(row: Row) -> Cells:
    """Every cell of a row through ``clean``."""
    return [clean(cell) for cell in row]


def fits(row: list[str], width: int) -> bool:
    """Whether a row has the expected layout: right width, numeric first column."""
    return len(row) == width and row[0].strip().isdigit()


def numbered_rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with the line each starts on, without blank lines or the Ctrl-Z end mark.

    Read strictly: a file cut inside a quoted field (the last column, Remarks, is quoted)
    would otherwise end in a row that looks whole.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise csv_fault(path, line, exc) from exc
        if row and "".join(row).strip("\x1a \t"):
            yield line, row
