"""The triggers that make ``audit_log`` append-only, shared by revision 0002 and the fresh
store path of ``migrate`` so that both build the same database; revision 0009 lifts them
while it chains the entries already there."""

from sqlalchemy import Connection, text

MESSAGE = "audit_log is append-only"

_POSTGRESQL = (
    f"""CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
)
_SQLITE = tuple(
    f"""CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for verb in ("UPDATE", "DELETE")
)


def install_append_only(conn: Connection) -> None:
    """Refuse UPDATE and DELETE (PostgreSQL: also TRUNCATE) of audit rows in the database."""
    for statement in _POSTGRESQL if conn.dialect.name == "postgresql" else _SQLITE:
        conn.execute(text(statement))


def drop_append_only(conn: Connection) -> None:
    """Remove what ``install_append_only`` made, for a revision that must rewrite entries."""
    if conn.dialect.name == "postgresql":
        for trigger in ("audit_log_no_change", "audit_log_no_truncate"):
            conn.execute(text(f"DROP TRIGGER {trigger} ON audit_log"))
        conn.execute(text("DROP FUNCTION audit_log_append_only()"))
        return
    for verb in ("update", "delete"):
        conn.execute(text(f"DROP TRIGGER audit_log_no_{verb}"))
