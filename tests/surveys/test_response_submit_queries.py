"""A submission costs a fixed number of SQL queries, whatever the size of the survey."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import QuestionKind
from tests.surveys.conftest import add_question, submit_url

pytestmark = pytest.mark.django_db

KINDS = [
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.SCALE,
    QuestionKind.NUMBER,
    QuestionKind.TEXT,
    QuestionKind.RANKING,
]


def build(make_survey, campaign, size: int):
    """A survey of ``size`` questions of every kind, and a full answer to each."""
    survey = make_survey(campaign, slug=f"enquete-{size}")
    answers: dict[str, object] = {}
    for number in range(size):
        kind = KINDS[number % len(KINDS)]
        key = f"q{number}"
        options = ["a", "b", "c"] if kind in ("single", "multiple", "ranking") else []
        add_question(survey, key, kind, options=options, order=number)
        answers[key] = {
            "single": "b",
            "multiple": ["a", "c"],
            "scale": 4,
            "number": 7,
            "text": "Het is leuk op school, soms.",
            "ranking": ["c", "a", "b"],
        }[kind]
    survey.refresh_from_db()
    return survey, answers


def payload(answers, invite) -> str:
    return json.dumps(
        {
            "client_token": str(uuid.uuid4()),
            "language": "nl",
            "age": 10,
            "invite": invite.code,
            "assent": True,
            "answers": answers,
        }
    )


def count_queries(client, survey, answers, invite) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            submit_url(survey.slug), payload(answers, invite), content_type="application/json"
        )
    assert response.status_code == 201, response.content
    return len(queries)


def test_a_submission_costs_at_most_six_queries_for_20_and_for_60_questions(
    client, make_survey, campaign, invite, django_assert_max_num_queries
):
    for size in (20, 60):
        survey, answers = build(make_survey, campaign, size)
        count_queries(client, survey, answers, invite)  # the first one fills the definition cache

        with django_assert_max_num_queries(6):
            response = client.post(
                submit_url(survey.slug), payload(answers, invite), content_type="application/json"
            )

        assert response.status_code == 201


def test_20_and_60_questions_cost_exactly_the_same_queries(
    client, make_survey, campaign, invite, django_assert_num_queries
):
    small, small_answers = build(make_survey, campaign, 20)
    large, large_answers = build(make_survey, campaign, 60)
    count_queries(client, small, small_answers, invite)
    count_queries(client, large, large_answers, invite)

    warm_small = count_queries(client, small, small_answers, invite)
    with django_assert_num_queries(warm_small):
        response = client.post(
            submit_url(large.slug), payload(large_answers, invite), content_type="application/json"
        )

    assert response.status_code == 201
    assert warm_small <= 6


def test_a_cold_definition_cache_costs_the_same_few_queries_whatever_the_size(
    client, make_survey, campaign, invite
):
    from django.core.cache import cache

    from surveys.definition import survey_definition_forget

    small, small_answers = build(make_survey, campaign, 20)
    large, large_answers = build(make_survey, campaign, 60)

    cache.clear()
    survey_definition_forget()
    cold_small = count_queries(client, small, small_answers, invite)
    cache.clear()
    survey_definition_forget()
    cold_large = count_queries(client, large, large_answers, invite)

    assert cold_small == cold_large
    assert cold_small <= 6 + 4  # the definition: questions, options, articles, age bands
