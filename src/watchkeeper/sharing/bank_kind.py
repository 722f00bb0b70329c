"""Hash banks as a shared kind: a bank's entries as STIX indicators of PDQ hashes
(``hashes``, ``banks``), applied to copies of the partner's banks with retroactive matching
(``bank_apply``).

A bank keeps no history of its entries, so a bank bundle always holds the whole bank (every
entry that may go to its recipients), and its ``version`` is the bank's revision, which grows
with every change. Importing one adds the entries the copy lacks (matched at once against
the images seen before), updates changed ones and removes those the bundle no longer holds;
that, the check that it is not older than a bundle imported already, and the audit entry
commit in one transaction.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from watchkeeper.errors import UsageError
from watchkeeper.lanes.images.banks import get_bank
from watchkeeper.sharing.bank_apply import BankApplied, apply_entries, keep_only
from watchkeeper.sharing.banks import bank_owner, shareable_entries
from watchkeeper.sharing.config import Collection, partner_bank
from watchkeeper.sharing.cursors import load_cursor, save_cursor
from watchkeeper.sharing.hashes import (
    ReceivedEntry,
    from_indicator,
    pdq_extension_definition,
    revoked_indicator,
    to_indicator,
)
from watchkeeper.sharing.kinds import (
    Coded,
    Exported,
    Inbound,
    ShareKind,
    SignedBundle,
    Snapshot,
    SourceRef,
    refuse_older,
)
from watchkeeper.store.audit import record


@dataclass(frozen=True, slots=True)
class ImportedBank:
    """What a bank bundle brought: its signer, the signer's bank and revision, the copy it
    went to, and what changed there."""

    agency: str
    bank: str
    version: int
    target: str
    applied: BankApplied

    def summary(self) -> str:
        """One line for the person who imported it."""
        return f"{self.agency}'s bank {self.bank} revision {self.version} -> " + (
            self.applied.line(self.target)
        )


class BankKind(ShareKind[ReceivedEntry, BankApplied]):
    """The entries of a hash bank: one STIX indicator each, the PDQ extension saying the
    bank's distance and what the bank knows of the entry."""

    NAME = "banks"
    STIX_TYPE = "indicator"
    BUNDLE_FIELD = "bank"
    AUDIT_TYPE = "image_bank"

    def shared_in(self, collection: Collection) -> str | None:
        return collection.bank_name

    def snapshot(self, engine: Engine, conn: Connection, ref: SourceRef) -> Snapshot:
        if ref.number is not None:
            raise UsageError("a bank bundle holds the whole bank: --since is for lists")
        bank = get_bank(conn, ref.name)
        now = datetime.now(UTC)

        def items() -> list[Coded]:
            return [
                (to_indicator(entry, now), entry.code)
                for entry in shareable_entries(conn, bank, ref.agency, ref.ceiling)
            ]

        # Removed from the bank: the revoked version still names the hash, so it goes to
        # the readers of the version it withdraws, under that version's code.
        return Snapshot(
            bank_owner(bank, ref.agency),
            bank.partner is not None,
            bank.revision,
            bank.revision,
            self.STIX_TYPE,
            pdq_extension_definition(),
            items,
            lambda data, code: (revoked_indicator(data, now), code),
        )

    def from_stix(
        self, obj: dict[str, Any], partner: str, default_code: str
    ) -> ReceivedEntry | None:
        return from_indicator(obj, partner, default_code)

    def tally(self) -> BankApplied:
        return BankApplied()

    def apply(
        self, engine: Engine, conn: Connection, received: list[ReceivedEntry], inbound: Inbound
    ) -> BankApplied:
        """Entries added, changed and withdrawn in the page's transaction."""
        return apply_entries(conn, inbound.partner, received, inbound.now)

    def import_bundle(self, engine: Engine, bundle: SignedBundle) -> ImportedBank:
        origin = f"bundle:{bundle.signer}/bank/{bundle.source}"
        target = partner_bank(bundle.signer, bundle.source, False)
        entries, issues = self.read(bundle.objects, bundle.signer, str(bundle.path), bundle.tlp)
        now = datetime.now(UTC)
        with engine.begin() as conn:
            of = f" of bank {bundle.source!r}"
            refuse_older(bundle, load_cursor(conn, origin), "revision", of)
            applied = apply_entries(conn, bundle.signer, entries, now)
            kept = {item.entry.hash for item in entries if not item.revoked}
            applied.removed += keep_only(conn, bundle.signer, target, kept)
            save_cursor(conn, origin, f"v{bundle.version}", now)
            detail = {
                "agency": bundle.signer,
                "bank": bundle.source,
                "version": bundle.version,
                "tlp": bundle.tlp,
                "added": applied.added,
                "changed": applied.changed,
                "removed": applied.removed,
                "retroactive": applied.matched,
                "alerts": applied.alerts,
                "file": str(bundle.path),
            }
            record(conn, bundle.actor, "share.import", self.AUDIT_TYPE, target, detail, "cli")
        applied.issues.extend(issues)
        return ImportedBank(bundle.signer, bundle.source, bundle.version, target, applied)

    def export_detail(self, exported: Exported, header: dict[str, Any]) -> dict[str, Any]:
        return {
            "revision": exported.version,
            "tlp": header["tlp"],
            "partners": header["partners"],
            "entries": exported.records,
            "file": str(exported.path),
        }


BANKS = BankKind()
