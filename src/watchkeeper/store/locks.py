"""Taking turns to write: what keeps two reviewers, or two audit writers, from both winning.

SQLite has one writer at a time, but Python's sqlite3 module starts a transaction only at
the first INSERT or UPDATE, so the reads before it run outside any transaction: two
connections read the same row, and both then write what they decided from it. Opening the
transaction with ``BEGIN IMMEDIATE`` takes the write lock before the first read, so the
second connection waits and then reads what the first one wrote. PostgreSQL locks rows
(``SELECT ... FOR UPDATE``) or, for things that are not one row, an advisory lock.
"""

from sqlalchemy import Connection, text

# Fixed numbers naming what the advisory locks guard; any values unused elsewhere will do.
AUDIT_CHAIN = 0x77_6B_61_75  # "wkau": the head of the audit log's hash chain
TRAVEL_INGEST = 0x77_6B_74_72  # "wktr": which travel interchanges are already received
LANE_INGEST = 0x77_6B_6C_69  # "wkli": which inputs of the other lanes are already received


def begin_immediate(conn: Connection) -> None:
    """On SQLite, take the database's write lock before this transaction reads anything;
    nothing elsewhere. A transaction already open on SQLite has written (the driver opens
    one only for that), so it holds the lock already."""
    if conn.dialect.name != "sqlite":
        return
    driver = conn.connection.driver_connection
    if not getattr(driver, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def write_lock(conn: Connection, key: int) -> None:
    """Take this transaction's turn at what ``key`` names, held until it commits or rolls
    back: the write lock on SQLite, the advisory lock ``key`` on PostgreSQL."""
    begin_immediate(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
