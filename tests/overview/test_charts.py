"""SVG charts: well-formed, labelled for screen readers, bars and values as given, every
label escaped, and a data table that says the same."""

import xml.etree.ElementTree as ET

import pytest

from watchkeeper.errors import UsageError
from watchkeeper.overview.charts import (
    Bar,
    DataTable,
    Series,
    bar_chart,
    horizontal_bar_chart,
    percent,
    stacked_bar_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert("x")</script> & "Ops"'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def bars(root: ET.Element) -> list[tuple[str, float]]:
    """Each bar's <title> and height."""
    found = []
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        rect, title = group.find("svg:rect", NS), group.find("svg:title", NS)
        if rect is not None and title is not None:
            found.append((title.text or "", float(rect.get("height") or 0)))
    return found


def test_bar_chart_draws_each_value_with_its_label() -> None:
    chart = bar_chart(
        "Decisions per reviewer",
        "Decisions taken by each reviewer",
        [Bar("anna", 7), Bar("ben", 3), Bar("sue", 0)],
    )
    root = parse(chart.svg)
    assert root.findtext("svg:title", namespaces=NS) == "Decisions per reviewer"
    assert root.findtext("svg:desc", namespaces=NS) == "Decisions taken by each reviewer"
    drawn = bars(root)
    assert [title for title, _ in drawn] == ["anna: 7", "ben: 3", "sue: 0"]
    heights = [h for _, h in drawn]
    assert heights[2] == 0 and heights[0] / heights[1] == pytest.approx(7 / 3, rel=1e-2)
    for word in ("anna", "ben", "sue", "7", "3"):
        assert word in texts(root)  # values and labels as text, readable without colour
    assert chart.table == DataTable(
        "Decisions per reviewer", ("", "Value"), (("anna", "7"), ("ben", "3"), ("sue", "0"))
    )


def test_a_hostile_label_is_escaped() -> None:
    for chart in (
        bar_chart(HOSTILE, HOSTILE, [Bar(HOSTILE, 1)]),
        horizontal_bar_chart("t", "d", [Bar(HOSTILE, 1)]),
        stacked_bar_chart("t", "d", [HOSTILE], [Series(HOSTILE, (1,))]),
    ):
        assert "<script" not in chart.svg
        assert "&lt;script&gt;" in chart.svg
        root = parse(chart.svg)  # still well-formed XML
        titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
        assert any(t and t.startswith(HOSTILE) for t in titles)  # the whole label, as text
        assert root.find(".//svg:script", NS) is None
    # Characters XML cannot hold at all are dropped, not passed through.
    parse(bar_chart("a\x00b", "d", [Bar("x\x1by", 1)]).svg)


def test_stacked_bars_per_day() -> None:
    days = ["03-08", "03-09", "03-10"]
    chart = stacked_bar_chart(
        "Alerts per day",
        "Alerts raised per lane and day",
        days,
        [Series("finance", (11, 0, 0)), Series("documents", (0, 0, 2))],
    )
    root = parse(chart.svg)
    groups = bars(root)
    assert [title for title, _ in groups] == [
        "03-08: finance 11; documents 0; total 11",
        "03-10: finance 0; documents 2; total 2",
    ]  # a day without alerts draws no bar, only its label and total
    shown = texts(root)
    for label in (*days, "finance", "documents", "11", "2"):
        assert label in shown
    assert chart.table.columns == ("", "finance", "documents", "Total")
    assert chart.table.rows == (
        ("03-08", "11", "0", "11"),
        ("03-09", "0", "0", "0"),
        ("03-10", "0", "2", "2"),
    )


def test_stacked_segments_stack() -> None:
    root = parse(stacked_bar_chart("t", "d", ["a"], [Series("x", (1,)), Series("y", (3,))]).svg)
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("stroke")]
    low, high = rects  # drawn in the order given, the first at the bottom
    assert float(high.get("y") or 0) + float(high.get("height") or 0) == pytest.approx(
        float(low.get("y") or 0)
    )
    assert float(high.get("height") or 0) == pytest.approx(3 * float(low.get("height") or 0))


def test_horizontal_bars_with_percentages() -> None:
    chart = horizontal_bar_chart(
        "Cleared per list",
        "Share of decided alerts cleared",
        [Bar("un", 0.5), Bar("ofac", 1)],
        fmt=percent,
    )
    root = parse(chart.svg)
    assert [t for t, _ in bars(root)] == ["un: 50 %", "ofac: 100 %"]
    assert {"un", "ofac", "50 %", "100 %"} <= set(texts(root))
    assert chart.table.rows == (("un", "50 %"), ("ofac", "100 %"))


def test_a_long_label_is_cut_on_the_chart_only() -> None:
    name = "partner-xx-bpu-terrorist-content"
    chart = bar_chart("t", "d", [Bar(name, 1)])
    root = parse(chart.svg)
    assert name not in texts(root) and any(t.endswith("…") for t in texts(root))
    assert bars(root)[0][0] == f"{name}: 1"
    assert chart.table.rows == ((name, "1"),)


def test_empty_and_zero_charts_still_draw() -> None:
    parse(bar_chart("t", "d", []).svg)
    parse(stacked_bar_chart("t", "d", [], []).svg)
    root = parse(horizontal_bar_chart("t", "d", [Bar("a", 0), Bar("b", 0)]).svg)
    widths = [r.get("width") for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths == ["0.0", "0.0"]


def test_charts_of_the_same_data_are_the_same_and_of_other_data_differ() -> None:
    one = bar_chart("t", "d", [Bar("a", 1)]).svg
    assert one == bar_chart("t", "d", [Bar("a", 1)]).svg
    other = parse(bar_chart("t", "d", [Bar("a", 2)]).svg)
    assert parse(one).find("svg:title", NS).get("id") != other.find("svg:title", NS).get("id")  # type: ignore[union-attr]


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_a_value_without_a_bar_is_refused(value: float) -> None:
    with pytest.raises(UsageError, match="'ben' has value"):
        bar_chart("Decisions", "d", [Bar("ben", value)])


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(UsageError, match="series 'travel' has 1 values for 2 categories"):
        stacked_bar_chart("t", "d", ["a", "b"], [Series("travel", (1,))])
