"""List profiles as a shared kind: the records of a list version as STIX identities
(``mapping``, ``records``), applied as new versions of the partner's own list (``apply``)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from watchkeeper.errors import NotFoundError
from watchkeeper.sharing.apply import Applied, apply_records, last_cursor
from watchkeeper.sharing.config import Collection, is_received, partner_list
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
from watchkeeper.sharing.mapping import (
    ReceivedRecord,
    extension_definition,
    from_identity,
    revoked_identity,
    to_identity,
)
from watchkeeper.sharing.records import active_version, shareable
from watchkeeper.store.audit import record, utc
from watchkeeper.store.schema import share_sources


@dataclass(frozen=True, slots=True)
class ImportedList:
    """What a list bundle brought: its signer, source list and version, and what changed here."""

    agency: str
    list_name: str
    version: int
    target: str
    applied: Applied

    def summary(self) -> str:
        """One line for the person who imported it."""
        version = self.applied.version
        return (
            f"{self.agency}'s {self.list_name} version {self.version} -> {self.target}: "
            f"{self.applied.changed} record(s) changed, {self.applied.withdrawn} withdrawn"
            + (f", version {version}" if version else ", nothing new")
        )


class ProfileKind(ShareKind[ReceivedRecord, Applied]):
    """The records of a list: one STIX identity each, the FtM entities in its extension."""

    NAME = "profiles"
    STIX_TYPE = "identity"
    BUNDLE_FIELD = "list"
    AUDIT_TYPE = "list"

    def shared_in(self, collection: Collection) -> str | None:
        return collection.list_name

    def snapshot(self, engine: Engine, conn: Connection, ref: SourceRef) -> Snapshot:
        version = active_version(engine, ref.name, ref.number)
        if version is None:
            which = "an active version" if ref.number is None else f"version {ref.number}"
            raise NotFoundError(f"list {ref.name!r} has no {which}; see 'watchkeeper lists ls'")
        received = is_received(conn, ref.name)
        owner = ref.agency
        if received:
            owner = conn.execute(
                select(share_sources.c.partner).where(share_sources.c.list_name == ref.name)
            ).scalar_one()
        created, loaded = utc(version.created_at), utc(version.loaded_at)

        def items() -> list[Coded]:
            return [
                (to_identity(rec, created, loaded), rec.code)
                for rec in shareable(engine, version, owner, ref.ceiling)
            ]

        # Withdrawn (removed, or become RED): every earlier reader must learn it, and the
        # revoked version carries no personal data.
        return Snapshot(
            owner,
            received,
            version.number,
            version.version_id,
            self.STIX_TYPE,
            extension_definition(),
            items,
            lambda data, _code: (revoked_identity(data, loaded), "CLEAR"),
        )

    def from_stix(
        self, obj: dict[str, Any], partner: str, default_code: str
    ) -> ReceivedRecord | None:
        if obj.get("identity_class") == "organization" and "extensions" not in obj:
            return None  # an agency's own identity (created_by_ref), not a listed one
        return from_identity(obj, partner, default_code)

    def tally(self) -> Applied:
        return Applied()

    def apply(
        self, engine: Engine, conn: Connection, received: list[ReceivedRecord], inbound: Inbound
    ) -> Applied:
        """One new version of the partner's list when anything changed, committed by the
        store with the page's cursor as its ``source_date``; ``conn`` is not used."""
        if not received:
            return Applied()
        target = inbound.targets.get(self.NAME) or partner_list(inbound.partner)
        return apply_records(
            engine, target, inbound.partner, received, origin=inbound.origin, cursor=inbound.cursor
        )

    def import_bundle(self, engine: Engine, bundle: SignedBundle) -> ImportedList:
        origin = f"bundle:{bundle.signer}/{bundle.source}"
        target = partner_list(bundle.signer)
        refuse_older(bundle, last_cursor(engine, target, origin), "version")
        received, issues = self.read(bundle.objects, bundle.signer, str(bundle.path), bundle.tlp)
        applied = apply_records(
            engine, target, bundle.signer, received, origin=origin, cursor=f"v{bundle.version}"
        )
        applied.issues.extend(issues)
        with engine.begin() as conn:
            detail = {
                "agency": bundle.signer,
                "list": bundle.source,
                "version": bundle.version,
                "tlp": bundle.tlp,
                "changed": applied.changed,
                "withdrawn": applied.withdrawn,
                "file": str(bundle.path),
            }
            record(conn, bundle.actor, "share.import", self.AUDIT_TYPE, target, detail, "cli")
        return ImportedList(bundle.signer, bundle.source, bundle.version, target, applied)

    def export_detail(self, exported: Exported, header: dict[str, Any]) -> dict[str, Any]:
        return {
            "version": exported.version,
            "since": header["since"],
            "tlp": header["tlp"],
            "partners": header["partners"],
            "records": exported.records,
            "withdrawn": exported.withdrawn,
            "file": str(exported.path),
        }


PROFILES = ProfileKind()
