"""ISO 20022 pacs.008 (FIToFICustomerCreditTransfer): one ``Transaction`` per CdtTrfTxInf.

Every message version is read the same way: namespaces are dropped and elements matched on
their local names, since the parts read here have kept their names from .001.02 to .001.13.
A Document may sit alone or inside a SWIFT envelope with an AppHdr (head.001); a file may
hold several. Parsing goes through defusedxml with DTDs forbidden: ISO 20022 messages never
declare one, so one in the input is an attack (entity expansion, external files) or a wrong
file.

An ISO 20022 message of another kind (a pacs.004 return, a camt statement) is reported as an
issue, not raised, so a folder of mixed traffic screens through; XML that holds no ISO 20022
Document at all raises ``SourceError``.
"""

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.finance.inputs.common import (
    Batch,
    PartySchema,
    amount_of,
    birth_date_of,
    booked_of,
    clean,
    country_of,
    currency_of,
)
from watchkeeper.lanes.finance.inputs.schemes import scheme_kind
from watchkeeper.lanes.finance.model import Party, PartyRole, Transaction
from watchkeeper.sources.inputs import check_file

MESSAGE = "FIToFICstmrCdtTrf"
# (party element, role, its account element, its agent element)
PARTIES: tuple[tuple[str, PartyRole, str | None, str | None], ...] = (
    ("UltmtDbtr", "ultimate_debtor", None, None),
    ("Dbtr", "debtor", "DbtrAcct", "DbtrAgt"),
    ("Cdtr", "creditor", "CdtrAcct", "CdtrAgt"),
    ("UltmtCdtr", "ultimate_creditor", None, None),
)
# Structured address parts, after the free lines, in reading order.
ADDRESS_PARTS = ("StrtNm", "BldgNb", "BldgNm", "Flr", "PstBx", "PstCd", "TwnNm", "CtrySubDvsn")


def read_pacs008(path: Path) -> Batch[Transaction]:
    """Every credit transfer in the file, and an issue per transfer or message not read."""
    root = parse_xml(path)
    namespaces: dict[Element, str] = {}
    for el in root.iter():
        namespace, _, el.tag = el.tag.rpartition("}")
        namespaces[el] = namespace.lstrip("{")
    batch: Batch[Transaction] = Batch()
    documents = [el for el in root.iter() if el.tag == "Document"] or (
        [root] if root.tag == MESSAGE else []
    )
    if not documents:
        raise SourceError.at(str(path), "root element", f"not an ISO 20022 message: {root.tag}")
    for number, document in enumerate(documents, start=1):
        where = "Document" if len(documents) == 1 else f"Document[{number}]"
        message = document if document.tag == MESSAGE else document.find(MESSAGE)
        if message is None:
            kind = next((child.tag for child in document), "nothing")
            namespace = namespaces[document] or "no namespace"
            problem = f"not a pacs.008 credit transfer: the Document holds {kind} ({namespace})"
            batch.issues.append(SourceIssue(str(path), where, problem))
            continue
        batch.extend(_message(message, str(path), f"{where}/{MESSAGE}"))
    return batch


def parse_xml(path: Path) -> Element:
    """The parsed file, DTDs and entities refused; every failure a located ``SourceError``."""
    check_file(path)
    data = path.read_bytes()
    try:
        root: Element = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        problem = f"XML declares a DTD or entities, refused for safety ({type(exc).__name__})"
        raise SourceError.at(str(path), "prolog", problem) from exc
    except ParseError as exc:
        line, column = exc.position
        where = f"line {line}, column {column}"
        raise SourceError.at(str(path), where, f"malformed XML: {ErrorString(exc.code)}") from exc
    return root


def _message(message: Element, path: str, where: str) -> Batch[Transaction]:
    """The transfers of one FIToFICstmrCdtTrf; a transfer lacking its amount or date is an
    issue."""
    batch: Batch[Transaction] = Batch()
    group_date = _text(message, "GrpHdr/IntrBkSttlmDt")
    for number, tx in enumerate(message.findall("CdtTrfTxInf"), start=1):
        position = f"{where}/CdtTrfTxInf[{number}]"
        try:
            batch.records.append(_transaction(tx, group_date, path, position))
        except ValueError as exc:
            batch.issues.append(SourceIssue(path, position, f"{exc} (transfer skipped)"))
    return batch


def _transaction(tx: Element, group_date: str | None, path: str, where: str) -> Transaction:
    """One CdtTrfTxInf; raises ``ValueError`` when a value every payment has is bad."""
    ids = ("PmtId/EndToEndId", "PmtId/TxId", "PmtId/InstrId", "PmtId/UETR")
    tx_id = next((found for p in ids if (found := _text(tx, p)) is not None), None)
    if tx_id is None:
        raise ValueError("no EndToEndId, TxId, InstrId or UETR")
    amount = tx.find("IntrBkSttlmAmt")
    if amount is None:
        raise ValueError("no IntrBkSttlmAmt")
    booked = _text(tx, "IntrBkSttlmDt") or group_date
    if booked is None:
        raise ValueError("no IntrBkSttlmDt, in the transfer or its group header")
    remittance = [text for el in tx.findall("RmtInf/Ustrd") if (text := clean(el.text))]
    parties = [
        party
        for tag, role, account, agent in PARTIES
        if (party := _party(tx, tag, role, account, agent)) is not None
    ]
    return Transaction(
        id=tx_id,
        booked=booked_of(booked),
        amount=amount_of(amount.text),
        currency=currency_of(amount.get("Ccy")),
        channel="transfer",
        parties=tuple(parties),
        remittance=" ".join(remittance) or None,
        purpose=_text(tx, "Purp/Cd") or _text(tx, "Purp/Prtry"),
        source=path,
        position=where,
    )


def _party(
    tx: Element, tag: str, role: PartyRole, account: str | None, agent: str | None
) -> Party | None:
    """A party from its element, account and agent; ``None`` without a name."""
    node = tx.find(tag)
    name = _text(node, "Nm") if node is not None else None
    if node is None or name is None:
        return None
    try:
        born, _ = birth_date_of(_text(node, "Id/PrvtId/DtAndPlcOfBirth/BirthDt"))
    except ValueError:
        born = None  # unreadable: the transfer is still screened on the name
    identifiers = [  # (number, its kind), the first one given is the party's
        (_text(node, "Id/OrgId/AnyBIC"), "bic"),
        (_text(node, "Id/OrgId/LEI"), "lei"),
        (_text(node, "Id/OrgId/Othr/Id"), scheme_kind(_text(node, "Id/OrgId/Othr/SchmeNm/Cd"))),
        (_text(node, "Id/PrvtId/Othr/Id"), scheme_kind(_text(node, "Id/PrvtId/Othr/SchmeNm/Cd"))),
    ]
    id_number, id_kind = next(((n, k) for n, k in identifiers if n), (None, ""))
    schema: PartySchema = "LegalEntity"
    if node.find("Id/PrvtId") is not None:
        schema = "Person"
    elif node.find("Id/OrgId") is not None:
        schema = "Organization"
    try:
        country = country_of(_text(node, "PstlAdr/Ctry") or _text(node, "CtryOfRes"))
    except ValueError:
        country = None  # an unknown code is no reason to keep a payment from screening
    address = [
        *(clean(line.text) for line in node.findall("PstlAdr/AdrLine")),
        *(_text(node, f"PstlAdr/{part}") for part in ADDRESS_PARTS),
    ]
    return Party(
        role=role,
        name=name,
        schema=schema,
        account=_account(tx.find(account)) if account else None,
        address=", ".join(line for line in address if line) or None,
        country=country,
        birth_date=born,
        id_number=id_number,
        id_kind=id_kind,
        bic=(_text(tx, f"{agent}/FinInstnId/BICFI") or _text(tx, f"{agent}/FinInstnId/BIC"))
        if agent
        else None,
    )


def _account(node: Element | None) -> str | None:
    """An account's IBAN or other id."""
    if node is None:
        return None
    return _text(node, "Id/IBAN") or _text(node, "Id/Othr/Id")


def _text(node: Element, path: str) -> str | None:
    """Cleaned text at ``path``, ``None`` when absent, blank or a placeholder."""
    found = node.find(path)
    return clean(found.text) if found is not None else None
