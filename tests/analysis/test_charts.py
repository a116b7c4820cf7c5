"""Charts: SVG bytes from published numbers; a suppressed value is no bar, labelled "< k"."""

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
    svg = horizontal_bar_chart_svg(
        categories=["sport", "music"], series=[Series("All", [12, 7])], k=5
    )

    assert matplotlib.get_backend().lower() == "agg"
    assert ElementTree.fromstring(svg).tag == f"{SVG}svg"  # noqa: S314
    assert pyplot.get_fignums() == []


def test_a_suppressed_value_is_no_bar_and_reads_below_k():
    shown = horizontal_bar_chart_svg(
        categories=["a", "b", "c"], series=[Series("All", [12, 7, 9])], k=5
    )
    hidden = horizontal_bar_chart_svg(
        categories=["a", "b", "c"], series=[Series("All", [12, None, 9])], k=5
    )

    assert len(bars(hidden)) == len(bars(shown)) - 1
    assert b"&lt; 5" in hidden and b"&lt; 5" not in shown


def test_the_same_numbers_give_the_same_bytes():
    def draw() -> bytes:
        return horizontal_bar_chart_svg(
            categories=["a", "b"], series=[Series("x", [3, 4]), Series("y", [None, 5])], k=10
        )

    assert draw() == draw()
    assert b"&lt; 10" in draw()


def test_it_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError):
        horizontal_bar_chart_svg(categories=["a", "b"], series=[Series("x", [1])], k=5)
