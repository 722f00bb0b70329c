"""How the command line shows store objects: rich tables for people, JSON for programs, and
tab-separated lines wherever the output is no terminal."""

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from rich import box
from rich.console import Console
from rich.errors import MarkupError
from rich.table import Table
from rich.text import Text

from watchkeeper.store.models import ListDiff, ListVersion, StoredEntity


def tsv_line(cells: Iterable[object]) -> str:
    """One tab-separated line: a cell's markup is dropped, its lines joined by "; " and its
    tabs made spaces, so that each row stays one line for grep and cut."""
    plain = (cell.plain if isinstance(cell, Text) else _plain(str(cell)) for cell in cells)
    return "\t".join(
        "; ".join(line.strip() for line in c.splitlines()).replace("\t", " ") for c in plain
    )


def _plain(text: str) -> str:
    """The text rich shows for a cell of markup (a bad tag: the text as it is)."""
    try:
        return Text.from_markup(text).plain
    except MarkupError:
        return text


def print_table(console: Console, table: Table, titled: bool = False) -> None:
    """A rich table on a terminal; elsewhere (a pipe, a file) its header and rows as
    tab-separated lines, never cut or wrapped whatever the width. The title is left out
    unless ``titled`` (where it tells tables apart): then it is a line of its own first."""
    if console.is_terminal:
        console.print(table)
        return
    title = [tsv_line([table.title])] if titled and table.title else []
    lines = [*title, tsv_line(column.header for column in table.columns)]
    rows = zip(*(column.cells for column in table.columns), strict=True)
    lines += [tsv_line(row) for row in rows]
    console.file.write("\n".join(lines) + "\n")


def version_json(v: ListVersion) -> dict[str, Any]:
    """A version as plain JSON-ready data."""
    data = asdict(v)
    data["loaded_at"] = v.loaded_at.isoformat()
    return data


def versions_table(versions: list[ListVersion]) -> Table:
    """One row per version, the active one marked; entries broken down by schema.

    Kept within 80 columns: origin, checksum and entity counts are in ``--format json``.
    """
    table = Table(title="Watchlists", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for col in ("list", "version", "format", "entries", "published", "loaded"):
        table.add_column(col, no_wrap=True)
    for v in versions:
        by_schema = [f"  {n:,} {k}" for k, n in sorted(v.schema_counts.items())]
        table.add_row(
            v.list_name,
            f"{v.number} (active)" if v.active else str(v.number),
            v.format,
            "\n".join([f"{v.record_count:,}", *by_schema]),
            (v.source_date or "")[:10],
            v.loaded_at.strftime("%Y-%m-%d %H:%M"),
        )
    return table


def entity_json(e: StoredEntity) -> dict[str, Any]:
    """An entity as FtM JSON plus where it is stored."""
    return {
        "id": e.entity_id,
        "schema": e.schema,
        "caption": e.caption,
        "list": e.list_name,
        "version": e.version,
        "record": e.record_id,
        "properties": e.properties,
    }


def print_entities(console: Console, group: list[StoredEntity]) -> None:
    """Every property of the entry's entities, one table each."""
    for e in group:
        table = Table(
            title=f"{e.schema} {e.entity_id}  ({e.list_name} v{e.version})",
            title_justify="left",
            show_header=False,
        )
        table.add_column("property", style="bold", no_wrap=True)
        table.add_column("values", overflow="fold")
        for prop, values in sorted(e.properties.items()):
            table.add_row(prop, "\n".join(values))
        print_table(console, table, titled=True)


def diff_json(d: ListDiff) -> dict[str, Any]:
    """A diff as plain data, with counts up front."""
    data = asdict(d)
    data["counts"] = {
        "added": len(d.added),
        "removed": len(d.removed),
        "changed": len(d.changed),
        "unchanged": d.unchanged,
    }
    return data


def print_diff(console: Console, d: ListDiff, limit: int) -> None:
    """Counts, then up to ``limit`` entries of each kind."""
    console.print(
        f"[bold]{d.list_name}[/] v{d.from_version} → v{d.to_version}: "
        f"{len(d.added):,} added, {len(d.removed):,} removed, {len(d.changed):,} changed, "
        f"{d.unchanged:,} unchanged"
    )
    for label, refs in (("added", d.added), ("removed", d.removed)):
        if refs:
            table = Table(title=f"{label} ({len(refs):,})", title_justify="left")
            for col in ("id", "schema", "name"):
                table.add_column(col)
            for ref in refs[:limit]:
                table.add_row(ref.record_id, ref.schema, ref.caption)
            print_table(console, table, titled=True)
    if d.changed:
        table = Table(title=f"changed ({len(d.changed):,})", title_justify="left")
        for col in ("id", "name", "what changed"):
            table.add_column(col, overflow="fold")
        for ch in d.changed[:limit]:
            what = ch.changed_properties
            what += [f"+{e}" for e in ch.entities_added] + [f"-{e}" for e in ch.entities_removed]
            table.add_row(ch.record_id, ch.caption, ", ".join(what))
        print_table(console, table, titled=True)
    if max(len(d.added), len(d.removed), len(d.changed)) > limit:
        console.print(f"(first {limit} of each shown; --limit N or --format json for all)")
