"""``watchkeeper lists``: load, ls, show, diff and update watchlists."""

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn
from sqlalchemy import Engine

from watchkeeper import render
from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    OutputOpt,
    audit_cli,
    emit_json,
    engine_of,
    err,
    errors,
    out,
    settings_of,
)
from watchkeeper.cli.finance import print_rescreen
from watchkeeper.cli.progress import progress
from watchkeeper.errors import ShrinkError, UsageError, WatchkeeperError
from watchkeeper.lanes.finance.rescreen import rescreen
from watchkeeper.settings import Settings
from watchkeeper.sources import SOURCES, get_source
from watchkeeper.sources.fetch import download
from watchkeeper.store import (
    diff_versions,
    find_entity,
    list_versions_of,
    load_source,
    record_entities,
)

lists_app = typer.Typer(no_args_is_help=True, help="Load, inspect, compare and update watchlists.")


AllowShrinkOpt = Annotated[
    bool,
    typer.Option(
        "--allow-shrink",
        help="Load a version with far fewer entries than the active one "
        "(refused by default: see WATCHKEEPER_MAX_SHRINK)",
    ),
]


def load_file(
    settings: Settings,
    path: Path,
    fmt: str,
    name: str,
    origin: str,
    skip_bad: bool,
    allow_shrink: bool = False,
) -> int:
    """Load one input as the next version of ``name``, with a progress line; a refused
    shrink says how to let it through."""
    source = get_source(fmt, path, settings.input_limits)
    engine = engine_of(settings.db_url)
    try:
        with progress(f"loading {name}", _expected(engine, name), "entries") as bar:
            number = load_source(
                engine,
                source,
                name,
                origin=origin,
                raw_dir=settings.raw_dir if settings.keep_raw else None,
                skip_bad=skip_bad,
                max_shrink=None if allow_shrink else settings.max_shrink,
                progress=bar.update,
            )
    except ShrinkError as exc:
        raise ShrinkError(f"{exc.detail}; pass --allow-shrink to load it anyway") from exc
    if source.issues:
        err.print(f"[yellow]skipped {len(source.issues)} faulty record(s):[/]")
        for issue in source.issues:
            err.print(f"  {issue}", markup=False, highlight=False, soft_wrap=True)
    return number


def _expected(engine: Engine, name: str) -> int | None:
    """The entries of the list's active version: what the next one most likely holds, for
    the bar's time left (None for a first load: then the bar only counts)."""
    try:
        versions = list_versions_of(engine, name)
    except WatchkeeperError:
        return None
    active = [v.record_count for v in versions if v.active]
    return active[0] if active else None


@lists_app.command("load")
def lists_load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="File or folder to load")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(SOURCES)}")],
    name: Annotated[str, typer.Option("--name", help="List name, e.g. un, ofac-sdn, agency")],
    skip_bad: Annotated[
        bool,
        typer.Option(
            help="Load the good records and list the faulty "
            "ones, instead of refusing the whole file"
        ),
    ] = False,
    allow_shrink: AllowShrinkOpt = False,
    rescreen_subjects: Annotated[
        bool,
        typer.Option(
            "--rescreen",
            help="Then re-screen the stored customers and counterparties against the "
            "entries this version added or changed",
        ),
    ] = False,
    output: OutputOpt = Fmt.table,
) -> None:
    """Load a list file as a new version of list NAME (one transaction: all or nothing).

    Refused, with the active version kept, when the input is faulty or cut short, or has
    far fewer entries than the active version (unless --allow-shrink)."""
    settings = settings_of(ctx)
    with errors():
        origin = str(path.resolve())
        number = load_file(settings, path, fmt, name, origin, skip_bad, allow_shrink)
        print_version(settings, name, number, output)
        if rescreen_subjects:
            engine = engine_of(settings.db_url)
            with progress(f"re-screening against {name}", 0, "subjects") as bar:
                summary = rescreen(engine, name, to_number=number, progress=bar.update)
            audit_cli(engine, "match", ("dataset", name), summary.as_dict())
            print_rescreen(summary, Fmt.table, err if output is Fmt.json else out)


def print_version(settings: Settings, name: str, number: int, output: Fmt) -> None:
    version = next(
        v for v in list_versions_of(engine_of(settings.db_url), name) if v.number == number
    )
    if output is Fmt.json:
        emit_json(render.version_json(version))
        return
    counts = ", ".join(f"{n:,} {s}" for s, n in sorted(version.schema_counts.items()))
    out.print(
        f"loaded [bold]{name}[/] version {number}: {version.record_count:,} entries "
        f"({counts}), {version.entity_count:,} entities"
    )


@lists_app.command("ls")
def lists_ls(ctx: typer.Context, output: FormatOpt = Fmt.table) -> None:
    """Lists, their versions, entry counts and source dates."""
    with errors():
        versions = list_versions_of(engine_of(settings_of(ctx).db_url))
    if output is Fmt.json:
        emit_json([render.version_json(v) for v in versions])
    elif not versions:
        out.print("no lists loaded yet: try 'watchkeeper demo' or 'watchkeeper lists load'")
    else:
        render.print_table(out, render.versions_table(versions))


@lists_app.command("show")
def lists_show(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. un-QDi.325 or ofac-2676")],
    list_name: Annotated[str | None, typer.Option("--list", help="Only this list")] = None,
    output: FormatOpt = Fmt.table,
) -> None:
    """Every property of one entity, with the entities of its entry (sanctions, documents,
    addresses), from the active version of each list that holds it."""
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        groups = [record_entities(engine, e) for e in find_entity(engine, entity_id, list_name)]
        audit_cli(engine, "read.entity", ("entity", entity_id))
    if output is Fmt.json:
        data = [
            {
                "entity": render.entity_json(next(e for e in g if e.entity_id == entity_id)),
                "related": [render.entity_json(e) for e in g if e.entity_id != entity_id],
            }
            for g in groups
        ]
        emit_json(data[0] if len(data) == 1 else data)
        return
    for group in groups:
        render.print_entities(out, group)


@lists_app.command("diff")
def lists_diff(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="List name")],
    from_version: Annotated[int, typer.Option("--from", help="Older version number")],
    to_version: Annotated[int, typer.Option("--to", help="Newer version number")],
    limit: Annotated[int, typer.Option(help="Entries shown per kind in the table")] = 50,
    output: FormatOpt = Fmt.table,
) -> None:
    """Entries added, removed and changed between two versions, and which properties changed."""
    with errors():
        diff = diff_versions(engine_of(settings_of(ctx).db_url), name, from_version, to_version)
    if output is Fmt.json:
        emit_json(render.diff_json(diff))
    else:
        render.print_diff(out, diff, limit)


@lists_app.command("update")
def lists_update(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="List name (a un-xml list, e.g. un)")] = "un",
    url: Annotated[
        str | None,
        typer.Option(help="Download from here instead (default: WATCHKEEPER_UN_LIST_URL)"),
    ] = None,
    skip_bad: Annotated[bool, typer.Option(help="Load the good records of a faulty file")] = False,
    allow_shrink: AllowShrinkOpt = False,
    output: OutputOpt = Fmt.table,
) -> None:
    """Download the official UN Security Council Consolidated List, validate it and load it as
    a new version of NAME; offline, nothing changes."""
    settings = settings_of(ctx)
    with errors():
        try:
            versions = list_versions_of(engine_of(settings.db_url), name)
        except WatchkeeperError:
            versions = []
        if versions and versions[-1].format != "un-xml":
            raise UsageError(
                f"list {name!r} holds {versions[-1].format} data; only un-xml lists "
                "are updated from the UN; use 'watchkeeper lists load' for others"
            )
        address = url or settings.un_list_url
        with Progress(
            TextColumn("downloading"), BarColumn(), DownloadColumn(), console=err, transient=True
        ) as bar:
            task = bar.add_task("download", total=None)
            path = download(
                address,
                settings.http_timeout,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
        try:
            number = load_file(settings, path, "un-xml", name, address, skip_bad, allow_shrink)
        finally:
            path.unlink(missing_ok=True)
        print_version(settings, name, number, output)
