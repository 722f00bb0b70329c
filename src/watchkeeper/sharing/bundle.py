"""Signed bundles of any shared kind, for sharing by file or e-mail where no TAXII link exists.

The file format, its signature and its addressing are ``envelope``'s; this module fills it
with what a source of one kind may send (all of a list version, or its changes since an
earlier one with ``revoked`` versions of what left; a whole bank), and hands an opened
bundle to the kind it names, which applies it to the signer's copy (``kinds``).
"""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from watchkeeper.sharing.bank_kind import BANKS
from watchkeeper.sharing.envelope import check_recipients, open_signed, write_signed
from watchkeeper.sharing.keys import Agency
from watchkeeper.sharing.kinds import (
    Coded,
    Exported,
    Imported,
    ShareKind,
    SignedBundle,
    Snapshot,
    SourceRef,
)
from watchkeeper.sharing.objects import content_hash
from watchkeeper.sharing.profile_kind import PROFILES
from watchkeeper.sharing.registry import kind_of_bundle
from watchkeeper.sharing.tlp import check_code, may_share
from watchkeeper.store.audit import record


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
    return export(
        engine,
        agency,
        PROFILES,
        list_name,
        tlp=tlp,
        partners=partners,
        to=to,
        actor=actor,
        since=since,
    )


def export_bank_bundle(
    engine: Engine,
    agency: Agency,
    *,
    bank_name: str,
    tlp: str,
    partners: list[str],
    to: Path,
    actor: str,
    since: int | None = None,
) -> Exported:
    """Write hash bank ``bank_name`` as a signed bundle of PDQ indicators (a bank keeps no
    history: ``since`` is refused)."""
    return export(
        engine,
        agency,
        BANKS,
        bank_name,
        tlp=tlp,
        partners=partners,
        to=to,
        actor=actor,
        since=since,
    )


def export(
    engine: Engine,
    agency: Agency,
    kind: ShareKind[Any, Any],
    name: str,
    *,
    tlp: str,
    partners: list[str],
    to: Path,
    actor: str,
    since: int | None = None,
) -> Exported:
    """Write source ``name`` of ``kind`` (its changes since revision ``since``) as a signed
    bundle for ``partners`` (none: every partner, CLEAR and GREEN only); audited."""
    code = check_code(tlp)
    check_recipients(engine, code, partners)
    named = bool(partners)
    with engine.connect() as conn:
        current = kind.snapshot(engine, conn, SourceRef(name, agency.name, code))
        items = _allowed(current, code, named)
        objects = [obj for obj, _code in items.values()]
        withdrawn = 0
        if since is not None:
            earlier = kind.snapshot(engine, conn, SourceRef(name, agency.name, code, since))
            old = _allowed(earlier, code, named)
            objects = [
                obj
                for sid, (obj, _code) in items.items()
                if sid not in old or content_hash(old[sid][0]) != content_hash(obj)
            ]
            gone = [old[sid] for sid in old if sid not in items]
            objects += [current.withdraw(obj, old_code)[0] for obj, old_code in gone]
            withdrawn = len(gone)
    header = {
        "list": None,
        kind.BUNDLE_FIELD: name,
        "version": current.revision,
        "since": since,
        "tlp": code,
        "partners": sorted(partners),
    }
    write_signed(agency, header, (current.owner, current.extension), objects, to)
    exported = Exported(to, current.revision, len(objects) - withdrawn, withdrawn)
    with engine.begin() as conn:
        detail = kind.export_detail(exported, header)
        record(conn, actor, "share.export", kind.AUDIT_TYPE, name, detail, "cli")
    return exported


def import_bundle(engine: Engine, agency_name: str | None, path: Path, actor: str) -> Imported:
    """Verify a bundle file and apply it to the signer's copy of what it holds, by its kind:
    list records to the signing partner's list, bank entries to copies of its banks.

    Refused, with nothing changed, when the file is not a signed bundle, the signer is not
    a partner whose key we trust, the signature does not match (the file was altered), an
    AMBER bundle is not addressed to us (``agency_name``), or it is older than one imported.
    """
    document = open_signed(engine, agency_name, path)
    kind = kind_of_bundle(document, path)
    bundle = SignedBundle(
        path,
        str(document["agency"]),
        str(document[kind.BUNDLE_FIELD]),
        int(document["version"]),
        str(document["tlp"]),
        document["bundle"].get("objects", []),
        actor,
    )
    return kind.import_bundle(engine, bundle)


def _allowed(snapshot: Snapshot, code: str, named: bool) -> dict[str, Coded]:
    """The items of a snapshot that may go out under ``code`` to these recipients, by id."""
    return {
        obj["id"]: (obj, item_code)
        for obj, item_code in snapshot.items()
        if may_share(item_code, code, named=named, received=snapshot.received)
    }
