"""Code tables of travel messages, in the words a rule's reason uses."""

from watchkeeper.lanes.travel.model import TravelDocument

# Form-of-payment codes of the PNRGOV FOP segment (IATA); others are shown as the code.
_PAYMENTS = {"CA": "cash", "CC": "card", "CK": "cheque"}
# Document type codes of PAXLST DOC / SSR DOCS (ICAO 9303 first letter).
_DOCUMENTS = {"P": "passport", "I": "identity card", "A": "identity card", "V": "visa"}


# The matcher's kind of number (``matching.subject.KINDS``) each document type is: a visa's
# number names the visa, no kind a list publishes.
_KINDS = {"P": "passport", "I": "id", "A": "id", "C": "id"}


def identifier_kind(document: TravelDocument) -> str:
    """ "passport" for P, "id" for an identity card, "" for any other document: the alert
    then says "same passport number" as the list does."""
    return _KINDS.get(document.doc_type.upper(), "")


def payment_word(code: str) -> str:
    """ "cash" for CA; an unknown form of payment is shown as its code."""
    return _PAYMENTS.get(code, code)


def document_word(document: TravelDocument) -> str:
    """ "passport" for P; an unknown type is "document (X)"."""
    return _DOCUMENTS.get(document.doc_type.upper(), f"document ({document.doc_type or '?'})")
