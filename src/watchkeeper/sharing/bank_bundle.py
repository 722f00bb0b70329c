"""Signed bundles of hash banks: a whole bank as PDQ indicators, applied by the receiver as
the partner's bank now is.

A bank keeps no history of its entries, so a bank bundle always holds the whole bank (every
entry that may go to its recipients), and its ``version`` is the bank's revision, which grows
with every change. Importing one adds the entries the copy lacks (matched at once against
the images seen before), updates changed ones and removes those the bundle no longer holds;
that, the check that it is not older than a bundle imported already, and the audit entry
commit in one transaction. The envelope (signature, TLP addressing) is ``envelope``'s.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from watchkeeper.errors import SourceError
from watchkeeper.lanes.images.banks import get_bank
from watchkeeper.sharing.bank_apply import BankApplied, apply_entries, keep_only, read_indicators
from watchkeeper.sharing.banks import bank_owner, shareable_entries
from watchkeeper.sharing.config import partner_bank
from watchkeeper.sharing.cursors import load_cursor, save_cursor
from watchkeeper.sharing.envelope import check_recipients, write_signed
from watchkeeper.sharing.hashes import pdq_extension_definition, to_indicator
from watchkeeper.sharing.keys import Agency
from watchkeeper.sharing.tlp import check_code, may_share
from watchkeeper.store.audit import record


@dataclass(frozen=True, slots=True)
class ExportedBank:
    """What went into a bank bundle file: the bank's revision and the entries written."""

    path: Path
    revision: int
    entries: int


@dataclass(frozen=True, slots=True)
class ImportedBank:
    """What a bank bundle brought: its signer, the signer's bank and revision, the copy it
    went to, and what changed there."""

    agency: str
    bank: str
    version: int
    target: str
    applied: BankApplied


def export_bank_bundle(
    engine: Engine,
    agency: Agency,
    *,
    bank_name: str,
    tlp: str,
    partners: list[str],
    to: Path,
    actor: str,
) -> ExportedBank:
    """Write hash bank ``bank_name`` as a signed bundle of PDQ indicators."""
    code = check_code(tlp)
    check_recipients(engine, code, partners)
    now = datetime.now(UTC)
    with engine.connect() as conn:
        bank = get_bank(conn, bank_name)
        received = bank.partner is not None
        objects = [
            to_indicator(entry, now)
            for entry in shareable_entries(conn, bank, agency.name, code)
            if may_share(entry.code, code, named=bool(partners), received=received)
        ]
    header = {
        "list": None,
        "bank": bank.name,
        "version": bank.revision,
        "since": None,
        "tlp": code,
        "partners": sorted(partners),
    }
    owner = bank_owner(bank, agency.name)
    write_signed(agency, header, (owner, pdq_extension_definition()), objects, to)
    with engine.begin() as conn:
        detail = {
            "revision": bank.revision,
            "tlp": code,
            "partners": sorted(partners),
            "entries": len(objects),
            "file": str(to),
        }
        record(conn, actor, "share.export", "image_bank", bank.name, detail, "cli")
    return ExportedBank(to, bank.revision, len(objects))


def import_bank(engine: Engine, document: dict[str, Any], path: Path, actor: str) -> ImportedBank:
    """Apply an opened bank bundle (signature and addressing checked by ``open_signed``) to
    the copy of the signer's bank; SourceError, with nothing changed, when it is older than
    one imported already."""
    signer = str(document["agency"])
    tlp = str(document["tlp"])
    bank = str(document["bank"])
    version = int(document["version"])
    origin = f"bundle:{signer}/bank/{bank}"
    target = partner_bank(signer, bank, False)
    entries, issues = read_indicators(document["bundle"].get("objects", []), signer, str(path), tlp)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        previous = load_cursor(conn, origin)
        if previous is not None and int(previous.removeprefix("v")) > version:
            raise SourceError.at(
                str(path),
                "version",
                f"revision {version} of bank {bank!r} is older than revision "
                f"{previous.removeprefix('v')} imported already",
            )
        applied = apply_entries(conn, signer, entries, now)
        kept = {item.entry.hash for item in entries if not item.revoked}
        applied.removed += keep_only(conn, signer, target, kept)
        save_cursor(conn, origin, f"v{version}", now)
        detail = {
            "agency": signer,
            "bank": bank,
            "version": version,
            "tlp": tlp,
            "added": applied.added,
            "changed": applied.changed,
            "removed": applied.removed,
            "retroactive": applied.matched,
            "alerts": applied.alerts,
            "file": str(path),
        }
        record(conn, actor, "share.import", "image_bank", target, detail, "cli")
    applied.issues.extend(issues)
    return ImportedBank(signer, bank, version, target, applied)
