"""The signed bundle file: the envelope around a STIX bundle of list records or bank entries.

A bundle file is one JSON object: who signed it (``agency``), what it holds (``list`` and
``version``, ``since`` for a bundle of changes only; or ``bank`` and its revision as
``version``), its TLP ceiling and, for AMBER, the partners it is addressed to, the STIX 2.1
``bundle`` itself, and an Ed25519 ``signature`` over all of that (sorted-key JSON). Opening
one checks the signature against the key we trust for the signing agency before reading
anything else, and refuses a bundle that is not addressed to us.
"""

import base64
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from sqlalchemy import Engine, select

from watchkeeper import atomic
from watchkeeper.errors import SourceError, UsageError
from watchkeeper.sharing.keys import Agency, public_from_raw
from watchkeeper.sharing.mapping import agency_identity, stix_time
from watchkeeper.sharing.tlp import CODES_BY_MARKING, NAMED_ONLY, check_code, marking_definition
from watchkeeper.store.schema import share_partners

FORMAT = "watchkeeper-signed-bundle/1"
HEADER = ("format", "agency", "list", "version", "since", "tlp", "partners", "created")


def check_recipients(engine: Engine, code: str, partners: list[str]) -> None:
    """Refuse partners we do not know, and an AMBER bundle that names no one."""
    with engine.connect() as conn:
        known = set(conn.execute(select(share_partners.c.name)).scalars())
    unknown = sorted(set(partners) - known)
    if unknown:
        raise UsageError(f"unknown partner(s): {', '.join(unknown)}; see 'share partners ls'")
    if code in NAMED_ONLY and not partners:
        raise UsageError(f"a TLP:{code} bundle must name the partners it is for (--partners)")


def write_signed(
    agency: Agency,
    header: dict[str, Any],
    content: tuple[str, dict[str, Any]],
    objects: list[dict[str, Any]],
    to: Path,
) -> None:
    """Sign and write a bundle file whole (``atomic``): ``header`` says
    what it holds, ``content`` is the owner and extension definition the objects need."""
    owner, extension = content
    codes = sorted({CODES_BY_MARKING[r] for o in objects for r in o.get("object_marking_refs", [])})
    document: dict[str, Any] = {
        "format": FORMAT,
        "agency": agency.name,
        **header,
        "created": stix_time(datetime.now(UTC)),
        "bundle": {
            "type": "bundle",
            "id": f"bundle--{uuid.uuid4()}",
            "objects": [
                *(marking_definition(c) for c in codes),
                extension,
                agency_identity(owner),
                *objects,
            ],
        },
    }
    signature = agency.private_key.sign(_signed_bytes(document))
    document["signature"] = {
        "algorithm": "Ed25519",
        "key": agency.public_key,
        "value": base64.b64encode(signature).decode("ascii"),
    }
    atomic.write_bytes(to, orjson.dumps(document, option=orjson.OPT_INDENT_2))


def open_signed(engine: Engine, agency_name: str | None, path: Path) -> dict[str, Any]:
    """A bundle file's document once its signature and addressing are checked.

    Refused (SourceError naming the file and the fault) when the file is not a signed
    bundle, the signer is not a partner whose key we trust, the signature does not match
    (the file was altered), or an AMBER bundle is not addressed to us (``agency_name``).
    """
    document = _read(path)
    _verify(engine, path, document)
    tlp = check_code(str(document["tlp"]))
    if tlp in NAMED_ONLY and agency_name not in document["partners"]:
        raise SourceError.at(
            str(path),
            "partners",
            f"a TLP:{tlp} bundle for {', '.join(document['partners'])}, not for us "
            f"({agency_name or 'no agency name: run share keys init'})",
        )
    document["tlp"] = tlp
    return document


def _signed_bytes(document: dict[str, Any]) -> bytes:
    """What the signature covers: every field but the signature, as sorted-key JSON."""
    body = {k: v for k, v in document.items() if k != "signature"}
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def _read(path: Path) -> dict[str, Any]:
    """The bundle document, its fields checked; SourceError naming what is wrong."""
    try:
        document = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise SourceError.at(str(path), "file", "does not exist") from None
    except orjson.JSONDecodeError as exc:
        raise SourceError.at(str(path), "file", f"not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SourceError.at(str(path), "format", f"not a signed bundle ({FORMAT})")
    missing = [k for k in (*HEADER, "bundle", "signature") if k not in document]
    if missing:
        raise SourceError.at(str(path), "file", f"missing {', '.join(missing)}")
    if not isinstance(document["bundle"], dict) or not isinstance(document["signature"], dict):
        raise SourceError.at(str(path), "bundle", "bundle and signature must be objects")
    return document


def _verify(engine: Engine, path: Path, document: dict[str, Any]) -> None:
    """Check the signature against the key we trust for the signing agency."""
    signer = str(document["agency"])
    with engine.connect() as conn:
        trusted = conn.execute(
            select(share_partners.c.public_key).where(share_partners.c.name == signer)
        ).scalar()
    if not trusted:
        raise SourceError.at(
            str(path),
            "signature",
            f"signed by {signer!r}, whose key we do not trust; "
            f"trust it with 'watchkeeper share keys trust {signer} KEYFILE'",
        )
    signature = document["signature"]
    if signature.get("key") != trusted:
        raise SourceError.at(
            str(path),
            "signature",
            f"signed with a key that is not the one we trust for {signer!r} (unknown key)",
        )
    try:
        public_from_raw(trusted).verify(
            base64.b64decode(str(signature.get("value", ""))), _signed_bytes(document)
        )
    except (InvalidSignature, ValueError):
        raise SourceError.at(
            str(path),
            "signature",
            f"the signature does not match: the bundle was altered after {signer!r} signed it",
        ) from None
