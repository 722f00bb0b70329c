"""How screening results are shown to people: alerts, candidates and their explanations."""

from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.table import Table

from watchkeeper.matching.groups import Group
from watchkeeper.matching.screener import Hit
from watchkeeper.render import print_table

# How each kind of link reads to a reviewer (``store.links``).
LINK_KINDS = {
    "document": "document number",
    "reference": "UN reference",
    "name_birth_date": "name + birth date",
    "name_year": "name + birth year",
    "name_year_of": "name + birth year",
}


def explanation_text(hit: Hit) -> str:
    """The explanation in a few lines a reviewer can read: names aligned, then each feature."""
    lines = []
    names = hit.result.names
    if names is not None:
        pairs = ", ".join(f"{t.query}→{t.result} ({t.similarity:.2f})" for t in names.tokens)
        weak = " (weak alias)" if names.weak else ""
        lines.append(f"'{names.query_name}' ~ '{names.result_name}'{weak}: {pairs}")
        if names.unmatched_query or names.unmatched_result:
            lines.append(
                "unmatched: query "
                + (", ".join(names.unmatched_query) or "-")
                + "; listed "
                + (", ".join(names.unmatched_result) or "-")
            )
    for line in hit.result.features:
        if line.contribution or line.detail:
            sign = "+" if line.contribution >= 0 else ""
            lines.append(f"{line.feature} {sign}{line.contribution:.2f}: {line.detail or ''}")
    lines.extend(hit.result.notes)
    return "\n".join(lines)


def _table(title: str, explain: bool, person: bool, record: bool = False) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    if record:
        table.add_column("record", no_wrap=True)
    if person:
        table.add_column("person", justify="right", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("alert", no_wrap=True)
    table.add_column("entity", no_wrap=True)
    table.add_column("listed name", overflow="fold", ratio=2)
    if explain:
        table.add_column("why", overflow="fold", ratio=3)
    return table


def _row(hit: Hit, explain: bool) -> list[str]:
    row = [f"{hit.score:.3f}", "ALERT" if hit.alert else "", hit.entity_id, hit.name]
    return row + ([explanation_text(hit)] if explain else [])


def hits_table(title: str, hits: list[Hit], explain: bool) -> Table:
    """Hits best first; the alert column says which reach the threshold."""
    table = _table(title, explain, person=False)
    for hit in hits:
        table.add_row(*_row(hit, explain))
    return table


def groups_table(title: str, groups: list[Group], explain: bool) -> Table:
    """Hits per person, numbered: a person listed on several lists is one number with a row
    per listing, each with its own score."""
    table = _table(title, explain, person=True)
    for number, group in enumerate(groups, 1):
        for hit in group.hits:
            table.add_row(str(number), *_row(hit, explain))
    return table


def records_table(title: str, results: Iterable[tuple[str, list[Group]]]) -> Table:
    """The hits of many records (``screen``), numbered by person within each record, the
    record and person on every row (each row stands alone in a pipe); records without hits
    are left out."""
    table = _table(title, False, person=True, record=True)
    for record, groups in results:
        for number, group in enumerate(groups, 1):
            for hit in group.hits:
                table.add_row(record, str(number), *_row(hit, False))
    return table


def link_lines(groups: list[Group]) -> list[str]:
    """For each person with linked listings, which listings and what ties them."""
    lines = []
    for number, group in enumerate(groups, 1):
        if not group.links:
            continue
        kinds: dict[str, list[str]] = {}
        for link in group.links:
            kinds.setdefault(LINK_KINDS.get(link.kind, link.kind), []).append(link.value)
        facts = "; ".join(f"{kind}: {', '.join(sorted(set(v)))}" for kind, v in kinds.items())
        listed = ", ".join(group.entity_ids)
        also = ", ".join(entity_id for _, entity_id in group.also)
        lines.append(
            f"person {number} is listed as {listed}"
            + (f" (also listed as {also}, not a candidate)" if also else "")
            + f", linked by {facts}"
        )
    return lines


def print_match(console: Console, query: str, groups: list[Group], threshold: float) -> None:
    """The answer to one ``watchkeeper match``: alerts per person, or why there are none."""
    alerts = [g for g in groups if g.alert]
    if alerts:
        console.print(f"[bold]{len(alerts)} alert(s)[/] for {query!r} at threshold {threshold}")
    else:
        console.print(f"no alert for {query!r} at threshold {threshold}")
    if groups:
        title = "candidates per person (leads for review, not decisions)"
        print_table(console, groups_table(title, groups, True))
        for line in link_lines(groups):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
