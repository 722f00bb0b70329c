"""Tables of the watchlist store (SQLAlchemy Core, portable between SQLite and PostgreSQL).

Each load of a named list is a new row in ``list_versions``; its entities are stored whole,
as FtM JSON with a checksum, so any two versions can be compared and old versions stay
readable for audit. ``lists.active_version_id`` moves only when a load commits.
"""

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
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
