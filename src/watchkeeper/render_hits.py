"""How screening results are shown to people: alerts, candidates and their explanations."""

from rich import box
from rich.console import Console
from rich.table import Table

from watchkeeper.matching.screener import Hit


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


def hits_table(title: str, hits: list[Hit], explain: bool) -> Table:
    """Hits best first; the alert column says which reach the threshold."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("alert", no_wrap=True)
    table.add_column("entity", no_wrap=True)
    table.add_column("listed name", overflow="fold", ratio=2)
    if explain:
        table.add_column("why", overflow="fold", ratio=3)
    for hit in hits:
        row = [f"{hit.score:.3f}", "ALERT" if hit.alert else "", hit.entity_id, hit.name]
        table.add_row(*row, *([explanation_text(hit)] if explain else []))
    return table


def print_match(console: Console, query: str, hits: list[Hit], threshold: float) -> None:
    """The answer to one ``watchkeeper match``: alerts, or why there are none."""
    alerts = [h for h in hits if h.alert]
    if alerts:
        console.print(f"[bold]{len(alerts)} alert(s)[/] for {query!r} at threshold {threshold}")
    else:
        console.print(f"no alert for {query!r} at threshold {threshold}")
    if hits:
        console.print(hits_table("candidates (leads for review, not decisions)", hits, True))
