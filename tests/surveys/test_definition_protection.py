"""Once a survey has responses, its stored answers keep their meaning."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from surveys.models import Option, Question, Survey, SurveyDefinitionLocked
from surveys.services import response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(survey) -> Survey:
    response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language="nl",
        age=10,
        invite_code=None,
        assent=True,
        answers={"sport": "football"},
    )
    return survey


def test_a_question_of_an_answered_survey_cannot_be_deleted(answered):
    unanswered = answered.questions.get(key="story")

    with pytest.raises(SurveyDefinitionLocked, match="already has responses"):
        unanswered.delete()
    with pytest.raises(SurveyDefinitionLocked):
        Question.objects.filter(survey=answered).delete()

    assert answered.questions.count() == 8


def test_an_option_value_of_an_answered_survey_cannot_change(answered):
    option = Option.objects.get(question__key="sport", value="swimming")
    option.value = "swim"

    with pytest.raises(ValidationError) as caught:
        option.full_clean()
    assert "value" in caught.value.message_dict
    with pytest.raises(SurveyDefinitionLocked):
        option.save()

    assert Option.objects.filter(value="swimming").exists()


def test_labels_and_wording_can_still_be_improved(answered):
    option = Option.objects.get(question__key="sport", value="swimming")
    option.label_nl = "Zwemmen"
    option.full_clean()
    option.save()
    question = answered.questions.get(key="sport")
    question.text_nl = "Welke sport doe je?"
    question.full_clean()
    question.save()

    assert Option.objects.get(pk=option.pk).label_nl == "Zwemmen"


@pytest.mark.parametrize(("field", "value"), [("key", "sports"), ("kind", "multiple")])
def test_a_question_key_or_kind_of_an_answered_survey_cannot_change(answered, field, value):
    question = answered.questions.get(key="sport")
    setattr(question, field, value)

    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert field in caught.value.message_dict
    with pytest.raises(SurveyDefinitionLocked):
        question.save()


def test_new_questions_and_options_can_still_be_added(answered):
    question = Question.objects.create(survey=answered, key="new", kind="text", text_nl="Nieuw")
    Option.objects.create(question=answered.questions.get(key="sport"), value="judo", label_nl="J")

    assert question.pk and answered.questions.count() == 9


def test_an_answered_option_or_question_is_protected_in_the_database(answered):
    option = Option.objects.get(question__key="sport", value="football")

    with pytest.raises(ProtectedError):
        option.delete()
    with pytest.raises(ProtectedError):
        answered.delete()


def test_a_survey_without_responses_can_be_changed_freely(survey):
    option = Option.objects.get(question__key="sport", value="swimming")
    option.value = "swim"
    option.save()
    survey.questions.get(key="story").delete()
    survey.delete()

    assert not Question.objects.exists()
