"""The database itself refuses rows that break the surveys' invariants."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys.models import Answer, Option, Question, Response, Survey

pytestmark = pytest.mark.django_db


def refused(model, **fields: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([model(**fields)])  # no save(): straight to the database


def question_fields(survey: Survey, **fields: Any) -> dict[str, Any]:
    return {"survey": survey, "key": "extra", "kind": "single", "text_nl": "Vraag", **fields}


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "scale"},
        {"kind": "scale", "scale_points": 4},
        {"kind": "single", "scale_points": 5},
        {"kind": "single", "min_value": 1},
        {"kind": "number", "min_value": 10, "max_value": 5},
        {"kind": "single", "max_choices": 2},
        {"kind": "multiple", "max_choices": 0},
        {"kind": "text", "max_length": 0},
        {"kind": "text", "max_length": 10001},
        {"min_age": 14, "max_age": 12},
        {"show_if": {"question": "sport"}},
        {"show_if": ["sport"]},
        {"kind": "colour"},
        {"key": "sport"},  # taken in this survey
    ],
    ids=lambda fields: ",".join(f"{k}={v}" for k, v in fields.items()),
)
def test_a_question_breaking_an_invariant_is_refused(survey, fields):
    refused(Question, **question_fields(survey, **fields))


def test_a_valid_question_passes_the_same_checks(survey):
    Question.objects.bulk_create(
        [Question(**question_fields(survey, kind="number", min_value=0, max_value=5))]
    )


def test_two_options_of_a_question_cannot_share_a_value(survey):
    refused(Option, question=survey.questions.get(key="sport"), value="football", label_nl="x")


def test_a_survey_cannot_close_before_it_opens(campaign):
    now = timezone.now()
    refused(
        Survey,
        campaign=campaign,
        slug="s",
        title_nl="S",
        opens_at=now,
        closes_at=now - timedelta(days=1),
    )


def test_a_survey_status_must_be_known(campaign):
    refused(Survey, campaign=campaign, slug="s", title_nl="S", status="paused")


@pytest.fixture
def response_fields(survey, campaign):
    def make(**fields: Any) -> dict[str, Any]:
        return {
            "survey": survey,
            "age_band": campaign.age_bands.first(),
            "language": "nl",
            "receipt_code": "ABCD2345",
            "client_token": uuid.uuid4(),
            **fields,
        }

    return make


def test_a_valid_response_passes_the_checks(response_fields):
    Response.objects.bulk_create([Response(**response_fields())])


@pytest.mark.parametrize(
    "fields",
    [
        {"receipt_code": "ABCD1234"},  # 1 is a look-alike
        {"receipt_code": "abcd2345"},
        {"receipt_code": "ABCD234"},
        {"language": "de"},
    ],
    ids=str,
)
def test_a_response_breaking_an_invariant_is_refused(response_fields, fields):
    refused(Response, **response_fields(**fields))


def test_client_tokens_and_receipt_codes_are_unique(response_fields):
    token = uuid.uuid4()
    Response.objects.create(**response_fields(client_token=token))

    refused(Response, **response_fields(client_token=token, receipt_code="ZZZZ2222"))
    refused(Response, **response_fields())


def test_an_organisation_only_comes_with_an_invite(response_fields, invite):
    refused(Response, **response_fields(organisation=invite.organisation))
    refused(Response, **response_fields(invite_link=invite))


def test_a_response_cannot_be_withdrawn_before_it_was_submitted(response_fields):
    now = timezone.now()
    refused(Response, **response_fields(submitted_at=now, withdrawn_at=now - timedelta(seconds=1)))


@pytest.fixture
def stored_response(response_fields):
    return Response.objects.create(**response_fields())


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"option": "football", "number_value": 1},
        {"number_value": 1, "text_value": "x"},
        {"rank": 1, "number_value": 2},
        {"option": "football", "rank": 0},
    ],
    ids=str,
)
def test_an_answer_holds_exactly_one_kind_of_value(survey, stored_response, values):
    question = survey.questions.get(key="sport")
    if "option" in values:
        values["option"] = question.options.get(value=values["option"])
    refused(Answer, response=stored_response, question=question, **values)


def test_an_option_or_rank_is_given_once_per_question(survey, stored_response):
    ranking = survey.questions.get(key="priorities")
    food, say = ranking.options.get(value="food"), ranking.options.get(value="say")
    Answer.objects.create(response=stored_response, question=ranking, option=food, rank=1)

    refused(Answer, response=stored_response, question=ranking, option=food, rank=2)
    refused(Answer, response=stored_response, question=ranking, option=say, rank=1)


def test_a_number_or_text_is_given_once_per_question(survey, stored_response):
    hours = survey.questions.get(key="hours")
    Answer.objects.create(response=stored_response, question=hours, number_value=3)

    refused(Answer, response=stored_response, question=hours, number_value=4)
