"""``watchkeeper audit``: read the audit log (who saw and decided what), newest first, and
``watchkeeper audit verify``: check its hash chain."""

from datetime import datetime
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from watchkeeper.cli.common import Fmt, FormatOpt, emit_json, engine_of, err, errors, out
from watchkeeper.cli.common import settings_of as _settings
from watchkeeper.errors import UsageError
from watchkeeper.render import print_table
from watchkeeper.store.audit import query
from watchkeeper.store.audit_chain import verify

BROKEN = 65  # EX_DATAERR: the log fails its own check

audit_app = typer.Typer(
    help="Show the audit log, newest first, filtered by the options given; 'audit verify' checks "
    "that nobody rewrote it."
)


@audit_app.callback(invoke_without_command=True)
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
    if ctx.invoked_subcommand is not None:
        return
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
    print_table(out, table)


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option(help="A head hash written down earlier: check it is still in the log"),
    ] = None,
    output: FormatOpt = Fmt.table,
) -> None:
    """Check the audit log's hash chain from its first entry; report the first broken link
    (entry, time, what differs) and exit with 65, or print the head hash to keep elsewhere."""
    with errors():
        report = verify(engine_of(_settings(ctx).db_url), anchor)
    if output is Fmt.json:
        emit_json(report.as_dict())
    elif report.broken is None:
        out.print(f"audit log intact: {report.entries} entries; head {report.head}", soft_wrap=True)
    else:
        broken = report.broken
        if broken.at is None:  # every link holds, but the anchor is gone
            summary = f"all {report.entries} entries are linked, but"
        else:
            at = f"{broken.at:%Y-%m-%d %H:%M:%S} UTC"
            summary = f"at entry {broken.id} ({at}); the {report.entries} entries before it hold"
        err.print(f"[red]audit log broken[/] {summary}", highlight=False, soft_wrap=True)
        err.print(broken.problem, highlight=False, markup=False, soft_wrap=True)
    if report.broken is not None:
        raise typer.Exit(BROKEN)


def _moment(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not an ISO 8601 date or time") from None
