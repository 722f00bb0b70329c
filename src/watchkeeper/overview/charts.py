"""Charts drawn on the server as SVG: a bar chart, bars stacked per day, and small
horizontal bars, each with a data table that says the same in text.

Written by hand on purpose: the pages are server-rendered without JavaScript, and no
maintained chart library fits. pygal draws SVG in pure Python but is LGPL-3.0 (the project
takes permissive licences only); matplotlib pulls in a plotting stack for a few rectangles
and writes SVG without the ``role``, ``<title>`` and ``<desc>`` a screen reader needs;
plotly, altair and bokeh draw in the browser with JavaScript. A bar chart is rectangles and
text, so a few dozen lines do it, with every label escaped (list and reviewer names are
data) and every value written as text, readable without colour.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``; each bar
carries its own ``<title>`` (label and value) and its value as visible text; the colours
are the Okabe-Ito palette, told apart by people with colour-blindness, and a stacked
chart's legend names each series in the order stacked.
"""

import hashlib
import html
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from watchkeeper.errors import UsageError

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
INK = "#1a1a1a"
GRID = "#8a8a8a"
FONT = 'font-family="sans-serif" font-size="12"'
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 48
LABEL_CHARS = 14  # longer labels are cut on the chart (whole in their <title> and the table)
ROW, ROW_LABEL, ROW_BAR = 22, 180, 300
# Characters XML 1.0 does not allow at all (escaping cannot save them): dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Formatter = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class DataTable:
    """The figures of a chart as a table: the text alternative a page shows beside it."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart (a string to put in a page as it is: every text in it is escaped) and
    its data table."""

    svg: str
    table: DataTable


@dataclass(frozen=True, slots=True)
class Bar:
    """One labelled value."""

    label: str
    value: float


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values of a stacked chart, one per category."""

    name: str
    values: tuple[float, ...]


def number(value: float) -> str:
    """A count as a count (``1,234``), anything else with two decimals."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def percent(value: float) -> str:
    """A share from 0 to 1 as a whole percentage (``25 %``)."""
    return f"{value * 100:.0f} %"


def bar_chart(
    title: str, description: str, bars: Sequence[Bar], *, fmt: Formatter = number
) -> Chart:
    """Vertical bars, one per labelled value, in the order given."""
    _check(title, [(b.label, b.value) for b in bars])
    top = _scale_max(b.value for b in bars)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    parts = _axis(top, fmt)
    for i, bar in enumerate(bars):
        h = plot_h * bar.value / top
        x, y = LEFT + i * slot + slot * 0.15, TOP + plot_h - h
        parts.append(
            f"<g><title>{_esc(bar.label)}: {_esc(fmt(bar.value))}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
            f"{_esc(fmt(bar.value))}</text>"
            f'<text x="{x + slot * 0.35:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{_esc(_short(bar.label))}</text></g>"
        )
    table = DataTable(title, ("", "Value"), tuple((bar.label, fmt(bar.value)) for bar in bars))
    return Chart(_svg(title, description, WIDTH, HEIGHT, parts), table)


def stacked_bar_chart(
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Formatter = number,
) -> Chart:
    """One bar per category (a day), its series stacked in the order given, the total above
    it and a legend below; with many categories only every few are labelled on the axis."""
    for one in series:
        if len(one.values) != len(categories):
            raise UsageError(
                f"chart {title!r}: series {one.name!r} has {len(one.values)} values "
                f"for {len(categories)} categories"
            )
        _check(
            title, [(f"{one.name}, {c}", v) for c, v in zip(categories, one.values, strict=True)]
        )
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top = _scale_max(totals)
    legend_rows = math.ceil(len(series) / 4)
    height = HEIGHT + 18 * legend_rows
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(categories), 1)
    every = math.ceil(len(categories) / 12) or 1
    parts = _axis(top, fmt)
    for i, category in enumerate(categories):
        x, base = LEFT + i * slot + slot * 0.15, float(TOP + plot_h)
        said = "; ".join(f"{s.name} {fmt(s.values[i])}" for s in series)
        group = [f"<g><title>{_esc(category)}: {_esc(said)}; total {_esc(fmt(totals[i]))}</title>"]
        for n, one in enumerate(series):
            h = plot_h * one.values[i] / top
            if h <= 0:
                continue
            base -= h
            group.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{_colour(n)}" stroke="#ffffff" stroke-width="1"/>'
            )
        group.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{base - 4:.1f}" text-anchor="middle" '
            f'font-size="10">{_esc(fmt(totals[i]))}</text>'
        )
        if i % every == 0:
            group.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{TOP + plot_h + 16}" '
                f'text-anchor="middle">{_esc(_short(category))}</text>'
            )
        parts.append("".join(group) + "</g>")
    parts.extend(_legend([s.name for s in series], HEIGHT - 12))
    columns = ("", *(s.name for s in series), "Total")
    rows = tuple(
        (category, *(fmt(s.values[i]) for s in series), fmt(totals[i]))
        for i, category in enumerate(categories)
    )
    return Chart(_svg(title, description, WIDTH, height, parts), DataTable(title, columns, rows))


def horizontal_bar_chart(
    title: str, description: str, bars: Sequence[Bar], *, fmt: Formatter = number
) -> Chart:
    """A small chart of one row per labelled value: the label, a bar, the value."""
    _check(title, [(b.label, b.value) for b in bars])
    top = _scale_max(b.value for b in bars)
    height = ROW * max(len(bars), 1) + 8
    width = ROW_LABEL + ROW_BAR + 80
    parts: list[str] = []
    for i, bar in enumerate(bars):
        y = 4 + i * ROW
        w = ROW_BAR * bar.value / top
        parts.append(
            f"<g><title>{_esc(bar.label)}: {_esc(fmt(bar.value))}</title>"
            f'<text x="{ROW_LABEL - 6}" y="{y + 15}" text-anchor="end">'
            f"{_esc(_short(bar.label, 2 * LABEL_CHARS))}</text>"
            f'<rect x="{ROW_LABEL}" y="{y + 4}" width="{w:.1f}" height="{ROW - 8}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{ROW_LABEL + w + 6:.1f}" y="{y + 15}">{_esc(fmt(bar.value))}</text></g>'
        )
    table = DataTable(title, ("", "Value"), tuple((bar.label, fmt(bar.value)) for bar in bars))
    return Chart(_svg(title, description, width, height, parts), table)


def _check(title: str, values: Sequence[tuple[str, float]]) -> None:
    """Bars grow from zero: a negative, infinite or missing value has no bar."""
    for label, value in values:
        if not math.isfinite(value) or value < 0:
            raise UsageError(
                f"chart {title!r}: {label!r} has value {value}; a bar needs a finite value "
                "of 0 or more"
            )


def _scale_max(values: Iterable[float]) -> float:
    """The top of the value axis: the largest value rounded up to 1, 2 or 5 times a power
    of ten (1 when every value is 0, so empty charts still draw)."""
    largest = max(values, default=0.0)
    if largest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(largest))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= largest))


def _axis(top: float, fmt: Formatter) -> list[str]:
    """The baseline and the value axis, marked at zero, half and the top."""
    plot_h, right = HEIGHT - TOP - BOTTOM, WIDTH - RIGHT
    parts = [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{right}" y2="{TOP + plot_h}" stroke="{INK}"/>'
    ]
    for share in (0.5, 1.0):
        y = TOP + plot_h * (1 - share)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-dasharray="2 3"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_esc(fmt(top * share))}</text>"
        )
    parts.append(
        f'<text x="{LEFT - 6}" y="{TOP + plot_h + 4}" text-anchor="end">{_esc(fmt(0))}</text>'
    )
    return parts


def _legend(names: Sequence[str], y: float) -> list[str]:
    """Swatches and names, four to a row, in the order stacked (bottom first)."""
    parts = []
    for n, name in enumerate(names):
        x, row_y = LEFT + (n % 4) * 150, y + 18 * (n // 4)
        parts.append(
            f'<g><rect x="{x}" y="{row_y - 10}" width="12" height="12" fill="{_colour(n)}"/>'
            f'<text x="{x + 18}" y="{row_y}">{_esc(_short(name, 18))}</text></g>'
        )
    return parts


def _svg(title: str, description: str, width: int, height: float, parts: list[str]) -> str:
    """The whole chart, labelled by its title and description; the id is made from the
    content, so two charts of one page differ and a chart's markup is the same each time."""
    digest = hashlib.sha256("\n".join([title, description, *parts]).encode()).hexdigest()
    ident = f"chart-{digest[:12]}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" {FONT} fill="{INK}">'
        f'<title id="{ident}-title">{_esc(title)}</title>'
        f'<desc id="{ident}-desc">{_esc(description)}</desc>' + "".join(parts) + "</svg>"
    )


def _colour(n: int) -> str:
    return PALETTE[n % len(PALETTE)]


def _short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def _esc(text: str) -> str:
    """Text as it may stand in SVG content or an attribute."""
    return html.escape(_NOT_XML.sub("", text), quote=True)
