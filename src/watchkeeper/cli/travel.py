"""``watchkeeper travel``: screen airline API (PAXLST) and PNR (PNRGOV) messages, and apply
the retention limits to what was kept."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    audit_cli,
    emit_json,
    engine_of,
    err,
    errors,
    out,
)
from watchkeeper.cli.common import settings_of as _settings
from watchkeeper.cli.screening import ListsOpt, PresetOpt, ThresholdOpt, list_names
from watchkeeper.errors import SourceError
from watchkeeper.lanes.travel import TravelMessage, parse_messages
from watchkeeper.lanes.travel.documents import DocumentList
from watchkeeper.lanes.travel.records import save_failure, save_reports
from watchkeeper.lanes.travel.retention import Retention, run_retention
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import (
    FlightReport,
    TravelScreener,
    report_dict,
)
from watchkeeper.matching.screener import Screener, threshold_of

travel_app = typer.Typer(no_args_is_help=True, help="Screen airline API and PNR messages.")


@travel_app.command("screen")
def screen(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="PAXLST or PNRGOV files (UN/EDIFACT)")],
    lists: ListsOpt = "un",
    documents: Annotated[
        str | None,
        typer.Option(help="Comma-separated lost/stolen document lists (format sltd-csv)"),
    ] = None,
    rules: Annotated[
        Path | None, typer.Option(help="Risk rule file (YAML); default: the bundled rules")
    ] = None,
    no_rules: Annotated[bool, typer.Option("--no-rules", help="Apply no risk rules")] = False,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    store: Annotated[
        bool, typer.Option(help="Keep the messages and their alerts for review")
    ] = True,
    output: FormatOpt = Fmt.table,
) -> None:
    """Screen every traveller of the messages against the lists, the lost and stolen
    document lists and the risk rules; print one report per flight. Every finding is a lead
    for an analyst, not a decision. A file that cannot be read is reported with the segment
    at fault and kept for replay; the others are still screened (exit code 65 then)."""
    settings = _settings(ctx)
    with errors():
        engine = engine_of(settings.db_url)
        names = list_names(lists)
        matcher = Screener.from_store(engine, names, threshold_of(threshold, preset))
        ruleset = None if no_rules else RuleSet.load(rules)
        doc_list = DocumentList.from_store(engine, list_names(documents)) if documents else None
    now = datetime.now(UTC)
    parsed: list[tuple[str, list[TravelMessage]]] = []
    faults = 0
    for path in files:
        messages, failed = _read(path)
        if failed is not None:
            faults += 1
            err.print(f"[red]error:[/] {failed.detail}", highlight=False, soft_wrap=True)
            if store:
                save_failure(engine, str(path), _text(path), failed, now)
            continue
        for message in messages:
            for issue in message.issues:
                faults += 1
                err.print(f"[yellow]fault:[/] {issue} (screened anyway)", highlight=False)
        parsed.append((str(path), messages))
    screener = TravelScreener(matcher, names, ruleset, doc_list)
    reports = screener.screen([m for _, ms in parsed for m in ms])
    audit_cli(
        engine,
        "ingest",
        ("travel_files", ",".join(str(p) for p in files)),
        {"messages": len(reports)},
    )
    alerts = 0
    if store:
        by_message = {id(r.message): r for r in reports}
        for path_text, messages in parsed:
            mine = [by_message[id(m)] for m in messages]
            alerts += save_reports(engine, path_text, mine, now)
    if output is Fmt.json:
        emit_json([report_dict(r) for r in reports])
    else:
        for report in reports:
            print_report(report)
        if store:
            err.print(f"{alerts} alert(s) stored for review")
    if faults:
        raise typer.Exit(SourceError.exit_code)


@travel_app.command("retention")
def retention(
    ctx: typer.Context,
    apply: Annotated[bool, typer.Option("--apply", help="Change the data (default: dry run)")] = (
        False
    ),
    depersonalise_days: Annotated[
        int, typer.Option(help="Mask names, contacts and documents after this many days")
    ] = Retention().depersonalise_days,
    delete_days: Annotated[
        int, typer.Option(help="Delete messages and their alerts after this many days")
    ] = Retention().delete_days,
    output: FormatOpt = Fmt.table,
) -> None:
    """Depersonalise travel data older than 6 months and delete it after 5 years (the
    defaults of EU Directive 2016/681 for PNR data). Without --apply nothing changes: it
    says what it would do. Every run is logged in the store."""
    with errors():
        engine = engine_of(_settings(ctx).db_url)
        limits = Retention(depersonalise_days, delete_days)
        result = run_retention(engine, limits, apply=apply, now=datetime.now(UTC))
    if output is Fmt.json:
        emit_json(result.as_dict())
        return
    verb = "" if apply else "would be "
    out.print(
        f"{result.depersonalised} message(s) {verb}depersonalised (received before "
        f"{result.depersonalise_before:%Y-%m-%d}), {result.deleted} {verb}deleted (before "
        f"{result.delete_before:%Y-%m-%d})" + ("" if apply else "; run with --apply to do it")
    )


def _read(path: Path) -> tuple[list[TravelMessage], SourceError | None]:
    try:
        data = path.read_bytes()
        return parse_messages(data, str(path), strict=False), None
    except OSError as exc:
        return [], SourceError.at(str(path), "file", f"cannot read: {exc}")
    except SourceError as exc:
        return [], exc


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


def print_report(report: FlightReport) -> None:
    """A flight report for people: the flight, then each flagged traveller and why."""
    message, flight = report.message, report.flight
    where = (
        f"{flight.carrier}{flight.flight_number} {flight.origin or '?'}→"
        f"{flight.destination or '?'} {flight.departure or ''}"
        if flight
        else "no flight"
    )
    flagged = report.flagged
    out.print(
        f"[bold]{where}[/]  {message.kind} {message.version} ref {message.reference} "
        f"({message.path}): {len(report.travellers)} traveller(s), {len(flagged)} flagged",
        highlight=False,
    )
    if not flagged:
        return
    table = Table(show_lines=True)
    for column in ("traveller", "born", "nat.", "document", "findings"):
        table.add_column(column)
    for item in flagged:
        traveller = item.traveller
        findings = [f"[red]ALERT[/] {h.reason}" for h in item.hits]
        findings += [f"[red]DOCUMENT[/] {d.number} reported {d.status}" for d in item.documents]
        findings += [f"[yellow]RULE {r.rule_id}[/] (+{r.weight:g}) {r.reason}" for r in item.rules]
        table.add_row(
            f"{traveller.full_name} ({traveller.role}, segment {traveller.segment})",
            traveller.birth_date.isoformat() if traveller.birth_date else "",
            traveller.nationality or "",
            ", ".join(d.number for d in traveller.documents),
            "\n".join(findings),
        )
    out.print(table)
