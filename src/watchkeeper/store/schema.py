"""Tables of the watchlist store (SQLAlchemy Core, portable between SQLite and PostgreSQL).

Each load of a named list is a new row in ``list_versions``; its entities are stored whole,
as FtM JSON with a checksum, so any two versions can be compared and old versions stay
readable for audit. ``lists.active_version_id`` moves only when a load commits.
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

lists = Table(
    "lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("format", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # No foreign key: the version row is written before the pointer moves, in one transaction.
    Column("active_version_id", Integer, nullable=True),
)

list_versions = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", Integer, ForeignKey("lists.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("origin", Text, nullable=False),  # path or URL the data came from
    Column("source_date", String(32), nullable=True),  # the date the publisher put on it
    Column("sha256", String(64), nullable=False),
    Column("raw_path", Text, nullable=True),  # archived copy of the input, for replay
    Column("record_count", Integer, nullable=False, default=0),
    Column("entity_count", Integer, nullable=False, default=0),
    Column("schema_counts", JSON, nullable=False, default=dict),
    Column("skipped", JSON, nullable=False, default=list),  # faults skipped with --skip-bad
    UniqueConstraint("list_id", "number", name="uq_list_version_number"),
)

entities = Table(
    "entities",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id"), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    # The list entry this entity belongs to: a Passport's record is its holder's id.
    Column("record_id", String(255), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("caption", Text, nullable=False),
    Column("checksum", String(40), nullable=False),
    Column("data", Text, nullable=False),
)

# Lookups by entity id go through the primary key, one active version at a time.
Index("ix_entities_record", entities.c.version_id, entities.c.record_id)

# Facts that can tie one list's entry to another's (migration 0008, ``store.links``): per
# entry of a version, a shared document number (``document``, with the issuing country when
# known), a UN reference number (``reference``) or a full name with a birth date
# (``name_birth_date``). Written with the entities, in the load's transaction.
link_keys = Table(
    "link_keys",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id"), nullable=False),
    Column("record_id", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", String(512), nullable=False),
    Column("country", String(8), nullable=True),
)
Index("ix_link_keys_value", link_keys.c.kind, link_keys.c.value)
Index("ix_link_keys_version", link_keys.c.version_id)

# Entries of two lists that are the same person or organisation, with the fact that ties them
# (one row per fact): ``version_a`` is the version whose load found the link. A list's links
# are recomputed whenever a new version of it is loaded, against the active versions of the
# other lists; reading keeps to links between active versions.
entity_links = Table(
    "entity_links",
    metadata,
    Column("version_a", Integer, ForeignKey("list_versions.id"), primary_key=True),
    Column("entity_a", String(255), primary_key=True),
    Column("version_b", Integer, ForeignKey("list_versions.id"), primary_key=True),
    Column("entity_b", String(255), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("value", String(512), primary_key=True),
)
Index("ix_entity_links_b", entity_links.c.version_b)

# Screened travel messages, raw and parsed, so that every alert traces back to the segment
# that caused it; a message that could not be read is kept too (status "failed") for replay.
# ``raw`` is the whole interchange the message came in. Retention masks ``raw`` and ``parsed``
# (``depersonalised_at``), then deletes the row.
travel_messages = Table(
    "travel_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("path", Text, nullable=False),
    Column("kind", String(16), nullable=True),  # PAXLST or PNRGOV; None when unreadable
    Column("reference", String(64), nullable=True),
    Column("flight", String(32), nullable=True),  # carrier and number of the reported flight
    Column("status", String(16), nullable=False),  # screened or failed
    Column("error", Text, nullable=True),
    Column("raw", Text, nullable=False),
    Column("parsed", JSON, nullable=True),
    Column("depersonalised_at", DateTime(timezone=True), nullable=True),
    # The interchange it arrived in (migration 0011); None for one that could not be read.
    Column("interchange_id", Integer, nullable=True),
)
Index("ix_travel_messages_received", travel_messages.c.received_at)
Index("ix_travel_messages_interchange", travel_messages.c.interchange_id)

# Each travel interchange accepted, once (migration 0011, ``lanes.travel.ingest``): known by
# its sender and UNB control reference, and by the SHA-256 of its bytes, so that a resend is
# answered with ``answer`` (the first screening's reports) instead of being stored again.
# ``version`` counts the updates a sender marked under one reference; ``answer`` is None once
# retention has depersonalised the interchange's messages.
travel_interchanges = Table(
    "travel_interchanges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("path", Text, nullable=False),
    Column("sender", String(64), nullable=True),
    Column("reference", String(32), nullable=True),  # None when the UNB gives none
    Column("version", Integer, nullable=False),
    Column("update_code", String(32), nullable=True),  # the mark that made it a new version
    Column("digest", String(64), nullable=False),
    Column("alerts", Integer, nullable=False),
    Column("answer", JSON, nullable=True),
)
Index("uq_travel_interchanges_digest", travel_interchanges.c.digest, unique=True)
Index(
    "uq_travel_interchanges_reference",
    travel_interchanges.c.sender,
    travel_interchanges.c.reference,
    travel_interchanges.c.version,
    unique=True,
)
Index("ix_travel_interchanges_received", travel_interchanges.c.received_at)

# The inputs of every lane without receipt rules of its own (migration 0012,
# ``lanes.ingest``), kept raw so that every alert traces back to what was sent, and an input
# that could not be read (status "failed", with ``faults``) can be replayed. An input is
# screened once per lane: the same bytes again (``digest``, the SHA-256) are answered with
# ``answer``, the first screening's report, and add nothing. ``faults`` lists the rows or
# parts a screened input skipped.
lane_inputs = Table(
    "lane_inputs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lane", String(16), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("path", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # screened or failed
    Column("faults", JSON, nullable=True),
    Column("raw", LargeBinary, nullable=False),
    Column("alerts", Integer, nullable=False),
    Column("answer", JSON, nullable=True),
)
Index("ix_lane_inputs_digest", lane_inputs.c.lane, lane_inputs.c.digest, lane_inputs.c.status)
Index("ix_lane_inputs_received", lane_inputs.c.received_at)

# Leads for analysts from every lane. ``subject_key`` and ``entity_checksum`` identify what
# was matched with what, so a decision on one alert can be recognised on an identical one.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lane", String(16), nullable=False),  # travel, finance, documents, images
    Column("kind", String(16), nullable=False),  # watchlist, document, rule
    # new, in_review, pending, cleared, confirmed, escalated, suppressed (review.workflow)
    Column("state", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("source_table", String(32), nullable=True),  # where the screened input is kept
    Column("source_id", Integer, nullable=True),
    Column("segment", Integer, nullable=True),  # the input's line or segment number
    Column("subject", JSON, nullable=False),  # the screened facts, as the matcher saw them
    Column("subject_key", String(64), nullable=False),
    Column("list_name", String(64), nullable=True),
    Column("entity_id", String(255), nullable=True),
    Column("entity_checksum", String(40), nullable=True),
    Column("score", Float, nullable=True),
    Column("reason", Text, nullable=False),
    Column("explanation", JSON, nullable=True),
    # Review (migration 0003): who works the alert, a decision waiting for its second person,
    # and, for a suppressed alert, the cleared alert whose decision it repeats. No foreign key
    # on ``suppressed_by``: retention deletes old alerts without touching newer ones.
    Column("assignee", String(64), nullable=True),
    Column("pending_state", String(16), nullable=True),
    Column("pending_by", String(64), nullable=True),
    Column("suppressed_by", Integer, nullable=True),
    # Moves on with every change of the alert (migration 0009): a change is written only if
    # the version is still the one read (``store.alerts.transition``), so of two reviewers
    # acting at once the second is refused instead of overwriting the first.
    Column("version", Integer, nullable=False, server_default=text("1")),
)
Index("ix_alerts_state", alerts.c.state, alerts.c.created_at)
Index("ix_alerts_source", alerts.c.source_table, alerts.c.source_id)
# Finding an earlier decision on "this subject against this entity" when an alert comes in.
Index("ix_alerts_decision", alerts.c.subject_key, alerts.c.entity_id, alerts.c.state)

# What happened to each alert, in order: assignments, comments, state changes and the two
# halves of a four-eyes decision. Deleted with its alert (retention).
alert_events = Table(
    "alert_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column(
        "action", String(16), nullable=False
    ),  # assign, comment, state, propose, approve, reject
    Column("from_state", String(16), nullable=True),
    Column("to_state", String(16), nullable=True),
    Column("comment", Text, nullable=True),
    # The decision's code from ``Settings.reason_codes`` (migration 0013), beside the comment.
    Column("reason_code", String(64), nullable=True),
)
Index("ix_alert_events_alert", alert_events.c.alert_id, alert_events.c.at)

# Every retention run, dry or applied: when, by which limits, and what it touched.
retention_runs = Table(
    "retention_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ran_at", DateTime(timezone=True), nullable=False),
    Column("lane", String(16), nullable=False),
    Column("applied", Boolean, nullable=False),
    Column("depersonalise_before", DateTime(timezone=True), nullable=False),
    Column("delete_before", DateTime(timezone=True), nullable=False),
    Column("depersonalised", Integer, nullable=False),
    Column("deleted", Integer, nullable=False),
)

# Who has been screened and may need screening again when a list changes: a bank's
# customers (``reference`` is the customer id) and the counterparties of screened payments
# (``reference`` is the subject key). One row per subject, refreshed when seen again.
subjects = Table(
    "subjects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # customer or counterparty
    Column("reference", String(255), nullable=False),
    Column("subject", JSON, nullable=False),  # store.alerts.subject_dict
    Column("subject_key", String(64), nullable=False),
    Column("source", Text, nullable=True),  # the file it was last seen in
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "reference", name="uq_subjects_kind_reference"),
)
Index("ix_subjects_last_seen", subjects.c.last_seen)

# People who use the service and their roles (auth.ROLES). Users are disabled, never deleted,
# so that the audit log's names keep meaning something.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", Text, nullable=True),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
)

# API tokens: only the SHA-256 of the secret is kept, so a copy of the database gives no access.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(32), primary_key=True),  # public token id, shown in listings
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", Text, nullable=True),
    Column("secret_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

# One row per change that can stop a token from opening (revoked, user disabled, role
# changed): the newest id is what the service's token caches compare on every request, so a
# revocation is seen at once in every worker (auth.CREDENTIALS_VERSION, api.tokens_cache).
credential_changes = Table(
    "credential_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Who saw and decided what (store.audit). Append-only: triggers installed by migration 0002
# refuse UPDATE and DELETE on both backends. Hash-chained (migration 0009, store.audit_chain):
# ``hash`` is the SHA-256 of the entry and ``prev_hash``, the previous entry's ``hash``, so
# a row changed, removed or inserted behind the store's back breaks the chain. Unique
# ``prev_hash``: two writers can never both extend the same entry (a fork).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target_type", String(32), nullable=False),
    Column("target_id", String(255), nullable=True),
    Column("detail", JSON, nullable=True),
    Column("remote", String(64), nullable=True),  # the client's address, for service requests
    Column("prev_hash", String(64), nullable=True),
    Column("hash", String(64), nullable=True),
)
Index("ix_audit_log_at", audit_log.c.at)
Index("ix_audit_log_actor", audit_log.c.actor, audit_log.c.at)
Index("ix_audit_log_target", audit_log.c.target_type, audit_log.c.target_id)
Index("uq_audit_log_prev_hash", audit_log.c.prev_hash, unique=True)

# Sharing with partner agencies (migration 0006, docs/sharing.md). A partner is a name, the
# user whose tokens stand for it on our TAXII server, and the Ed25519 key its bundles are
# signed with.
share_partners = Table(
    "share_partners",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("username", String(64), nullable=True, unique=True),
    Column("public_key", Text, nullable=True),  # base64 of the raw 32-byte Ed25519 key
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# TAXII collections: an outbound one serves one of our lists (``list_name``) or hash banks
# (``bank_name``, migration 0007) up to a TLP ceiling to its ``partners`` (empty: every
# partner, CLEAR and GREEN only); an inbound one (neither) takes objects POSTed by its
# ``writers``. ``published_version_id`` is the list version (row id) or the bank revision
# published last.
share_collections = Table(
    "share_collections",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", Text, nullable=False),
    Column("list_name", String(64), nullable=True),
    Column("tlp", String(16), nullable=False),
    Column("partners", JSON, nullable=False, default=list),
    Column("writers", JSON, nullable=False, default=list),
    Column("published_version_id", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("bank_name", String(64), nullable=True),
)

# Every version of every STIX object a collection has held, with its TAXII ``date_added``
# (unique within a collection, so ``added_after`` paging never skips one).
share_objects = Table(
    "share_objects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id",
        String(36),
        ForeignKey("share_collections.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("stix_id", String(255), nullable=False),
    Column("version", String(32), nullable=False),  # the object's ``modified``
    Column("date_added", DateTime(timezone=True), nullable=False),
    Column("tlp", String(16), nullable=False),
    Column("received", Boolean, nullable=False),  # from a partner: passed on CLEAR/GREEN only
    Column("sha256", String(64), nullable=False),  # of the content, ``modified`` left out
    Column("data", Text, nullable=False),
)
Index("ix_share_objects_added", share_objects.c.collection_id, share_objects.c.date_added)
Index("ix_share_objects_stix", share_objects.c.collection_id, share_objects.c.stix_id)

# TAXII status resources of POSTed envelopes.
share_status = Table(
    "share_status",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("collection_id", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("total", Integer, nullable=False),
    Column("success", Integer, nullable=False),
    Column("failure", Integer, nullable=False),
    Column("detail", JSON, nullable=False, default=list),
)

# Lists received from partners (``share follow``, ``share import``, POSTs): never our own,
# re-shared at most as CLEAR or GREEN. The follow cursor is not here but in the list
# version's ``source_date``, so that it commits with the version it belongs to.
share_sources = Table(
    "share_sources",
    metadata,
    Column("list_name", String(64), primary_key=True),
    Column("partner", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Where following a partner's feed stopped (``share follow``): the TAXII ``date_added`` of the
# last page applied, written in the transaction that applies the page's hash bank entries,
# after its list records committed (migration 0007).
share_cursors = Table(
    "share_cursors",
    metadata,
    Column("origin", String(1024), primary_key=True),
    Column("cursor", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Images lane (migration 0005, docs/images.md). A hash bank is a named set of PDQ hashes
# (hex, 64 characters) with its own match distance; a negative bank holds known-benign
# hashes whose matches suppress the others. ``revision`` grows with every change (a TAXII
# collection publishes again when it does); ``partner`` names the agency whose bank this
# is a copy of (``share follow``, ``share import``), never set on our own (migration 0007).
image_banks = Table(
    "image_banks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("negative", Boolean, nullable=False),
    Column("max_distance", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revision", Integer, nullable=False, server_default=text("0")),
    Column("partner", String(64), nullable=True),
)

image_bank_entries = Table(
    "image_bank_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("bank_id", Integer, ForeignKey("image_banks.id", ondelete="CASCADE"), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("label", Text, nullable=True),
    Column("source", Text, nullable=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
    # Entries received from a partner: the partner's TLP code and STIX id (migration 0007).
    Column("tlp", String(16), nullable=True),
    Column("stix_id", String(255), nullable=True),
    UniqueConstraint("bank_id", "hash", name="uq_image_bank_entries_hash"),
)
Index("ix_image_bank_entries_added", image_bank_entries.c.bank_id, image_bank_entries.c.added_at)
Index("ix_image_bank_entries_stix", image_bank_entries.c.stix_id)

# Hashes of images screened, with where they came from (``origin``: a path or a caller's
# reference) and, when rotations were asked for, the 7 other dihedral hashes: matched again
# against a bank's new entries only (retroactive matching).
image_seen = Table(
    "image_seen",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("variants", JSON, nullable=True),
    Column("quality", Integer, nullable=True),
    Column("origin", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("hash", "origin", name="uq_image_seen_hash_origin"),
)
Index("ix_image_seen_last_seen", image_seen.c.last_seen)
