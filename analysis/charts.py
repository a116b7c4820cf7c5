"""Charts of results as SVG (pages) and PNG (the DOCX export): pure functions, published numbers
in, bytes out.

The numbers given here have already been through analysis.suppression: a suppressed cell
arrives as None and is drawn as no bar with the label of a hidden number
(analysis.renderers.hidden), so a chart never shows more than
the data table beside it. Pages serve the SVG as an image of its own (``<img src=...svg>``):
matplotlib writes ``style`` attributes that the pages' Content-Security-Policy would block in
inline SVG, and an image document is not subject to them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.renderers import hidden

# Colours with a contrast of at least 3:1 against white (WCAG 1.4.11, non-text contrast).
PALETTE = ("#1f5f8b", "#b35806", "#2d7d46", "#7b3294", "#a50f15", "#4d4d4d")
TEXT_COLOUR = "#222222"


@dataclass(frozen=True)
class Series:
    """One set of bars: a value per category, None where the value is suppressed."""

    name: str
    values: Sequence[int | float | None]


def horizontal_bar_chart_svg(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    value_label: str = "",
) -> bytes:
    """A horizontal bar chart as SVG: one row per category, one bar per series in each row
    (with a legend when there is more than one series); a value that is None is no bar,
    labelled as a hidden number."""
    return _horizontal_bar_chart(
        categories=categories,
        series=series,
        title=title,
        value_label=value_label,
        image_format="svg",
    )


def horizontal_bar_chart_png(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    value_label: str = "",
    dpi: int = 150,
) -> bytes:
    """The same chart as :func:`horizontal_bar_chart_svg`, as a PNG image (for documents
    such as the DOCX end-report input, which show raster images best)."""
    return _horizontal_bar_chart(
        categories=categories,
        series=series,
        title=title,
        value_label=value_label,
        image_format="png",
        dpi=dpi,
    )


def _horizontal_bar_chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str,
    value_label: str,
    image_format: str,
    dpi: int = 100,
) -> bytes:
    if any(len(one.values) != len(categories) for one in series):
        raise ValueError("every series needs one value per category")
    rows = max(len(categories), 1)
    per_row = max(len(series), 1)
    bar_height = 0.8 / per_row
    height = 1.2 + rows * (0.25 + 0.28 * per_row)
    figure: Figure = pyplot.figure(figsize=(7.5, height))
    try:
        axes = figure.add_subplot(1, 1, 1)
        largest = max(
            (value for one in series for value in one.values if value is not None), default=0
        )
        reach = largest if largest > 0 else 1
        suppressed_label = hidden()
        for index, one in enumerate(series):
            colour = PALETTE[index % len(PALETTE)]
            positions = [row - 0.4 + bar_height * (index + 0.5) for row in range(len(categories))]
            for position, value in zip(positions, one.values, strict=True):
                if value is None:
                    axes.text(
                        reach * 0.01,
                        position,
                        suppressed_label,
                        va="center",
                        ha="left",
                        color=TEXT_COLOUR,
                        fontsize=9,
                        fontstyle="italic",
                    )
                    continue
                axes.barh(
                    position,
                    value,
                    height=bar_height * 0.9,
                    color=colour,
                )
                axes.text(
                    value + reach * 0.01,
                    position,
                    _number(value),
                    va="center",
                    ha="left",
                    color=TEXT_COLOUR,
                    fontsize=9,
                )
        axes.set_yticks(range(len(categories)))
        axes.set_yticklabels([_short(label) for label in categories], color=TEXT_COLOUR)
        axes.set_ylim(len(categories) - 0.5, -0.5)  # first category on top
        axes.set_xlim(0, reach * 1.15)
        if value_label:
            axes.set_xlabel(value_label, color=TEXT_COLOUR)
        if title:
            axes.set_title(_short(title, 80), color=TEXT_COLOUR, loc="left", fontsize=11)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            handles = [
                Patch(color=PALETTE[index % len(PALETTE)], label=one.name)
                for index, one in enumerate(series)
            ]
            axes.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        if image_format == "png":
            # No software/date metadata either: the same numbers give the same bytes.
            figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
            return buffer.getvalue()
        # metadata Date None: the same numbers give the same bytes (cacheable, testable).
        with matplotlib.rc_context({"svg.hashsalt": "inspraak"}):  # stable element ids
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def _number(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
