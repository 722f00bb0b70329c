"""``watchkeeper ingest LANE FILE...``: files into any lane the registry lists, received as
the service receives them (``POST /lanes/{lane}/inputs``): read, kept raw, screened, their
alerts stored for review and audited, each file once."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    cli_actor,
    emit_json,
    engine_of,
    err,
    errors,
    out,
    settings_of,
)
from watchkeeper.cli.progress import progress
from watchkeeper.cli.screening import ListsOpt, PresetOpt, ThresholdOpt, list_names, listed_screener
from watchkeeper.errors import SourceError, UsageError, WatchkeeperError
from watchkeeper.lanes.base import Ingested, Screening, Submitter
from watchkeeper.lanes.ingest import ingest
from watchkeeper.lanes.registry import AnyLane, all_lanes, get_lane
from watchkeeper.matching.screener import threshold_of


def ingest_files(
    ctx: typer.Context,
    lane: Annotated[str, typer.Argument(help="The lane (see `watchkeeper lanes`)")],
    files: Annotated[list[Path], typer.Argument(help="Input files, as the lane reads them")],
    lists: ListsOpt = "un",
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help="A lane's option as NAME=VALUE, e.g. banks=partner"),
    ] = None,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    output: FormatOpt = Fmt.table,
) -> None:
    """Screen each file in LANE and store its alerts for review; a file received before is
    answered with its first answer and stores nothing. Every finding is a lead for an
    analyst, not a decision. A file that cannot be read is reported, kept for replay, and
    the others are still screened (exit code 65 then, as when rows were skipped)."""
    with errors():
        found = get_lane(lane)
        options = dict(_option(text) for text in option or [])
        found.check_options(options)
        engine = engine_of(settings_of(ctx).db_url)
        names = list_names(lists)
        matcher = listed_screener(settings_of(ctx), names, threshold_of(threshold, preset))
    screening = Screening(engine, matcher, names, lambda: matcher, options)
    by = Submitter(cli_actor(), "cli")
    answers: list[Ingested] = []
    faults = 0
    with progress(f"ingesting into {lane}", len(files), "files") as bar:
        for path in files:
            faults += _ingest_one(path, found, screening, by, answers)
            bar.advance()
    faults += sum(len(a.faults) for a in answers)
    if output is Fmt.json:
        emit_json([a.as_dict() for a in answers])
    else:
        for answer in answers:
            _print(answer)
    if faults:
        raise typer.Exit(SourceError.exit_code)


def list_lanes(output: FormatOpt = Fmt.table) -> None:
    """The lanes, what each reads and the options each takes."""
    lanes = all_lanes()
    if output is Fmt.json:
        emit_json(
            [
                {
                    "name": x.name,
                    "title": x.title,
                    "inputs": list(x.input_kinds),
                    "options": dict(x.options),
                }
                for x in lanes
            ]
        )
        return
    for lane in lanes:
        out.print(f"[bold]{lane.name}[/]: {lane.title}", highlight=False)
        for name, meaning in lane.options.items():
            out.print(f"  --option {name}=...: {meaning}", highlight=False)


def _ingest_one(
    path: Path, lane: AnyLane, screening: Screening, by: Submitter, answers: list[Ingested]
) -> int:
    """Ingest one file, its answer added to ``answers``; 1 when it cannot be read or
    screened (reported), else 0. An error that is no fault of the file stops the command."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _fault(f"{path}: file: cannot read: {exc.strerror or exc}")
    try:
        answers.append(ingest(screening.engine, lane, raw, str(path), screening, by, _now()))
    except WatchkeeperError as exc:
        if exc.exit_code != SourceError.exit_code:
            with errors():
                raise
        return _fault(exc.detail)
    return 0


def _option(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"--option takes NAME=VALUE, not {text!r}")
    return name.strip(), value


def _now() -> datetime:
    """Each file's own time of receipt."""
    return datetime.now(UTC)


def _fault(detail: str) -> int:
    """Say what is wrong with an input file; count it."""
    err.print(f"[red]error:[/] {detail}", highlight=False, soft_wrap=True)
    return 1


def _print(answer: Ingested) -> None:
    """One line a file: what it raised, or that it was received before; then its faults."""
    if answer.repeat:
        out.print(
            f"{answer.path}: received before ({answer.received_at:%Y-%m-%d %H:%M} UTC): "
            f"nothing new stored ({answer.alerts} alert(s) then)",
            highlight=False,
            soft_wrap=True,
        )
    else:
        out.print(
            f"{answer.path}: {answer.alerts} alert(s) stored for review",
            highlight=False,
            soft_wrap=True,
        )
    for fault in answer.faults:
        err.print(f"[yellow]skipped:[/] {fault}", highlight=False, soft_wrap=True)
