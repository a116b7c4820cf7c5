"""The XLSX workbook, opened with openpyxl: an overview, every question's results with their
breakdowns, the codebook, the roundtable outcomes, and the anonymised raw responses only when
asked for; every number equal to the database's count with suppression applied; no cell a
formula, whatever a young person typed (issue 6, acceptance 1)."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from analysis.exports import snapshots_refresh_for_export, write_xlsx
from analysis.renderers import xml_safe
from analysis.renderers.xlsx import render_xlsx
from analysis.report import report_data, response_pseudonym
from surveys.models import Answer, Response
from tests.analysis.test_exports import POINT, QUOTE, ExportScenario, build_export_scenario
from tests.analysis.test_report_docx import K, bands, counted, published, reference_columns

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(settings, tmp_path) -> ExportScenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_export_scenario(count=70, seed=9, k=K)


def workbook(scenario: ExportScenario, *, language: str = "en", include_raw: bool = False):
    snapshots_refresh_for_export(campaign=scenario.campaign)
    out = io.BytesIO()
    write_xlsx(campaign=scenario.campaign, out=out, language=language, include_raw=include_raw)
    return load_workbook(io.BytesIO(out.getvalue()))


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def as_number(value: Any) -> int | None:
    return None if value == "not shown" else value


def test_it_has_the_summary_sheets_and_raw_responses_only_when_asked(scenario):
    assert workbook(scenario).sheetnames == [
        "Overview",
        "Results",
        "Codebook",
        "Roundtable outcomes",
    ]
    assert workbook(scenario, include_raw=True).sheetnames[-1] == "Raw responses"


def test_the_overview_counts_young_people_with_small_groups_hidden(scenario):
    overview = rows_of(workbook(scenario)["Overview"])
    values = {row[0]: row[1] for row in overview if row and row[0]}
    responses = counted(scenario)
    total = responses.count()

    assert overview[0][0] == "Wellbeing at school"
    assert values["Young people who took part"] == total
    assert values["Minimum group size (k)"] == K
    per_band = dict(
        responses.values("age_band__code")
        .annotate(n=Count("id"))
        .values_list("age_band__code", "n")
    )
    expected = published({band: per_band.get(band, 0) for band in bands(scenario)}, total)
    assert {band: as_number(values[band]) for band in bands(scenario)} == expected


@pytest.mark.parametrize("key", ["mood", "sport", "hobbies", "priorities", "say"])
def test_results_per_question_equal_the_database_overall_and_by_age_band(scenario, key):
    results = rows_of(workbook(scenario)["Results"])
    header, *rows = results
    assert header == (
        "Survey",
        "Question key",
        "Question",
        "Kind",
        "Breakdown",
        "Group",
        "Group n",
        "Measure",
        "Option value",
        "Option",
        "Value",
    )
    measure = "First choice" if key == "priorities" else "Count"
    shown: dict[str, dict[str, Any]] = defaultdict(dict)
    sizes: dict[str, Any] = {}
    for row in rows:
        if row[1] != key or row[7] != measure or row[4] not in ("All", "Age band"):
            continue
        shown[row[5]][row[8]] = as_number(row[10])
        sizes[row[5]] = as_number(row[6])

    expected = reference_columns(scenario, key)
    for group, column in expected.items():
        assert sizes[group] == column["n"], group
        if column["counts"] is None:
            assert set(shown[group].values()) == {None}, group
        else:
            assert shown[group] == column["counts"], group


def test_results_are_also_broken_down_by_organisation_and_language(scenario):
    rows = rows_of(workbook(scenario)["Results"])[1:]
    sport = [row for row in rows if row[1] == "sport" and row[7] == "Count"]

    groups = {(row[4], row[5]) for row in sport}
    assert ("Organisation", scenario.chiro.name) in groups
    assert ("Organisation", "Without an invite link") in groups
    assert {("Language", name) for name in ("Dutch", "French", "English")} <= groups
    answered = Answer.objects.filter(
        question__key="sport", response__withdrawn_at__isnull=True, response__language="nl"
    ).count()
    dutch_n = {row[6] for row in sport if row[5] == "Dutch"}
    assert dutch_n == {answered if answered >= K else "not shown"}


def test_the_codebook_and_the_roundtable_outcomes(scenario):
    book = workbook(scenario)
    codebook = rows_of(book["Codebook"])
    outcomes = rows_of(book["Roundtable outcomes"])

    assert codebook[0][:4] == ("Code", "Description", "UNCRC articles", "All")
    assert codebook[1][3] == 1  # young people with a coded answer: exact, the overall total
    assert codebook[2][0] == "Veiligheid" and codebook[2][3] == "not shown"
    assert outcomes[1][0] == "Roundtable on safety"
    assert outcomes[1][3] == POINT and outcomes[1][4] == "19"


def test_raw_responses_are_one_row_per_counted_response_one_column_per_question(scenario):
    raw = rows_of(workbook(scenario, include_raw=True)["Raw responses"])
    header, *rows = raw

    assert header == (
        "response_id",
        "survey",
        "submitted_on",
        "age_band",
        "language",
        "organisation",
        "mood",
        "sport",
        "sport_where",
        "hobbies",
        "hours",
        "story",
        "priorities",
        "say",
    )
    responses = counted(scenario)
    assert len(rows) == responses.count()
    ids = {row[0] for row in rows}
    assert ids == {response_pseudonym(pk) for pk in responses.values_list("pk", flat=True)}
    assert not ids & set(responses.values_list("pk", flat=True))  # not the database ids

    quoted = next(row for row in rows if row[11] == QUOTE)
    response = Response.objects.get(answers__text_value=QUOTE)
    values = dict(zip(header, quoted, strict=True))
    assert values["response_id"] == response_pseudonym(response.pk)
    assert values["age_band"] == response.age_band.code
    assert values["language"] == response.language
    assert values["submitted_on"].date() == timezone.localtime(response.submitted_at).date()
    chosen = Answer.objects.filter(response=response, question__key="hobbies").order_by(
        "option__order"
    )
    assert values["hobbies"] == ("|".join(answer.option.value for answer in chosen) or None)
    ranked = Answer.objects.filter(response=response, question__key="priorities").order_by("rank")
    assert values["priorities"] == ("|".join(answer.option.value for answer in ranked) or None)
    mood = Answer.objects.filter(response=response, question__key="mood").first()
    assert values["mood"] == (int(mood.number_value) if mood else None)


def test_no_cell_is_ever_a_formula_and_odd_characters_do_not_break_it(scenario):
    answers = Answer.objects.filter(question__key="story", response__withdrawn_at__isnull=True)
    first, second = answers.order_by("pk")[:2]
    Answer.objects.filter(pk=first.pk).update(text_value='=HYPERLINK("http://evil.example","x")')
    Answer.objects.filter(pk=second.pk).update(text_value="bel\x07 mij")

    sheet = workbook(scenario, include_raw=True)["Raw responses"]

    cells = [row[11] for row in sheet.iter_rows(min_row=2)]
    formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    assert any(cell.value == "bel mij" for cell in cells)


def test_headings_follow_the_chosen_language(scenario):
    book = workbook(scenario, language="fr")

    assert rows_of(book[book.sheetnames[0]])[0][0] == "Bien-être à l'école"
    results = rows_of(book[book.sheetnames[1]])[1:]
    mood_labels = [row[9] for row in results if row[1] == "mood" and row[4] == row[5]][:5]
    assert mood_labels == ["Très mal", "Mal", "Moyen", "Bien", "Très bien"]


# --- The raw rows, written without openpyxl: read back as openpyxl's own cells would be ---------

ODD_VALUES: list[Any] = [
    29003633622,  # a response number
    -3,
    Decimal("8.50"),
    Decimal("9"),
    2.25,
    datetime.date(2026, 10, 31),
    datetime.datetime(2026, 10, 31, 13, 45, 30),
    True,
    None,
    "",
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+32 470 12 34 56",
    "#N/A",
    "12",
    "a & b < c > d",
    "  spaces either side  ",
    "line one\r\nline two\nline three",
    "bel\x07 mij",
    "\x07\x08",  # nothing left once cleaned
    "Bien-être à l'école 😀",
    "x" * 40_000,
]


def openpyxl_workbook(header: list[str], rows: list[list[Any]]) -> bytes:
    """The raw sheet as openpyxl's write-only mode wrote it before: the reference."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Raw responses")
    sheet.append(header)
    for values in rows:
        cells = []
        for value in values:
            if isinstance(value, str) and value and (value[0] == "=" or not value.isprintable()):
                cell = WriteOnlyCell(sheet, value=xml_safe(value))
                cell.data_type = "s"
                value = cell
            cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def raw_workbook(scenario: ExportScenario, header: list[str], rows: Any, out=None) -> bytes:
    out = out or io.BytesIO()
    with translation.override("en"):
        render_xlsx(
            report=report_data(campaign=scenario.campaign, language="en"),
            out=out,
            raw_header=header,
            raw_rows=rows,
        )
    return out.getvalue()


def test_raw_cells_read_as_openpyxl_wrote_them_and_text_stays_text(scenario):
    header = [f"column_{index}" for index in range(len(ODD_VALUES))]
    rows = [list(ODD_VALUES), list(reversed(ODD_VALUES))]

    written_file = raw_workbook(scenario, header, [*map(list, rows)])
    ours = load_workbook(io.BytesIO(written_file))
    reference = load_workbook(io.BytesIO(openpyxl_workbook(header, rows)))

    written = list(ours["Raw responses"].iter_rows())
    expected = list(reference["Raw responses"].iter_rows())
    assert [[cell.value for cell in row] for row in written] == [
        [cell.value for cell in row] for row in expected
    ]
    for row, expected_row in zip(written[1:], expected[1:], strict=True):
        for cell, expected_cell in zip(row, expected_row, strict=True):
            assert type(cell.value) is type(expected_cell.value), (cell.value, expected_cell)
            assert cell.is_date == expected_cell.is_date, cell.value
            assert cell.number_format == expected_cell.number_format, cell.value
            if isinstance(cell.value, str):
                assert cell.data_type == "s", cell.value  # never a formula, nor an error
    values = dict(zip(header, (cell.value for cell in written[1]), strict=True))
    assert values["column_2"] == 8.5 and values["column_3"] == 9
    assert values["column_5"] == datetime.datetime(2026, 10, 31)
    assert values["column_10"] == "=1+1"
    assert values["column_13"] == "#N/A"
    assert values["column_16"] == "  spaces either side  "
    assert values["column_17"] == "line one\r\nline two\nline three"
    assert values["column_18"] == "bel mij"
    assert values["column_19"] is None and values["column_9"] is None
    assert values["column_21"] == "x" * 32_767  # Excel's longest text
    # Excel trims the spaces at either end of a text unless told to keep them.
    with zipfile.ZipFile(io.BytesIO(written_file)) as archive:
        sheets_xml = "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )
    assert '<t xml:space="preserve">  spaces either side  </t>' in sheets_xml


def test_the_raw_sheet_keeps_its_bold_heading_frozen_panes_and_widths(scenario):
    book = workbook(scenario, include_raw=True)
    sheet = book["Raw responses"]

    assert sheet.freeze_panes == "B2"
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    assert [sheet.column_dimensions[letter].width for letter in "ABCDEF"] == [
        14,
        16,
        12,
        10,
        10,
        24,
    ]
    assert sheet["C2"].number_format == "yyyy-mm-dd"


def test_every_raw_row_has_every_column_for_a_streaming_reader(scenario):
    book = load_workbook(
        io.BytesIO(raw_workbook(scenario, ["a", "b", "c"], [[1, None, None], [None, "", "x"]])),
        read_only=True,
    )

    assert list(book["Raw responses"].iter_rows(values_only=True)) == [
        ("a", "b", "c"),
        (1, None, None),
        (None, None, "x"),
    ]


def test_raw_rows_are_written_as_they_come_not_kept_until_the_end(scenario):
    out = io.BytesIO()
    written_while_reading: list[int] = []

    def rows():
        for index in range(20_000):
            written_while_reading.append(out.tell())
            yield [index, f"row {index}", Decimal(index) / 7]

    raw_workbook(scenario, ["a", "b", "c"], rows(), out=out)

    assert written_while_reading[-1] > written_while_reading[0]
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True)["Raw responses"]
    assert sum(1 for _ in sheet.iter_rows(min_row=2)) == 20_000
