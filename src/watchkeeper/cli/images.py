"""``watchkeeper images``: PDQ hashes of images, hash banks, and matching against them.

Images that cannot be read are reported by name and the rest go on (exit code 65 then).
Matches are stored as alerts for review (lane "images", kind "hash") unless ``--no-alerts``;
every screened hash is kept so that later bank entries match it retroactively.
"""

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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
    settings_of,
)
from watchkeeper.cli.progress import progress
from watchkeeper.errors import SourceError, SourceIssue, UsageError
from watchkeeper.lanes.images.bankfiles import (
    BankFormat,
    Defaults,
    format_of,
    read_bank_file,
    write_bank_file,
)
from watchkeeper.lanes.images.banks import (
    add_entries,
    bank_entries,
    ensure_bank,
    get_bank,
    remove_entries,
)
from watchkeeper.lanes.images.banks import list_banks as stored_banks
from watchkeeper.lanes.images.codes import parse_hex
from watchkeeper.lanes.images.hashing import DEFAULT_MIN_QUALITY, ImageHash, hash_image
from watchkeeper.lanes.images.index import INDEXES
from watchkeeper.lanes.images.matching import ImageResult, LoadedBank, match_alerts, match_image
from watchkeeper.lanes.images.retro import SOURCE_TABLE, match_new_entries, remember
from watchkeeper.render import print_table
from watchkeeper.store.alerts import insert_alerts

images_app = typer.Typer(no_args_is_help=True, help="Image hashes (PDQ) and hash banks.")
bank_app = typer.Typer(no_args_is_help=True, help="Hash banks: import, export, list.")
images_app.add_typer(bank_app, name="bank")


class HashFmt(StrEnum):
    """Output of ``images hash``: a table, JSON, or one hex hash per line (a bank file)."""

    table = "table"
    json = "json"
    hex = "hex"


RotationsOpt = Annotated[
    bool, typer.Option("--rotations", help="Also the 8 rotations and flips of each image")
]
ExifOpt = Annotated[
    bool,
    typer.Option(
        "--exif", help="Turn images upright by their EXIF tag first (the reference does not)"
    ),
]
QualityOpt = Annotated[
    int, typer.Option(min=0, max=100, help="Ignore hashes of lower quality (0 to 100)")
]
NoAlertsOpt = Annotated[bool, typer.Option("--no-alerts", help="Store no alerts")]
IndexOpt = Annotated[
    str, typer.Option("--index", help="auto, linear, mih or faiss (auto: by bank size)")
]


def _hash_files(
    files: list[Path], rotations: bool, exif: bool, max_pixels: int
) -> tuple[list[ImageHash], list[SourceIssue]]:
    """Hash every readable file; the faults of the others."""
    hashed: list[ImageHash] = []
    issues: list[SourceIssue] = []
    with progress("hashing images", len(files), "files") as bar:
        for path in files:
            try:
                hashed.append(hash_image(path, rotations, exif, max_pixels))
            except SourceError as exc:
                issues += exc.issues
            bar.advance()
    return hashed, issues


def _report(issues: list[SourceIssue]) -> None:
    for issue in issues[:50]:
        err.print(f"[yellow]skipped:[/] {issue}", highlight=False, soft_wrap=True)
    if len(issues) > 50:
        err.print(f"... and {len(issues) - 50} more")


@images_app.command("hash")
def hash_files(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Image files (JPEG, PNG, ...)")],
    rotations: RotationsOpt = False,
    exif: ExifOpt = False,
    min_quality: QualityOpt = DEFAULT_MIN_QUALITY,
    output: Annotated[
        HashFmt, typer.Option("--format", "-f", help="table, json, or hex (a bank file)")
    ] = HashFmt.table,
) -> None:
    """PDQ hash and quality of each image. With ``--format hex`` only hashes of quality at
    least ``--min-quality`` are printed (the others are named on stderr), so the output can
    be imported as a bank. An image larger than WATCHKEEPER_IMAGE_MAX_PIXELS (read from its
    header) is reported like an unreadable one and never decoded."""
    max_pixels = settings_of(ctx).image_max_pixels
    hashed, issues = _hash_files(files, rotations, exif, max_pixels)
    _report(issues)
    if output is HashFmt.json:
        emit_json(
            [
                {
                    "file": h.origin,
                    "hash": h.hash,
                    "quality": h.quality,
                    "usable": h.usable(min_quality),
                    "variants": h.variants,
                }
                for h in hashed
            ]
        )
    elif output is HashFmt.hex:
        for h in hashed:
            if h.usable(min_quality):
                print(h.hash)
            else:
                err.print(
                    f"[yellow]low quality:[/] {h.origin}: {h.quality} < {min_quality}",
                    soft_wrap=True,
                )
    else:
        table = Table("file", "PDQ hash", "quality", "variant")
        for h in hashed:
            quality = str(h.quality) if h.usable(min_quality) else f"{h.quality} (ignored)"
            for variant, value in h.forms().items():
                table.add_row(h.origin, value, quality, variant)
        print_table(out, table)
    if issues:
        raise typer.Exit(65)


@bank_app.command("import")
def import_bank(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Bank name (created when new)")],
    file: Annotated[Path, typer.Argument(help="One hex hash per line, or CSV (.csv)")],
    negative: Annotated[
        bool, typer.Option("--negative", help="Known-benign hashes: their matches suppress")
    ] = False,
    distance: Annotated[
        int | None, typer.Option(help="Bits within which an image matches (default 31)")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source of entries that name none")] = None,
    label: Annotated[str | None, typer.Option(help="Label of entries that name none")] = None,
    min_quality: QualityOpt = DEFAULT_MIN_QUALITY,
    no_alerts: NoAlertsOpt = False,
) -> None:
    """Add a file's hashes to a bank, then match the images seen before against the new
    entries alone (retroactive matching). Bad lines are reported and skipped (exit 65)."""
    now = datetime.now(UTC)
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        read = read_bank_file(file, Defaults(label, source, now))
        with engine.begin() as conn:
            bank = ensure_bank(conn, name, now, True if negative else None, distance)
            if bank.partner is not None:
                raise UsageError(
                    f"bank {name!r} is the copy of partner {bank.partner}'s bank; "
                    "import into a bank of ours"
                )
            new = add_entries(conn, bank, read.entries)
            retro = match_new_entries(
                conn, bank, new, now, min_quality=min_quality, store_alerts=not no_alerts
            )
        found, written = retro.found, retro.alerts
        if found:
            audit_cli(engine, "match", ("image_bank", name), {"retroactive": len(found)})
    _report(read.issues)
    kind = "negative bank" if bank.negative else "bank"
    err.print(
        f"{kind} {name!r}: {len(new)} new of {len(read.entries)} hash(es) read; "
        f"{len(found)} image(s) seen before match them; {written} alert(s) stored",
        soft_wrap=True,
    )
    if read.issues:
        raise typer.Exit(65)


@bank_app.command("remove")
def remove_from_bank(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Bank name")],
    file: Annotated[Path, typer.Argument(help="The hashes to remove: hex lines, or CSV (.csv)")],
) -> None:
    """Remove a file's hashes from a bank; collections sharing the bank publish them as
    withdrawn (``revoked``). Bad lines are reported and skipped (exit 65)."""
    now = datetime.now(UTC)
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        read = read_bank_file(file, Defaults(None, None, now))
        with engine.begin() as conn:
            removed = remove_entries(conn, get_bank(conn, name), [e.hash for e in read.entries])
    _report(read.issues)
    err.print(f"bank {name!r}: {removed} of {len(read.entries)} hash(es) removed")
    if read.issues:
        raise typer.Exit(65)


@bank_app.command("export")
def export_bank(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Bank name")],
    to: Annotated[Path, typer.Option("--to", help="File to write")],
    fmt: Annotated[
        BankFormat | None,
        typer.Option("--format", "-f", help="hex or csv (default: by the file's suffix)"),
    ] = None,
) -> None:
    """Write a bank as one hex hash per line, or as CSV with label, source and added_at."""
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        with engine.connect() as conn:
            entries = bank_entries(conn, get_bank(conn, name))
        write_bank_file(to, entries, fmt or format_of(to))
        audit_cli(engine, "export", ("image_bank", name), {"entries": len(entries)})
    err.print(f"{len(entries)} hash(es) written to {to}")


@bank_app.command("ls")
def list_banks(ctx: typer.Context, output: FormatOpt = Fmt.table) -> None:
    """Every bank: size, distance, negative or not."""
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        with engine.connect() as conn:
            banks = stored_banks(conn)
    rows = [
        {
            "name": b.name,
            "entries": size,
            "max_distance": b.max_distance,
            "negative": b.negative,
            "created_at": b.created_at.isoformat(),
        }
        for b, size in banks
    ]
    if output is Fmt.json:
        emit_json(rows)
        return
    table = Table("bank", "entries", "distance", "negative", "created")
    for row in rows:
        table.add_row(
            str(row["name"]),
            str(row["entries"]),
            str(row["max_distance"]),
            "yes" if row["negative"] else "",
            str(row["created_at"])[:19],
        )
    print_table(out, table)


def _queries(
    inputs: list[str], rotations: bool, exif: bool, max_pixels: int
) -> tuple[list[ImageHash], list[SourceIssue]]:
    """Hex hashes as given, files hashed; an input that is neither is a fault."""
    found: list[ImageHash] = []
    issues: list[SourceIssue] = []
    for text in inputs:
        path = Path(text)
        if not path.exists():
            try:
                found.append(ImageHash(f"hash:{parse_hex(text)}", parse_hex(text), None))
                continue
            except ValueError:
                pass  # neither a hash nor a file: hashing reports the missing file
        hashed, faults = _hash_files([path], rotations, exif, max_pixels)
        found += hashed
        issues += faults
    return found, issues


@images_app.command("match")
def match(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Image files or hex PDQ hashes")],
    banks: Annotated[str, typer.Option(help="Comma-separated bank names (negative ones too)")],
    rotations: RotationsOpt = False,
    exif: ExifOpt = False,
    min_quality: QualityOpt = DEFAULT_MIN_QUALITY,
    index: IndexOpt = "auto",
    no_alerts: NoAlertsOpt = False,
    output: FormatOpt = Fmt.table,
) -> None:
    """Match images (or hashes) against the banks, each at its own distance; matches in a
    negative bank suppress the others. Rotations need the image: a hash is matched as is."""
    names = [n.strip() for n in banks.split(",") if n.strip()]
    now = datetime.now(UTC)
    with errors():
        if index != "auto" and index not in INDEXES:
            raise UsageError(f"--index is auto, {', '.join(INDEXES)}; not {index!r}")
        engine = engine_of(settings_of(ctx).db_url)
        with engine.connect() as conn:
            loaded = [LoadedBank.load(conn, name, index) for name in names]
        max_pixels = settings_of(ctx).image_max_pixels
        queries, issues = _queries(inputs, rotations, exif, max_pixels)
        results = [match_image(q, loaded, min_quality) for q in queries]
        stored = 0
        with engine.begin() as conn:
            for result in results:
                seen_id = remember(conn, result.image, now)
                if not no_alerts:
                    found = match_alerts(result)
                    stored += insert_alerts(conn, found, SOURCE_TABLE, seen_id, now).written
        audit_cli(engine, "match", ("image_bank", ",".join(names)), {"images": len(results)})
    _report(issues)
    if output is Fmt.json:
        emit_json([r.as_dict() for r in results])
    else:
        _print_results(results)
        if not no_alerts:
            err.print(f"{stored} alert(s) stored for review")
    if issues:
        raise typer.Exit(65)


def _print_results(results: list[ImageResult]) -> None:
    table = Table("image", "outcome", "bank", "distance", "variant", "label", "source")
    for r in results:
        rows: list[tuple[str, dict[str, Any]]] = [
            *(("match", m.explain()) for m in r.matches),
            *(("suppressed", m.explain()) for m in r.suppressed),
            *(("benign", m.explain()) for m in r.benign),
        ]
        if r.skipped or not rows:
            table.add_row(r.image.origin, r.skipped or "no match", "", "", "", "", "")
        for outcome, m in rows:
            table.add_row(
                r.image.origin,
                outcome,
                m["bank"],
                f"{m['distance']}/{m['max_distance']}",
                m["variant"],
                m["label"] or "",
                m["source"] or "",
            )
    print_table(out, table)
