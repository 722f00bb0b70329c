"""What every command shares: consoles, output formats, settings and error handling."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from watchkeeper.errors import SourceError, WatchkeeperError
from watchkeeper.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

out = Console()
err = Console(stderr=True)
PIPED_WIDTH = 1 << 16
"""Columns of output that goes to no terminal: wide enough that no line wraps."""


def unwrap_when_piped() -> None:
    """Output that is not a terminal (a pipe, a file, a test) is read by programs and by grep:
    it never wraps or truncates, whatever width ``COLUMNS`` gives (rich would wrap at 80)."""
    for console in (out, err):
        if not console.is_terminal:
            console.width = PIPED_WIDTH
            console.soft_wrap = True


class Fmt(StrEnum):
    """Output for people (table) or for programs (json)."""

    table = "table"
    json = "json"


FormatOpt = Annotated[
    Fmt,
    typer.Option("--format", "-f", "--output", "-o", help="table for people, json for programs"),
]
OutputOpt = Annotated[
    Fmt, typer.Option("--output", "-o", help="table for people, json for programs")
]


@contextmanager
def errors() -> Iterator[None]:
    """Print watchkeeper errors plainly and exit with their code, never a traceback."""
    try:
        yield
    except SourceError as exc:
        err.print(
            f"[red]error:[/] cannot load: {len(exc.issues)} fault(s); nothing was changed",
            highlight=False,
        )
        err.print(exc.detail, highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from exc
    except WatchkeeperError as exc:
        err.print("[red]error:[/] ", end="")
        err.print(exc.detail, highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from exc


def settings_of(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def emit_json(data: object) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")


@cache
def engine_of(url: str) -> Engine:
    """The store at ``url``, opened (and its tables checked) once per process."""
    from watchkeeper.store import open_engine  # here: the store's libraries load with the
    # command that needs them (``LazyGroup``), not with every command line

    return open_engine(url)


def cli_actor() -> str:
    """The audit log's name for the person at this terminal."""
    return f"cli:{getpass.getuser()}"


def audit_cli(
    engine: Engine,
    action: str,
    target: tuple[str, str | None],
    detail: dict[str, object] | None = None,
) -> None:
    """Record a read of personal data made from this terminal, as the service records its
    own (who, when, what; "from where" is the terminal)."""
    from watchkeeper.store.audit import record  # as ``engine_of``

    with engine.begin() as conn:
        record(conn, cli_actor(), action, target[0], target[1], detail, "cli")
