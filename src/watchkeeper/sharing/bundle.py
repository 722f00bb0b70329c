"""Signed bundles of list records, for sharing by file or e-mail where no TAXII link exists.

The file format, its signature and its addressing are ``envelope``'s; this module fills it
with a list's identities (all of a version, or its changes since an earlier one with
``revoked`` versions of what left) and applies a partner's to the partner's own list.
``import_bundle`` opens either kind of bundle; bank bundles are ``bank_bundle``'s.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from watchkeeper.errors import NotFoundError, SourceError
from watchkeeper.sharing.apply import Applied, apply_records, last_cursor, read_objects
from watchkeeper.sharing.bank_bundle import ImportedBank, import_bank
from watchkeeper.sharing.config import is_received, partner_list
from watchkeeper.sharing.envelope import check_recipients, open_signed, write_signed
from watchkeeper.sharing.keys import Agency
from watchkeeper.sharing.mapping import extension_definition, revoked_identity, to_identity
from watchkeeper.sharing.objects import content_hash
from watchkeeper.sharing.records import VersionRef, active_version, shareable
from watchkeeper.sharing.tlp import check_code, may_share
from watchkeeper.store.audit import record, utc
from watchkeeper.store.schema import share_sources


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
    check_recipients(engine, code, partners)
    with engine.connect() as conn:
        received = is_received(conn, list_name)
        owner = agency.name
        if received:
            owner = conn.execute(
                select(share_sources.c.partner).where(share_sources.c.list_name == list_name)
            ).scalar_one()
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
    header = {
        "list": list_name,
        "version": version.number,
        "since": since,
        "tlp": code,
        "partners": sorted(partners),
    }
    write_signed(agency, header, (owner, extension_definition()), objects, to)
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


def import_bundle(
    engine: Engine, agency_name: str | None, path: Path, actor: str
) -> Imported | ImportedBank:
    """Verify a bundle file and apply it: list records to the signing partner's list, bank
    entries to copies of its banks (``bank_bundle``).

    Refused, with nothing changed, when the file is not a signed bundle, the signer is not
    a partner whose key we trust, the signature does not match (the file was altered), an
    AMBER bundle is not addressed to us (``agency_name``), or it is older than one imported.
    """
    document = open_signed(engine, agency_name, path)
    if document.get("bank") is not None:
        return import_bank(engine, document, path, actor)
    signer = str(document["agency"])
    tlp = str(document["tlp"])
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


def _version(engine: Engine, list_name: str, number: int | None) -> VersionRef:
    version = active_version(engine, list_name, number)
    if version is None:
        which = f"version {number}" if number is not None else "an active version"
        raise NotFoundError(f"list {list_name!r} has no {which}; see 'watchkeeper lists ls'")
    return version
