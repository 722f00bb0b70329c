"""TLP 2.0 handling codes as STIX marking definitions, and the rules they impose on sharing.

The five marking definitions are the ones OASIS publishes with its TLP 2.0 extension
(``cti-stix-common-objects``), with their fixed ids: a partner's MISP or OpenCTI recognises
them by id, so they are reproduced exactly, never generated. stix2 3.0 only predefines the
TLP 1.0 markings (WHITE, GREEN, AMBER, RED), whose ids differ.
"""

from typing import Any

from watchkeeper.errors import UsageError
from watchkeeper.sources.profiles import HANDLING_CODES

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
"""The OASIS extension that defines TLP 2.0 markings."""
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

MARKING_IDS = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
CODES_BY_MARKING = {marking: code for code, marking in MARKING_IDS.items()}
# TLP 1.0 markings a partner's older tooling may still send (stix2's predefined ones).
CODES_BY_MARKING.update(
    {
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "CLEAR",  # TLP:WHITE
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "GREEN",
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "AMBER",
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "RED",
    }
)
RANK = {code: rank for rank, code in enumerate(HANDLING_CODES)}
"""CLEAR < GREEN < AMBER < AMBER+STRICT < RED: how tight each code is."""
DEFAULT_CODE = "GREEN"
"""The TLP code of a received object that carries no TLP marking: TLP's advice is to treat
unmarked shared information with care, and GREEN keeps it within the community."""
NAMED_ONLY = frozenset({"AMBER", "AMBER+STRICT"})
"""Codes that may only go to the partners named for the collection or the export."""


def check_code(code: str) -> str:
    """A TLP 2.0 code, upper-cased, ``TLP:`` prefix dropped; UsageError for anything else."""
    label = code.strip().upper().removeprefix("TLP:")
    if label not in RANK:
        raise UsageError(f"{code!r} is not a TLP 2.0 code; use one of {', '.join(HANDLING_CODES)}")
    return label


def marking_definition(code: str) -> dict[str, Any]:
    """The published STIX marking-definition object of a code."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": MARKING_IDS[code],
        "created": TLP2_CREATED,
        "name": f"TLP:{code}",
        "extensions": {
            TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": code.lower()}
        },
    }


def code_of_markings(refs: list[str], default: str) -> str:
    """The tightest TLP code among marking refs; ``default`` when none is a TLP marking.

    Several TLP markings on one object should not happen; when they do, the tightest wins,
    so a mistake never widens who may see a record.
    """
    codes = [CODES_BY_MARKING[ref] for ref in refs if ref in CODES_BY_MARKING]
    return max(codes, key=RANK.__getitem__) if codes else default


def may_share(code: str, ceiling: str, *, named: bool, received: bool) -> bool:
    """Whether a record with ``code`` may go to a recipient.

    RED never leaves the agency; nothing above ``ceiling`` (the highest code the collection or
    export is configured for) goes out; AMBER and AMBER+STRICT go only to a recipient
    ``named`` for them (listed in the collection's partners, or in ``--partners``); a record
    ``received`` from a partner is passed on only when CLEAR or GREEN, since TLP limits AMBER
    to the recipient's own organisation.
    """
    if code == "RED" or RANK[code] > RANK[ceiling]:
        return False
    if code in NAMED_ONLY:
        return named and not received
    return True
