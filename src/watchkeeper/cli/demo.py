"""``watchkeeper demo``: the main job on the embedded default, offline."""

from importlib.resources import as_file, files

import typer

from watchkeeper import render
from watchkeeper.cli.common import engine_of, errors, out, settings_of
from watchkeeper.cli.lists import load_file
from watchkeeper.matching.batch import SubjectReader
from watchkeeper.matching.screener import Screener
from watchkeeper.render_hits import hits_table
from watchkeeper.store import find_entity, list_versions_of, record_entities

BUNDLED_UN = "un_consolidated_2026-02-27.xml.gz"
"""The UN Security Council Consolidated List as generated on 2026-02-27, shipped for offline use."""
SAMPLE = "sample_travellers.csv"
"""Ten invented travellers, some under spellings of UN-listed names (examples/screening)."""


def demo(ctx: typer.Context) -> None:
    """Load the bundled UN list (2026-02-27 snapshot), show one entry, and screen the bundled
    sample of travellers against it."""
    settings = settings_of(ctx)
    data = files("watchkeeper") / "data"
    with errors(), as_file(data / BUNDLED_UN) as path, as_file(data / SAMPLE) as sample:
        number = load_file(settings, path, "un-xml", "un", f"bundled:{BUNDLED_UN}", False)
        engine = engine_of(settings.db_url)
        out.print(render.versions_table(list_versions_of(engine, "un")))
        out.print(f"\nLoaded version {number} of list 'un'. One entry, as an analyst sees it:")
        render.print_entities(out, record_entities(engine, find_entity(engine, "un-QDi.325")[0]))
        screener = Screener.from_store(engine, ["un"])
        out.print(f"\nScreening {SAMPLE} against the UN list (threshold {screener.threshold}):")
        for row in SubjectReader(sample).rows():
            hits = screener.screen(row.subject, limit=3)
            label = f"{row.id} {row.subject.names[0]}"
            if hits:
                out.print(hits_table(f"{label}: {len(hits)} alert(s)", hits, explain=True))
            else:
                out.print(f"{label}: no alert")
    out.print(
        "\nEvery alert is a lead for a person to review, never a decision. Next: "
        "'watchkeeper match NAME --lists un', 'watchkeeper screen FILE --lists un', "
        "'watchkeeper lists show ENTITY_ID', 'watchkeeper lists update' (needs the internet)."
    )
