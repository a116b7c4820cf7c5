"""Renderers of the exports: pure functions, plain data in (``analysis.report``), a file out.

They read no database and write nothing but the stream they are given. Helpers shared by the
DOCX and XLSX renderers live here: numbers as a reader sees them (a suppressed count is None,
shown as "< k") and a question's results as a table of display strings.

Texts go through gettext: the caller renders inside ``translation.override(<export language>)``.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext

NO_VALUE = "\u2013"  # an en dash: nothing to show (no one answered)

# Characters XML 1.0 does not allow (python-docx and openpyxl refuse them): control characters
# other than tab, newline and carriage return. A young person's text may hold one.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_IN_XML.sub("", text)


def hidden() -> str:
    """What a suppressed number reads. Never "< k": a number hidden only so that a smaller one
    cannot be worked out from the total may be large, and "fewer than 5" would then be false in
    a report. Every hidden number reads alike, so the label tells nothing either."""
    return gettext("not shown")


def count_text(value: int | None, k: int, *, n: int | None = None) -> str:
    """A published count: "12", "12 (40%)" with a share of ``n``, or hidden() when suppressed."""
    if value is None:
        return hidden()
    if not n:
        return number_format(value)
    share = number_format(round(100 * value / n), decimal_pos=0)
    return gettext("%(count)s (%(share)s%%)") % {"count": number_format(value), "share": share}


def decimal_text(value: float, decimals: int) -> str:
    """A number with ``decimals`` places, rounded (number_format alone cuts the rest off)."""
    return number_format(round(value, decimals), decimal_pos=decimals)


def statistic_text(value: float | None, n: int | None, k: int, *, decimals: int = 1) -> str:
    if value is None:
        return NO_VALUE if not n else hidden()
    return decimal_text(value, decimals)


def dimension_label(dimension: str) -> str:
    return {
        "age_band": gettext("Age band"),
        "organisation": gettext("Organisation"),
        "language": gettext("Language"),
    }.get(dimension, dimension)


def question_columns(
    question: dict[str, Any], groups: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """The overall column, then one per group of a breakdown (``survey_results`` entries)."""
    columns = [{"label": gettext("All"), "n": question["n"], "results": question["results"]}]
    for group in groups or []:
        columns.append({"label": group["label"], "n": group["n"], "results": group["results"]})
    return columns


def _cell_rows(
    columns: list[dict[str, Any]], part: str, k: int, *, prefix: str = ""
) -> list[list[str]]:
    cells_of = [
        {cell["value"]: cell for cell in (column["results"] or {}).get(part, [])}
        for column in columns
    ]
    rows = []
    for option in (columns[0]["results"] or {}).get(part, []):
        row = [f"{prefix}: {option['label']}" if prefix else option["label"]]
        for column, cells in zip(columns, cells_of, strict=True):
            cell = cells.get(option["value"])
            if column["results"] is None:
                row.append(hidden() if column["n"] != 0 else NO_VALUE)
            else:
                row.append(count_text(None if cell is None else cell["count"], k, n=column["n"]))
        rows.append(row)
    return rows


def question_table(
    question: dict[str, Any], k: int, groups: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A question's results as display strings: ``header`` (the first cell "Answer", then a
    column label with its n), ``rows`` (label, then a cell per column), ``has_suppressed``.

    ``groups``: the question's results per group of a breakdown (``breakdown`` of a
    ``survey_results`` entry); a suppressed group shows "< k" throughout."""
    columns = question_columns(question, groups)
    kind = question["kind"]
    rows: list[list[str]] = []
    if kind == "text":
        rows.append(
            [gettext("Answered")]
            + [
                hidden() if column["n"] is None else number_format(column["n"])
                for column in columns
            ]
        )
    elif kind == "ranking":
        rows += _cell_rows(columns, "first_choice", k, prefix=gettext("First choice"))
        ranks_of = [
            {rank["value"]: rank for rank in (column["results"] or {}).get("mean_rank", [])}
            for column in columns
        ]
        for option in (columns[0]["results"] or {}).get("mean_rank", []):
            row = [gettext("Mean rank: %(option)s") % {"option": option["label"]}]
            for column, ranks in zip(columns, ranks_of, strict=True):
                rank = ranks.get(option["value"])
                if (rank is None or rank["suppressed"]) and column["n"] != 0:
                    row.append(hidden())
                else:
                    value = None if rank is None else rank["mean_rank"]
                    row.append(NO_VALUE if value is None else decimal_text(value, 2))
            rows.append(row)
    else:
        rows += _cell_rows(columns, "counts", k)
        statistics = []
        if kind in ("scale", "number"):
            statistics.append(("mean", gettext("Mean")))
        if kind == "number":
            statistics.append(("median", gettext("Median")))
        for name, label in statistics:
            rows.append(
                [label]
                + [
                    statistic_text((column["results"] or {}).get(name), column["n"], k)
                    for column in columns
                ]
            )
    header = [gettext("Answer")] + [
        gettext("%(label)s (n = %(n)s)")
        % {
            "label": column["label"],
            "n": hidden() if column["n"] is None else number_format(column["n"]),
        }
        for column in columns
    ]
    has_suppressed = any(cell == hidden() for row in rows for cell in row[1:]) or any(
        column["n"] is None for column in columns
    )
    return {"header": header, "rows": rows, "has_suppressed": has_suppressed}


def chart_data(question: dict[str, Any]) -> tuple[list[str], list[int | None]] | None:
    """Categories and overall values for a question's chart; None for open questions or
    when there is nothing to draw."""
    part = {"text": None, "ranking": "first_choice"}.get(question["kind"], "counts")
    if part is None or not question.get("results"):
        return None
    cells = question["results"].get(part, [])
    if not cells:
        return None
    return [cell["label"] for cell in cells], [cell["count"] for cell in cells]
