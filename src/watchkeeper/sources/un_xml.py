"""Reader for the UN Security Council Consolidated List in its official XML schema.

The UN publishes one XML file (``consolidated.xml``) with every INDIVIDUAL and ENTITY under
any Security Council sanctions regime. Each becomes a ``Person`` or ``Organization`` with
its ``Sanction``, documents and addresses as adjacent entities.

The file is parsed whole (a few MB) before any record is yielded, so a truncated download
fails before the store sees a single record. Parsing goes through defusedxml with DTDs
forbidden: the list never declares a DTD, so one in the input is an attack or a wrong file.

``source_date`` is the root's ``dateGenerated`` cut to whole seconds, in UTC and without an
offset (``2026-02-27T00:00:09``), so it sorts and compares as plain text.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers.expat import ErrorString, errors

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from followthemoney import EntityProxy

from watchkeeper.errors import SourceError
from watchkeeper.sources.base import ListSource, Record, add_or_note, add_value
from watchkeeper.sources.inputs import open_binary, utf8_fault

AUTHORITY = "United Nations Security Council"
SOURCE_URL = "https://scsanctions.un.org/"
ROOT_TAG = "CONSOLIDATED_LIST"

# The UN does not say which part is the family name (it differs by culture), so every part
# keeps its position: FIRST→firstName, SECOND→secondName, THIRD→middleName, FOURTH→lastName.
NAME_PARTS = (
    ("FIRST_NAME", "firstName"),
    ("SECOND_NAME", "secondName"),
    ("THIRD_NAME", "middleName"),
    ("FOURTH_NAME", "lastName"),
)

# Repeated single facts: (path, property, label for the note when FtM cannot keep the value).
DETAILS = (
    ("TITLE/VALUE", "title", "Title"),
    ("DESIGNATION/VALUE", "position", "Designation"),
    ("GENDER", "gender", "Gender"),
    ("NATIONALITY/VALUE", "nationality", "Nationality"),
)

# Alias QUALITY → property: low-quality names are kept but marked weak so matching can
# weigh them down; "f.k.a." names are former names. Empty and unknown qualities are aliases.
ALIAS_PROPS = {"low": "weakAlias", "f.k.a.": "previousName"}

# Address element → Address property; the order is also the order of the readable text.
ADDRESS_FIELDS = {
    "STREET": "street",
    "CITY": "city",
    "STATE_PROVINCE": "region",
    "ZIP_CODE": "postalCode",
    "COUNTRY": "country",
    "NOTE": "remarks",
}

# expat's errors at the end of input that mean the document stops before its root closes.
CUT_SHORT = frozenset(
    errors.codes[e]
    for e in (
        errors.XML_ERROR_NO_ELEMENTS,
        errors.XML_ERROR_UNCLOSED_TOKEN,
        errors.XML_ERROR_PARTIAL_CHAR,
    )
)

PASSPORT_WORDS = ("passport", "passeport", "pasaporte")

# Years in a BETWEEN range are each added as a birth date; wider spans are a data error.
MAX_YEAR_SPAN = 15

_SPACES = re.compile(r"\s+")
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:$|[T+-])")
_YEAR = re.compile(r"\d{4}")
# Labels inside alias text that name the script or the kind of name, not the name itself.
_MARKERS = re.compile(
    r"\(original script\)|^(?:original script|in arabic script)\s*:|\s+-\s+sub-unit name$",
    re.IGNORECASE,
)
# "b) " list numbering left inside an alias, or its stray ")" at the start.
_NUMBERING = re.compile(r"(?:^|\s+)[a-j]?\)\s+")
_ACRONYM = re.compile(r"[A-Z][\w.&/-]*(?: [A-Z][\w.&/-]*)?")
_SLASH_ACRONYM = re.compile(r"(.+?)\s+/\s+(\S+)")
# Notes that hold the alias in another script ("original script: <the name>", "In Arabic: ...").
_SCRIPT_NOTE = re.compile(
    r"(?:original script|in arabic script|in arabic)\s*:\s*(.+)$", re.IGNORECASE
)
# A parenthesised list of spellings inside a note: "(Abu Du'a; Abu Duaa')".
_NOTE_LIST = re.compile(r"\(([^()]*;[^()]*)\)")
# Notes saying the alias is an earlier listed name.
_PREVIOUS = re.compile(r"(?:previously|formerly) listed as", re.IGNORECASE)


class UnXmlSource(ListSource):
    """The UN consolidated list, from ``consolidated.xml`` or a gzip of it."""

    NAME = "un-xml"
    TITLE = "UN Security Council Consolidated List, official XML (consolidated.xml[.gz])"
    ID_PREFIX = "un"
    FOUR_EYES = True
    REFERENCE_IDS = True

    def records(self) -> Iterator[Record]:
        """Yield every listed individual, then every listed entity."""
        root = self._parse()
        self.source_date = self._date_generated(root)
        for kind, schema in (("INDIVIDUAL", "Person"), ("ENTITY", "Organization")):
            for index, node in enumerate(root.iter(kind), start=1):
                record = self._record(node, kind, schema, index)
                if record is not None:
                    yield record

    def _parse(self) -> Element:
        """Parse the whole file, turning every parser failure into a located ``SourceError``."""
        parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)
        expat = parser.parser
        try:
            self._feed(parser)
            root: Element = parser.close()
        except DefusedXmlException as exc:
            where = f"line {expat.CurrentLineNumber}, column {expat.CurrentColumnNumber}"
            raise self.fail(where, "XML declares entities/DTD, refused for safety") from exc
        except ParseError as exc:
            raise self._malformed(exc) from exc
        if root.tag != ROOT_TAG:
            raise self.fail(
                "root element", f"not a UN consolidated list: root element is {root.tag}"
            )
        return root

    def _feed(self, parser: DefusedXMLParser) -> None:
        """Feed the file to ``parser`` by chunk, within the size of one token.

        expat rescans an unfinished token each time it is fed, so a token that never ends (a
        comment of a GiB) would take minutes; the bytes fed since the last complete token are
        capped instead, as lxml caps them unless ``huge_tree`` is set.
        """
        expat = parser.parser
        fed = 0
        with open_binary(self.path, self.limits) as fh:
            for chunk in iter(lambda: fh.read(1 << 16), b""):
                parser.feed(chunk)
                fed += len(chunk)
                if fed - expat.CurrentByteIndex > self.limits.max_xml_token:
                    raise self.fail(
                        f"line {expat.CurrentLineNumber}, column {expat.CurrentColumnNumber}",
                        f"one XML token (a comment, tag or declaration) runs on for more than "
                        f"{self.limits.max_xml_token:,} bytes (WATCHKEEPER_MAX_XML_TOKEN)",
                    )

    def _malformed(self, exc: ParseError) -> SourceError:
        """The fault for what expat refused; bytes that are not UTF-8 and a file that ends
        inside the document are named as such."""
        line, column = exc.position
        where = f"line {line}, column {column}"
        if exc.code in CUT_SHORT:
            return self.fail(
                where,
                f"the file ends inside the XML document ({ErrorString(exc.code)}): it is cut "
                "short (an interrupted download or copy?)",
            )
        if exc.code == errors.codes[errors.XML_ERROR_INVALID_TOKEN]:
            with open_binary(self.path, self.limits) as fh:
                bad = utf8_fault(self.path, fh)
            if bad is not None and bad.issues[0].position.startswith(f"line {line},"):
                return bad
        return self.fail(where, f"malformed XML: {ErrorString(exc.code)}")

    def _date_generated(self, root: Element) -> str | None:
        """The publication time the file states; ``None`` when absent or (a problem) unreadable."""
        value = root.get("dateGenerated")
        if value is None:
            return None
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            self.problem(ROOT_TAG, f"unreadable dateGenerated {value!r}")
            return None
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(UTC)
        return stamp.replace(microsecond=0, tzinfo=None).isoformat()

    def _record(self, node: Element, kind: str, schema: str, index: int) -> Record | None:
        """One list entry, or ``None`` (with a problem noted) when it cannot be identified."""
        ref = _text(node, "REFERENCE_NUMBER")
        name = " ".join(_texts(node, *(tag for tag, _ in NAME_PARTS)))
        if ref is None or not name:
            missing = "REFERENCE_NUMBER" if ref is None else "name"
            self.problem(f"{kind} #{index} (DATAID {_text(node, 'DATAID')})", f"has no {missing}")
            return None
        where = f"{kind} {ref}"
        entity = self.make(schema, ref)
        self._add_names(entity, node, name)
        self._add_details(entity, node, where)
        self._add_aliases(entity, node, where)
        self._add_birth_dates(entity, node, where)
        self._add_birth_places(entity, node)
        adjacent = [
            *self._documents(entity, node, where),
            *self._addresses(entity, node),
            self._sanction(entity, node, ref, where),
        ]
        return Record(entity, adjacent)

    def _add_names(self, entity: EntityProxy, node: Element, name: str) -> None:
        """The listed name as given, its parts, and the names packed inside it as aliases."""
        entity.add("name", name)
        if entity.schema.name == "Person":
            for tag, prop in NAME_PARTS:
                add_value(entity, prop, _text(node, tag))
        original = _text(node, "NAME_ORIGINAL_SCRIPT")
        for part in split_names(name) + split_names(original or ""):
            if part != name:
                entity.add("alias", part)

    def _add_details(self, entity: EntityProxy, node: Element, where: str) -> None:
        """Title, designation, gender, nationality, comments and the last update."""
        for path, prop, label in DETAILS:
            for value in _texts(node, path):
                add_or_note(entity, prop, value, label)
        add_value(entity, "notes", _text(node, "COMMENTS1"))
        updates = [
            self._date(value, where, "LAST_DAY_UPDATED")
            for value in _texts(node, "LAST_DAY_UPDATED/VALUE")
        ]
        readable = [day for day in updates if day is not None]
        if readable:
            entity.add("modifiedAt", max(readable))

    def _add_aliases(self, entity: EntityProxy, node: Element, where: str) -> None:
        """Aliases by quality, each compound alias split into its names."""
        for alias in [*node.findall("INDIVIDUAL_ALIAS"), *node.findall("ENTITY_ALIAS")]:
            name = _text(alias, "ALIAS_NAME")
            if name is None:
                continue
            prop = ALIAS_PROPS.get((_text(alias, "QUALITY") or "").casefold(), "alias")
            for part in split_names(name):
                entity.add(prop, part)
            self._add_alias_extras(entity, alias, name, prop, where)

    def _add_alias_extras(
        self, entity: EntityProxy, alias: Element, name: str, prop: str, where: str
    ) -> None:
        """Birth facts and notes that the list attaches to one alias."""
        birth_date = _text(alias, "DATE_OF_BIRTH")
        if birth_date is not None:
            self._add_date(entity, "birthDate", birth_date, where, "alias DATE_OF_BIRTH")
        add_value(entity, "birthPlace", _text(alias, "CITY_OF_BIRTH"))
        add_or_note(entity, "birthCountry", _text(alias, "COUNTRY_OF_BIRTH"), "Country of birth")
        note = _text(alias, "NOTE")
        if note is not None:
            entity.add("notes", f"Alias {name}: {note}")
            if _PREVIOUS.match(note) and prop == "alias":
                entity.add("previousName", name)
            for part in names_in_note(note):
                entity.add(prop, part)

    def _add_birth_dates(self, entity: EntityProxy, node: Element, where: str) -> None:
        """Exact days, years, circa years and year ranges, each kept as birth dates."""
        for dob in node.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            kind = (_text(dob, "TYPE_OF_DATE") or "").upper()
            for tag in ("DATE", "YEAR"):
                value = _text(dob, tag)
                if value is None or not self._add_date(entity, "birthDate", value, where, tag):
                    continue
                if kind == "APPROXIMATELY":
                    entity.add("notes", f"Date of birth: circa {value}")
            self._add_year_range(entity, dob, where)
            note = _text(dob, "NOTE")
            if note is not None:
                entity.add("notes", f"Date of birth: {note}")

    def _add_year_range(self, entity: EntityProxy, dob: Element, where: str) -> None:
        """A BETWEEN range: every year in it is a possible birth year."""
        first, last = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
        if first is None and last is None:
            return
        if (
            first is None
            or last is None
            or not (_YEAR.fullmatch(first) and _YEAR.fullmatch(last))
            or not 0 <= int(last) - int(first) <= MAX_YEAR_SPAN
        ):
            self.problem(where, f"unreadable date of birth range {first!r} to {last!r}")
            return
        for year in range(int(first), int(last) + 1):
            entity.add("birthDate", str(year))
        entity.add("notes", f"Date of birth: between {first} and {last}")

    def _add_birth_places(self, entity: EntityProxy, node: Element) -> None:
        """Places of birth as readable text, their country also as ``birthCountry``."""
        for place in node.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
            parts = _texts(place, "STREET", "CITY", "STATE_PROVINCE", "COUNTRY")
            add_value(entity, "birthPlace", ", ".join(parts))
            add_or_note(entity, "birthCountry", _text(place, "COUNTRY"), "Country of birth")
            note = _text(place, "NOTE")
            if note is not None:
                entity.add("notes", f"Place of birth: {note}")

    def _documents(self, entity: EntityProxy, node: Element, where: str) -> list[EntityProxy]:
        """Passports and other identity documents, one child entity each."""
        children: dict[str, EntityProxy] = {}
        for doc in node.findall("INDIVIDUAL_DOCUMENT"):
            child = self._document(entity, doc, where)
            if child is not None:
                children[_entity_id(child)] = child
        return list(children.values())

    def _document(self, entity: EntityProxy, doc: Element, where: str) -> EntityProxy | None:
        """A ``Passport`` or ``Identification``; its number also goes on the holder."""
        types = list(dict.fromkeys(_texts(doc, "TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2")))
        number = _text(doc, "NUMBER")
        if number is None and not types:
            return None
        owner = _entity_id(entity)
        countries = _texts(doc, "ISSUING_COUNTRY", "COUNTRY_OF_ISSUE")
        is_passport = any(word in t.casefold() for t in types for word in PASSPORT_WORDS)
        schema = "Passport" if is_passport else "Identification"
        country = countries[0] if countries else None
        child = self.make_hashed(schema, owner, "doc", "; ".join(types), number, country)
        child.add("holder", owner)
        child.add("type", types)
        add_value(child, "number", number)
        for value in countries:
            if not add_value(child, "country", value):
                child.add("summary", f"Issuing country: {value}")
        issued = _text(doc, "DATE_OF_ISSUE")
        if issued is not None:
            self._add_date(child, "startDate", issued, where, "DATE_OF_ISSUE")
        add_value(child, "authority", _text(doc, "CITY_OF_ISSUE"))
        add_value(child, "summary", _text(doc, "NOTE"))
        add_value(entity, "passportNumber" if is_passport else "idNumber", number)
        return child

    def _addresses(self, entity: EntityProxy, node: Element) -> list[EntityProxy]:
        """Each non-empty address as an ``Address`` child, its country also on the entity."""
        owner = _entity_id(entity)
        children: dict[str, EntityProxy] = {}
        for addr in [*node.findall("INDIVIDUAL_ADDRESS"), *node.findall("ENTITY_ADDRESS")]:
            fields = {tag: _text(addr, tag) for tag in ADDRESS_FIELDS}
            if not any(fields.values()):
                continue
            child = self.make_hashed("Address", owner, "addr", *fields.values())
            for tag, prop in ADDRESS_FIELDS.items():
                add_or_note(child, prop, fields[tag], tag.replace("_", " ").capitalize())
            readable = [value for tag, value in fields.items() if value and tag != "NOTE"]
            add_value(child, "full", ", ".join(readable) or fields["NOTE"])
            entity.add("addressEntity", child.id)
            add_or_note(entity, "country", fields["COUNTRY"], "Address country")
            children[_entity_id(child)] = child
        return list(children.values())

    def _sanction(self, entity: EntityProxy, node: Element, ref: str, where: str) -> EntityProxy:
        """The listing itself: regime, reference number and date."""
        program = _text(node, "UN_LIST_TYPE")
        sanction = self.make("Sanction", ref, "sanction")
        sanction.add("entity", entity.id)
        sanction.add("authority", AUTHORITY)
        add_value(sanction, "program", program)
        sanction.add("unscId", ref)
        listed = _text(node, "LISTED_ON")
        if listed is not None:
            self._add_date(sanction, "listingDate", listed, where, "LISTED_ON")
        sanction.add("sourceUrl", SOURCE_URL)
        for value in _texts(node, "LIST_TYPE/VALUE"):
            sanction.add("description", value)
        entity.add("topics", "sanction")
        add_value(entity, "program", program)
        return sanction

    def _add_date(self, entity: EntityProxy, prop: str, value: str, where: str, label: str) -> bool:
        """Add a date if it reads; otherwise note a problem and report ``False``."""
        day = self._date(value, where, label)
        if day is not None:
            entity.add(prop, day)
        return day is not None

    def _date(self, value: str, where: str, label: str) -> str | None:
        """``YYYY-MM-DD`` (an offset suffix is dropped) or ``YYYY``; a problem otherwise."""
        day = _read_date(value)
        if day is None:
            self.problem(where, f"unreadable {label} {value!r}")
        return day


def _read_date(value: str) -> str | None:
    """``YYYY`` as is, ``YYYY-MM-DD`` checked for a real day; ``None`` when neither."""
    if _YEAR.fullmatch(value):
        return value
    match = _DAY.match(value)
    try:
        return date.fromisoformat(match.group(1)).isoformat() if match else None
    except ValueError:
        return None


def split_names(text: str) -> list[str]:
    """Split an alias that packs several names into one field, keeping each name once.

    ``X (A; B)`` lists, ``X (name in another script)``, ``X (ACRONYM)`` and ``A; B`` are
    split; other parentheses (``(birth name)``, ``(PAKISTAN)``) stay, being part of the name.
    """
    names: list[str] = []
    for piece in _split_list(text):
        for name in _split_piece(piece):
            if name not in names:
                names.append(name)
    return names


def _split_list(text: str) -> list[str]:
    """Split on ``;`` outside parentheses, and on ``b)`` numbering in unbracketed pieces."""
    pieces: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return [part for piece in pieces for part in _split_numbering(piece)]


def _split_numbering(piece: str) -> list[str]:
    """``A b) B`` → ``A``, ``B``; left alone when parentheses could be confused with it."""
    return [piece] if "(" in piece else _NUMBERING.split(piece)


def _split_piece(piece: str) -> list[str]:
    """One list item: peel a trailing group of names or an acronym off the name."""
    piece = _clean(piece)
    if not piece:
        return []
    head, inner = _trailing_group(piece)
    if head and inner:
        if ";" in inner or "original script" in inner.casefold() or _scripts_differ(head, inner):
            return [*_split_piece(head), *split_names(inner)]
        if _is_acronym(inner, head):
            return [*_split_piece(head), inner]
    slash = _SLASH_ACRONYM.fullmatch(piece)
    if slash is not None and _is_acronym(slash.group(2), slash.group(1)):
        return [slash.group(1), slash.group(2)]
    return [piece]


def _clean(piece: str) -> str:
    """Drop labels, collapse whitespace and trim stray separators."""
    return _SPACES.sub(" ", _MARKERS.sub("", piece)).strip(" ,;")


def _trailing_group(piece: str) -> tuple[str, str | None]:
    """``X (Y)`` → ``X``, ``Y``; no closing parenthesis at the end → ``piece``, ``None``."""
    if not piece.endswith(")"):
        return piece, None
    depth = 0
    for index in range(len(piece) - 1, -1, -1):
        if piece[index] == ")":
            depth += 1
        elif piece[index] == "(":
            depth -= 1
            if depth == 0:
                return piece[:index].strip(), piece[index + 1 : -1].strip()
    return piece, None


def _scripts_differ(first: str, second: str) -> bool:
    """Whether one side is Latin and the other another script: a transliteration pair."""
    left, right = _scripts(first), _scripts(second)
    return bool(left and right) and not left & right


def _scripts(text: str) -> set[bool]:
    """For each letter, whether it is Latin (Basic, Extended-A/B, Extended Additional)."""
    return {ord(char) < 0x250 or 0x1E00 <= ord(char) <= 0x1EFF for char in text if char.isalpha()}


def _is_acronym(candidate: str, name: str) -> bool:
    """A short mostly-capital token whose letters appear in order in ``name`` (FDLR, JuA)."""
    if len(candidate) > 12 or not _ACRONYM.fullmatch(candidate):
        return False
    letters = [char for char in candidate if char.isalpha()]
    upper = sum(char.isupper() for char in letters)
    if upper < 2 or upper * 2 <= len(letters):
        return False
    rest = iter(name.casefold())
    return all(char in rest for char in candidate.casefold() if char.isalnum())


def _text(node: Element, path: str) -> str | None:
    """Whitespace-collapsed text at ``path``, ``None`` when absent or blank."""
    found = node.find(path)
    if found is None or found.text is None:
        return None
    return _SPACES.sub(" ", found.text).strip() or None


def _texts(node: Element, *paths: str) -> list[str]:
    """Every non-blank whitespace-collapsed text at any of ``paths``, in path order."""
    values = (
        _SPACES.sub(" ", found.text or "").strip() for p in paths for found in node.findall(p)
    )
    return [value for value in values if value]


def _entity_id(entity: EntityProxy) -> str:
    """The id, which every entity made here has."""
    assert entity.id is not None
    return entity.id


def names_in_note(note: str) -> list[str]:
    """Further spellings the list hides in an alias note, so the matcher can reach them:
    "original script: X" or "In Arabic: X", a note that is only a ";"-list of names, and
    ";"-lists in parentheses ("born in 1971 (A; B)")."""
    found: list[str] = []
    script = _SCRIPT_NOTE.search(note)
    if script is not None:
        found.extend(split_names(script.group(1)))
    if ";" in note and "(" not in note and not any(ch.isdigit() for ch in note):
        found.extend(split_names(note))
    for group in _NOTE_LIST.findall(note):
        found.extend(split_names(group))
    return found
