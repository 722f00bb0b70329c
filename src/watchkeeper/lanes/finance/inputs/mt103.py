"""SWIFT MT103 (single customer credit transfer), from the FIN text of block 4.

A file may hold several messages, each starting with ``{1:``. Read: :20: reference, :32A:
value date, currency and amount (comma decimals), :50A/F/K: ordering customer (debtor),
:52A: its bank's BIC, :57A: the beneficiary's bank's BIC, :59/59A/59F: beneficiary
(creditor), :70: remittance, :26T: purpose. Charges (:71A:), sender's notes (:72:) and
routing agents (:53A: to :56A:) say nothing about who pays whom and are not read.

Option A parties are named only by a BIC: the BIC becomes the name (and the id number), so
the party is still screened. A message with no :20: or a bad :32A: is an issue, skipped.
"""

import re
from datetime import date, datetime
from pathlib import Path

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.finance.inputs.common import (
    Batch,
    PartySchema,
    amount_of,
    birth_date_of,
    clean,
    country_of,
    currency_of,
)
from watchkeeper.lanes.finance.inputs.schemes import scheme_kind
from watchkeeper.lanes.finance.model import Party, PartyRole, Transaction
from watchkeeper.sources.inputs import check_file

_BLOCK2 = re.compile(r"\{2:[IO](\d{3})")
_BLOCK4 = re.compile(r"\{4:[ \t]*\r?\n(.*?)\r?\n-\}", re.DOTALL)
_FIELD = re.compile(r":(\d{2}[A-Z]?):(.*)")
_32A = re.compile(r"(\d{2})(\d{2})(\d{2})([A-Z]{3})(\d+,\d*)")
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
# 50F line 1 party identifiers (code/country/number) that only a person holds.
_PERSON_IDS = ("ARNU", "CCPT", "DRLC", "EMPL", "NIDN", "SOSE")


def read_mt103(path: Path) -> Batch[Transaction]:
    """Every MT103 in the file, and an issue per message not read."""
    check_file(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError.at(str(path), "file", f"not SWIFT FIN text: {exc}") from exc
    if not text.lstrip().startswith("{1:"):
        raise SourceError.at(str(path), "file", "not SWIFT FIN: does not start with {1:")
    batch: Batch[Transaction] = Batch()
    messages = text.lstrip().split("{1:")[1:]
    for number, message in enumerate(messages, start=1):
        where = "message" if len(messages) == 1 else f"message {number}"
        try:
            batch.records.append(_message(message, str(path), where))
        except ValueError as exc:
            batch.issues.append(SourceIssue(str(path), where, f"{exc} (message skipped)"))
    return batch


def _message(message: str, path: str, where: str) -> Transaction:
    """One message; raises ``ValueError`` when it is no readable MT103."""
    kind = _BLOCK2.search(message)
    if kind is None or kind.group(1) != "103":
        raise ValueError(f"not an MT103 (MT{kind.group(1) if kind else '?'})")
    body = _BLOCK4.search(message)
    if body is None:
        raise ValueError("no text block {4: ... -}")
    fields = _fields(body.group(1))
    reference = clean(" ".join(fields.get("20", [])))
    if reference is None:
        raise ValueError(":20: reference is missing")
    value = _32A.fullmatch("".join(fields.get("32A", [])).strip())
    if value is None:
        raise ValueError(":32A: is missing or not YYMMDD, currency, amount like 100,50")
    year, month, day, currency, amount = value.groups()
    try:
        booked = date(2000 + int(year), int(month), int(day))  # FIN dates are this century
    except ValueError:
        raise ValueError(f":32A: date {year}{month}{day} is no calendar day") from None
    debtor = _first_party(fields, ("50A", "50F", "50K"), "debtor", ("52A",))
    creditor = _first_party(fields, ("59", "59A", "59F"), "creditor", ("57A",))
    remittance = clean(" ".join(fields.get("70", [])))
    return Transaction(
        id=reference,
        booked=datetime(booked.year, booked.month, booked.day),
        amount=amount_of(amount.replace(",", ".").rstrip(".")),
        currency=currency_of(currency),
        channel="transfer",
        parties=tuple(party for party in (debtor, creditor) if party is not None),
        remittance=remittance,
        purpose=clean(" ".join(fields.get("26T", []))),
        source=path,
        position=where,
    )


def _fields(body: str) -> dict[str, list[str]]:
    """Block 4's fields by tag, each as its lines; a repeated tag keeps its first value."""
    fields: dict[str, list[str]] = {}
    lines: list[str] | None = None
    for line in body.splitlines():
        start = _FIELD.match(line)
        if start is not None:
            lines = [start.group(2)]
            fields.setdefault(start.group(1), lines)
        elif lines is not None:
            lines.append(line)
    return fields


def _first_party(
    fields: dict[str, list[str]], tags: tuple[str, ...], role: PartyRole, banks: tuple[str, ...]
) -> Party | None:
    """The party in the first of ``tags`` present, with the BIC of its bank from ``banks``."""
    tag = next((tag for tag in tags if tag in fields), None)
    if tag is None:
        return None
    lines = [line.strip() for line in fields[tag]]
    account = None
    if lines and lines[0].startswith("/"):
        account = clean(lines.pop(0)[1:])
    bank = next((_bic(fields[bank]) for bank in banks if bank in fields), None)
    if tag.endswith("A"):
        bic = _bic(lines)
        if bic is None:
            return None
        return Party(
            role, bic, "Organization", account=account, id_number=bic, id_kind="bic", bic=bank
        )
    if tag.endswith("F"):
        return _structured(lines, role, account, bank)
    names = [line for line in lines if clean(line)]
    if not names:
        return None
    address = ", ".join(names[1:]) or None
    return Party(role, names[0], account=account, address=address, bic=bank)


def _structured(
    lines: list[str], role: PartyRole, account: str | None, bank: str | None
) -> Party | None:
    """Option F: numbered lines 1/ name, 2/ address, 3/ country/town, 4/ birth date,
    6/ and 7/ identity numbers, 8/ continuation; a first line CODE/CC/number is an id."""
    id_number: str | None = None
    id_kind = ""
    schema: PartySchema = "LegalEntity"
    if lines and re.fullmatch(r"[A-Z]{4}/.+", lines[0]):
        code, _, rest = lines.pop(0).partition("/")
        id_number = clean(rest.partition("/")[2]) or clean(rest)
        id_kind = scheme_kind(code)
        schema = "Person" if code in _PERSON_IDS else schema
    parts: dict[str, list[str]] = {}
    last = ""
    for line in lines:
        number, slash, text = line.partition("/")
        if not slash or not number.isdigit():
            continue
        key = last if number == "8" else number
        parts.setdefault(key, []).append(text.strip())
        last = key
    name = clean(" ".join(parts.get("1", [])))
    if name is None:
        return None
    country, _, town = (parts.get("3") or [""])[0].partition("/")
    try:
        born, has_birth = birth_date_of(_iso_day(parts.get("4", [""])[0]))
    except ValueError:
        born, has_birth = None, False
    numbers = [clean(value.split("/")[-1]) for key in ("6", "7") for value in parts.get(key, [])]
    try:
        country_code = country_of(country)
    except ValueError:
        country_code = None
    address = [*parts.get("2", []), town]
    return Party(
        role,
        name,
        "Person" if has_birth else schema,
        account=account,
        address=", ".join(line for line in address if clean(line)) or None,
        country=country_code,
        birth_date=born,
        id_number=id_number or next((n for n in numbers if n), None),
        id_kind=id_kind if id_number else "",
        bic=bank,
    )


def _iso_day(text: str) -> str:
    """YYYYMMDD as YYYY-MM-DD, other text unchanged (and then refused by the caller)."""
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if re.fullmatch(r"\d{8}", text) else text


def _bic(lines: list[str]) -> str | None:
    """The BIC on an option A field's lines, after any /account line."""
    for line in lines:
        if _BIC.fullmatch(line.strip()):
            return line.strip()
    return None
