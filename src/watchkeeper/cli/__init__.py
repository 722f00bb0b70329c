"""The ``watchkeeper`` command: lists, match, screen, the lanes (and ``ingest`` into any of
them), and the demo.

Each command's module is imported only when that command runs (``LazyGroup``): the lanes
pull in DuckDB, Arrow, PDF and image libraries, and ``watchkeeper match`` must not wait
for them."""

import sys
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click import Command, Context  # the click Typer carries, which its groups extend
from typer.core import DEFAULT_MARKUP_MODE, TyperGroup
from typer.models import CommandInfo

from watchkeeper.cli.common import errors, unwrap_when_piped
from watchkeeper.collector import paused
from watchkeeper.logs import configure_logging
from watchkeeper.settings import get_settings

COMMANDS = {
    "lists": "watchkeeper.cli.lists:lists_app",
    "match": "watchkeeper.cli.screening:match",
    "screen": "watchkeeper.cli.screening:screen",
    "travel": "watchkeeper.cli.travel:travel_app",
    "batch": "watchkeeper.cli.batch:batch_app",
    "finance": "watchkeeper.cli.finance:finance_app",
    "documents": "watchkeeper.cli.documents:documents_app",
    "images": "watchkeeper.cli.images:images_app",
    "ingest": "watchkeeper.cli.ingest:ingest_files",
    "lanes": "watchkeeper.cli.ingest:list_lanes",
    "users": "watchkeeper.cli.users:users_app",
    "share": "watchkeeper.cli.share:share_app",
    "audit": "watchkeeper.cli.audit:audit_app",
    "demo": "watchkeeper.cli.demo:demo",
    "serve": "watchkeeper.cli.serve:serve",
}
"""Each command and where it is defined: a ``typer.Typer`` of subcommands, or a function."""


class LazyGroup(TyperGroup):
    """The top-level group: a command is made from its module on first use."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Usage errors in rich's boxes on a terminal; elsewhere click's plain lines, which
        no width cuts (a box is drawn 80 columns wide and folds a long path)."""
        if not sys.stderr.isatty():
            self.rich_markup_mode = None
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        found = self.commands.get(cmd_name)
        if found is None and cmd_name in COMMANDS:
            found = self.commands[cmd_name] = _command(cmd_name, COMMANDS[cmd_name])
        return found


def _command(name: str, where: str) -> Command:
    """The click command of a ``Typer`` app or of a command function, made as Typer makes
    the commands of a group."""
    module, attribute = where.split(":")
    # A command's libraries are most of a short command's time: imported with the collector
    # paused, and set aside once (not again for a module already loaded: a test process
    # runs many commands, and its own garbage must stay collectable).
    with paused(freeze=module not in sys.modules):
        target = getattr(import_module(module), attribute)
    command: Command
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        info = CommandInfo(name=name, callback=target)
        command = typer.main.get_command_from_info(
            info, pretty_exceptions_short=True, rich_markup_mode=DEFAULT_MARKUP_MODE
        )
    command.name = name
    return command


app = typer.Typer(
    cls=LazyGroup, no_args_is_help=True, help="Counter-terrorism screening on shared watchlists."
)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(help="Database URL (default: WATCHKEEPER_DB or SQLite in the data folder)"),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data folder (WATCHKEEPER_DATA_DIR)")
    ] = None,
) -> None:
    """Counter-terrorism screening on shared watchlists."""
    unwrap_when_piped()
    with errors():
        settings = get_settings(db_url=db, data_dir=data_dir)
    configure_logging(settings)
    ctx.obj = settings
