"""Charts: SVG bytes from published numbers; a suppressed value is no bar, labelled "not shown"."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import matplotlib
import pytest
from matplotlib import pyplot

from analysis.charts import Series, horizontal_bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: bytes) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(svg)  # noqa: S314  (our own output)
    return [
        group
        for group in root.iter(f"{SVG}g")
        if group.get("id", "").startswith("patch_") and group.find(f"{SVG}path") is not None
    ]


def test_it_draws_an_svg_with_the_agg_backend_and_closes_its_figure():
    svg = horizontal_bar_chart_svg(categories=["sport", "music"], series=[Series("All", [12, 7])])

    assert matplotlib.get_backend().lower() == "agg"
    assert ElementTree.fromstring(svg).tag == f"{SVG}svg"  # noqa: S314
    assert pyplot.get_fignums() == []


def test_a_suppressed_value_is_no_bar_and_reads_not_shown():
    shown = horizontal_bar_chart_svg(categories=["a", "b", "c"], series=[Series("All", [12, 7, 9])])
    hidden = horizontal_bar_chart_svg(
        categories=["a", "b", "c"], series=[Series("All", [12, None, 9])]
    )

    assert len(bars(hidden)) == len(bars(shown)) - 1
    assert b"not shown" in hidden and b"not shown" not in shown


def test_the_same_numbers_give_the_same_bytes():
    def draw() -> bytes:
        return horizontal_bar_chart_svg(
            categories=["a", "b"], series=[Series("x", [3, 4]), Series("y", [None, 5])]
        )

    assert draw() == draw()
    assert b"not shown" in draw()


def test_it_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError):
        horizontal_bar_chart_svg(categories=["a", "b"], series=[Series("x", [1])])
