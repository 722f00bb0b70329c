"""``watchkeeper demo``: the main job on the embedded default, offline."""

from datetime import UTC, datetime
from importlib.resources import as_file, files

import typer

from watchkeeper import render
from watchkeeper.cli.common import engine_of, errors, out, settings_of
from watchkeeper.cli.lists import load_file
from watchkeeper.cli.travel import print_report
from watchkeeper.lanes.travel import parse_file
from watchkeeper.lanes.travel.records import save_reports
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import TravelScreener, report_dict
from watchkeeper.matching.batch import SubjectReader
from watchkeeper.matching.screener import Screener
from watchkeeper.render_hits import hits_table
from watchkeeper.store import find_entity, list_versions_of, record_entities

BUNDLED_UN = "un_consolidated_2026-02-27.xml.gz"
"""The UN Security Council Consolidated List as generated on 2026-02-27, shipped for offline use."""
SAMPLE = "sample_travellers.csv"
"""Ten invented travellers, some under spellings of UN-listed names (examples/screening)."""
FLIGHT = "sample_flight_paxlst.edi"
"""A synthetic PAXLST manifest: ten passengers, one UN-listed under an alias (QDi.325)."""


def demo(ctx: typer.Context) -> None:
    """Load the bundled UN list (2026-02-27 snapshot), show one entry, screen the bundled
    sample of travellers against it, then a bundled airline manifest (PAXLST)."""
    settings = settings_of(ctx)
    data = files("watchkeeper") / "data"
    with (
        errors(),
        as_file(data / BUNDLED_UN) as path,
        as_file(data / SAMPLE) as sample,
        as_file(data / FLIGHT) as flight,
    ):
        number = load_file(settings, path, "un-xml", "un", f"bundled:{BUNDLED_UN}", False)
        engine = engine_of(settings.db_url)
        render.print_table(out, render.versions_table(list_versions_of(engine, "un")))
        out.print(f"\nLoaded version {number} of list 'un'. One entry, as an analyst sees it:")
        render.print_entities(out, record_entities(engine, find_entity(engine, "un-QDi.325")[0]))
        screener = Screener.from_store(engine, ["un"])
        out.print(f"\nScreening {SAMPLE} against the UN list (threshold {screener.threshold}):")
        for row in SubjectReader(sample).rows():
            hits = screener.screen(row.subject, limit=3)
            label = f"{row.id} {row.subject.names[0]}"
            if hits:
                render.print_table(
                    out, hits_table(f"{label}: {len(hits)} alert(s)", hits, True), titled=True
                )
            else:
                out.print(f"{label}: no alert")
        out.print(f"\nScreening the airline manifest {FLIGHT} (PAXLST) with the default rules:")
        reports = TravelScreener(screener, ["un"], RuleSet.load(None)).screen(parse_file(flight))
        for report in reports:
            print_report(report_dict(report))
        count = save_reports(engine, f"bundled:{FLIGHT}", reports, datetime.now(UTC))
        out.print(f"{count} alert(s) stored for review.")
    out.print(
        "\nEvery alert is a lead for a person to review, never a decision. Next: "
        "'watchkeeper match NAME --lists un', 'watchkeeper screen FILE --lists un', "
        "'watchkeeper travel screen FILE.edi --lists un', 'watchkeeper lists show ENTITY_ID', "
        "'watchkeeper lists update' (needs the internet)."
    )
