"""The end-report input as an Excel workbook (openpyxl, write-only): data in, a .xlsx written to a
stream.

Sheets: an overview (campaign, period, participation, surveys), the results of every question
with their breakdowns by age band, organisation and language (one row per number, a layout that
filters and pivots well), the codebook with its frequencies, the roundtable outcomes and, only
when asked for, the anonymised raw responses (one row per response, one column per question).

openpyxl (write-only) writes the summary sheets and the heading of the raw responses. Their
rows, up to millions of cells, are written by ``_raw_rows_xml`` instead: openpyxl builds each
cell as objects and XML elements in Python (about 100k cells a second, most of an export's
time), where these rows need one string each. The workbook openpyxl saved is then copied into
``out`` with those rows put into the raw sheet's ``<sheetData>``. Rows are streamed as they come
and strings are written inline, so memory stays flat whatever the number of raw responses.

A suppressed number reads "< k" (text), like on the pages. No cell is ever a formula: a text
starting with "=" is stored as text.

Headings come from gettext: call inside ``translation.override(<language>)``.
"""

from __future__ import annotations

import datetime
import math
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
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
# zlib level of the workbook's parts. At zlib's default (6) compressing is a large part of a raw
# export's time: for the 100 MB of XML of 100k raw responses it took 1.1 s for 11.6 MB, level 2
# about 0.4 s for 13.9 MB (measured with make bench, row 4: the whole XLSX export at 10k went from
# 4.3x to 2.8x COPY).
COMPRESS_LEVEL = 2
# What openpyxl gives dates and datetimes without a number format of their own.
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
# Excel's longest text in a cell; openpyxl cuts longer texts there too.
MAX_TEXT_LENGTH = 32767
# Rows of raw responses joined into one piece before they are compressed.
ROWS_PER_WRITE = 200
# Texts of raw responses escaped once and remembered: how many, and how long at most.
REMEMBERED_TEXTS = 10_000
REMEMBERED_TEXT_LENGTH = 200


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
    if not with_raw:
        workbook.save(out)
    else:
        sheet = writer.raw_responses(raw_header)
        styles = _RawStyles(
            date=_style_id(sheet, DATE_FORMAT), datetime=_style_id(sheet, DATETIME_FORMAT)
        )
        with tempfile.TemporaryFile(prefix="inspraak-xlsx-") as summary:
            workbook.save(summary)
            summary.seek(0)
            _copy_with_raw_rows(
                summary,
                out,
                sheet_part=sheet.path.lstrip("/"),
                rows=_raw_rows_xml(raw_rows, width=len(raw_header), styles=styles),
            )
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
        return hidden() if value is None else value

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
                    'A number below %(k)s reads "%(hidden)s", and so does sometimes one more '
                    "number, hidden so that a hidden one cannot be worked out from the total. "
                    "Overall totals are exact."
                )
                % {"k": self.k, "hidden": hidden()}
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
            yield gettext("Count"), "", "", hidden()
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
                    value = hidden()
                yield gettext("Mean rank"), rank["value"], rank["label"], value
            return
        for cell in results.get("counts", []):
            yield gettext("Count"), cell["value"], cell["label"], self.number(cell["count"])
        for name, label in (("mean", gettext("Mean")), ("median", gettext("Median"))):
            if name in results and not (kind == "scale" and name == "median"):
                value = results[name]
                if value is None and n:
                    value = hidden()
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

    def raw_responses(self, header: list[str]) -> WriteOnlyWorksheet:
        """The sheet of raw responses with its heading; ``_raw_rows_xml`` writes the rows."""
        sheet = self.sheet(gettext("Raw responses"), widths=(14, 16, 12, 10, 10, 24))
        sheet.freeze_panes = "B2"
        self.row(sheet, header, bold=True)
        return sheet


# --- Raw responses: the rows as XML --------------------------------------------------------------


@dataclass(frozen=True)
class _RawStyles:
    """Numbers of the workbook's cell styles that the raw cells refer to."""

    date: int
    datetime: int


def _style_id(sheet: WriteOnlyWorksheet, number_format: str) -> int:
    """The number of the cell style with ``number_format``, added to the workbook's styles, for
    cells that openpyxl does not write itself."""
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format
    return cell.style_id


def _inline_string(value: str) -> str:
    """The ``<is>`` of a text cell, or "" when nothing is left of ``value``: what openpyxl makes
    of a text — characters XML forbids left out, cut at Excel's longest text, & < > escaped,
    spaces at either end kept — and a carriage return written as a reference, as lxml does (an
    XML reader turns a bare one into a line feed)."""
    printable = value.isprintable()  # most texts: nothing to clean, no line breaks
    if not printable:
        value = xml_safe(value)
    if len(value) > MAX_TEXT_LENGTH:
        value = value[:MAX_TEXT_LENGTH]
    if not value:
        return ""
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if not printable and "\r" in value:
        value = value.replace("\r", "&#13;")
    return f"<is><t{space}>{value}</t></is>"


def _excel_days(value: datetime.date) -> int:
    """Days since Excel's day 0 (1899-12-30), one less before March 1900 (Excel counts a
    1900-02-29 that never was), as openpyxl counts them."""
    days = value.toordinal() - _EXCEL_DAY_ZERO
    return days - 1 if 0 < days <= 60 else days


_EXCEL_DAY_ZERO = datetime.date(1899, 12, 30).toordinal()


def _number_text(value: Decimal | float | int) -> str:
    """A number as openpyxl writes it (16 significant digits), "" for NaN and infinities."""
    number = float(value)
    return f"{number:.16g}" if math.isfinite(number) else ""


def _raw_rows_xml(rows: Iterable[list[Any]], *, width: int, styles: _RawStyles) -> Iterator[bytes]:
    """The ``<row>`` elements of ``rows`` (plain values, ``analysis.report.RawResponses``) from
    the sheet's second row on, as UTF-8 pieces of ROWS_PER_WRITE rows.

    The cells read as openpyxl's would: text as an inline string (never a formula, whatever it
    starts with), numbers as numbers, dates in the date style; None and "" as an empty cell.
    This is the inner loop of a raw export, so each cell is one formatted string, the most
    common types first; ``_other_cell`` takes the rest.
    """
    cell_starts = [f'<c r="{get_column_letter(column)}' for column in range(1, width + 1)]
    date_style = f'" s="{styles.date}"><v>'
    # Most texts are option values, codes and names that come back row after row: each is
    # escaped once. Long texts and those past the first REMEMBERED_TEXTS are not kept, so that
    # memory stays flat.
    remembered: dict[str, str] = {}
    pieces: list[str] = []
    for row_number, values in enumerate(rows, start=2):
        number = str(row_number)
        cells = [f'<row r="{number}">']
        add = cells.append
        for start, value in zip(cell_starts, values, strict=True):
            kind = type(value)
            if kind is str:
                text = remembered.get(value)
                if text is None:
                    text = _inline_string(value)
                    if len(value) <= REMEMBERED_TEXT_LENGTH and len(remembered) < REMEMBERED_TEXTS:
                        remembered[value] = text
                add(f'{start}{number}" t="inlineStr">{text}</c>' if text else f'{start}{number}"/>')
            elif value is None:
                add(f'{start}{number}"/>')
            elif kind is int:
                add(f'{start}{number}"><v>{value}</v></c>')
            elif kind is datetime.date:
                add(f"{start}{number}{date_style}{_excel_days(value)}</v></c>")
            else:
                add(_other_cell(f"{start}{number}", value, styles))
        add("</row>")
        pieces.append("".join(cells))
        if len(pieces) >= ROWS_PER_WRITE:
            yield "".join(pieces).encode()
            pieces.clear()
    if pieces:
        yield "".join(pieces).encode()


def _other_cell(start: str, value: Any, styles: _RawStyles) -> str:
    """A cell of one of the rarer types of ``_raw_rows_xml``: a Decimal or a float, a datetime
    (naive, as openpyxl wants it), a boolean, or a subclass of str, int or date."""
    if isinstance(value, bool):
        return f'{start}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal | float | int):
        text = _number_text(value)
        return f'{start}"><v>{text}</v></c>' if text else f'{start}"/>'
    if isinstance(value, str):
        text = _inline_string(value)
        return f'{start}" t="inlineStr">{text}</c>' if text else f'{start}"/>'
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise TypeError(f"Excel has no time zones: {value!r} cannot be written")
        time = value.time()
        seconds = time.hour * 3600 + time.minute * 60 + time.second + time.microsecond / 1e6
        text = _number_text(_excel_days(value) + seconds / 86400)
        return f'{start}" s="{styles.datetime}"><v>{text}</v></c>'
    if isinstance(value, datetime.date):
        return f'{start}" s="{styles.date}"><v>{_excel_days(value)}</v></c>'
    raise TypeError(f"A raw response cell cannot hold {type(value).__name__}: {value!r}")


def _copy_with_raw_rows(
    summary: BinaryIO, out: BinaryIO, *, sheet_part: str, rows: Iterable[bytes]
) -> None:
    """Copy the workbook ``summary`` (as openpyxl saved it) into ``out``, part by part, with
    ``rows`` added at the end of the ``<sheetData>`` of the worksheet part ``sheet_part``."""
    with (
        zipfile.ZipFile(summary) as source,
        zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        ) as target,
    ):
        if sheet_part not in source.namelist():
            raise RuntimeError(f"The workbook has no {sheet_part} to put the raw responses in")
        for part in source.infolist():
            content = source.read(part)
            if part.filename != sheet_part:
                target.writestr(part.filename, content)
                continue
            start, end, rest = content.partition(b"</sheetData>")
            if not end:
                raise RuntimeError(f"{sheet_part} has no </sheetData> to put the rows before")
            with target.open(part.filename, "w") as sheet:
                sheet.write(start)
                for piece in rows:
                    sheet.write(piece)
                sheet.write(end + rest)
