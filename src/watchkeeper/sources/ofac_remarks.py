"""Parse the free-text Remarks column of OFAC's legacy CSV files.

OFAC packs birth data, documents, contact details, weak aliases and sanction notes into one
``; ``-separated string. Screening needs these as properties, so this module turns each part
into a value for a FollowTheMoney property; any part it does not recognise is kept verbatim
in ``unparsed`` so nothing is lost. It is a pure function so it can be tested table by table.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

MONTHS = {
    name: index
    for index, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
DATE = r"(?:\d{1,2} )?(?:[A-Z][a-z]{2,8} )?\d{4}"
_DATE_PARTS = re.compile(r"^(?:(\d{1,2}) )?(?:([A-Z][a-z]{2,8}) )?(\d{4})$")

# A final part ending in one of these keeps its period: OFAC does not add a second one.
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-Za-z]\.)+[A-Za-z]|\b(?:LTD|LTDA|INC|CO|CORP|CIA|PTE|JR|SR|Ltd|Inc|Co|Corp))$"
)

PASSPORT_LABELS = (
    "Passport",
    "Diplomatic Passport",
    "Passport Booklet:",
    "British National Overseas Passport",
    "Stateless Person Passport",
)

# Identity and registration document labels, mapped to the property of the main entity that
# also gets the number (``None``: only ``idNumber`` and the Identification child).
ID_LABELS: dict[str, str | None] = {
    **dict.fromkeys(
        (
            "Cedula No.",
            "National ID No.",
            "Identification Number",
            "D.N.I.",
            "C.U.R.P.",
            "C.U.R.P. #",
            "Personal ID Card",
            "Electoral Registry No.",
            "Credencial electoral",
            "Cartilla de Servicio Militar Nacional",
            "Driver's License No.",
            "I.F.E.",
            "National Foreign ID Number",
            "Birth Certificate Number",
            "Residency Number",
            "C.U.I.P.",
            "Numero de Identidad",
            "Citizen's Card Number",
            "Travel Document Number",
            "Kenyan ID No.",
            "VisaNumberID",
            "Turkish Identification Number",
            "Turkish Identificiation Number",
            "Tazkira National ID Card",
            "C.U.I.",
            "LE Number",
            "Immigration No.",
            "Pilot License Number",
            "SRE Permit No.",
            "Moroccan Personal ID No.",
            "Bosnian Personal ID No.",
            "Refugee ID Card",
            "Stateless Person ID Card",
            "CNP (Personal Numerical Code)",
            "Romanian Permanent Resident CAN",
            "N.I.E.",
            "Public Security and Immigration No.",
            "BIK (RU)",
        ),
        None,
    ),
    **dict.fromkeys(
        (
            "Tax ID No.",
            "NIT #",
            "RUC #",
            "R.F.C.",
            "R.F.C. #",
            "RFC",
            "RIF #",
            "US FEIN",
            "Italian Fiscal Code",
            "Italian Fiscal Code:",
            "C.U.I.T.",
            "RTN",
            "C.I.F.",
            "Fiscal Code",
            "Romanian Tax Registration",
            "Numero Unico de Identificacao Tributaria (NUIT)",
            "Paraguayan tax identification number",
        ),
        "taxNumber",
    ),
    **dict.fromkeys(
        (
            "Registration ID",
            "Registration Number",
            "Company Number",
            "Commercial Registry Number",
            "Business Registration Document #",
            "Business Registration Number",
            "Matricula Mercantil No",
            "Folio Mercantil No.",
            "UK Company Number",
            "Certificate of Incorporation Number",
            "Chamber of Commerce Number",
            "Trade License No.",
            "C.R. No.",
            "Public Registration Number",
            "Enterprise Number",
            "Business Number",
            "Registered Charity No.",
            "Government Gazette Number",
            "Branch Unit Number",
            "File Number",
            "Dubai Chamber of Commerce Membership No.",
            "License",
            "Istanbul Chamber of Comm. No.",
            "Romanian C.R.",
            "Afghan Money Service Provider License Number",
        ),
        "registrationNumber",
    ),
    "Unified Social Credit Code (USCC)": "uscCode",
    "United Social Credit Code Certificate (USCCC)": "uscCode",
    "V.A.T. Number": "vatCode",
    "SSN": "socialSecurityNumber",
    "D-U-N-S Number": "dunsCode",
    "Legal Entity Number": "leiCode",
    "SWIFT/BIC": "swiftBic",
}

# Parts about the sanction itself rather than the listed party; they go to the Sanction.
_PROVISION_STARTS = (
    "Additional Sanctions Information",
    "Secondary sanctions risk",
    "Transactions Prohibited",
    "Executive Order",
    "CAATSA Section",
    "Listing Date",
    "Effective Date",
    "Purchase/Sales For Divestment Date",
    "For more information on directives",
    "IFCA Determination",
    "Target Type",
)

# Parts understood but with no property to hold them; kept as notes, counted as recognised.
_NOTE_STARTS = (
    "Aircraft Operator",
    "Aircraft Construction Number",
    "Previous Aircraft Tail Number",
    "Aircraft Mode S Transponder Code",
    "ISIN",
    "Equity Ticker",
    "Fax",
    "FAX",
    "Chinese Commercial Code",
)


@dataclass(frozen=True)
class Document:
    """A passport or identification document named in the remarks."""

    passport: bool
    type: str
    number: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None
    prop: str | None = None
    """Property of the main entity that also takes the number (``taxNumber``), if any."""


@dataclass
class Remarks:
    """What one Remarks string says, sorted by where it goes."""

    values: list[tuple[str, str]] = field(default_factory=list)
    """``(property, value)`` pairs for the main entity (birthDate, weakAlias, email...)."""
    documents: list[Document] = field(default_factory=list)
    wallets: list[tuple[str, str]] = field(default_factory=list)
    """``(currency, address)`` of digital currency addresses."""
    linked_to: list[str] = field(default_factory=list)
    provisions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Recognised parts kept as text: qualifiers such as ``circa`` and known label-only data."""
    unparsed: list[str] = field(default_factory=list)
    """Parts no rule recognised, verbatim."""


Handler = Callable[[re.Match[str], Remarks], None]
"""Stores what one matched part says into ``Remarks``."""


def iso_date(text: str) -> str | None:
    """``19 Jun 1951`` → ``1951-06-19``, ``Jun 1951`` → ``1951-06``, ``1951`` → ``1951``."""
    match = _DATE_PARTS.match(text.strip())
    if match is None:
        return None
    day, month_name, year = match.groups()
    if month_name is None:
        return year if day is None else None
    month = MONTHS.get(month_name[:3].lower())
    if month is None:
        return None
    if day is None:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{int(day):02d}"


def split_parts(remarks: str) -> list[str]:
    """Split on ``;`` and drop the period OFAC appends to the whole string.

    The final period is kept when the last part ends in an abbreviation (``S.A.``, ``LTD.``),
    because then OFAC does not add one; values may contain commas, so commas never split.
    """
    text = remarks.strip()
    if text.endswith(".") and not _ABBREVIATION_END.search(text[:-1]):
        text = text[:-1]
    return [part.strip() for part in re.split(r"\s*;\s*", text) if part.strip()]


def _dob(match: re.Match[str], out: Remarks) -> None:
    """Birth dates: exact, month, year, ``circa`` and ranges (every year of a range)."""
    circa, start, end = match.group("circa"), match.group("start"), match.group("end")
    first = iso_date(start)
    last = iso_date(end) if end else None
    if first is None or (end and last is None):
        out.unparsed.append(match.string)
        return
    if last is None:
        out.values.append(("birthDate", first[:4] if circa else first))
    else:
        for year in range(int(first[:4]), int(last[:4]) + 1):
            out.values.append(("birthDate", str(year)))
    whole_years = last is None or (first[4:] in ("", "-01-01") and last[4:] in ("", "-12-31"))
    if circa or not whole_years:
        out.notes.append(match.string)


def _value(prop: str) -> Handler:
    """A handler that stores the ``value`` group in ``prop``."""

    def handle(match: re.Match[str], out: Remarks) -> None:
        out.values.append((prop, match.group("value").strip()))

    return handle


def _date_value(prop: str) -> Handler:
    """A handler that stores the ``value`` group in ``prop`` as an ISO date."""

    def handle(match: re.Match[str], out: Remarks) -> None:
        out.values.append((prop, iso_date(match.group("value")) or match.group("value")))

    return handle


def _gender(match: re.Match[str], out: Remarks) -> None:
    """FtM's gender values are lower case."""
    out.values.append(("gender", match.group("value").lower()))


def _linked(match: re.Match[str], out: Remarks) -> None:
    """A related listed party; only its name is given, so it is kept as text."""
    out.linked_to.append(match.group("value").strip())


def _wallet(match: re.Match[str], out: Remarks) -> None:
    """A digital currency address, matched exactly by screening, so a child entity."""
    out.wallets.append((match.group("currency"), match.group("value")))


def _document(match: re.Match[str], out: Remarks) -> None:
    """A passport or identification number with its country and validity, when given."""
    label = match.group("label")
    issued, expires = match.group("issued"), match.group("expires")
    out.documents.append(
        Document(
            passport=label in PASSPORT_LABELS,
            type=label.rstrip(":"),
            number=match.group("number").strip(),
            country=match.group("country"),
            issued=iso_date(issued) if issued else None,
            expires=iso_date(expires) if expires else None,
            prop=ID_LABELS.get(label),
        )
    )


def _provision(match: re.Match[str], out: Remarks) -> None:
    """Text about the sanction (secondary sanctions, directives), kept for the Sanction."""
    out.provisions.append(match.string)


def _note(match: re.Match[str], out: Remarks) -> None:
    """Recognised data with no property to hold it, kept as text."""
    out.notes.append(match.string)


def _labels(labels: list[str]) -> str:
    """Regex alternation of literal labels, longest first so ``R.F.C. #`` beats ``R.F.C.``."""
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


_END = r"\.?$"
_DOC = (
    rf"^(?P<label>{_labels([*PASSPORT_LABELS, *ID_LABELS])})\s+"
    r"(?P<number>(?:(?! issued | expires | \()[^()])+?)"
    r"(?: \((?P<country>[^()]+)\))?"
    rf"(?:,? issued (?P<issued>{DATE}))?(?:,? expires (?P<expires>{DATE}))?{_END}"
)

RULES: list[tuple[str, Handler]] = [
    (rf"^DOB (?P<circa>circa )?(?P<start>{DATE})(?: ?(?:to|-) ?(?P<end>{DATE}))?{_END}", _dob),
    (rf"^POB (?P<value>.+?){_END}", _value("birthPlace")),
    (rf"^nationality (?P<value>.+?){_END}", _value("nationality")),
    (rf"^citizen (?P<value>.+?){_END}", _value("citizenship")),
    (rf"^Gender (?P<value>Male|Female){_END}", _gender),
    (r"^[afn]\.k\.a\.,? '(?P<value>.+)'\.?$", _value("weakAlias")),
    (r"^Linked To: (?P<value>.+)$", _linked),
    (rf"^Email(?: Address)?:?\s*(?P<value>\S+@\S+?){_END}", _value("email")),
    (rf"^Website:?\s+(?P<value>\S+?){_END}", _value("website")),
    (
        rf"^(?:Phone|PHONE|Telephone)(?: Number| No\.)?:?\s*(?P<value>[+()\d][\d ()+-]*?){_END}",
        _value("phone"),
    ),
    (
        rf"^(?:Vessel Registration Identification|Identification Number|Company Number) "
        rf"IMO (?P<value>\d{{7}}){_END}",
        _value("imoNumber"),
    ),
    (rf"^MMSI (?P<value>\d+){_END}", _value("mmsi")),
    (rf"^Former Vessel Flag (?P<value>.+?){_END}", _value("pastFlags")),
    (rf"^Vessel Year of Build (?P<value>\d{{4}}){_END}", _value("buildDate")),
    (rf"^Aircraft Model (?P<value>.+?){_END}", _value("model")),
    (rf"^Aircraft Manufacture Date (?P<value>{DATE}){_END}", _date_value("buildDate")),
    (
        rf"^Aircraft Manufacturer's Serial Number \(MSN\) (?P<value>.+?){_END}",
        _value("serialNumber"),
    ),
    (rf"^Aircraft Tail Number (?P<value>.+?){_END}", _value("registrationNumber")),
    (
        rf"^Organization Established Date (?P<value>{DATE}){_END}",
        _date_value("incorporationDate"),
    ),
    (rf"^Organization Type: (?P<value>.+?){_END}", _value("sector")),
    (rf"^Digital Currency Address - (?P<currency>\w+) (?P<value>\w+){_END}", _wallet),
    (_DOC, _document),
    (rf"^(?:{_labels(list(_PROVISION_STARTS))})\b", _provision),
    (rf"^(?:{_labels(list(_NOTE_STARTS))})\b", _note),
]
_COMPILED = [(re.compile(pattern), handler) for pattern, handler in RULES]
_ALT = re.compile(r"^(?:alt|Alt)\.\s+")


def parse_remarks(remarks: str | None) -> Remarks:
    """Parse one Remarks string (with its ``sdn_comments`` continuation already appended)."""
    out = Remarks()
    for part in split_parts(remarks or ""):
        parse_part(part, out)
    return out


def parse_part(part: str, out: Remarks) -> None:
    """Apply the first rule that matches ``part``; ``alt.`` only marks another value."""
    text = _ALT.sub("", part)
    for pattern, handler in _COMPILED:
        match = pattern.match(text)
        if match is not None:
            handler(match, out)
            return
    out.unparsed.append(part)
