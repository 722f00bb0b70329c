"""``watchkeeper documents scan``: reports and news (text, HTML, PDF) for names of listed
persons and organisations and UN reference numbers; one alert per document and entity."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    audit_cli,
    emit_json,
    engine_of,
    err,
    errors,
    out,
    settings_of,
)
from watchkeeper.cli.screening import ListsOpt, PresetOpt, ThresholdOpt, list_names
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.documents.alerts import document_alerts
from watchkeeper.lanes.documents.extract import open_document
from watchkeeper.lanes.documents.scanning import DocumentReport, DocumentScanner
from watchkeeper.matching.screener import Screener, threshold_of
from watchkeeper.store.alerts import insert_alerts

documents_app = typer.Typer(no_args_is_help=True, help="Scan documents for listed names.")


@documents_app.command("scan")
def scan(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Plain text, HTML or PDF files")],
    lists: ListsOpt = "un",
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    alerts: Annotated[
        bool, typer.Option(help="Raise one alert per document and listed entity for review")
    ] = True,
    output: FormatOpt = Fmt.table,
) -> None:
    """Find the listed persons and organisations each document names (by any name or
    alias, in any spelling and name order) and the UN reference numbers it cites. Every
    finding is a lead for review. A file that cannot be read is reported with the fault
    and the others are still scanned (exit code 65 then)."""
    settings = settings_of(ctx)
    pdf_max_bytes = int(settings.document_pdf_max_mb * 1e6)
    with errors():
        engine = engine_of(settings.db_url)
        names = list_names(lists)
        scanner = DocumentScanner(
            Screener.from_store(engine, names, threshold_of(threshold, preset))
        )
    reports: list[DocumentReport] = []
    faults: list[SourceIssue] = []
    for path in files:
        try:
            reports.append(scanner.scan(open_document(path, pdf_max_bytes)))
        except SourceError as exc:
            faults += exc.issues
    audit_cli(
        engine,
        "match",
        ("documents", ",".join(str(p) for p in files)),
        {
            "lists": names,
            "documents": len(reports),
            "entities": sum(len(r.entities) for r in reports),
        },
    )
    stored = 0
    if alerts:
        now = datetime.now(UTC)
        with engine.begin() as conn:
            for report in reports:
                stored += insert_alerts(conn, document_alerts(report), None, None, now).written
    for fault in faults:
        err.print(f"[red]error:[/] {fault}", highlight=False, markup=True, soft_wrap=True)
    if output is Fmt.json:
        emit_json({"documents": [r.as_dict() for r in reports], "faults": [str(f) for f in faults]})
    else:
        for report in reports:
            print_report(report)
        if alerts:
            err.print(f"{stored} alert(s) stored for review")
    if faults:
        raise typer.Exit(SourceError.exit_code)


def print_report(report: DocumentReport) -> None:
    """One line per document, then one per entity with its places (offsets and snippets)."""
    out.print(
        f"[bold]{report.path}[/] ({report.kind}, {report.characters:,} characters): "
        f"{len(report.entities)} listed entit{'y' if len(report.entities) == 1 else 'ies'}",
        highlight=False,
        soft_wrap=True,
    )
    for entity in report.entities:
        out.print(
            f"  [red]{entity.entity_id}[/] {entity.name} ({entity.list_name}), "
            f"score {entity.score:.2f}",
            highlight=False,
            soft_wrap=True,
        )
        for place in entity.found:
            page = f" p.{place.page}" if place.page else ""
            out.print(
                f"    {place.start}-{place.end}{page} {place.how}: {place.snippet}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
