"""Raw responses as CSV: one row per counted response and one column per question, a stable
pseudonymous number instead of any id, the day only, multiple choices and rankings joined by
"|", Excel-safe text, and the rows read in chunks so that memory stays flat."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analysis.exports import write_raw_responses_csv
from analysis.renderers.csv import render_csv
from analysis.report import RawResponses, response_pseudonym
from surveys.models import Answer, Response
from tests.analysis.test_exports import QUOTE, ExportScenario, build_export_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(settings, tmp_path) -> ExportScenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_export_scenario(count=45, seed=13)


def exported(scenario: ExportScenario) -> tuple[bytes, list[dict[str, str]]]:
    out = io.BytesIO()
    count = write_raw_responses_csv(campaign=scenario.campaign, out=out)
    content = out.getvalue()
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert count == len(rows)
    return content, rows


def test_it_is_utf8_with_a_byte_order_mark_and_a_header(scenario):
    content, rows = exported(scenario)

    assert content.startswith(b"\xef\xbb\xbfresponse_id,survey,submitted_on,age_band,language,")
    assert list(rows[0]) == [
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
    ]


def test_one_row_per_counted_response_withdrawn_ones_left_out(scenario):
    _, rows = exported(scenario)
    counted = Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=True)
    withdrawn = Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=False)

    assert withdrawn.exists()
    assert {row["response_id"] for row in rows} == {
        str(response_pseudonym(pk)) for pk in counted.values_list("pk", flat=True)
    }
    assert not {row["response_id"] for row in rows} & {
        str(response_pseudonym(pk)) for pk in withdrawn.values_list("pk", flat=True)
    }


def test_the_response_number_is_stable_and_neither_the_id_nor_the_receipt(scenario):
    _, first = exported(scenario)
    _, second = exported(scenario)
    responses = Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=True)

    numbers = [row["response_id"] for row in first]
    assert numbers == [row["response_id"] for row in second]
    assert len(set(numbers)) == len(numbers)
    assert all(number.isdigit() and len(number) <= 11 for number in numbers)
    known = {str(pk) for pk in responses.values_list("pk", flat=True)}
    known |= set(responses.values_list("receipt_code", flat=True))
    assert not set(numbers) & known


def test_a_row_holds_the_young_persons_answers_in_plain_values(scenario):
    _, rows = exported(scenario)
    response = Response.objects.get(answers__text_value=QUOTE)
    row = next(row for row in rows if row["response_id"] == str(response_pseudonym(response.pk)))

    assert row["story"] == QUOTE
    assert row["survey"] == scenario.survey.slug
    assert row["submitted_on"] == timezone.localtime(response.submitted_at).date().isoformat()
    assert row["age_band"] == response.age_band.code
    assert row["language"] == response.language
    assert row["organisation"] == (response.organisation.name if response.organisation else "")
    answers = Answer.objects.filter(response=response).select_related("option", "question")
    by_key = {}
    for answer in answers.order_by("question__order", "rank", "option__order"):
        by_key.setdefault(answer.question.key, []).append(answer)
    for key, given in by_key.items():
        kind = given[0].question.kind
        if kind in ("single", "multiple", "ranking"):
            assert row[key] == "|".join(answer.option.value for answer in given), key
        elif kind == "scale":
            assert row[key] == str(int(given[0].number_value)), key
        elif kind == "number":
            assert float(row[key]) == float(given[0].number_value), key
    for key in (
        set(row)
        - set(by_key)
        - {"response_id", "survey", "submitted_on", "age_band", "language", "organisation"}
    ):
        assert row[key] == "", key  # skipped questions are empty


def test_several_choices_keep_the_options_order_and_a_ranking_its_order(scenario):
    _, rows = exported(scenario)
    order = {"music": 0, "reading": 1, "games": 2, "drawing": 3}

    hobbies = [row["hobbies"].split("|") for row in rows if "|" in row["hobbies"]]
    assert hobbies and all(chosen == sorted(chosen, key=order.get) for chosen in hobbies)
    for row in rows:
        if not row["priorities"]:
            continue
        response = next(
            pk
            for pk in Response.objects.filter(survey=scenario.survey).values_list("pk", flat=True)
            if str(response_pseudonym(pk)) == row["response_id"]
        )
        ranked = Answer.objects.filter(response_id=response, question__key="priorities").order_by(
            "rank"
        )
        assert row["priorities"] == "|".join(answer.option.value for answer in ranked)


@pytest.mark.parametrize("text", ["=1+2", "+32 2 123", "-geen idee", "@SUM(A1)", "\tverstopt"])
def test_text_that_a_spreadsheet_would_run_is_prefixed(scenario, text):
    answer = Answer.objects.filter(
        question__key="story", response__withdrawn_at__isnull=True
    ).first()
    Answer.objects.filter(pk=answer.pk).update(text_value=text)

    _, rows = exported(scenario)

    assert "'" + text in [row["story"] for row in rows]
    assert text not in [row["story"] for row in rows]


def test_numbers_are_written_as_numbers():
    out = io.BytesIO()

    render_csv(header=["a", "b", "c"], rows=[[-3, Decimal("2.50"), None]], out=out)

    assert out.getvalue().decode("utf-8-sig").splitlines()[1] == "-3,2.5,"


def test_the_rows_are_read_in_chunks(scenario):
    counted = Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=True).count()

    def queries(chunk_size: int) -> int:
        raw = RawResponses(campaign=scenario.campaign, chunk_size=chunk_size)
        with CaptureQueriesContext(connection) as captured:
            rows = sum(1 for _ in raw.rows())
        assert rows == counted
        return len(captured)

    # Two queries a chunk (the responses, then their answers), whatever the chunk's size.
    assert queries(10) - queries(1000) == 2 * (math.ceil(counted / 10) - 1)


def test_the_rows_come_one_chunk_at_a_time(scenario):
    raw = RawResponses(campaign=scenario.campaign, chunk_size=5)

    with CaptureQueriesContext(connection) as captured:
        rows = raw.rows()
        first = next(rows)
    assert first[0] and len(captured) <= 3  # one chunk read, not the whole campaign
    rows.close()


def test_progress_reaches_the_end(scenario):
    seen: list[float] = []
    raw = RawResponses(campaign=scenario.campaign, chunk_size=10)

    list(raw.rows(progress=seen.append))

    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
