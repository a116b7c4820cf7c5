"""The XLSX workbook, opened with openpyxl: an overview, every question's results with their
breakdowns, the codebook, the roundtable outcomes, and the anonymised raw responses only when
asked for; every number equal to the database's count with suppression applied; no cell a
formula, whatever a young person typed (issue 6, acceptance 1)."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone
from openpyxl import load_workbook

from analysis.exports import snapshots_refresh_for_export, write_xlsx
from analysis.report import response_pseudonym
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
    return None if value == f"< {K}" else value


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
    assert dutch_n == {answered if answered >= K else f"< {K}"}


def test_the_codebook_and_the_roundtable_outcomes(scenario):
    book = workbook(scenario)
    codebook = rows_of(book["Codebook"])
    outcomes = rows_of(book["Roundtable outcomes"])

    assert codebook[0][:4] == ("Code", "Description", "UNCRC articles", "All")
    assert codebook[1][3] == 1  # young people with a coded answer: exact, the overall total
    assert codebook[2][0] == "Veiligheid" and codebook[2][3] == f"< {K}"
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
