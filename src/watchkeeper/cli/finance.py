"""``watchkeeper finance screen``: payments and customers against the lists and the FIU rules,
alerts stored for review, draft reports for the financial intelligence unit."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from watchkeeper import atomic
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
from watchkeeper.cli.progress import CountedMatcher, progress
from watchkeeper.cli.screening import ListsOpt, PresetOpt, ThresholdOpt, list_names, listed_screener
from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.finance.alerts import finance_alerts, report_dict, screened_subjects
from watchkeeper.lanes.finance.inputs import Batch, read_customers, read_payments
from watchkeeper.lanes.finance.reports import ReportingEntity, build_reports, to_csv, to_xml
from watchkeeper.lanes.finance.rescreen import (
    RescreenSummary,
    remember,
    rescreen,
)
from watchkeeper.lanes.finance.rules import FinanceRules
from watchkeeper.lanes.finance.screening import FinanceReport, FinanceScreener
from watchkeeper.matching.screener import threshold_of
from watchkeeper.store.alerts import insert_alerts

R = TypeVar("R")
finance_app = typer.Typer(no_args_is_help=True, help="Screen payments and customers.")


@finance_app.command("screen")
def screen(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="Payments: CSV or Parquet, pacs.008 XML, MT103")
    ],
    lists: ListsOpt = "un",
    customers: Annotated[
        Path | None, typer.Option(help="Customers (CSV or Parquet) to screen as well")
    ] = None,
    rules: Annotated[
        Path | None, typer.Option(help="FIU rule file (YAML); default: the bundled rules")
    ] = None,
    no_rules: Annotated[bool, typer.Option("--no-rules", help="Apply no FIU rules")] = False,
    reports: Annotated[
        Path | None, typer.Option(help="Folder for draft FIU reports (goAML-style XML, CSV)")
    ] = None,
    entity_id: Annotated[
        str | None, typer.Option(help="Reporting entity id the FIU gave you (for --reports)")
    ] = None,
    entity_name: Annotated[
        str | None, typer.Option(help="Reporting entity name (for --reports)")
    ] = None,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    store: Annotated[
        bool,
        typer.Option(help="Keep the alerts for review, and the parties for re-screening"),
    ] = True,
    output: FormatOpt = Fmt.table,
) -> None:
    """Screen every party of every payment (and the customers) against the lists, scan the
    remittance texts for listed names, and run the FIU rules over the batch. Hits are leads
    for review; reports are drafts for a person to check before they go to the FIU. Bad rows
    or messages are reported with their position and skipped, a file that cannot be read is
    reported and the others are screened (exit code 65 then)."""
    if reports is not None and not (entity_id and entity_name):
        raise typer.BadParameter("--reports needs --entity-id and --entity-name")
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        matcher = listed_screener(
            settings_of(ctx), list_names(lists), threshold_of(threshold, preset)
        )
        ruleset = None if no_rules else FinanceRules.load(rules)
        transactions, issues = _read(read_payments, files)
        clients, customer_issues = _read(read_customers, [customers] if customers else [])
        issues += customer_issues
        with progress("screening parties", unit="parties") as bar:
            counted = CountedMatcher(matcher, bar)
            found = FinanceScreener(counted, matcher.index, ruleset).screen(transactions, clients)
        audit_cli(engine, "match", ("dataset", lists), {"payments": len(transactions)})
        now = datetime.now(UTC)
        if store:
            with engine.begin() as conn:
                stored = insert_alerts(conn, finance_alerts(found), None, None, now).written
                for kind, source, items in screened_subjects(transactions, clients):
                    remember(conn, kind, items, source, now)
        if reports is not None and ruleset is not None:
            entity = ReportingEntity(rentity_id=entity_id or "", name=entity_name or "")
            drafts = build_reports(found.rules, entity, now)
            reports.mkdir(parents=True, exist_ok=True)
            for draft in drafts:
                atomic.write_bytes(reports / f"{draft.reference}.xml", to_xml(draft))
            with atomic.open_text(reports / "reports.csv", newline="") as fh:
                to_csv(drafts, fh)
    for issue in [*issues, *found.issues][:50]:
        err.print(f"[yellow]skipped:[/] {issue}", highlight=False, soft_wrap=True)
    if output is Fmt.json:
        emit_json(report_dict(found))
    else:
        print_report(found)
        if store:
            err.print(f"{stored} alert(s) stored for review")
    if issues or found.issues:
        raise typer.Exit(65)


def _read(
    reader: Callable[[Path], Batch[R]], paths: list[Path]
) -> tuple[list[R], list[SourceIssue]]:
    """The records of every file, and the faults: a file that cannot be read is one fault
    and the others are still read."""
    records: list[R] = []
    issues: list[SourceIssue] = []
    for path in paths:
        try:
            batch = reader(path)
        except SourceError as exc:
            issues += exc.issues
            continue
        records += batch.records
        issues += batch.issues
    return records, issues


@finance_app.command("rescreen")
def rescreen_command(
    ctx: typer.Context,
    list_name: Annotated[str, typer.Argument(help="The list that has a new version, e.g. ofac")],
    from_number: Annotated[
        int | None, typer.Option("--from", help="Old version (default: the one before --to)")
    ] = None,
    to_number: Annotated[
        int | None, typer.Option("--to", help="New version (default: the active one)")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Screen against the whole version, not the changes")
    ] = False,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    output: FormatOpt = Fmt.table,
) -> None:
    """Re-screen the stored customers and counterparties against the entries a new version
    of LIST added or changed; alerts only for new hits."""
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        with progress(f"re-screening against {list_name}", 0, "subjects") as bar:
            summary = rescreen(
                engine,
                list_name,
                from_number=from_number,
                to_number=to_number,
                full=full,
                threshold=threshold_of(threshold, preset),
                progress=bar.update,
            )
        audit_cli(engine, "match", ("dataset", list_name), summary.as_dict())
    print_rescreen(summary, output)


def print_rescreen(summary: RescreenSummary, output: Fmt, console: Console = out) -> None:
    """A re-screening's figures, as JSON or one line for people (on ``console``)."""
    if output is Fmt.json:
        emit_json(summary.as_dict())
        return
    against = (
        f"the {summary.entries:,} entries of {summary.list_name} v{summary.to_version}"
        if summary.from_version is None
        else f"the {summary.entries:,} entries added or changed in {summary.list_name} "
        f"v{summary.from_version} -> v{summary.to_version}"
    )
    console.print(
        f"{summary.subjects:,} stored subject(s) re-screened against {against} in "
        f"{summary.seconds:,.1f} s: {summary.hits} hit(s), {summary.alerts} new alert(s) "
        f"({summary.suppressed} repeating a cleared decision), {summary.already_open} already "
        "open",
        highlight=False,
        soft_wrap=True,
    )


def print_report(report: FinanceReport) -> None:
    """The findings for people: listed parties and names first, then the rules."""
    flagged = [t for t in report.transactions if t.flagged]
    out.print(
        f"{len(report.transactions)} payment(s), {len(flagged)} naming a listed entity; "
        f"{len(report.customers)} customer(s), {sum(bool(c.hits) for c in report.customers)} "
        f"matching; {len(report.rules)} rule hit(s)",
        highlight=False,
    )
    for item in flagged:
        tx = item.transaction
        out.print(f"[bold]{tx.id}[/] ({tx.source}: {tx.position})", highlight=False)
        for party in item.parties:
            for hit in party.hits:
                out.print(f"  [red]ALERT[/] {party.party.role} {party.party.name}: {hit.reason}")
        for mention in item.mentions:
            out.print(f"  [red]MENTION[/] {mention.text!r}: {mention.hit.reason}")
    for customer in report.customers:
        for hit in customer.hits:
            out.print(f"[red]CUSTOMER[/] {customer.party.name}: {hit.reason}")
    for rule in report.rules:
        out.print(f"[yellow]RULE {rule.rule_id}[/] ({rule.kind}) {rule.reason}", highlight=False)
