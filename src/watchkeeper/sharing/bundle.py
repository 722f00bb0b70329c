"""Signed STIX bundles, for sharing by file or e-mail where no TAXII link exists.

A bundle file is one JSON object: who signed it (``agency``), which list and version it comes
from (``since`` for a bundle of changes only), its TLP ceiling and, for AMBER, the partners it
is addressed to, the STIX 2.1 ``bundle`` itself, and an Ed25519 ``signature`` over all of
that (sorted-key JSON). Import checks the signature against the key we trust for the signing
agency before reading anything else, and refuses a bundle that is not addressed to us.
"""

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from sqlalchemy import Engine, select

from watchkeeper.errors import NotFoundError, SourceError, UsageError
from watchkeeper.sharing.apply import Applied, apply_records, last_cursor, read_objects
from watchkeeper.sharing.config import is_received, partner_list
from watchkeeper.sharing.keys import Agency, public_from_raw
from watchkeeper.sharing.mapping import (
    agency_identity,
    extension_definition,
    revoked_identity,
    stix_time,
    to_identity,
)
from watchkeeper.sharing.objects import content_hash
from watchkeeper.sharing.records import VersionRef, active_version, shareable
from watchkeeper.sharing.tlp import (
    CODES_BY_MARKING,
    NAMED_ONLY,
    check_code,
    marking_definition,
    may_share,
)
from watchkeeper.store.audit import record, utc
from watchkeeper.store.schema import share_partners, share_sources

FORMAT = "watchkeeper-signed-bundle/1"
HEADER = ("format", "agency", "list", "version", "since", "tlp", "partners", "created")


@dataclass(frozen=True, slots=True)
class Exported:
    """What went into a bundle file."""

    path: Path
    version: int
    records: int
    withdrawn: int


@dataclass(frozen=True, slots=True)
class Imported:
    """What a bundle brought: its signer, source list and version, and what changed here."""

    agency: str
    list_name: str
    version: int
    target: str
    applied: Applied


def export_bundle(
    engine: Engine,
    agency: Agency,
    *,
    list_name: str,
    tlp: str,
    partners: list[str],
    to: Path,
    actor: str,
    since: int | None = None,
) -> Exported:
    """Write list ``list_name`` (its changes since version ``since``) as a signed bundle."""
    code = check_code(tlp)
    version = _version(engine, list_name, None)
    with engine.connect() as conn:
        known = set(conn.execute(select(share_partners.c.name)).scalars())
        received = is_received(conn, list_name)
        owner = agency.name
        if received:
            owner = conn.execute(
                select(share_sources.c.partner).where(share_sources.c.list_name == list_name)
            ).scalar_one()
    unknown = sorted(set(partners) - known)
    if unknown:
        raise UsageError(f"unknown partner(s): {', '.join(unknown)}; see 'share partners ls'")
    if code in NAMED_ONLY and not partners:
        raise UsageError(f"a TLP:{code} bundle must name the partners it is for (--partners)")
    current = _identities(engine, version, owner, code, bool(partners), received)
    objects = list(current.values())
    withdrawn = 0
    if since is not None:
        old = _identities(
            engine, _version(engine, list_name, since), owner, code, bool(partners), received
        )
        objects = [
            obj
            for sid, obj in current.items()
            if sid not in old or content_hash(old[sid]) != content_hash(obj)
        ]
        gone = [old[sid] for sid in old if sid not in current]
        objects += [revoked_identity(obj, utc(version.loaded_at)) for obj in gone]
        withdrawn = len(gone)
    codes = sorted(_codes(objects))
    document: dict[str, Any] = {
        "format": FORMAT,
        "agency": agency.name,
        "list": list_name,
        "version": version.number,
        "since": since,
        "tlp": code,
        "partners": sorted(partners),
        "created": stix_time(datetime.now(UTC)),
        "bundle": {
            "type": "bundle",
            "id": f"bundle--{uuid.uuid4()}",
            "objects": [
                *(marking_definition(c) for c in codes),
                extension_definition(),
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
    partial = to.with_name(to.name + ".partial")
    partial.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
    partial.rename(to)
    records = len(objects) - withdrawn
    with engine.begin() as conn:
        detail = {
            "version": version.number,
            "since": since,
            "tlp": code,
            "partners": sorted(partners),
            "records": records,
            "withdrawn": withdrawn,
            "file": str(to),
        }
        record(conn, actor, "share.export", "list", list_name, detail, "cli")
    return Exported(to, version.number, records, withdrawn)


def import_bundle(engine: Engine, agency_name: str | None, path: Path, actor: str) -> Imported:
    """Verify a bundle file and apply its records to the signing partner's list.

    Refused, with nothing changed, when the file is not a signed bundle, the signer is not
    a partner whose key we trust, the signature does not match (the file was altered), an
    AMBER bundle is not addressed to us (``agency_name``), or it is older than one imported.
    """
    document = _read(path)
    signer = str(document["agency"])
    _verify(engine, path, document)
    tlp = check_code(str(document["tlp"]))
    if tlp in NAMED_ONLY and agency_name not in document["partners"]:
        raise SourceError.at(
            str(path),
            "partners",
            f"a TLP:{tlp} bundle for {', '.join(document['partners'])}, not for us "
            f"({agency_name or 'no agency name: run share keys init'})",
        )
    origin = f"bundle:{signer}/{document['list']}"
    target = partner_list(signer)
    version = int(document["version"])
    previous = last_cursor(engine, target, origin)
    if previous is not None and int(previous.removeprefix("v")) > version:
        raise SourceError.at(
            str(path),
            "version",
            f"version {version} is older than version {previous.removeprefix('v')} "
            "imported already",
        )
    objects = document["bundle"].get("objects", [])
    received, issues = read_objects(objects, signer, str(path), tlp)
    applied = apply_records(engine, target, signer, received, origin=origin, cursor=f"v{version}")
    applied.issues.extend(issues)
    with engine.begin() as conn:
        detail = {
            "agency": signer,
            "list": document["list"],
            "version": version,
            "tlp": tlp,
            "changed": applied.changed,
            "withdrawn": applied.withdrawn,
            "file": str(path),
        }
        record(conn, actor, "share.import", "list", target, detail, "cli")
    return Imported(signer, str(document["list"]), version, target, applied)


def _identities(
    engine: Engine, version: VersionRef, owner: str, code: str, named: bool, received: bool
) -> dict[str, dict[str, Any]]:
    """The identities of a version that may go out under ``code`` to these recipients."""
    out: dict[str, dict[str, Any]] = {}
    for rec in shareable(engine, version, owner, code):
        if may_share(rec.code, code, named=named, received=received):
            obj = to_identity(rec, utc(version.created_at), utc(version.loaded_at))
            out[obj["id"]] = obj
    return out


def _codes(objects: list[dict[str, Any]]) -> set[str]:
    """The TLP codes the objects are marked with, whose definitions go in the bundle."""
    return {CODES_BY_MARKING[r] for o in objects for r in o.get("object_marking_refs", [])}


def _version(engine: Engine, list_name: str, number: int | None) -> VersionRef:
    version = active_version(engine, list_name, number)
    if version is None:
        which = f"version {number}" if number is not None else "an active version"
        raise NotFoundError(f"list {list_name!r} has no {which}; see 'watchkeeper lists ls'")
    return version


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
