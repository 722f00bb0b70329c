"""``watchkeeper audit``: read the audit log (who saw and decided what), newest first."""

from datetime import datetime
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from watchkeeper.cli.common import Fmt, FormatOpt, emit_json, engine_of, errors, out
from watchkeeper.cli.common import settings_of as _settings
from watchkeeper.errors import UsageError
from watchkeeper.store.audit import query


def audit(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="Only this actor")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action, e.g. read.alert")] = None,
    target_type: Annotated[str | None, typer.Option(help="Only this kind of target")] = None,
    target_id: Annotated[str | None, typer.Option(help="Only this target")] = None,
    since: Annotated[str | None, typer.Option(help="From this time (ISO 8601; UTC)")] = None,
    until: Annotated[str | None, typer.Option(help="Before this time (ISO 8601; UTC)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many entries")] = 100,
    output: FormatOpt = Fmt.table,
) -> None:
    """Show the audit log, newest first, filtered by the options given."""
    with errors():
        entries = query(
            engine_of(_settings(ctx).db_url),
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            since=_moment(since, "--since"),
            until=_moment(until, "--until"),
            limit=limit,
        )
    if output is Fmt.json:
        emit_json([entry.as_dict() for entry in entries])
        return
    if not entries:
        out.print("no audit entries match")
        return
    table = Table(title="Audit log", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("at", "actor", "action", "target", "remote"):
        table.add_column(column, no_wrap=column != "target")
    for entry in entries:
        target = f"{entry.target_type} {entry.target_id or ''}".strip()
        table.add_row(
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor,
            entry.action,
            target,
            entry.remote or "",
        )
    out.print(table)


def _moment(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not an ISO 8601 date or time") from None
