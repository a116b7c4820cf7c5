"""The end-report input as an Excel workbook (openpyxl, write-only): data in, a .xlsx written to a
stream.

Sheets: an overview (campaign, period, participation, surveys), the results of every question
with their breakdowns by age band, organisation and language (one row per number, a layout that
filters and pivots well), the codebook with its frequencies, the roundtable outcomes and, only
when asked for, the anonymised raw responses (one row per response, one column per question).

A write-only workbook streams every row to a temporary file as it is appended, and strings are
written inline, so memory stays flat whatever the number of raw responses. A suppressed number
reads "< k" (text), like on the pages. No cell is ever a formula: a text starting with "=" is
stored as text.

Headings come from gettext: call inside ``translation.override(<language>)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from analysis.renderers import dimension_label, hidden, xml_safe

Progress = Callable[[float], None]
BOLD = Font(bold=True)
# Sheet names: at most 31 characters, none of []:*?/\
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
# Share of the progress bar for the summary sheets when raw responses follow.
SUMMARY_SHARE = 0.2


def render_xlsx(
    *,
    report: dict[str, Any],
    out: BinaryIO,
    raw_header: list[str] | None = None,
    raw_rows: Iterable[list[Any]] | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the workbook of ``report`` to ``out``; with ``raw_header`` and ``raw_rows``
    (``analysis.report.RawResponses``) a sheet of raw responses as well. ``progress``
    (0..1) is called as the rows of raw responses are written."""
    workbook = Workbook(write_only=True)
    writer = _XlsxReport(workbook, report)
    with_raw = raw_header is not None and raw_rows is not None
    summary_share = SUMMARY_SHARE if with_raw else 1.0
    writer.overview()
    writer.results()
    if progress:
        progress(summary_share * 0.8)
    writer.codebook()
    writer.outcomes()
    if progress:
        progress(summary_share)
    if with_raw:
        writer.raw_responses(raw_header, raw_rows)
    workbook.save(out)
    if progress:
        progress(1.0)


def safe(value: Any) -> Any:
    """A value openpyxl can write as it is: text without characters XML forbids."""
    if isinstance(value, str) and value and not value.isprintable():
        return xml_safe(value)
    return value


class _XlsxReport:
    def __init__(self, workbook: Workbook, report: dict[str, Any]):
        self.workbook = workbook
        self.report = report
        self.k: int = report["k"]

    def sheet(self, title: str, widths: Iterable[int] = ()) -> WriteOnlyWorksheet:
        sheet = self.workbook.create_sheet(_NOT_IN_SHEET_NAME.sub(" ", title)[:31])
        for index, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        return sheet

    def cell(self, sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Any:
        """``value`` as it may go into ``sheet``: a cell object when it needs one (bold, or
        text that openpyxl would take for a formula)."""
        value = safe(value)
        if bold or (isinstance(value, str) and value.startswith("=")):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if bold:
                cell.font = BOLD
            return cell
        return value

    def row(self, sheet: WriteOnlyWorksheet, values: Iterable[Any], *, bold: bool = False) -> None:
        sheet.append([self.cell(sheet, value, bold=bold) for value in values])

    def number(self, value: int | None) -> int | str:
        return hidden(self.k) if value is None else value

    # --- Overview --------------------------------------------------------------------------------

    def overview(self) -> None:
        report = self.report
        sheet = self.sheet(gettext("Overview"), widths=(40, 50))
        period = report["period"]
        self.row(sheet, [report["campaign"]["title"]], bold=True)
        self.row(sheet, [gettext("End-report input")])
        self.row(sheet, [])
        for label, value in (
            (gettext("Campaign"), report["campaign"]["slug"]),
            (gettext("Campaign starts on"), period["starts_on"]),
            (gettext("Campaign ends on"), period["ends_on"]),
            (gettext("First response on"), period["first_response"]),
            (gettext("Last response on"), period["last_response"]),
            (gettext("Generated at"), report["generated_at"].replace(tzinfo=None)),
            (gettext("Minimum group size (k)"), self.k),
            (gettext("Young people who took part"), report["participation"]["total"]),
        ):
            self.row(sheet, [label, value])
        self.row(sheet, [])
        self.row(
            sheet,
            [
                gettext(
                    'A number below %(k)s reads "< %(k)s", and sometimes one more number is '
                    "hidden so that a hidden one cannot be worked out from the total. Overall "
                    "totals are exact."
                )
                % {"k": self.k}
            ],
        )
        for key in ("by_age_band", "by_organisation", "by_language"):
            self.row(sheet, [])
            self.row(
                sheet,
                [dimension_label(key.removeprefix("by_")), gettext("Young people")],
                bold=True,
            )
            for row in report["participation"][key]:
                self.row(sheet, [row["label"], self.number(row["count"])])
        self.row(sheet, [])
        self.row(
            sheet,
            [gettext("Survey"), gettext("Responses"), gettext("Questions"), gettext("Address")],
            bold=True,
        )
        for survey in report["method"]["surveys"]:
            self.row(
                sheet,
                [
                    survey["title"],
                    survey["response_count"],
                    survey["question_count"],
                    survey["slug"],
                ],
            )

    # --- Results ---------------------------------------------------------------------------------

    def results(self) -> None:
        sheet = self.sheet(gettext("Results"), widths=(18, 16, 50, 12, 16, 24, 10, 16, 16, 30, 12))
        sheet.freeze_panes = "A2"
        self.row(
            sheet,
            [
                gettext("Survey"),
                gettext("Question key"),
                gettext("Question"),
                gettext("Kind"),
                gettext("Breakdown"),
                gettext("Group"),
                gettext("Group n"),
                gettext("Measure"),
                gettext("Option value"),
                gettext("Option"),
                gettext("Value"),
            ],
            bold=True,
        )
        for survey in self.report["surveys"]:
            for question in survey["questions"]:
                start = [survey["slug"], question["key"], question["text"], question["kind"]]
                columns = [(gettext("All"), gettext("All"), question["n"], question["results"])]
                for dimension, groups in question["breakdowns"].items():
                    columns += [
                        (dimension_label(dimension), group["label"], group["n"], group["results"])
                        for group in groups
                    ]
                for breakdown, group, n, results in columns:
                    prefix = [*start, breakdown, group, self.number(n)]
                    for measure, value, label, number in self._measures(
                        question["kind"], results, n
                    ):
                        self.row(sheet, [*prefix, measure, value, label, number])

    def _measures(
        self, kind: str, results: dict[str, Any] | None, n: int | None
    ) -> Iterable[tuple[str, str, str, Any]]:
        """(measure, option value, option label, number) rows of one question in one group."""
        if kind == "text":
            yield gettext("Answered"), "", "", self.number(n)
            return
        if results is None:  # the whole group is suppressed
            yield gettext("Count"), "", "", hidden(self.k)
            return
        if kind == "ranking":
            for cell in results.get("first_choice", []):
                yield (
                    gettext("First choice"),
                    cell["value"],
                    cell["label"],
                    self.number(cell["count"]),
                )
            for rank in results.get("mean_rank", []):
                value: Any = rank["mean_rank"]
                if rank["suppressed"]:
                    value = hidden(self.k)
                yield gettext("Mean rank"), rank["value"], rank["label"], value
            return
        for cell in results.get("counts", []):
            yield gettext("Count"), cell["value"], cell["label"], self.number(cell["count"])
        for name, label in (("mean", gettext("Mean")), ("median", gettext("Median"))):
            if name in results and not (kind == "scale" and name == "median"):
                value = results[name]
                if value is None and n:
                    value = hidden(self.k)
                yield label, "", "", value

    # --- Codebook and outcomes -------------------------------------------------------------------

    def codebook(self) -> None:
        book = self.report["codebook"]
        sheet = self.sheet(gettext("Codebook"), widths=(30, 50, 20, 12))
        sheet.freeze_panes = "A3"
        bands = book["age_bands"]
        self.row(
            sheet,
            [
                gettext("Code"),
                gettext("Description"),
                gettext("UNCRC articles"),
                gettext("All"),
                *[band["code"] for band in bands],
            ],
            bold=True,
        )
        self.row(
            sheet,
            [
                gettext("Young people with a coded answer (n)"),
                "",
                "",
                book["coded_responses"],
                *[self.number(band["n"]) for band in bands],
            ],
        )
        for code in book["codes"]:
            frequency = code["frequency"]
            self.row(
                sheet,
                [
                    code["label"],
                    code["description"],
                    ", ".join(article["code"] for article in code["articles"]),
                    self.number(frequency["overall"]["count"]),
                    *[self.number(cell["count"]) for cell in frequency["by_age_band"]],
                ],
            )

    def outcomes(self) -> None:
        sheet = self.sheet(gettext("Roundtable outcomes"), widths=(30, 12, 60, 60, 20))
        sheet.freeze_panes = "A2"
        self.row(
            sheet,
            [
                gettext("Roundtable"),
                gettext("Date"),
                gettext("Summary"),
                gettext("Key point"),
                gettext("UNCRC articles"),
            ],
            bold=True,
        )
        for outcome in self.report["outcomes"]:
            points = outcome["points"] or [None]
            for point in points:
                self.row(
                    sheet,
                    [
                        outcome["roundtable"],
                        outcome["date"],
                        outcome["summary"],
                        point["text"] if point else "",
                        ", ".join(point["articles"]) if point else "",
                    ],
                )

    # --- Raw responses ---------------------------------------------------------------------------

    def raw_responses(self, header: list[str], rows: Iterable[list[Any]]) -> None:
        sheet = self.sheet(gettext("Raw responses"), widths=(14, 16, 12, 10, 10, 24))
        sheet.freeze_panes = "B2"
        self.row(sheet, header, bold=True)
        append = sheet.append
        for values in rows:
            for index, value in enumerate(values):
                # Only text needs a look: most values are numbers, dates and option values.
                if type(value) is str and value and (value[0] == "=" or not value.isprintable()):
                    values[index] = self.cell(sheet, value)
            append(values)
