"""On PostgreSQL the refresh counts every group in one statement: it must count exactly what the
portable queries (the ones SQLite runs) count, on the same responses."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.db import connection

from analysis import aggregation
from analysis.services import survey_results_refresh
from surveys.models import QuestionKind, Response, Survey, SurveyStatus
from surveys.services import response_submit
from tests.analysis.conftest import add_question

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def snapshot_of_the_portable_queries(survey: Survey) -> dict:
    with mock.patch.object(
        aggregation, "_count_answers_postgresql", aggregation._count_answers_portable
    ):
        return survey_results_refresh(survey=survey).data


def submit(survey: Survey, answers: dict, *, age: int = 10, language: str = "nl") -> None:
    response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language=language,
        age=age,
        invite_code=None,
        assent=True,
        answers=answers,
    )


@pytest.mark.parametrize("seed", [11, 12])
def test_it_counts_every_group_as_the_portable_queries_do(seed_responses, seed):
    seeded = seed_responses(count=150, seed=seed)

    counted = survey_results_refresh(survey=seeded.survey).data

    assert counted["response_count"] > 0
    assert counted == snapshot_of_the_portable_queries(seeded.survey)


def test_it_counts_right_when_response_ids_are_long(seed_responses):
    # Sequences are not transactional: the next tests get their usual ids back afterwards.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Response._meta.db_table])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT pg_sequence_last_value(%s::regclass)", [sequence])
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, 999_999_990])
    try:
        seeded = seed_responses(count=40, seed=5)
        assert Response.objects.filter(pk__gt=1_000_000_000).exists()

        counted = survey_results_refresh(survey=seeded.survey).data

        assert counted == snapshot_of_the_portable_queries(seeded.survey)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(%s, %s, %s)", [sequence, previous or 1, previous is not None]
            )


def test_a_survey_without_choice_questions_is_counted_as_by_the_portable_queries(campaign):
    survey = Survey.objects.create(
        campaign=campaign, slug="zonder-keuzes", title_nl="Zonder keuzes", status=SurveyStatus.OPEN
    )
    add_question(survey, "mood", QuestionKind.SCALE)
    add_question(survey, "hours", QuestionKind.NUMBER, min_value=0, max_value=40)
    add_question(survey, "story", QuestionKind.TEXT)
    submit(survey, {"mood": 4, "hours": 2.5, "story": "Leuk"}, age=7)
    submit(survey, {"mood": 2}, age=13, language="fr")
    submit(survey, {}, age=16, language="en")

    counted = survey_results_refresh(survey=survey).data

    mood = next(question for question in counted["questions"] if question["key"] == "mood")
    assert mood["all"]["n"] == 2 and mood["by"]["language"]["fr"]["counts"]["2"] == 1
    assert counted == snapshot_of_the_portable_queries(survey)


def test_the_young_people_who_chose_several_options_are_counted_once_in_every_group(campaign):
    survey = Survey.objects.create(
        campaign=campaign, slug="meerdere", title_nl="Meerdere", status=SurveyStatus.OPEN
    )
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "dance"])
    add_question(survey, "hobbies", QuestionKind.MULTIPLE, options=["music", "games", "reading"])
    add_question(survey, "priorities", QuestionKind.RANKING, options=["food", "say"])
    submit(survey, {"sport": "dance", "hobbies": ["music", "games", "reading"]}, age=9)
    submit(survey, {"sport": "dance", "hobbies": ["games"], "priorities": ["say", "food"]})
    submit(survey, {"sport": "football", "priorities": ["food"]}, age=15)

    counted = survey_results_refresh(survey=survey).data

    hobbies = next(question for question in counted["questions"] if question["key"] == "hobbies")
    assert hobbies["all"]["n"] == 2
    assert hobbies["by"]["sport"]["dance"]["n"] == 2
    assert hobbies["by"]["sport"]["dance"]["counts"] == {"music": 1, "games": 2, "reading": 1}
    assert hobbies["by"]["age_band"]["9-11"]["n"] == 2
    priorities = next(q for q in counted["questions"] if q["key"] == "priorities")
    assert priorities["by"]["sport"]["football"]["n"] == 1
    assert priorities["by"]["sport"]["dance"]["rank_sum"] == {"food": 2, "say": 1}
    assert counted == snapshot_of_the_portable_queries(survey)


def test_a_group_of_everyone_is_counted_exactly_with_the_narrowest_fields(campaign):
    survey = Survey.objects.create(
        campaign=campaign, slug="allemaal", title_nl="Allemaal", status=SurveyStatus.OPEN
    )
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "dance"])
    add_question(survey, "mood", QuestionKind.SCALE)
    for _ in range(10):  # ten ids in a row: counts of 10, in fields just two digits wide
        submit(survey, {"sport": "dance", "mood": 5})

    counted = survey_results_refresh(survey=survey).data

    mood = next(question for question in counted["questions"] if question["key"] == "mood")
    assert mood["by"]["sport"]["dance"]["counts"]["5"] == 10
    assert mood["by"]["age_band"]["9-11"]["counts"]["5"] == 10
    assert mood["by"]["language"]["nl"]["n"] == 10
    assert counted == snapshot_of_the_portable_queries(survey)
