"""Code tables of travel messages, in the words a rule's reason uses."""

from watchkeeper.lanes.travel.model import TravelDocument

# Form-of-payment codes of the PNRGOV FOP segment (IATA); others are shown as the code.
_PAYMENTS = {"CA": "cash", "CC": "card", "CK": "cheque"}
# Document type codes of PAXLST DOC / SSR DOCS (ICAO 9303 first letter).
_DOCUMENTS = {"P": "passport", "I": "identity card", "A": "identity card", "V": "visa"}


def payment_word(code: str) -> str:
    """ "cash" for CA; an unknown form of payment is shown as its code."""
    return _PAYMENTS.get(code, code)


def document_word(document: TravelDocument) -> str:
    """ "passport" for P; an unknown type is "document (X)"."""
    return _DOCUMENTS.get(document.doc_type.upper(), f"document ({document.doc_type or '?'})")
