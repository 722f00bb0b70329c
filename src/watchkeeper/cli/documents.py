"""``watchkeeper documents scan``: reports and news (text, HTML, PDF) for names of listed
persons and organisations and UN reference numbers; one alert per document and entity.
Each document's findings are shown and stored as soon as it is scanned, so memory holds
one document's report at a time however many are scanned."""

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import orjson
import typer

from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    audit_cli,
    engine_of,
    err,
    errors,
    out,
    settings_of,
)
from watchkeeper.cli.progress import progress
from watchkeeper.cli.screening import ListsOpt, PresetOpt, ThresholdOpt, list_names, listed_screener
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.documents.alerts import document_alerts
from watchkeeper.lanes.documents.extract import open_document
from watchkeeper.lanes.documents.scanning import DocumentReport, DocumentScanner
from watchkeeper.matching.screener import threshold_of
from watchkeeper.render import tsv_line
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
        # Without numba's kernels (about 110 MB loaded): a scan screens only the spans that
        # could be a listed name, each once, so scoring every candidate costs it little.
        screener = listed_screener(settings, names, threshold_of(threshold, preset), False)
        scanner = DocumentScanner(screener)
    shown = _Shown(output)
    faults: list[SourceIssue] = []
    documents = entities = stored = 0
    with progress("scanning documents", len(files), "files") as bar:
        for path in files:
            try:
                report = scanner.scan(open_document(path, pdf_max_bytes))
            except SourceError as exc:
                faults += exc.issues
                bar.advance()
                continue
            documents += 1
            entities += len(report.entities)
            if alerts:  # stored as each document is done: nothing waits for the last
                with engine.begin() as conn:
                    found = document_alerts(report)
                    stored += insert_alerts(conn, found, None, None, datetime.now(UTC)).written
            shown.document(report)
            bar.advance()
    audit_cli(
        engine,
        "match",
        ("documents", ",".join(str(p) for p in files)),
        {"lists": names, "documents": documents, "entities": entities},
    )
    for fault in faults:
        err.print(f"[red]error:[/] {fault}", highlight=False, markup=True, soft_wrap=True)
    shown.end(faults)
    if alerts and output is not Fmt.json:
        err.print(f"{stored} alert(s) stored for review")
    if faults:
        raise typer.Exit(SourceError.exit_code)


COLUMNS = ("document", "kind", "characters", "entity", "list", "name", "mentions", "score")


class _Shown:
    """The output, a document at a time as each is scanned, so that no report waits in
    memory for the last: JSON (every mention), or one line per document and entity with
    its count of mentions (tab-separated, header first, where stdout is no terminal)."""

    def __init__(self, output: Fmt) -> None:
        self.output = output
        self.count = 0
        if output is Fmt.table and not out.is_terminal:
            sys.stdout.write(tsv_line(COLUMNS) + "\n")
        elif output is Fmt.json:
            sys.stdout.write('{"documents": [')

    def document(self, report: DocumentReport) -> None:
        if self.output is Fmt.json:
            body = orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode("utf-8")
            sys.stdout.write(("," if self.count else "") + "\n" + body)
        elif out.is_terminal:
            print_report(report)
        else:
            head = (report.path, report.kind, report.characters)
            rows = [
                (*head, e.entity_id, e.list_name, e.name, len(e.found), f"{e.score:.2f}")
                for e in report.entities
            ] or [(*head, "", "", "", 0, "")]
            sys.stdout.write("".join(tsv_line(row) + "\n" for row in rows))
        sys.stdout.flush()
        self.count += 1

    def end(self, faults: list[SourceIssue]) -> None:
        if self.output is Fmt.json:
            ended = orjson.dumps([str(f) for f in faults]).decode("utf-8")
            sys.stdout.write(f'\n], "faults": {ended}}}\n')


def print_report(report: DocumentReport) -> None:
    """One line per document, then one per entity it names with the count of mentions
    (their places: ``--format json``)."""
    out.print(
        f"[bold]{report.path}[/] ({report.kind}, {report.characters:,} characters): "
        f"{len(report.entities)} listed entit{'y' if len(report.entities) == 1 else 'ies'}",
        highlight=False,
        soft_wrap=True,
    )
    for entity in report.entities:
        count = len(entity.found)
        out.print(
            f"  [red]{entity.entity_id}[/] {entity.name} ({entity.list_name}): "
            f"{count:,} mention{'' if count == 1 else 's'}, score {entity.score:.2f}",
            highlight=False,
            soft_wrap=True,
        )
