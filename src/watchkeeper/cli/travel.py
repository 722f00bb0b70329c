"""``watchkeeper travel``: screen airline API (PAXLST) and PNR (PNRGOV) messages, and apply
the retention limits to what was kept."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    audit_cli,
    cli_actor,
    emit_json,
    engine_of,
    err,
    errors,
    out,
)
from watchkeeper.cli.common import settings_of as _settings
from watchkeeper.cli.progress import CountedMatcher, progress
from watchkeeper.cli.screening import ListsOpt, PresetOpt, ThresholdOpt, list_names, listed_screener
from watchkeeper.errors import SourceError
from watchkeeper.lanes.base import Submitter
from watchkeeper.lanes.travel import TravelMessage, parse_messages
from watchkeeper.lanes.travel.documents import DocumentList
from watchkeeper.lanes.travel.ingest import (
    Interchange,
    InterchangeConflict,
    Receipt,
    answer_again,
    check,
    keep,
    keep_failure,
)
from watchkeeper.lanes.travel.retention import Retention, run_retention
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import TravelScreener, report_dict
from watchkeeper.matching.screener import threshold_of
from watchkeeper.render import print_table

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
    at fault and kept for replay; the others are still screened (exit code 65 then).

    With --store (the default) each file is received once, as the service receives it: a
    file received before is answered with its first reports and stores nothing; another
    file under the same sender and UNB control reference is refused (exit code 65) unless
    its messages are marked as updates."""
    settings = _settings(ctx)
    with errors():
        engine = engine_of(settings.db_url)
        names = list_names(lists)
        matcher = listed_screener(settings, names, threshold_of(threshold, preset))
        ruleset = None if no_rules else RuleSet.load(rules)
        doc_list = DocumentList.from_store(engine, list_names(documents)) if documents else None
    now = datetime.now(UTC)
    by = Submitter(cli_actor(), "cli")
    shown: dict[int, list[dict[str, Any]]] = {}  # by file position: the reports to show
    parsed: list[tuple[int, bytes, list[TravelMessage]]] = []
    faults = 0
    for position, path in enumerate(files):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            faults += _fault(f"{path}: file: cannot read: {exc}")
            continue
        again = answer_again(engine, raw, str(path), by, now) if store else None
        if again is not None:
            _repeat(path, again)
            shown[position] = again.reports
            continue
        try:
            messages = parse_messages(raw, str(path), strict=False)
        except SourceError as exc:
            faults += _fault(exc.detail)
            if store:
                keep_failure(engine, raw, str(path), exc, by, now)
            continue
        if store:
            try:
                with engine.connect() as conn:
                    check(conn, Interchange.of(raw, messages))
            except InterchangeConflict as exc:
                faults += _fault(f"{path}: {exc.detail}")
                continue
        for message in messages:
            for issue in message.issues:
                faults += 1
                err.print(f"[yellow]fault:[/] {issue} (screened anyway)", highlight=False)
        parsed.append((position, raw, messages))
    screened = [m for _, _, ms in parsed for m in ms]
    travellers = sum(len(m.travellers) for m in screened)
    with progress("screening travellers", travellers, "travellers") as bar:
        counted = CountedMatcher(matcher, bar)
        reports = TravelScreener(counted, names, ruleset, doc_list).screen(screened)
    alerts = 0
    if store:
        by_message = {id(r.message): r for r in reports}
        for position, raw, messages in parsed:
            path = files[position]
            mine = [by_message[id(m)] for m in messages]
            try:
                receipt = keep(engine, Interchange.of(raw, messages), str(path), mine, by, now)
            except InterchangeConflict as exc:  # the same reference earlier on this command line
                faults += _fault(f"{path}: {exc.detail}")
                shown[position] = []
                continue
            if receipt.repeat:  # the same bytes earlier on this command line
                _repeat(path, receipt)
                shown[position] = receipt.reports
            alerts += receipt.alerts if not receipt.repeat else 0
    else:
        audit_cli(
            engine,
            "ingest",
            ("travel_files", ",".join(str(p) for p in files)),
            {"messages": len(reports)},
        )
    fresh = {id(r.message): report_dict(r) for r in reports}
    for position, _, messages in parsed:
        shown.setdefault(position, [fresh[id(m)] for m in messages])
    ordered = [report for position in sorted(shown) for report in shown[position]]
    if output is Fmt.json:
        emit_json(ordered)
    else:
        for report in ordered:
            print_report(report)
        if store:
            err.print(f"{alerts} alert(s) stored for review")
    if faults:
        raise typer.Exit(SourceError.exit_code)


def _fault(detail: str) -> int:
    """Say what is wrong with an input file; count it."""
    err.print(f"[red]error:[/] {detail}", highlight=False, soft_wrap=True)
    return 1


def _repeat(path: Path, receipt: Receipt) -> None:
    """Say that a file was received before and is answered from then."""
    err.print(
        f"{path}: received before ({receipt.path}, {receipt.received_at:%Y-%m-%d %H:%M} UTC): "
        f"its first reports are shown and nothing new is stored ({receipt.alerts} alert(s) "
        "then)",
        highlight=False,
        soft_wrap=True,
    )


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


def print_report(report: dict[str, Any]) -> None:
    """A flight report (``report_dict``, as screened now or answered from a first receipt)
    for people: the flight, then each flagged traveller and why, the most flagged first."""
    message, flight = report["message"], report["flight"]
    where = (
        f"{flight['carrier']}{flight['number']} {flight['origin'] or '?'}→"
        f"{flight['destination'] or '?'} {_when(flight['departure'])}"
        if flight
        else "no flight"
    )
    travellers = report["travellers"]
    flagged = sorted(
        (t for t in travellers if t["hits"] or t["documents_flagged"] or t["rules"]),
        key=lambda t: (-len(t["hits"]), -len(t["documents_flagged"]), -t["risk"]),
    )
    out.print(
        f"[bold]{where}[/]  {message['kind']} {message['version']} ref {message['reference']} "
        f"({message['path']}): {len(travellers)} traveller(s), {len(flagged)} flagged",
        highlight=False,
    )
    if not flagged:
        return
    table = Table(show_lines=True)
    for column in ("traveller", "born", "nat.", "document", "findings"):
        table.add_column(column)
    for item in flagged:
        findings = [f"[red]ALERT[/] {h['reason']}" for h in item["hits"]]
        findings += [
            f"[red]DOCUMENT[/] {d['number']} reported {d['status']}"
            for d in item["documents_flagged"]
        ]
        findings += [
            f"[yellow]RULE {r['rule']}[/] (+{r['weight']:g}) {r['reason']}" for r in item["rules"]
        ]
        table.add_row(
            f"{item['name']} ({item['role']}, segment {item['segment']})",
            item["birth_date"] or "",
            item["nationality"] or "",
            ", ".join(item["documents"]),
            "\n".join(findings),
        )
    print_table(out, table)


def _when(departure: str | None) -> str:
    """A departure as ``report_dict`` writes it, shown as before (a space, not a "T")."""
    return departure.replace("T", " ") if departure else ""
