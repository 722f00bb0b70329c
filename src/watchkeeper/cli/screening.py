"""``watchkeeper match`` and ``watchkeeper screen``: names against the loaded lists."""

import csv
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any, TextIO

import orjson
import typer

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
from watchkeeper.cli.progress import progress
from watchkeeper.errors import SourceError, UsageError
from watchkeeper.matching.batch import SubjectReader, to_subject
from watchkeeper.matching.groups import Group, Linker
from watchkeeper.matching.hit_rows import FIELDS, flat_row, hit_fields, record_fields
from watchkeeper.matching.index_cache import cached_index
from watchkeeper.matching.screener import Hit, Screener, threshold_of
from watchkeeper.render import print_table
from watchkeeper.render_hits import print_match, records_table
from watchkeeper.settings import Settings

ListsOpt = Annotated[str, typer.Option("--lists", help="Comma-separated list names, e.g. un,ofac")]
ThresholdOpt = Annotated[
    float | None, typer.Option(help="Alert threshold in (0, 1]; overrides --preset")
]
INDEX_CACHE = "index-cache"
"""The data folder's folder of prepared indexes (``matching.index_cache``)."""
PresetOpt = Annotated[str | None, typer.Option(help="strict, balanced (default) or broad")]


Screened = tuple[dict[str, Any], list[Hit], list[Group]]
"""A screened record's fields (``hit_rows.record_fields``), its hits and their persons."""


def list_names(text: str) -> list[str]:
    """List names from a comma-separated option; none at all is a usage error."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise UsageError(f"{text!r} names no list")
    return names


def listed_screener(
    settings: Settings, names: list[str], threshold: float, compiled: bool = True
) -> Screener:
    """A screener over the active versions of the lists, its index read from the cache in
    the data folder when those versions were indexed before (``matching.index_cache``);
    ``compiled`` as ``Screener`` takes it."""
    engine = engine_of(settings.db_url)
    index = cached_index(engine, names, settings.data_dir / INDEX_CACHE)
    return Screener(index, threshold, compiled)


def _screener(
    ctx: typer.Context, lists: str, threshold: float | None, preset: str | None, compiled: bool
) -> tuple[Screener, Linker]:
    """A screener over the lists, and their links, to report each person once."""
    names = list_names(lists)
    settings = settings_of(ctx)
    screener = listed_screener(settings, names, threshold_of(threshold, preset), compiled)
    return screener, Linker.from_store(engine_of(settings.db_url), names)


def match(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The name to screen, in any script")],
    lists: ListsOpt = "un",
    dob: Annotated[str | None, typer.Option(help="Birth date: YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    nationality: Annotated[str | None, typer.Option(help="Country name or code")] = None,
    gender: Annotated[str | None, typer.Option(help="male, female or other")] = None,
    id_number: Annotated[
        str | None, typer.Option(help="A document or registry number of any kind")
    ] = None,
    passport: Annotated[str | None, typer.Option(help="A passport number")] = None,
    schema: Annotated[str, typer.Option(help="Person, Organization, Vessel...")] = "Person",
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    limit: Annotated[int, typer.Option(help="Candidates shown")] = 5,
    output: FormatOpt = Fmt.table,
) -> None:
    """Screen one name against the lists: alerts above the threshold, and the best candidates
    below it with the reasons they fall short."""
    fields = {
        "name": name,
        "birth_date": dob,
        "nationality": nationality,
        "gender": gender,
        "id_number": id_number,
        "passport": passport,
        "schema": schema,
    }
    with errors():
        try:
            subject = to_subject({k: v for k, v in fields.items() if v})
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        # One subject: numba's kernels would cost more to load than they save.
        screener, linker = _screener(ctx, lists, threshold, preset, compiled=False)
        hits = screener.candidates(subject, limit)
        groups = linker.group(hits)
        audit_cli(
            engine_of(settings_of(ctx).db_url),
            "match",
            ("dataset", lists),
            {"queries": 1, "results": [h.entity_id for h in hits]},
        )
    if output is Fmt.json:
        emit_json(
            {
                "query": fields,
                "threshold": screener.threshold,
                "matches": [{**h.as_dict(), "reason": h.reason} for h in hits],
                "persons": [g.as_dict() for g in groups],
            }
        )
    else:
        print_match(out, name, groups, screener.threshold)


def screen(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSON lines: id, name, birth_date, nationality, gender, id_number,"
            " passport, schema"
        ),
    ],
    lists: ListsOpt = "un",
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    limit: Annotated[int, typer.Option(help="Alerts kept per record")] = 5,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or table")] = "jsonl",
    to: Annotated[Path | None, typer.Option("--to", help="Write here instead of stdout")] = None,
) -> None:
    """Screen every record of FILE; alerts (at or above the threshold, best first) are leads
    for review. A row that cannot be read or screened (bytes that are not UTF-8, a malformed
    CSV record or JSON line, no name) is reported with its line and skipped, and the others
    are screened; exit code 65 then, so that no skipped row passes unnoticed in a pipeline.
    A file that cannot be read at all (no such file, unknown columns, a broken compressed
    stream) is refused whole, with nothing written (see ``matching.batch``)."""
    if fmt not in ("jsonl", "csv", "table"):
        raise typer.BadParameter(f"{fmt!r}: use jsonl, csv or table", param_hint="--format")
    with errors():
        screener, linker = _screener(ctx, lists, threshold, preset, compiled=True)
    engine = engine_of(settings_of(ctx).db_url)
    reader = SubjectReader(path, settings_of(ctx).input_limits)
    results: list[Screened] = []
    try:
        with progress(f"screening {path.name}", unit="rows") as bar:
            for row in reader.rows():
                hits = screener.screen(row.subject, limit)
                record = record_fields(row.id, row.number, row.subject.names[0])
                results.append((record, hits, linker.group(hits)))
                bar.advance()
    except SourceError as exc:
        audit = {"queries": len(results), "file": str(path), "refused": exc.issues[0].problem}
        audit_cli(engine, "match", ("dataset", lists), audit)
        for issue in exc.issues:
            err.print(f"[red]error:[/] {issue}", highlight=False, soft_wrap=True)
        err.print(f"{path}: refused whole: 0 rows screened, nothing written", highlight=False)
        raise typer.Exit(exc.exit_code) from exc
    audit = {"queries": len(results), "file": str(path), "skipped": len(reader.issues)}
    audit_cli(engine, "match", ("dataset", lists), audit)
    with errors(), atomic.open_text(to, newline="") if to else nullcontext(sys.stdout) as fh:
        _write(fh, fmt, results)
    for issue in reader.issues:
        err.print(str(issue), markup=False, highlight=False, soft_wrap=True)
    alerted = sum(1 for _, hits, _ in results if hits)
    err.print(
        f"{path}: {_rows(len(results))} screened, {alerted:,} with alerts, "
        f"{_rows(len(reader.issues))} skipped (threshold {screener.threshold})",
        highlight=False,
        soft_wrap=True,
    )
    if reader.issues:
        raise typer.Exit(SourceError.exit_code)


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


def _write(fh: TextIO, fmt: str, results: list[Screened]) -> None:
    """Every hit in the shared hit schema (``matching.hit_rows``), numbered by person within
    its record; JSON lines add the persons and their links, tables show one numbered block
    per person."""
    if fmt == "jsonl":
        for record, _, groups in results:
            line = {
                **record,
                "matches": [
                    hit_fields(h, number) for number, g in enumerate(groups, 1) for h in g.hits
                ],
                "persons": [g.as_dict(listings=False) for g in groups],
            }
            fh.write(orjson.dumps(line).decode("utf-8") + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(fh, FIELDS)
        writer.writeheader()
        for record, _, groups in results:
            for number, g in enumerate(groups, 1):
                writer.writerows(flat_row(record, h, number) for h in g.hits)
    else:
        found = [(record["id"], groups) for record, _, groups in results if groups]
        print_table(out, records_table("alerts per record and person", found))
